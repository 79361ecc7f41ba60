"""What is due: deadlines of the integration path, agreed actions and measures.

The desktop "today" view calls :func:`compute_reminders`.  Deadlines are data an
organisation can change (:class:`DeadlineRules`); the defaults are DOMAIN.md's:

* integration training should start within 3 months of the residence permit (shown
  while the client is inside the 3-year plan window and no integration-training
  measure has started);
* an integration plan must be made within 3 years of the first permit;
* the first plan ends after 1 year (its ``valid_until`` when set);
* a plan is reviewed at least every 6 months (its ``review`` date when set, else six
  months after it was made);
* agreed actions and plan measures by their due dates.

Computed items have a stable ``source`` ("plan_review:<plan id>" ...).  A stored
``Reminder`` with the same ``source`` overrides the computed one: marked done it
dismisses it, otherwise its date replaces the computed date (a snooze).  Stored
reminders of the counsellor's own (no ``source``) are included while not done; a stored
override whose computed item has gone (the measure started, the plan ended) goes too.
Only active clients get computed items.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections import defaultdict
from collections.abc import Sequence
from enum import StrEnum

from counsel.domain import (
    Client,
    Encounter,
    MeasureStatus,
    Plan,
    PlanStatus,
    Reminder,
    ReminderKind,
)
from counsel.i18n import N_, gettext


class DueStatus(StrEnum):
    OVERDUE = "overdue"
    DUE_SOON = "due_soon"
    UPCOMING = "upcoming"

    def label(self) -> str:
        return gettext(_STATUS_LABELS[self.value])


_STATUS_LABELS = {"overdue": N_("Overdue"), "due_soon": N_("Due soon"), "upcoming": N_("Upcoming")}


@dataclasses.dataclass(frozen=True)
class DeadlineRules:
    integration_training_months: int = 3
    plan_within_years: int = 3
    first_plan_months: int = 12
    review_months: int = 6
    due_soon_days: int = 14
    horizon_days: int = 60  # items due later than this are left out
    integration_training_codes: tuple[str, ...] = ("integration_training",)


@dataclasses.dataclass(frozen=True, slots=True)
class DueItem:
    kind: ReminderKind
    due: dt.date
    status: DueStatus
    client: str | None
    source: str  # stable identity of the rule and record that made the item
    detail: str = ""  # e.g. the agreed action or the measure code (shown, never exported)
    reminder_id: str | None = None  # a stored reminder of the counsellor's own

    @property
    def title(self) -> str:
        return self.kind.label()

    @property
    def text(self) -> str:
        """What the today view shows: the detail, else the kind's label."""
        return self.detail or self.kind.label()

    @property
    def client_id(self) -> str | None:
        return self.client


def add_months(day: dt.date, months: int) -> dt.date:
    """``day`` plus whole months, clamped to the month's last day (31 Jan + 1 → 28/29 Feb)."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    month += 1
    nxt = dt.date(year + (month == 12), month % 12 + 1, 1)
    return day.replace(year=year, month=month, day=min(day.day, (nxt - dt.timedelta(days=1)).day))


def _status(due: dt.date, today: dt.date, rules: DeadlineRules) -> DueStatus:
    if due < today:
        return DueStatus.OVERDUE
    if (due - today).days <= rules.due_soon_days:
        return DueStatus.DUE_SOON
    return DueStatus.UPCOMING


def _agreed(plans: Sequence[Plan]) -> list[Plan]:
    return sorted((p for p in plans if p.status is not PlanStatus.DRAFT),
                  key=lambda p: (p.made, p.id))


def _client_items(c: Client, plans: Sequence[Plan], today: dt.date,
                  rules: DeadlineRules) -> list[tuple[ReminderKind, dt.date, str, str]]:
    out: list[tuple[ReminderKind, dt.date, str, str]] = []
    agreed = _agreed(plans)
    if c.permit_date is not None:
        window_end = add_months(c.permit_date, 12 * rules.plan_within_years)
        started = any(
            m.code in rules.integration_training_codes
            and m.status in (MeasureStatus.STARTED, MeasureStatus.DONE)
            for p in plans for m in p.measures
        )
        if not started and today <= window_end:
            out.append((ReminderKind.INTEGRATION_TRAINING,
                        add_months(c.permit_date, rules.integration_training_months),
                        f"integration_training:{c.id}", ""))
        if not agreed:
            out.append((ReminderKind.PLAN_DEADLINE, window_end, f"plan_deadline:{c.id}", ""))
    if agreed:
        first = agreed[0]
        if first.status is not PlanStatus.ENDED and len(agreed) == 1:
            end = first.valid_until or add_months(first.made, rules.first_plan_months)
            out.append((ReminderKind.PLAN_END, end, f"plan_end:{first.id}", ""))
        for p in agreed:
            if p.status in (PlanStatus.AGREED, PlanStatus.REVIEWED):
                due = p.review or add_months(p.made, rules.review_months)
                out.append((ReminderKind.PLAN_REVIEW, due, f"plan_review:{p.id}", ""))
    for p in plans:
        if p.status is PlanStatus.ENDED:
            continue
        for i, m in enumerate(p.measures):
            if m.due and m.status in (MeasureStatus.PLANNED, MeasureStatus.STARTED):
                out.append((ReminderKind.MEASURE_DUE, m.due, f"measure:{p.id}:{i}", m.code))
    return out


def compute_reminders(clients: Sequence[Client], plans: Sequence[Plan],
                      encounters: Sequence[Encounter], stored_reminders: Sequence[Reminder],
                      today: dt.date, rules: DeadlineRules = DeadlineRules()) -> list[DueItem]:
    """Everything due up to ``today + rules.horizon_days``, most urgent first."""
    active = {c.id: c for c in clients if c.active and c.ended is None}
    plans_of: dict[str, list[Plan]] = defaultdict(list)
    for p in plans:
        plans_of[p.client].append(p)
    raw: list[tuple[ReminderKind, dt.date, str | None, str, str]] = []
    for c in active.values():
        found = _client_items(c, plans_of[c.id], today, rules)
        raw += [(k, d, c.id, s, t) for k, d, s, t in found]
    for e in encounters:
        if e.client not in active:
            continue
        for i, a in enumerate(e.actions):
            if a.due and not a.done:
                raw.append((ReminderKind.ACTION_DUE, a.due, e.client, f"action:{e.id}:{i}",
                            a.what.splitlines()[0][:200] if a.what else ""))
    overrides = {r.source: r for r in stored_reminders if r.source}
    items: list[DueItem] = []
    for kind, due, client, source, detail in raw:
        stored = overrides.get(source)
        if stored is not None:
            if stored.done:
                continue
            due = stored.due
        items.append(DueItem(kind, due, _status(due, today, rules), client, source, detail))
    for r in stored_reminders:
        # a stored reminder with a source only ever overrides a computed item
        if not r.done and not r.source:
            items.append(DueItem(r.kind, r.due, _status(r.due, today, rules), r.client,
                                 f"reminder:{r.id}", r.text.splitlines()[0][:200], r.id))
    limit = today + dt.timedelta(days=rules.horizon_days)
    items = [i for i in items if i.due <= limit]
    items.sort(key=lambda i: (i.due, i.kind.value, i.source))
    return items
