"""Named queries for time reports and indicators, run where the data is (the working
set's SQL).  :mod:`counsel.timekeeping.report_query` decides what to sum and how to show
it; these return rows.  Every call takes the vault's lock on its own, so a report worked
through in steps leaves the vault free between two steps.  Use through
``vault.time_queries``.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from counsel.vault.current import StepQueries

_PERIOD_SQL = {
    "day": "day",
    "week": "date(day, '-' || ((CAST(strftime('%w', day) AS INTEGER) + 6) % 7) || ' days')",
    "month": "strftime('%Y-%m-01', day)",
}

#: Pieces of the work in one step: saved entries plus encounters no entry accounts for,
#: each split at midnight, as the working set keeps them (``wk.pieces``, see
#: :mod:`counsel.vault.workingset_pieces`).  ?1 first day of the step, ?2 last day,
#: ?3 first day of the whole report (entry counting: an entry counts once, by its piece
#: on its start day, or by the piece on ?3 when it started the day before), ?4 JSON of
#: the clients whose first 90 days touch the range (per-day minutes); with an author (a
#: team copy: one member's time) ?5 is that author and ``{who}`` keeps only their rows,
#: on the partial index of ``author`` (the term ``author <> ''`` lets SQLite use it).
_PIECES = """
WITH q AS MATERIALIZED (
  SELECT client, channel, party_kind, day, m, lead OR day = ?3 AS counts, {period} AS per,
         kind = 'visible' AS vis, kind = 'background' AS bg, kind = 'internal' AS inr
  FROM pieces WHERE day BETWEEN ?1 AND ?2{who}
)
SELECT 'p', per, SUM(CASE WHEN vis THEN m ELSE 0 END), SUM(CASE WHEN bg THEN m ELSE 0 END),
       {clients}, 0, SUM(CASE WHEN inr THEN m ELSE 0 END) FROM q GROUP BY per
UNION ALL
SELECT 'c', client, SUM(CASE WHEN vis THEN m ELSE 0 END), SUM(CASE WHEN bg THEN m ELSE 0 END),
       NULL, NULL, SUM(CASE WHEN inr THEN m ELSE 0 END) FROM q
GROUP BY client
UNION ALL
SELECT 'd', client, SUM(m), 0, NULL, day, 0 FROM q
WHERE client IN (SELECT value FROM json_each(?4)) GROUP BY client, day
UNION ALL
SELECT 'h', channel, SUM(CASE WHEN vis THEN m ELSE 0 END), SUM(CASE WHEN bg THEN m ELSE 0 END),
       {clients}, 0, SUM(CASE WHEN inr THEN m ELSE 0 END) FROM q
GROUP BY channel
UNION ALL
SELECT 'k', party_kind, SUM(CASE WHEN vis THEN m ELSE 0 END),
       SUM(CASE WHEN bg THEN m ELSE 0 END), {clients}, 0,
       SUM(CASE WHEN inr THEN m ELSE 0 END) FROM q GROUP BY party_kind
UNION ALL
SELECT 'n', NULL, COALESCE(SUM(counts), 0), 0, NULL, 0, 0 FROM q
"""

_ENCOUNTERS = """
SELECT client, interpreter_mode, place, COUNT(*), SUM(minutes) FROM encounters
WHERE date BETWEEN ?1 AND ?2{who} GROUP BY client, interpreter_mode, place
"""
_WHO = " AND author = ?{n} AND author <> ''"


#: Clients with a circular referral on :as_of (counsel.timekeeping.circular): per client
#: and measure code, in the order of the index (client, code, k), the measures agreed in
#: plans made by then with no progressed one at or after them (the current run without
#: progress) number at least :threshold.
_CIRCULAR = """
SELECT DISTINCT client FROM (
  SELECT client, code FROM (
    SELECT client, code, SUM(progressed) OVER (PARTITION BY client, code ORDER BY k
           ROWS BETWEEN CURRENT ROW AND UNBOUNDED FOLLOWING) AS later
    FROM measures WHERE made <= :as_of)
  WHERE later = 0 GROUP BY client, code HAVING COUNT(*) >= :threshold)
"""


class TimeQueries(StepQueries):
    def circular_clients(self, as_of: dt.date, threshold: int) -> set[str]:
        """Clients flagged for circular referrals on ``as_of`` (as
        ``flagged_clients(circular_referrals(every plan, as_of=...))``)."""
        return {str(c) for (c,) in self._fresh_rows(
            _CIRCULAR, {"as_of": as_of.isoformat(), "threshold": threshold})}

    def relationship_starts(self) -> dict[str, dt.date]:
        """``Client.started``, else the first day with work or an encounter, per client."""
        # one pass per table over its (client, date) index: no union to sort
        starts: dict[str, dt.date] = {}
        for table in ("work", "encounters"):
            for cid, day in self._rows(f"SELECT client, MIN(date) FROM {table} "
                                       "WHERE client IS NOT NULL GROUP BY client"):
                d = dt.date.fromisoformat(day)
                if str(cid) not in starts or d < starts[str(cid)]:
                    starts[str(cid)] = d
        for cid, day in self._rows("SELECT r.record_id, c.started FROM clients c JOIN records r "
                                   "ON r.rowid=c.rowid WHERE c.started IS NOT NULL"):
            starts[str(cid)] = dt.date.fromisoformat(day)
        return starts

    def pieces(self, period: str, low: dt.date, high: dt.date, first: dt.date,
               early_clients_json: str, *, with_clients: bool = False,
               author: str | None = None) -> list[Any]:
        """The summed pieces of one step ``[low, high]`` (see ``_PIECES``):
        ``(dim, key, visible, background, clients, day, internal)`` rows; with
        ``author``, of the entries and encounters that account wrote only."""
        query = _PIECES.format(period=_PERIOD_SQL[period],
                               clients="group_concat(DISTINCT client)" if with_clients
                               else "NULL", who=_WHO.format(n=5) if author else "")
        params = (low.isoformat(), high.isoformat(), first.isoformat(), early_clients_json)
        return self._rows(query, params + (author,) if author else params)

    def encounter_counts(self, first: dt.date, last: dt.date,
                         author: str | None = None) -> list[Any]:
        """``(client, interpreter mode, place, count, minutes)`` of encounters in a range
        (with ``author``: that account's only)."""
        params = (first.isoformat(), last.isoformat())
        if author:
            return self._rows(_ENCOUNTERS.format(who=_WHO.format(n=3)), params + (author,))
        return self._rows(_ENCOUNTERS.format(who=""), params)
