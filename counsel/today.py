"""What the "Today" view shows: reminders due or overdue, grouped, plus open drafts.

Uses ``counsel.timekeeping.reminders.compute_reminders`` when it is available (deadline
rules computed offline from clients, plans and encounters); otherwise only the stored
reminder records.  Qt-free; the UI renders :class:`TodayItem` values.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import importlib
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from counsel.domain import Client, Encounter, Plan, Reminder, ReminderKind

if TYPE_CHECKING:
    from counsel.vault.service import Vault

UPCOMING_DAYS = 14


@dataclasses.dataclass(frozen=True)
class TodayItem:
    due: dt.date
    text: str
    kind: ReminderKind
    client_id: str | None
    reminder_id: str | None = None  # a stored reminder (can be marked done)

    def bucket(self, today: dt.date) -> str:
        if self.due < today:
            return "overdue"
        if self.due == today:
            return "today"
        return "upcoming"


def _from_due_item(item: Any) -> TodayItem:
    kind = getattr(item, "kind", ReminderKind.CUSTOM)
    if not isinstance(kind, ReminderKind):
        try:
            kind = ReminderKind(str(kind))
        except ValueError:
            kind = ReminderKind.CUSTOM
    text = getattr(item, "text", "") or kind.label()
    return TodayItem(due=item.due, text=str(text), kind=kind,
                     client_id=getattr(item, "client_id", None) or getattr(item, "client", None),
                     reminder_id=getattr(item, "reminder_id", None))


def _stored(reminders: Iterable[Reminder]) -> list[TodayItem]:
    return [TodayItem(r.due, r.text, r.kind, r.client, r.id) for r in reminders if not r.done]


def compute(vault: Vault, today: dt.date, horizon_days: int = UPCOMING_DAYS) -> list[TodayItem]:
    """Items due up to ``horizon_days`` ahead (and every overdue one), soonest first."""
    reminders = vault.all(Reminder)
    items: list[TodayItem]
    try:
        mod = importlib.import_module("counsel.timekeeping.reminders")
        compute_reminders = mod.compute_reminders
    except (ImportError, AttributeError):
        items = _stored(reminders)
    else:
        due = compute_reminders(vault.all(Client), vault.all(Plan), vault.all(Encounter),
                                reminders, today)
        items = [_from_due_item(d) for d in due]
    limit = today + dt.timedelta(days=horizon_days)
    items = [i for i in items if i.due <= limit]
    items.sort(key=lambda i: (i.due, i.kind.value, i.text))
    return items


def clients_with_due(items: Iterable[TodayItem], today: dt.date) -> set[str]:
    """Clients with something due today or overdue (the "reminders due" filter)."""
    return {i.client_id for i in items if i.client_id and i.due <= today}
