"""Named queries for time reports and indicators, run where the data is (the working
set's SQL).  :mod:`counsel.timekeeping.report_query` decides what to sum and how to show
it; these return rows.  Every call takes the vault's lock on its own, so a report worked
through in steps leaves the vault free between two steps.  Use through
``vault.time_queries``.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from counsel.vault.current import StepQueries

_PERIOD_SQL = {
    "day": "day",
    "week": "date(day, '-' || ((CAST(strftime('%w', day) AS INTEGER) + 6) % 7) || ' days')",
    "month": "strftime('%Y-%m-01', day)",
}

#: The pieces of the work (saved entries plus encounters no entry accounts for, each split
#: at midnight) as the working set keeps them (``wk.pieces``, see
#: :mod:`counsel.vault.workingset_pieces`), summed per period, kind, channel and kind of
#: party.  The inner sums per day follow the table's key, so only the few per-day rows
#: are sorted.  ?1 first day of the step, ?2 last day, ?3 first day of the whole report
#: (entry counting: an entry counts once, by its piece on its start day, or by its piece
#: on ?3 when it started the day before); with an author (a team copy: one member's time)
#: ?4 is that author and ``{who}`` keeps only their rows.
_COMBOS = """
SELECT {period} AS per, kind, channel, party_kind, SUM(s), SUM(n), {clients} FROM (
  SELECT day, kind, channel, party_kind, SUM(m) AS s, SUM(lead OR day = ?3) AS n{inner}
  FROM pieces WHERE day BETWEEN ?1 AND ?2{who} GROUP BY day, kind, channel, party_kind)
GROUP BY per, kind, channel, party_kind
"""
#: Minutes per client (NULL: not for one client) of ``[?1, ?2]``.  Without an author, in
#: the order of the covering index ``pieces_client`` (SQLite would rather take the day
#: range and sort a year's pieces by client: 4-5x slower on the large demo vault); with
#: one, on the author's index (a member's part of a team copy).
_PER_CLIENT = """
SELECT client, SUM(CASE WHEN kind = 'visible' THEN m ELSE 0 END),
       SUM(CASE WHEN kind = 'background' THEN m ELSE 0 END),
       SUM(CASE WHEN kind = 'internal' THEN m ELSE 0 END)
FROM pieces{index} WHERE day BETWEEN ?1 AND ?2{who} GROUP BY client
"""
#: Minutes in ``[?1, ?2]`` of each client in ?3 (JSON ``[[client, first day, day after the
#: early phase], ...]``) that fall in their early phase: one index range per client.
_EARLY = """
WITH st AS MATERIALIZED (
  SELECT json_extract(value, '$[0]') AS c, json_extract(value, '$[1]') AS s,
         json_extract(value, '$[2]') AS e FROM json_each(?3))
SELECT st.c, SUM(p.m) FROM st JOIN pieces p
  ON p.client = st.c AND p.day >= st.s AND p.day < st.e AND p.day BETWEEN ?1 AND ?2{who}
GROUP BY st.c
"""

#: Encounters of ``[?1, ?2]`` per interpreter mode and "a field visit" (?3: that place),
#: with the clients they are about (each client once per row).
_ENCOUNTERS = """
SELECT interpreter_mode, place = ?3, COUNT(*), SUM(minutes), group_concat(DISTINCT client)
FROM encounters WHERE date BETWEEN ?1 AND ?2{who} GROUP BY 1, 2
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
        """``Client.started``, else the first day with work or an encounter, per client
        (kept by the working set: ``wk.starts``)."""
        return {str(c): dt.date.fromisoformat(d)
                for c, d in self._rows("SELECT client, day FROM starts")}

    def pieces(self, period: str, low: dt.date, high: dt.date, first: dt.date, *,
               with_clients: bool = False, author: str | None = None) -> list[Any]:
        """The summed pieces of one step ``[low, high]`` (see ``_COMBOS``): ``(period
        start, kind, channel, kind of party ("" for none), minutes, entries counted,
        clients)`` rows; ``clients`` (with ``with_clients``) a comma-joined list that may
        repeat a client.  With ``author``: of that account's entries and encounters only."""
        query = _COMBOS.format(
            period=_PERIOD_SQL[period], who=_WHO.format(n=4) if author else "",
            clients="group_concat(cl)" if with_clients else "NULL",
            inner=", group_concat(DISTINCT client) AS cl" if with_clients else "")
        params = (low.isoformat(), high.isoformat(), first.isoformat())
        return self._rows(query, params + (author,) if author else params)

    def client_minutes(self, first: dt.date, last: dt.date,
                       author: str | None = None) -> list[Any]:
        """``(client, visible, background, internal)`` minutes of ``[first, last]``."""
        params = (first.isoformat(), last.isoformat())
        if author:
            return self._rows(_PER_CLIENT.format(index="", who=_WHO.format(n=3)),
                              params + (author,))
        return self._rows(_PER_CLIENT.format(index=" INDEXED BY pieces_client", who=""), params)

    def early_minutes(self, first: dt.date, last: dt.date,
                      phases: list[tuple[str, dt.date, dt.date]],
                      author: str | None = None) -> list[Any]:
        """``(client, minutes)`` of ``[first, last]`` within each client's early phase
        ``(client, first day, day after it)`` (clients without such minutes: no row)."""
        if not phases:
            return []
        params = (first.isoformat(), last.isoformat(),
                  json.dumps([[c, s.isoformat(), e.isoformat()] for c, s, e in phases]))
        if author:
            return self._rows(_EARLY.format(who=_WHO.format(n=4)), params + (author,))
        return self._rows(_EARLY.format(who=""), params)

    def encounter_counts(self, first: dt.date, last: dt.date, field_visit: str,
                         author: str | None = None) -> list[Any]:
        """``(interpreter mode, a field visit, count, minutes, clients)`` of encounters in
        a range (``clients`` comma-joined; with ``author``: that account's only)."""
        params = (first.isoformat(), last.isoformat(), field_visit)
        if author:
            return self._rows(_ENCOUNTERS.format(who=_WHO.format(n=4)), params + (author,))
        return self._rows(_ENCOUNTERS.format(who=""), params)
