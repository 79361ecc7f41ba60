"""What the "Today" view shows: reminders due or overdue, grouped, plus open drafts.

Deadlines come from ``counsel.timekeeping.reminders.compute_reminders`` (rules computed
offline from clients, plans and encounters) plus the stored reminder records.  Qt-free;
the UI renders :class:`TodayItem` values.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any

from counsel.domain import Client, Plan, Reminder, ReminderKind
from counsel.i18n import real_language, translations
from counsel.timekeeping.reminders import compute_reminders

if TYPE_CHECKING:
    from counsel.vault.service import Vault

UPCOMING_DAYS = 14


@dataclasses.dataclass(frozen=True)
class TodayItem:
    due: dt.date
    text: str
    kind: ReminderKind
    client_id: str | None
    reminder_id: str | None = None  # a stored reminder of the counsellor's own
    source: str = ""  # identity of a computed item (a stored override can dismiss it)

    def bucket(self, today: dt.date) -> str:
        if self.due < today:
            return "overdue"
        if self.due == today:
            return "today"
        return "upcoming"


@functools.cache
def _measure_titles() -> dict[str, str]:
    """Measure code → title msgid (domain "plans"), from the measure catalogue."""
    from counsel.errors import KnownError
    from counsel.plans.catalogue import load_catalogue

    try:
        return {code: m.title for code, m in load_catalogue().items()}
    except KnownError:
        return {}


def measure_title(code: str) -> str:
    """A measure's name in the interface language; the code itself if unknown."""
    msgid = _measure_titles().get(code)
    if msgid is None:
        return code
    return translations(real_language(), "plans").gettext(msgid)


def _from_due_item(item: Any) -> TodayItem:
    kind = item.kind if isinstance(item.kind, ReminderKind) else ReminderKind.CUSTOM
    detail = getattr(item, "detail", "")
    if kind is ReminderKind.MEASURE_DUE and detail:
        detail = measure_title(detail)
    source = getattr(item, "source", "")
    reminder_id = source.split(":", 1)[1] if source.startswith("reminder:") else None
    if kind is ReminderKind.CUSTOM and detail:
        text = detail
    else:
        text = f"{kind.label()}: {detail}" if detail else kind.label()
    return TodayItem(due=item.due, text=text, kind=kind, client_id=item.client,
                     reminder_id=reminder_id, source=source)


def _stored(reminders: Iterable[Reminder]) -> list[TodayItem]:
    return [TodayItem(r.due, r.text, r.kind, r.client, r.id) for r in reminders if not r.done]


def compute(vault: Vault, today: dt.date, horizon_days: int = UPCOMING_DAYS) -> list[TodayItem]:
    """Items due up to ``horizon_days`` ahead (and every overdue one), soonest first."""
    reminders = vault.all(Reminder)
    due = compute_reminders(vault.all(Client), vault.all(Plan), vault.encounter_facts(),
                            reminders, today)
    items = [_from_due_item(d) for d in due]
    limit = today + dt.timedelta(days=horizon_days)
    items = [i for i in items if i.due <= limit]
    items.sort(key=lambda i: (i.due, i.kind.value, i.text))
    return items


def compute_for_client(vault: Vault, client_id: str, today: dt.date) -> list[TodayItem]:
    """What is due for one client (the client page): only that client's records are read."""
    reminders = vault.of_client(Reminder, client_id)
    client = vault.get_typed(Client, client_id)
    due = compute_reminders([client], vault.of_client(Plan, client_id),
                            vault.encounter_facts(client_id), reminders, today)
    return [_from_due_item(d) for d in due]


class Stopped(Exception):
    """Raised by :func:`compute_by_client` when ``should_stop`` said so (e.g. locking)."""


def compute_by_client(vault: Vault, today: dt.date, horizon_days: int = UPCOMING_DAYS,
                      should_stop: Callable[[], bool] | None = None) -> list[TodayItem]:
    """The same items as :func:`compute`, gathered one client at a time.

    Each step holds the vault's lock for about a millisecond, so on a large vault the
    search and the editors stay responsive while the whole caseload is worked through,
    and locking can stop the work between two clients.
    """
    active = [c.id for c in vault.clients("", active=True)]
    items: list[TodayItem] = []
    for client_id in active:
        if should_stop is not None and should_stop():
            raise Stopped
        items += compute_for_client(vault, client_id, today)
    seen = set(active)
    items += _stored(r for r in vault.all(Reminder) if r.client not in seen and not r.source)
    limit = today + dt.timedelta(days=horizon_days)
    items = [i for i in items if i.due <= limit]
    items.sort(key=lambda i: (i.due, i.kind.value, i.text))
    return items


def mark_done(item: TodayItem, stored: Reminder | None = None) -> Reminder:
    """The record that dismisses ``item``: the stored reminder marked done, or an
    override (same ``source``) for a computed one."""
    if stored is not None:
        return stored.replace(done=True)  # type: ignore[no-any-return]
    return Reminder(due=item.due, text=item.kind.label(), kind=item.kind,
                    client=item.client_id, done=True, source=item.source)


def clients_with_due(items: Iterable[TodayItem], today: dt.date) -> set[str]:
    """Clients with something due today or overdue (the "reminders due" filter)."""
    return {i.client_id for i in items if i.client_id and i.due <= today}
