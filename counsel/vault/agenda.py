"""Named queries for the Today agenda, run where the data is (the working set's SQL).

:mod:`counsel.app.today_query` decides what is due; these read only what it needs: active
clients' permit dates, one agreed action, and — the bulk — the agreed actions
due, counted and ranked in SQL over the working set's ``actions`` table (an index range
per group).  Every query takes the vault's lock on its own, so a search can run between
two of them.  Use through ``vault.agenda``.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Iterable, Sequence
from typing import Any

from counsel.vault.current import StepQueries
from counsel.vault.views import DueAction, DueActions

#: Groups of due dates, as the Today page shows them.
BUCKETS = ("overdue", "today", "upcoming")
_ACTIVE = "c.active=1 AND c.ended IS NULL"

#: The open agreed actions of one group: due :low..:high (ISO days), of the clients in the
#: JSON list :clients; {skip}: actions with these "<encounter row>:<index>" keys left out.  The
#: working set keeps them in ``actions`` (open ones with a due date), indexed by day, so a
#: group is an index range: counted, cut at the ``limit``-th day, and only the rows shown
#: leave SQLite; the text of those few is read afterwards.
_IN_GROUP = """
FROM actions a WHERE a.due BETWEEN :low AND :high AND {clients} {skip}
"""
_COUNT_BY_CLIENT = "SELECT a.client, COUNT(*) " + _IN_GROUP + " GROUP BY a.client"
_NTH_DAY = "SELECT a.due " + _IN_GROUP + " ORDER BY a.due LIMIT 1 OFFSET :nth"
_ROWS = "SELECT a.erow, a.i, a.client, a.due " + _IN_GROUP + " ORDER BY a.due, a.erow, a.i"
#: ``{clients}`` of _IN_GROUP: the clients given (JSON :clients), or the active ones — as a
#: set when every row of a range is looked at (counts), per row when the scan in day order
#: stops after a few hundred (the limit-th day, the rows shown)
_GIVEN = "a.client IN (SELECT value FROM json_each(:clients))"
_ACTIVE_SET = ("a.client IN (SELECT cr.record_id FROM clients c JOIN records cr "
               f"ON cr.rowid=c.rowid WHERE {_ACTIVE})")
_ACTIVE_EACH = ("EXISTS (SELECT 1 FROM records cr JOIN clients c ON c.rowid=cr.rowid "
                f"WHERE cr.record_id=a.client AND {_ACTIVE})")
_WEEK_ENCOUNTERS = """
SELECT r.record_id, e.client, e.date, e.start, e.minutes, e.place, e.interpreter_mode,
       e.interpreter_language, c.name, c.interpreter_needed
FROM encounters e JOIN records r ON r.rowid = e.rowid
LEFT JOIN records rc ON rc.record_id = e.client LEFT JOIN clients c ON c.rowid = rc.rowid
WHERE e.date BETWEEN ?1 AND ?2{who}
"""
_WEEK_IMPORTED = """
SELECT r.record_id, w.client, w.date, w.start, w.minutes, w.what, c.name
FROM work w JOIN records r ON r.rowid = w.rowid
LEFT JOIN records rc ON rc.record_id = w.client LEFT JOIN clients c ON c.rowid = rc.rowid
WHERE w.date BETWEEN ?1 AND ?2 AND w.source LIKE 'ics:%' AND w.encounter IS NULL{who}
"""
#: ``{who}`` of the week's queries: one author's rows (a team copy; partial index)
_WHO = " AND {t}.author = ?3 AND {t}.author <> ''"


#: The computed deadlines of one group (see counsel.vault.deadlines; only active clients
#: have rows): due :low..:high, shown on :today (the integration-training item only inside
#: its window), the sources of :skip (JSON; stored overrides replace them) left out.
_DEADLINES_IN_GROUP = """
FROM deadlines d WHERE d.due BETWEEN :low AND :high AND (d.until IS NULL OR d.until >= :today)
  AND d.source NOT IN (SELECT value FROM json_each(:skip))
"""
_DEADLINE_COLUMNS = "SELECT d.kind, d.due, d.client, d.source, d.detail "
_DEADLINES_OF = _DEADLINE_COLUMNS + """
FROM deadlines d WHERE d.source IN (SELECT value FROM json_each(:sources))
  AND (d.until IS NULL OR d.until >= :today)
"""

_SKIP = "AND (a.erow || ':' || a.i) NOT IN (SELECT value FROM json_each(:skip))"


def bucket(due: dt.date, today: dt.date) -> str:
    return "overdue" if due < today else "today" if due == today else "upcoming"


def _chunks(items: Sequence[Any], size: int = 500) -> Iterable[Sequence[Any]]:
    for start in range(0, len(items), size):
        yield items[start:start + size]


def _marks(n: int) -> str:
    return ",".join("?" * n)


def _date(text: str | None) -> dt.date | None:
    return dt.date.fromisoformat(text) if text else None


def _first_days(rows: list[tuple[int, int, str, dt.date]], today: dt.date,
                limit: int) -> list[tuple[int, int, str, dt.date]]:
    """Per group, the rows up to the ``limit``-th one's day (all of that day's kept)."""
    out = []
    for name in BUCKETS:
        group = sorted((r for r in rows if bucket(r[3], today) == name), key=lambda r: r[3])
        if len(group) > limit:
            group = [r for r in group if r[3] <= group[limit - 1][3]]
        out += group
    return out


class Agenda(StepQueries):
    def active_client_permits(self) -> list[tuple[str, dt.date | None]]:
        """(client id, permit date) of every active client whose work has not ended."""
        return [(cid, _date(permit)) for cid, permit in self._rows(
            "SELECT cr.record_id, c.permit_date FROM clients c JOIN records cr "
            f"ON cr.rowid=c.rowid WHERE {_ACTIVE} ORDER BY cr.rowid")]

    def plan_rows(self) -> list[tuple[str, str, str, str, str | None, str | None, str]]:
        """Every plan's (id, client, status, made, valid until, review, measures as JSON),
        in the order they were first shown: fields read by SQLite, no free text."""
        return self._rows(
            "SELECT data->>'$.id', data->>'$.client', data->>'$.status', data->>'$.made', "
            "data->>'$.valid_until', data->>'$.review', "
            "COALESCE(data->'$.measures', '[]') FROM records WHERE kind='plan' ORDER BY rowid")

    def agreed_action(self, encounter_id: str, index: int) -> tuple[str, str, str, bool] | None:
        """(client, due, what, done) of one agreed action of an active client's encounter."""
        rows = self._rows(
            "SELECT e.client, j.value->>2, j.value->>0, j.value->>4 FROM encounters e "
            "JOIN records r ON r.rowid=e.rowid JOIN records cr ON cr.record_id=e.client "
            "JOIN clients c ON c.rowid=cr.rowid, json_each(e.actions) j "
            f"WHERE r.record_id=? AND CAST(j.key AS INTEGER)=? AND {_ACTIVE}",
            (encounter_id, index))
        return (rows[0][0], rows[0][1] or "", rows[0][2] or "", bool(rows[0][3])) if rows \
            else None

    def _action_keys(self, actions: Iterable[tuple[str, int]]) -> set[str]:
        """``"<encounter row>:<index>"`` of agreed actions given by (encounter id, index)."""
        wanted: dict[str, list[int]] = {}
        for encounter_id, index in actions:
            wanted.setdefault(encounter_id, []).append(index)
        out: set[str] = set()
        for part in _chunks(sorted(wanted)):
            for rowid, rid in self._rows(
                    "SELECT rowid, record_id FROM records "
                    f"WHERE record_id IN ({_marks(len(part))})", part):
                out |= {f"{rowid}:{i}" for i in wanted[rid]}
        return out

    def _texts(self, rows: set[int]) -> dict[int, tuple[str, list[str]]]:
        """Encounter row → (encounter id, what of each agreed action)."""
        out: dict[int, tuple[str, list[str]]] = {}
        for part in _chunks(sorted(rows)):
            for rowid, rid, actions in self._rows(
                    "SELECT e.rowid, r.record_id, e.actions FROM encounters e JOIN records r "
                    f"ON r.rowid=e.rowid WHERE e.rowid IN ({_marks(len(part))})", part):
                out[rowid] = (rid, [a[0] for a in json.loads(actions)])
        return out

    def due_actions(self, today: dt.date, until: dt.date, limit: int,
                    clients: Sequence[str] | None,
                    skip: Iterable[tuple[str, int]] = (),
                    between_steps: Callable[[], None] | None = None) -> DueActions:
        """Open agreed actions of ``clients`` (None: the active ones) due by ``until``: per group
        (BUCKETS) the total and the first ``limit`` by day (all of the last day's kept), and
        the clients with one due today or overdue.  ``skip``: (encounter id, index) left
        out.  ``between_steps`` runs before every query (it may raise to stop); each query
        takes the vault's lock on its own."""
        clients_json = json.dumps(list(clients or ()))
        skipped = json.dumps(sorted(self._action_keys(skip)))
        skip_sql = _SKIP if skipped != "[]" else ""
        fill = {"skip": skip_sql, "clients": _GIVEN if clients is not None else _ACTIVE_EACH}
        # overdue actions are most of them (135k of 150k in the large demo vault): their
        # clients checked against the set of active ones; the other groups row by row
        count_fill = {**fill, "clients": _GIVEN if clients is not None else _ACTIVE_SET}
        days = {"overdue": ("0", (today - dt.timedelta(days=1)).isoformat()),
                "today": (today.isoformat(), today.isoformat()),
                "upcoming": ((today + dt.timedelta(days=1)).isoformat(), until.isoformat())}
        due_clients: set[str] = set()
        totals = dict.fromkeys(BUCKETS, 0)
        top: list[tuple[int, int, str, dt.date]] = []
        for group in BUCKETS:
            low, high = days[group]
            if high < low:
                continue

            def rows(query: str, last: str, low: str = low, group: str = group) -> list[Any]:
                if between_steps is not None:
                    between_steps()
                sql = query.format(**(count_fill if query is _COUNT_BY_CLIENT
                                      and group == "overdue" else fill))
                return self._rows(sql, {
                    "low": low, "high": last, "clients": clients_json, "skip": skipped,
                    "nth": limit - 1})

            for client, n in rows(_COUNT_BY_CLIENT, high):
                totals[group] += n
                if group != "upcoming":
                    due_clients.add(client)
            if not totals[group]:
                continue
            nth = rows(_NTH_DAY, high) if totals[group] > limit else []
            last = nth[0][0] if nth else high  # every row of the limit-th row's day
            top += [(erow, i, client, dt.date.fromisoformat(day))
                    for erow, i, client, day in rows(_ROWS, last)]
        top = _first_days(top, today, limit)
        texts = self._texts({erow for erow, *_rest in top})
        rows_out = tuple(DueAction(texts[erow][0], i, client, d, texts[erow][1][i])
                         for erow, i, client, d in top)
        return DueActions(totals, rows_out, frozenset(due_clients))

    def deadlines_of(self, sources: Sequence[str], today: dt.date
                     ) -> list[tuple[str, str, str, str, str]]:
        """(kind, due, client, source, detail) of the computed deadlines (default rules) with
        these sources that active clients have on ``today``."""
        return self._fresh_rows(_DEADLINES_OF, {"sources": json.dumps(list(sources)),
                                                "today": today.isoformat()})

    def due_deadlines(self, today: dt.date, until: dt.date, limit: int, skip: Sequence[str],
                      between_steps: Callable[[], None] | None = None
                      ) -> tuple[dict[str, int], list[tuple[str, str, str, str, str]],
                                 set[str]]:
        """Active clients' computed deadlines (default rules) due by ``until``, the sources
        in ``skip`` left out: per group (BUCKETS) the total and the rows up to the
        ``limit``-th one's day; and the clients with one due today or overdue."""
        params = {"today": today.isoformat(), "skip": json.dumps(list(skip))}
        days = {"overdue": ("0", (today - dt.timedelta(days=1)).isoformat()),
                "today": (today.isoformat(), today.isoformat()),
                "upcoming": ((today + dt.timedelta(days=1)).isoformat(), until.isoformat())}
        totals = dict.fromkeys(BUCKETS, 0)
        rows: list[tuple[str, str, str, str, str]] = []
        due_clients: set[str] = set()
        for group in BUCKETS:
            low, high = days[group]
            if high < low:
                continue
            if between_steps is not None:
                between_steps()
            group_params = {**params, "low": low, "high": high}
            if group == "upcoming":
                totals[group] = self._fresh_rows(
                    "SELECT COUNT(*) " + _DEADLINES_IN_GROUP, group_params)[0][0]
            else:
                totals[group] = self._fresh_rows(
                    "SELECT COUNT(*) " + _DEADLINES_IN_GROUP, group_params)[0][0]
                due_clients |= {c for (c,) in self._fresh_rows(
                    "SELECT DISTINCT d.client " + _DEADLINES_IN_GROUP, group_params)}
            if not totals[group]:
                continue
            if totals[group] > limit:
                group_params["high"] = self._fresh_rows(
                    "SELECT d.due " + _DEADLINES_IN_GROUP + " ORDER BY d.due LIMIT 1 OFFSET "
                    ":nth", {**group_params, "nth": limit - 1})[0][0]
            rows += self._fresh_rows(_DEADLINE_COLUMNS + _DEADLINES_IN_GROUP, group_params)
        return totals, rows, due_clients

    def encounters_between(self, first: str, last: str,
                           author: str | None = None) -> list[Any]:
        """Encounters dated ``first``..``last`` (ISO) with their client's name and whether
        the client needs an interpreter: (id, client, date, start, minutes, place,
        interpreter mode, interpreter language, client name, interpreter needed); with
        ``author``, that account's only (a team copy)."""
        return self._week(_WEEK_ENCOUNTERS, "e", first, last, author)

    def imported_between(self, first: str, last: str,
                         author: str | None = None) -> list[Any]:
        """Work imported from calendars (not an encounter's) dated ``first``..``last``:
        (id, client, date, start, minutes, what, client name); ``author`` as above."""
        return self._week(_WEEK_IMPORTED, "w", first, last, author)

    def _week(self, query: str, table: str, first: str, last: str,
              author: str | None) -> list[Any]:
        if author:
            return self._rows(query.format(who=_WHO.format(t=table)), (first, last, author))
        return self._rows(query.format(who=""), (first, last))
