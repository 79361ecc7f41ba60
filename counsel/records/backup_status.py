"""When the last backup was made, and whether to remind (Qt-free; the Today page and
Settings show it).  Kept as synced, encrypted vault settings: ``backup.last`` (time and
number of the newest backup) and ``backup.remind_days`` (default 7; 0 turns the reminder
off)."""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from counsel.records.backup import BackupResult
    from counsel.vault.service import Vault

LAST_KEY = "backup.last"
DAYS_KEY = "backup.remind_days"
DEFAULT_DAYS = 7


@dataclasses.dataclass(frozen=True)
class Reminder:
    last: dt.datetime | None  # None: never backed up
    days: int  # the setting it is older than


def last_backup(vault: Vault) -> dt.datetime | None:
    stored: Any = vault.settings.get(LAST_KEY)
    try:
        return dt.datetime.fromisoformat(stored["at"]) if stored else None
    except (KeyError, TypeError, ValueError):
        return None


def remind_days(vault: Vault) -> int:
    value = vault.settings.get(DAYS_KEY, DEFAULT_DAYS)
    return value if isinstance(value, int) and value >= 0 else DEFAULT_DAYS


def set_remind_days(vault: Vault, days: int) -> None:
    vault.settings.set(DAYS_KEY, max(0, int(days)))


def reminder(vault: Vault, now: dt.datetime | None = None) -> Reminder | None:
    """A reminder when the last backup is older than the setting (or there is none)."""
    days = remind_days(vault)
    if days == 0:
        return None
    last = last_backup(vault)
    now = now or dt.datetime.now(dt.UTC)
    if last is not None and now - last <= dt.timedelta(days=days):
        return None
    return Reminder(last, days)


def record_done(vault: Vault, result: BackupResult, now: dt.datetime | None = None) -> None:
    """After a verified backup: the audit entry ("export" of kind "backup") and the time."""
    now = now or dt.datetime.now(dt.UTC)
    vault.audit.record("export", record_kind="backup",
                       detail=f"backup {result.number} to {result.path.name}")
    vault.settings.set(LAST_KEY, {"at": now.isoformat(timespec="seconds"),
                                  "number": result.number})
