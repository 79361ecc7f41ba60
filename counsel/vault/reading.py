"""Named queries over the current records (the working set) and a record's history.

Nothing here writes.  Encounter bodies are decrypted on demand; everything else comes
from working-set columns or kept JSON.  Callers never write SQL: a new need gets a new
named query here.
"""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
from collections.abc import Iterable
from typing import Any, TypeVar

from counsel.domain import Encounter, Record, WorkEntry
from counsel.domain.codec import from_dict
from counsel.errors import IntegrityError, RecordNotFound, ValidationError
from counsel.i18n import gettext as _
from counsel.vault import textnorm
from counsel.vault.current import Current
from counsel.vault.memo import Memo
from counsel.vault.payload import RevisionCipher
from counsel.vault.rows import encounter_from_row, work_from_row
from counsel.vault.store import Store
from counsel.vault.views import (
    ClientSummary,
    ContactWork,
    EncounterSummary,
    RevisionInfo,
    SearchHit,
)
from counsel.vault.workingset import KEEP_JSON

R = TypeVar("R", bound=Record)


def _in(column: str, values: Iterable[int]) -> str:
    """``column IN (1,2,3)`` for integer rowids (safe to inline: ints only)."""
    return f"{column} IN ({','.join(str(int(v)) for v in values)})"


class Reading:
    def __init__(self, st: Store, current: Current, cipher: RevisionCipher) -> None:
        self._store = st
        self._current = current
        self._cipher = cipher
        self._memo = Memo()  # the client list and birth dates until the working set changes

    def forget(self) -> None:
        """Drop the kept answers (at lock: no client names left in memory)."""
        self._memo.clear()

    @property
    def _db(self) -> sqlite3.Connection:
        return self._current.ws.db

    # -- records ------------------------------------------------------------------------
    def get(self, record_id: str) -> Record:
        ws = self._current.ws
        row = ws.row(record_id)
        if row is None:
            raise RecordNotFound(_("The record does not exist."))
        record = self._current.shown_record(record_id, row)
        if record is None:
            raise RecordNotFound(_("The record was deleted."))
        return record

    def get_typed(self, cls: type[R], record_id: str) -> R:
        record = self.get(record_id)
        if not isinstance(record, cls):
            raise RecordNotFound(_("The record does not exist."))
        return record

    def exists(self, record_id: str) -> bool:
        return self._current.ws.row(record_id) is not None

    def ids_of(self, cls: type[Record]) -> list[str]:
        """Ids of every current record of a kind, in the order they were first shown."""
        return self._current.ws.ids_of_kind(cls.KIND)

    def all(self, cls: type[R]) -> list[R]:
        """Every current record of a kind (encounters are decrypted on demand)."""
        ws = self._current.ws
        if cls.KIND in KEEP_JSON:
            return [from_dict(cls, json.loads(d)) for _i, d in ws.json_of_kind(cls.KIND)]
        if cls is WorkEntry:
            return [work_from_row(r) for r in ws.work_rows()]  # type: ignore[misc]
        return [self.get_typed(cls, i) for i in ws.ids_of_kind(cls.KIND)]

    def record_dicts(self, cls: type[Record]) -> list[dict[str, Any]]:
        """Short records of a kind as their plain dicts (codec form), in the order they were
        first shown, without building the objects (for light scans of a whole caseload)."""
        if cls.KIND not in KEEP_JSON:
            raise ValueError(f"{cls.KIND} records are not kept whole in the working set")
        return [json.loads(d) for _i, d in self._current.ws.json_of_kind(cls.KIND)]

    def of_client(self, cls: type[R], client_id: str) -> list[R]:
        ids = self._current.ws.ids_of_client(client_id, cls.KIND)
        return [self.get_typed(cls, i) for i in ids]

    def client_records(self, client_id: str) -> list[Record]:
        """Every current record of a client (the client, encounters, plans, work, …)."""
        return [self.get(i) for i in self._current.ws.ids_of_client(client_id)]

    def encounter_rows(self, client_id: str | None) -> list[tuple[object, ...]]:
        if client_id is None:
            return self._current.ws.encounter_rows()
        return self._current.ws.encounter_rows("e.client=?", (client_id,))

    @staticmethod
    def encounter_facts(rows: list[tuple[object, ...]]) -> list[Encounter]:
        return [encounter_from_row(r) for r in rows]

    def count(self, kind: str | None = None) -> int:
        return self._current.ws.count(kind)

    def conflicts(self) -> list[str]:
        return self._current.ws.conflicts()

    # -- lists --------------------------------------------------------------------------
    def clients(
        self,
        query: str = "",
        *,
        active: bool | None = None,
        client_type: str | None = None,
        interpreter_needed: bool | None = None,
        only_ids: Iterable[str] | None = None,
        limit: int = 100_000,
    ) -> list[ClientSummary]:
        """The client list: instant search by name (any script), id, language; filters."""
        ids = None if only_ids is None else tuple(only_ids)
        if not query.strip() and ids is None and active is not False \
                and interpreter_needed is not False:
            # the whole list, filtered here: the client page ("active only") and the
            # quick log (everyone) then share one read of the 10k rows
            everyone = self._memo.get(self._db, self._current.ws, ("clients",), lambda: (
                self._clients("", active=None, client_type=None, interpreter_needed=None,
                              only_ids=None, limit=-1)))
            return [c for c in everyone
                    if (active is None or c.active)
                    and (interpreter_needed is None or c.interpreter_needed)
                    and (not client_type or c.client_type == client_type)
                    ][:limit if limit >= 0 else None]
        key = ("clients", query, active, client_type, interpreter_needed, ids, limit)
        return self._memo.get(self._db, self._current.ws, key, lambda: self._clients(
            query, active=active, client_type=client_type,
            interpreter_needed=interpreter_needed, only_ids=ids, limit=limit))

    def _clients(self, query: str, *, active: bool | None, client_type: str | None,
                 interpreter_needed: bool | None, only_ids: Iterable[str] | None,
                 limit: int) -> list[ClientSummary]:
        where: list[str] = ["1=1"]
        params: list[object] = []
        q = textnorm.fts_query(query) if query.strip() else None
        if query.strip() and q is None:
            return []
        if q is not None:
            rowids = self._current.ws.search_rowids("fts_clients", q, 5000)
            if not rowids:
                return []
            where.append(_in("r.rowid", rowids))
        for column, value in (("c.active", active), ("c.interpreter_needed", interpreter_needed)):
            if value is not None:
                where.append(f"{column}=?")
                params.append(int(value))
        if client_type:
            where.append("c.client_type=?")
            params.append(client_type)
        if only_ids is not None:
            ids = list(only_ids)
            where.append(f"r.record_id IN ({','.join('?' * len(ids))})")
            params.extend(ids)
        rows = self._db.execute(
            "SELECT r.record_id, c.name, c.preferred_name, c.mother_tongue, c.languages, "
            "c.municipality, c.client_type, c.interpreter_needed, c.active, c.permit_date, "
            "r.conflict FROM clients c JOIN records r ON r.rowid=c.rowid "
            f"WHERE {' AND '.join(where)} ORDER BY c.sort_key LIMIT ?",
            (*params, limit),
        ).fetchall()
        # the few distinct languages, municipalities and types are one object each, not
        # one per client (SQLite hands out a new string per row: ~3 MB of the large demo
        # vault's 10k-client list, which is kept while the vault is open)
        same: dict[Any, Any] = {}
        langs: dict[str, tuple[str, ...]] = {}
        days: dict[str, dt.date] = {}

        def day(value: str | None) -> dt.date | None:
            if not value:
                return None
            found = days.get(value)
            if found is None:
                found = days[value] = dt.date.fromisoformat(value)
            return found

        return [
            ClientSummary(
                id=r[0], name=r[1], preferred_name=r[2],
                mother_tongue=same.setdefault(r[3], r[3]),
                languages=(langs.setdefault(r[4], tuple(same.setdefault(x, x)
                                                        for x in r[4].split()))
                           if r[4] else ()),
                municipality=same.setdefault(r[5], r[5]),
                client_type=same.setdefault(r[6], r[6]), interpreter_needed=bool(r[7]),
                active=bool(r[8]), permit_date=day(r[9]), conflict=bool(r[10]),
            )
            for r in rows
        ]

    def encounters_of(self, client_id: str) -> list[EncounterSummary]:
        rows = self._db.execute(
            "SELECT r.record_id, e.client, e.date, e.minutes, e.place, e.interpreter_mode, "
            "e.given FROM encounters e JOIN records r ON r.rowid=e.rowid WHERE e.client=? "
            "ORDER BY e.date DESC, e.start DESC",
            (client_id,),
        )
        return [
            EncounterSummary(r[0], r[1], dt.date.fromisoformat(r[2]), r[3], r[4], r[5],
                             tuple(r[6].split(",")) if r[6] else ())
            for r in rows
        ]

    def client_names(self, ids: Iterable[str], *, display: bool = True) -> dict[str, str]:
        """Clients' names by id, from the client list's columns: ``display`` as
        ``Client.display_name`` ("" for unknown ids), else ``Client.name`` (known ids only)."""
        wanted = sorted(set(ids))
        out: dict[str, str] = dict.fromkeys(wanted, "") if display else {}
        for start in range(0, len(wanted), 500):
            part = wanted[start:start + 500]
            for cid, name, preferred in self._db.execute(
                    "SELECT r.record_id, c.name, c.preferred_name FROM clients c "
                    "JOIN records r ON r.rowid=c.rowid "
                    f"WHERE r.record_id IN ({','.join('?' * len(part))})", part):
                shown = f"{name} ({preferred})" if display and preferred and preferred != name \
                    else name
                out[str(cid)] = str(shown)
        return out

    def client_birth_dates(self) -> list[tuple[str, str]]:
        """(client id, birth date as stored) of every client with one."""
        return self._memo.get(self._db, self._current.ws, ("birth dates",), lambda: [
            (str(a), str(b)) for a, b in self._db.execute(
                "SELECT r.record_id, c.birth_date FROM clients c JOIN records r "
                "ON r.rowid = c.rowid WHERE c.birth_date IS NOT NULL AND c.birth_date != ''")])

    def work_with_contact(self, contact_id: str, limit: int = 50) -> list[ContactWork]:
        """Work logged with a contact, newest first, with the client's name."""
        rows = self._db.execute(
            "SELECT w.date, w.minutes, w.channel, c.name, w.what FROM work w "
            "LEFT JOIN records r ON r.record_id = w.client "
            "LEFT JOIN clients c ON c.rowid = r.rowid WHERE w.contact = ? "
            "ORDER BY w.date DESC LIMIT ?",
            (contact_id, limit),
        )
        return [ContactWork(dt.date.fromisoformat(d), m, ch, name or "", what or "")
                for d, m, ch, name, what in rows]

    def work_sources(self, prefix: str) -> set[str]:
        """The ``source`` of every work entry that starts with ``prefix`` (import dedup keys)."""
        return {str(r[0]) for r in self._db.execute(
            "SELECT source FROM work WHERE source LIKE ? ESCAPE '\\'",
            (prefix.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%",))}

    def search(self, text: str, limit: int = 50) -> list[SearchHit]:
        """Full-text search over clients, encounters, plans, contacts and work entries.
        Notes a first unlock has not indexed yet are indexed first (never left out)."""
        self._current.finish_index()
        q = textnorm.fts_query(text)
        if q is None:
            return []
        hits: list[SearchHit] = []
        for table in ("fts_clients", "fts_all"):
            rowids = self._current.ws.search_rowids(table, q, limit, newest=table == "fts_all")
            if not rowids:
                continue
            order = {rid: i for i, rid in enumerate(rowids)}
            rows = self._db.execute(
                "SELECT r.rowid, r.record_id, r.kind, r.client_id, c.name, e.date "
                "FROM records r LEFT JOIN records rc ON rc.record_id=r.client_id "
                "LEFT JOIN clients c ON c.rowid=rc.rowid "
                "LEFT JOIN encounters e ON e.rowid=r.rowid "
                f"WHERE {_in('r.rowid', rowids)}"
            ).fetchall()
            rows.sort(key=lambda r: order[r[0]])
            for _rowid, record_id, kind, client_id, name, date in rows:
                title = name or ""
                if kind == Encounter.KIND and date:
                    title = f"{date} · {name}"
                hits.append(SearchHit(record_id, kind, client_id, title))
        return hits[:limit]

    # -- history ------------------------------------------------------------------------
    def history(self, record_id: str) -> list[RevisionInfo]:
        out = []
        for row in self._store.revisions_of(record_id):
            rev = row.revision
            try:
                rec = self._cipher.decode(rev)
            except (IntegrityError, ValidationError, RecordNotFound) as exc:
                out.append(RevisionInfo(rev.rev_id, rev.parents, rev.device_id, row.local_seq,
                                        False, None, damaged=str(exc)))
            else:
                out.append(RevisionInfo(rev.rev_id, rev.parents, rev.device_id, row.local_seq,
                                        rec is None, rec))
        return out

    def client_history(self, client_id: str) -> dict[str, list[RevisionInfo]]:
        """Every version of every record about a client (deleted records too), oldest
        first: what a subject-access export shows as the correction history."""
        if self._store.wrapped_key(client_id) is None:
            raise RecordNotFound(_("The client does not exist."))
        return {rid: self.history(rid) for rid in self._store.records_under_key(client_id)}
