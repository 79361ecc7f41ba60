"""When the last backup was made, and whether to remind (Qt-free; the Today page and
Settings show it).  Kept as synced, encrypted vault settings: ``backup.last`` (time and
number of the newest backup), ``backup.remind_days`` (default 7; 0 turns the reminder
off) and ``backup.restored`` (this vault was restored from a backup of that date: clients
erased after it are back, which Today says until the counsellor has read it)."""

from __future__ import annotations

import dataclasses
import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from counsel.records.backup import BackupResult, RestoreResult
    from counsel.vault.service import Vault

LAST_KEY = "backup.last"
DAYS_KEY = "backup.remind_days"
RESTORED_KEY = "backup.restored"
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


@dataclasses.dataclass(frozen=True)
class Restored:
    backup_made: dt.datetime  # when the backup that was restored had been taken
    erased: int  # clients erased before it (not restored)


def record_restored(vault: Vault, result: RestoreResult) -> None:
    """In a vault just restored: remember it (Today says so until read) and count the
    backup it came from as the last backup."""
    made = dt.datetime.fromisoformat(result.created)
    records = [vault.settings.record(RESTORED_KEY, {"from": result.created,
                                                    "erased": len(result.erased),
                                                    "read": False})]
    last = last_backup(vault)
    if last is None or last < made:
        records.append(vault.settings.record(LAST_KEY, {"at": result.created,
                                                        "number": result.number}))
    vault.save_many(records)


def restored(vault: Vault) -> Restored | None:
    """The restore not yet read (None: never restored, or already read)."""
    stored: Any = vault.settings.get(RESTORED_KEY)
    try:
        if not stored or stored.get("read"):
            return None
        return Restored(dt.datetime.fromisoformat(stored["from"]), int(stored["erased"]))
    except (AttributeError, KeyError, TypeError, ValueError):
        return None


def mark_restored_read(vault: Vault) -> None:
    stored: Any = vault.settings.get(RESTORED_KEY)
    if isinstance(stored, dict):
        vault.settings.set(RESTORED_KEY, {**stored, "read": True})


def restore_and_open(src: Path, target: Path, *, passphrase: str | None = None,
                     recovery_code: str | None = None,
                     new_passphrase: str | None = None) -> tuple[RestoreResult, Vault]:
    """Restore the newest backup in ``src`` as the new vault ``target`` and open it —
    what ``counsel restore`` and the app's *Restore from a backup* both do.

    With the passphrase the backup was made with; or with the printed recovery code and a
    new passphrase (checked before anything is written): the keys rotate and a NEW
    recovery code waits in ``vault.take_recovery_code()`` to be shown once.  The restore is
    recorded (:func:`record_restored`)."""
    from counsel.records import backup
    from counsel.vault import keyring
    from counsel.vault.service import Vault

    if recovery_code is not None:
        if new_passphrase is None:
            raise ValueError("a new passphrase goes with the recovery code")
        keyring.check_new_passphrase(new_passphrase)
        done = backup.restore(src, target, recovery_code=recovery_code)
        vault = Vault.recover(target, recovery_code, new_passphrase)
    else:
        if passphrase is None:
            raise ValueError("the passphrase or the recovery code")
        done = backup.restore(src, target, passphrase=passphrase)
        vault = Vault.unlock(target, passphrase)
    try:
        record_restored(vault, done)
    except BaseException:
        vault.lock()
        raise
    return done, vault
