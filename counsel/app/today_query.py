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
import json
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, cast

from counsel.app.today import UPCOMING_DAYS, Stopped, TodayItem, _from_due_item
from counsel.domain import Reminder, ReminderKind
from counsel.timekeeping.reminders import DeadlineRules, DueItem, _client_items, _status
from counsel.timekeeping.rows import client_names as client_names
from counsel.timekeeping.rows import date_or_none as _d
from counsel.timekeeping.rows import light_plans

if TYPE_CHECKING:
    from counsel.vault.service import Vault

BUCKETS = ("overdue", "today", "upcoming")
#: Items shown per group on the Today page (and printed by ``counsel today``).
SHOWN_PER_GROUP = 200
#: Working-set rows per step of the agreed-actions scan (~10k encounters on a large vault:
#: tens of milliseconds each).
STEP_ROWS = 30_000


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
    return [_Client(cid, _d(permit)) for cid, permit in vault.sql(
        "SELECT r.record_id, c.permit_date FROM clients c JOIN records r ON r.rowid=c.rowid "
        "WHERE c.active=1 AND r.data->>'$.ended' IS NULL ORDER BY r.rowid")]


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


#: ?1 today, ?2 last day shown, ?3 rows per group, ?5-?6 the encounters' rows of one step,
#: ?7 JSON list of the active clients (read once, not once per step);
#: {skip}: overridden actions (?4) left out.
#: Only (encounter row, index, client, due) travel through the ranking; the text of the
#: few rows shown is read afterwards.
_ACTIONS = """
WITH act AS MATERIALIZED (
  SELECT value AS id FROM json_each(?7)
), b AS MATERIALIZED (
  SELECT e.rowid AS erow, CAST(j.key AS INTEGER) AS i, e.client AS client,
         j.value->>2 AS due
  FROM encounters e, json_each(e.actions) j
  WHERE e.rowid BETWEEN ?5 AND ?6 AND e.actions IS NOT NULL
    AND j.value->>2 <= ?2 AND NOT j.value->>4 AND e.client IN (SELECT id FROM act) {skip}
), r AS (
  SELECT *, RANK() OVER (PARTITION BY due < ?1, due = ?1 ORDER BY due) AS pos,
         COUNT(*) OVER (PARTITION BY due < ?1, due = ?1) AS total FROM b
)
SELECT total, erow, i, client, due FROM r WHERE pos <= ?3
UNION ALL
SELECT DISTINCT -1, 0, 0, client, '' FROM b WHERE due <= ?1
"""

_SKIP = "AND (e.rowid || ':' || j.key) NOT IN (SELECT value FROM json_each(?4))"


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
        rows = vault.sql(
            "SELECT e.client, j.value->>2, j.value->>0, j.value->>4 FROM encounters e "
            "JOIN records r ON r.rowid=e.rowid JOIN records cr ON cr.record_id=e.client "
            "JOIN clients c ON c.rowid=cr.rowid, json_each(e.actions) j "
            "WHERE r.record_id=? AND CAST(j.key AS INTEGER)=? AND c.active=1 "
            "AND cr.data->>'$.ended' IS NULL",
            (parts[1], int(parts[2]) if parts[2].isdigit() else -1))
        for client, due, what, done in rows:
            if due and not done:
                out.append(DueItem(ReminderKind.ACTION_DUE, stored.due,
                                   _status(stored.due, today, rules), client, source,
                                   _action_detail(what)))
    return out


def _action_rows(vault: Vault, overrides: dict[str, Reminder]) -> set[str]:
    """``"<encounter row>:<index>"`` of the actions a stored override replaces."""
    wanted: dict[str, list[str]] = {}
    for source in overrides:
        parts = source.split(":")
        if len(parts) == 3 and parts[0] == "action":
            wanted.setdefault(parts[1], []).append(parts[2])
    out: set[str] = set()
    ids = sorted(wanted)
    for start in range(0, len(ids), 500):
        part = ids[start:start + 500]
        for rowid, rid in vault.sql("SELECT rowid, record_id FROM records WHERE record_id IN "
                                    f"({','.join('?' * len(part))})", part):
            out |= {f"{rowid}:{i}" for i in wanted[rid]}
    return out


def _action_texts(vault: Vault, rows: set[int]) -> dict[int, tuple[str, list[str]]]:
    """Encounter row → (encounter id, what of each agreed action)."""
    out: dict[int, tuple[str, list[str]]] = {}
    ordered = sorted(rows)
    for start in range(0, len(ordered), 500):
        part = ordered[start:start + 500]
        for rowid, rid, actions in vault.sql(
                "SELECT e.rowid, r.record_id, e.actions FROM encounters e JOIN records r "
                f"ON r.rowid=e.rowid WHERE e.rowid IN ({','.join('?' * len(part))})", part):
            out[rowid] = (rid, [a[0] for a in json.loads(actions)])
    return out


def _first_days(rows: list[tuple[int, int, str, dt.date]], today: dt.date,
                limit: int) -> list[tuple[int, int, str, dt.date]]:
    """Per group, the rows up to the ``limit``-th one's day (all of that day's kept)."""
    out = []
    for bucket in BUCKETS:
        group = sorted((r for r in rows if _bucket(r[3], today) == bucket), key=lambda r: r[3])
        if len(group) > limit:
            group = [r for r in group if r[3] <= group[limit - 1][3]]
        out += group
    return out


def _bucket(due: dt.date, today: dt.date) -> str:
    return "overdue" if due < today else "today" if due == today else "upcoming"


_RULES = DeadlineRules()


def summary(vault: Vault, today: dt.date, limit: int = SHOWN_PER_GROUP,
            horizon_days: int = UPCOMING_DAYS,
            rules: DeadlineRules = _RULES,
            should_stop: Callable[[], bool] | None = None) -> TodaySummary:
    """Today's groups, at most ``limit`` items each, with their totals.

    Works in steps of :data:`STEP_ROWS` rows; ``should_stop`` is asked between steps
    (raises :class:`~counsel.app.today.Stopped`)."""
    horizon = today + dt.timedelta(days=min(horizon_days, rules.horizon_days))
    reminders = vault.all(Reminder)
    overrides = {r.source: r for r in reminders if r.source}
    # items computed in Python (few): client deadlines and reminders, with overrides
    due: list[DueItem] = []
    active = _active_clients(vault)
    active_json = json.dumps([c.id for c in active])
    for item in _client_due(vault, active, today, rules):
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
    # agreed actions (many): counted and cut in SQL
    skipped = _action_rows(vault, overrides)
    query = _ACTIONS.format(skip=_SKIP if skipped else "")
    due_clients: set[str] = set()
    totals = dict.fromkeys(BUCKETS, 0)
    top: list[tuple[int, int, str, dt.date]] = []
    last_row = vault.sql("SELECT MAX(rowid) FROM encounters")[0][0] or 0
    for low in range(0, last_row + 1, STEP_ROWS):
        # one short step at a time: the vault is free for a search between two steps
        if should_stop is not None and should_stop():
            raise Stopped
        counted: set[int] = set()
        for total, erow, i, client, day in vault.sql(query, (
                today.isoformat(), horizon.isoformat(), limit, json.dumps(sorted(skipped)),
                low, low + STEP_ROWS - 1, active_json)):
            if total < 0:  # a client with an action due today or overdue
                due_clients.add(client)
                continue
            d = dt.date.fromisoformat(day)
            b = BUCKETS.index(_bucket(d, today))
            if b not in counted:
                counted.add(b)
                totals[BUCKETS[b]] += total
            top.append((erow, i, client, d))
    top = _first_days(top, today, limit)
    texts = _action_texts(vault, {erow for erow, *_rest in top})
    action_items = [DueItem(ReminderKind.ACTION_DUE, d, _status(d, today, rules), client,
                            f"action:{texts[erow][0]}:{i}", _action_detail(texts[erow][1][i]))
                    for erow, i, client, d in top]
    shown: list[TodayItem] = []
    for bucket in BUCKETS:
        few = sorted((d for d in few_due if _bucket(d.due, today) == bucket),
                     key=lambda d: d.due)
        totals[bucket] += len(few)
        if len(few) > limit:  # only items up to the limit-th one's day can be shown
            few = [d for d in few if d.due <= few[limit - 1].due]
        candidates = few + [d for d in action_items if _bucket(d.due, today) == bucket]
        candidates.sort(key=lambda d: (d.due, d.kind.value, d.source))
        group = [_from_due_item(d) for d in candidates]
        # stable: equal keys keep compute_reminders' (due, kind, source) order
        group.sort(key=lambda i: (i.due, i.kind.value, i.text))
        shown += group[:limit]
    due_clients |= {d.client for d in few_due if d.client and d.due <= today}
    return TodaySummary(today, tuple(shown), totals, frozenset(due_clients))
