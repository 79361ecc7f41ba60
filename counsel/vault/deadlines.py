"""Each client's computed deadlines, kept in the working set's ``deadlines`` table (and
its plans' measures in ``measures``, for circular referrals).

Today's per-client items (integration training, the plan deadline, a plan's end and
reviews, measures due — :func:`counsel.timekeeping.reminders._client_items` under the
default :class:`~counsel.timekeeping.reminders.DeadlineRules`) depend only on the client's
permit date and its plans.  Computing them for every active client on each open of Today
read and parsed every plan (a third of a second on a 10k-client vault); here they are
computed when a client or one of its plans changes and read by an index range.

Items do not depend on the day, except that the integration-training item is shown only
while the plan window is open: its row carries that last day as ``until``.  Whether the
client is active counts too: only active clients whose work has not ended have rows.  A
change of the client or one of its plans marks the client stale
(:attr:`WorkingSet.stale_deadlines`); :func:`bring_up_to_date` recomputes the stale
clients before the table is read or sealed into the unlock cache.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any, cast

from counsel.domain import ReminderKind
from counsel.timekeeping.circular import NO_PROGRESS
from counsel.timekeeping.reminders import DeadlineRules, _client_items, add_months
from counsel.timekeeping.rows import LightPlan, light_plan
from counsel.vault.workingset import WorkingSet

#: The rules the table is computed under; Today with other rules computes in Python.
RULES = DeadlineRules()
_CHUNK = 500

_PLANS = """
SELECT data->>'$.id', data->>'$.client', data->>'$.status', data->>'$.made',
       data->>'$.valid_until', data->>'$.review', COALESCE(data->'$.measures', '[]')
FROM records WHERE kind='plan' AND client_id IN ({marks}) ORDER BY rowid
"""
#: only active clients whose work has not ended get items (as Today shows them)
_PERMITS = """
SELECT cr.record_id, c.permit_date FROM clients c JOIN records cr ON cr.rowid=c.rowid
WHERE cr.record_id IN ({marks}) AND c.active=1 AND c.ended IS NULL
"""


class _Client:
    __slots__ = ("id", "permit_date")

    def __init__(self, cid: str, permit: str | None) -> None:
        self.id = cid
        self.permit_date = dt.date.fromisoformat(permit) if permit else None


def rows_of(client: Any, plans: Sequence[LightPlan],
            rules: DeadlineRules = RULES) -> list[tuple[str, str, str, str, str, str | None]]:
    """(client, kind, due, source, detail, until) of one client's items, any day."""
    out = []
    # dt.date.min: every item the rules can show on some day; the one that depends on the
    # day (integration training, only inside the plan window) says until when
    for kind, due, source, detail in _client_items(client, cast(Any, plans), dt.date.min,
                                                   rules):
        until = None
        if kind is ReminderKind.INTEGRATION_TRAINING:
            until = add_months(client.permit_date, 12 * rules.plan_within_years).isoformat()
        out.append((client.id, kind.value, due.isoformat(), source, detail, until))
    return out


def measure_rows(plan: LightPlan) -> list[tuple[str, str, str, str, int]]:
    """(client, plan made, order key, code, progressed) of a plan's measures, as
    :func:`counsel.timekeeping.circular.measure_history` orders them (the key sorts by the
    day agreed, the plan id, then the place in the plan)."""
    made = plan.made.isoformat()
    return [(plan.client, made,
             f"{(max(plan.made, m.start) if m.start else plan.made).isoformat()} "
             f"{plan.id} {i:05d}", m.code, int(m.status not in NO_PROGRESS))
            for i, m in enumerate(plan.measures)]


def bring_up_to_date(ws: WorkingSet) -> None:
    """Recompute the deadlines of the clients changed since the last call (call under the
    vault's lock)."""
    stale = sorted(ws.stale_deadlines)
    if not stale:
        return
    db = ws.db
    db.execute("SAVEPOINT deadlines")
    try:
        for start in range(0, len(stale), _CHUNK):
            part = stale[start:start + _CHUNK]
            marks = ",".join("?" * len(part))
            db.execute(f"DELETE FROM deadlines WHERE client IN ({marks})", part)
            db.execute(f"DELETE FROM measures WHERE client IN ({marks})", part)
            plans: dict[str, list[LightPlan]] = {}
            for row in db.execute(_PLANS.format(marks=marks), part):
                plan = light_plan(row)
                plans.setdefault(plan.client, []).append(plan)
            db.executemany("INSERT INTO measures VALUES (?,?,?,?,?)",
                           [m for ps in plans.values() for p in ps for m in measure_rows(p)])
            rows = []
            for cid, permit in db.execute(_PERMITS.format(marks=marks), part):
                rows += rows_of(_Client(cid, permit), plans.get(cid, []))
            db.executemany("INSERT INTO deadlines VALUES (?,?,?,?,?,?)", rows)
    except BaseException:
        db.execute("ROLLBACK TO deadlines")
        db.execute("RELEASE deadlines")
        raise
    db.execute("RELEASE deadlines")
    ws.stale_deadlines.clear()
