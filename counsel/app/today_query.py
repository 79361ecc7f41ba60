"""What the Today page shows, computed where the data is (the working set's SQL).

:func:`counsel.app.today.compute` builds a Python record for every client, plan and
encounter of the caseload and returns every item; on an office-sized vault that is
~150,000 items and seconds of work on every open.  The page shows at most ``limit``
rows per group plus each group's total, so :func:`summary` returns exactly that:

* agreed actions (the bulk) are counted and ranked in SQL over the encounters'
  ``actions`` column; only each group's first ``limit`` rows (ties on the day kept, so
  the exact order is settled in Python) leave SQLite;
* the per-client deadlines read light rows (id, permit date; a plan's dates, status
  and measures) and reuse the deadline rules of :mod:`counsel.timekeeping.reminders`;
* stored reminders and overrides are few and read as records.

The result equals :func:`counsel.app.today.compute` cut to the first ``limit`` items of
each group (the tests check this on random caseloads).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, cast

from counsel.app.today import UPCOMING_DAYS, Stopped, TodayItem, _from_due_item
from counsel.domain import Reminder, ReminderKind
from counsel.timekeeping.reminders import DeadlineRules, DueItem, _client_items, _status
from counsel.timekeeping.rows import client_names as client_names
from counsel.timekeeping.rows import light_plans
from counsel.vault import deadlines
from counsel.vault.agenda import BUCKETS, bucket

if TYPE_CHECKING:
    from counsel.vault.service import Vault

#: Items shown per group on the Today page (and printed by ``counsel today``).
SHOWN_PER_GROUP = 200


@dataclasses.dataclass(frozen=True)
class TodaySummary:
    """The first ``limit`` items of each group, soonest first, and each group's total."""

    day: dt.date
    shown: tuple[TodayItem, ...]  # groups in BUCKETS order, each sorted
    totals: dict[str, int]
    due_clients: frozenset[str]  # clients with something due today or overdue

    @property
    def empty(self) -> bool:
        return not any(self.totals.values())


@dataclasses.dataclass(frozen=True, slots=True)
class _Client:
    id: str
    permit_date: dt.date | None


def _active_clients(vault: Vault) -> list[_Client]:
    return [_Client(cid, permit) for cid, permit in vault.agenda.active_client_permits()]


def _client_due(vault: Vault, clients: list[_Client], today: dt.date,
                rules: DeadlineRules) -> list[DueItem]:
    """Deadlines of active clients' integration path, plans and measures (not overridden)."""
    plans_of: dict[str, list[Any]] = {}
    for p in light_plans(vault):
        plans_of.setdefault(p.client, []).append(p)
    out = []
    for c in clients:
        found = _client_items(cast(Any, c), cast(Any, plans_of.get(c.id, [])), today, rules)
        out += [DueItem(k, d, _status(d, today, rules), c.id, s, t) for k, d, s, t in found]
    return out


def _action_detail(what: str | None) -> str:
    return what.splitlines()[0][:200] if what else ""


def _overridden_actions(vault: Vault, overrides: dict[str, Reminder], today: dt.date,
                        rules: DeadlineRules) -> list[DueItem]:
    """Agreed actions a stored override snoozes (its date replaces the action's)."""
    out = []
    for source, stored in overrides.items():
        parts = source.split(":")
        if len(parts) != 3 or parts[0] != "action" or stored.done:
            continue
        found = vault.agenda.agreed_action(parts[1], int(parts[2]) if parts[2].isdigit() else -1)
        if found is not None:
            client, due, what, done = found
            if due and not done:
                out.append(DueItem(ReminderKind.ACTION_DUE, stored.due,
                                   _status(stored.due, today, rules), client, source,
                                   _action_detail(what)))
    return out


def _overridden_keys(overrides: dict[str, Reminder]) -> list[tuple[str, int]]:
    """(encounter id, index) of the agreed actions a stored override replaces."""
    out = []
    for source in overrides:
        parts = source.split(":")
        if len(parts) == 3 and parts[0] == "action" and parts[2].isdigit():
            out.append((parts[1], int(parts[2])))
    return out


_RULES = DeadlineRules()


def summary(vault: Vault, today: dt.date, limit: int = SHOWN_PER_GROUP,
            horizon_days: int = UPCOMING_DAYS,
            rules: DeadlineRules = _RULES,
            should_stop: Callable[[], bool] | None = None) -> TodaySummary:
    """Today's groups, at most ``limit`` items each, with their totals.

    Runs one query at a time; ``should_stop`` is asked before each
    (raises :class:`~counsel.app.today.Stopped`)."""
    horizon = today + dt.timedelta(days=min(horizon_days, rules.horizon_days))
    reminders = vault.all(Reminder)
    overrides = {r.source: r for r in reminders if r.source}
    kept = rules == deadlines.RULES  # the working set keeps the deadlines of these rules
    # items computed in Python (few): client deadlines (all of them under other rules;
    # only the overridden ones under the kept rules) and reminders, with overrides
    due: list[DueItem] = []
    # under other rules every active client is read once, not once per step of the scan
    active = [] if kept else _active_clients(vault)
    if kept:
        client_due = [DueItem(ReminderKind(kind), d, _status(d, today, rules), client, source,
                              detail)
                      for kind, day, client, source, detail in vault.agenda.deadlines_of(
                          sorted(overrides), today)
                      for d in (dt.date.fromisoformat(day),)]
    else:
        client_due = _client_due(vault, active, today, rules)
    for item in client_due:
        stored = overrides.get(item.source)
        if stored is not None:
            if stored.done:
                continue
            item = dataclasses.replace(item, due=stored.due,
                                       status=_status(stored.due, today, rules))
        due.append(item)
    due += _overridden_actions(vault, overrides, today, rules)
    for r in reminders:
        if not r.done and not r.source:
            due.append(DueItem(r.kind, r.due, _status(r.due, today, rules), r.client,
                               f"reminder:{r.id}", r.text.splitlines()[0][:200], r.id))
    few_due = [d for d in due if d.due <= horizon]
    # agreed actions (many): counted and cut in SQL, a step at a time (the vault is free
    # for a search between two steps)
    def between_steps() -> None:
        if should_stop is not None and should_stop():
            raise Stopped

    found = vault.agenda.due_actions(today, horizon, limit,
                                     None if kept else [c.id for c in active],
                                     _overridden_keys(overrides), between_steps)
    totals = dict(found.totals)
    due_clients = set(found.due_clients)
    action_items = [DueItem(ReminderKind.ACTION_DUE, a.due, _status(a.due, today, rules),
                            a.client, f"action:{a.encounter_id}:{a.index}",
                            _action_detail(a.what))
                    for a in found.rows]
    if kept:  # the deadlines not overridden: counted and cut in SQL like the actions
        dl_totals, dl_rows, dl_clients = vault.agenda.due_deadlines(
            today, horizon, limit, sorted(overrides), between_steps)
        for name, n in dl_totals.items():
            totals[name] += n
        due_clients |= dl_clients
        action_items += [DueItem(ReminderKind(kind), d, _status(d, today, rules), client,
                                 source, detail)
                         for kind, day, client, source, detail in dl_rows
                         for d in (dt.date.fromisoformat(day),)]
    shown: list[TodayItem] = []
    for group_name in BUCKETS:
        few = sorted((d for d in few_due if bucket(d.due, today) == group_name),
                     key=lambda d: d.due)
        totals[group_name] += len(few)
        if len(few) > limit:  # only items up to the limit-th one's day can be shown
            few = [d for d in few if d.due <= few[limit - 1].due]
        candidates = few + [d for d in action_items if bucket(d.due, today) == group_name]
        candidates.sort(key=lambda d: (d.due, d.kind.value, d.source))
        group = [_from_due_item(d) for d in candidates]
        # stable: equal keys keep compute_reminders' (due, kind, source) order
        group.sort(key=lambda i: (i.due, i.kind.value, i.text))
        shown += group[:limit]
    due_clients |= {d.client for d in few_due if d.client and d.due <= today}
    return TodaySummary(today, tuple(shown), totals, frozenset(due_clients))
