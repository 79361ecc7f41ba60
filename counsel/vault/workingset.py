"""The working set: current revisions, decrypted into an in-memory SQLite.

Lists, filters, sorting and search run here at native speed and plaintext never
touches disk.  Long note bodies are *not* kept: they are indexed in contentless FTS5
tables and decrypted on demand when a record is opened.  Contentless FTS5 needs the
old text to delete an entry, so callers pass the previous record on update (they
decrypt the previous head, which costs microseconds).

The whole database can be ``serialize()``d; the vault encrypts that as its unlock
cache (see counsel.vault.snapshot).
"""

from __future__ import annotations

import ctypes
import json
import sqlite3
import sys
from collections.abc import Iterable, Iterator, Sequence
from mmap import mmap
from typing import Any

from counsel.domain import Client, Encounter, Plan, Record, WorkEntry
from counsel.errors import VaultError
from counsel.vault import workingset_direct, workingset_pieces
from counsel.vault.rows import index_text, work_from_row

# (the batch's names are used from here too)
from counsel.vault.workingset_batch import KEEP_JSON as KEEP_JSON
from counsel.vault.workingset_batch import UNINDEXED as UNINDEXED
from counsel.vault.workingset_batch import Batch as Batch
from counsel.vault.workingset_rowids import RowidSet
from counsel.vault.workingset_schema import (  # noqa: F401 - names of the layout
    ADDED_PARTS,
    INDEXES,
    LAYOUT_VERSION,
    PARTS,
    SCHEMA,
    UPGRADABLE,
)


def _connect() -> sqlite3.Connection:
    conn = sqlite3.connect(":memory:", check_same_thread=False, isolation_level=None)
    # SQLite sorts that outgrow its cache (building an index, a large GROUP BY or ORDER BY)
    # spill to temporary files, even for an in-memory database: plaintext on disk.  Keep
    # them in memory (this build's default is files: SQLITE_TEMP_STORE=1).
    conn.execute("PRAGMA temp_store = MEMORY")
    for part in PARTS[1:]:
        conn.execute(f"ATTACH DATABASE ':memory:' AS {part}")
    return conn


_TYPED_TABLES = {Client.KIND: "clients", Encounter.KIND: "encounters", WorkEntry.KIND: "work"}
#: Kinds whose change can move their client relationship's start (``wk.starts``).
_STARTS_KINDS = {Client.KIND, Encounter.KIND, WorkEntry.KIND}
#: Kinds whose change changes their client's deadlines (the ``deadlines`` table).
DEADLINE_KINDS = {Client.KIND, Plan.KIND}


def give_back_freed_memory() -> None:
    """Return the heap a bulk load freed to the system.  The C library keeps freed small
    blocks for reuse; after a rebuild they are tens of megabytes (the decrypted payloads and
    rows of 300k records) that would stay in the process's memory for as long as it runs,
    under the working set (measured on the large demo vault: -50 MB).  glibc only."""
    if sys.platform.startswith("linux"):
        try:
            ctypes.CDLL(None).malloc_trim(0)
        except (OSError, AttributeError):  # another C library
            pass


#: SQLite's page cache per part, in KiB (its default is 2000).  Every page of an in-memory
#: part is already in memory: a cached page is a second copy, and a miss a copy of 4 KiB
#: from the part's buffer.  The large demo vault: 2-10 MB less (a rebuild fills every
#: part's cache), and no slower list, search or report (docs/performance.md)
CACHE_KIB = 256

class WorkingSet:
    def __init__(self, conn: sqlite3.Connection | None = None) -> None:
        if conn is None:
            conn = _connect()
            for part in PARTS:
                conn.executescript(SCHEMA[part])
                # the empty part made a serialized database (one growing buffer) like the
                # parts loaded from the unlock cache: sealing it then copies it once, not
                # twice (an ordinary in-memory database is first gathered page by page),
                # and its pages are one block, not one allocation each (measured: -70 MB
                # after a rebuild of the large demo vault, see docs/performance.md)
                conn.deserialize(conn.serialize(name=part), name=part)
        for part in PARTS:  # (again after every deserialize: it attaches the part anew)
            conn.execute(f"PRAGMA {part}.cache_size = -{CACHE_KIB}")
        self.db = conn
        self._stale: set[str] = set()
        #: every client is stale (:meth:`all_deadlines_stale`), not listed yet
        self._all_stale = False
        #: loaded from a cache of an older layout: seal it again on lock
        self.upgraded = False
        #: a bulk load is under way (:meth:`drop_indexes`): time pieces are filled at its end
        self._bulk = False
        #: rowids of encounters whose note text is not in ``fts_all`` yet (a rebuild leaves
        #: it for a second pass, counsel.vault.current.Current.finish_index): searches
        #: finish it first, and the working set is never sealed before it is done
        #: (a bitmap, not a set of ints: counsel.vault.workingset_rowids)
        self.unindexed = RowidSet()

    @classmethod
    def from_parts(cls, parts: Iterable[tuple[str, bytes | bytearray | mmap | Any]]
                   ) -> WorkingSet:
        """Load the parts one by one (each buffer can be freed once it is loaded)."""
        conn = _connect()
        try:
            seen = set()
            for name, data in parts:
                if name not in PARTS or name in seen:
                    raise sqlite3.DatabaseError("unexpected working-set part")
                if isinstance(data, workingset_direct.Part):
                    workingset_direct.hand_over(conn, name, data)  # (not copied)
                else:
                    conn.deserialize(data, name=name)
                seen.add(name)
                del data
            if "main" not in seen:
                raise sqlite3.DatabaseError("working-set cache incomplete")
            version = int(conn.execute("PRAGMA main.user_version").fetchone()[0])
            if version != LAYOUT_VERSION and version not in UPGRADABLE:
                raise sqlite3.DatabaseError("working-set cache of another layout")
            newer = {p for layout, added in ADDED_PARTS.items() if version < layout
                     for p in added}
            if seen | newer != set(PARTS):
                raise sqlite3.DatabaseError("working-set cache incomplete")
            for part in set(PARTS) - seen:  # (its upgrade fills it)
                conn.execute(f"PRAGMA {part}.user_version = 0")  # (an empty one has no page)
                conn.deserialize(conn.serialize(name=part), name=part)
            conn.execute("SELECT COUNT(*) FROM records").fetchone()
            if version != LAYOUT_VERSION:
                conn.executescript("".join(UPGRADABLE[v]
                                           for v in range(version, LAYOUT_VERSION))
                                   + f"PRAGMA main.user_version = {LAYOUT_VERSION};")
        except BaseException:
            conn.close()
            raise
        give_back_freed_memory()  # (the decrypted chunks' buffers)
        ws = cls(conn)
        if version != LAYOUT_VERSION:
            ws.upgraded = True
            ws.all_deadlines_stale()
        return ws

    @property
    def stale_deadlines(self) -> set[str]:
        """Clients whose rows in ``deadlines`` are out of date (counsel.vault.deadlines
        brings them up to date before they are read or sealed into the unlock cache)."""
        if self._all_stale:
            self._all_stale = False
            self._stale.update(r[0] for r in self.db.execute(
                "SELECT DISTINCT client_id FROM records WHERE kind IN (?, ?) "
                "AND client_id IS NOT NULL", (Client.KIND, Plan.KIND)))
        return self._stale

    def all_deadlines_stale(self) -> None:
        """Every client's deadlines and measures to be computed again (the clients of
        plans whose client record is missing too).  Listed when first asked for: the ids
        of 10k clients listed right after a rebuild are strings in the holes its
        short-lived objects left, and each keeps the 1 MiB block of Python's allocator it
        is in (~20 MB on the large demo vault until the next lock)."""
        self._all_stale = True

    def to_parts(self, *, release: bool = False) -> Iterator[tuple[str, bytes]]:
        """Each part's bytes, one at a time: where SQLite holds them (no copy) if the part
        is one buffer (every part is: they are deserialized), else serialized.

        ``release``: the working set is being closed (the vault locks) — the attached parts
        go smallest first and each is detached once sealed, ``main`` last, so sealing needs
        the working set plus its smallest part at most, not plus its largest.
        """
        if self.unindexed:
            # a cache without these notes in its index would hide them from every search
            raise RuntimeError("the note index is not complete")
        order = list(PARTS)
        if release:
            give_back_freed_memory()  # (what the work since unlock freed, before the copies)
            size = {p: self.db.execute(f"PRAGMA {p}.page_count").fetchone()[0] for p in PARTS}
            order = sorted(PARTS[1:], key=lambda p: size[p]) + [PARTS[0]]
        for part in order:
            if release:
                self._compact(part)
            # sealed where it is (no copy) if it is one buffer, as every part is; nothing
            # may change it meanwhile (the caller holds the store's lock): checked
            view = workingset_direct.view_of(self.db, part)
            data = self.db.serialize(name=part) if view is None else view
            del view
            changes = self.db.total_changes
            yield part, data
            del data
            if self.db.total_changes != changes:
                raise VaultError("the working set changed while it was being sealed")
            if release and part != PARTS[0]:
                self.db.execute(f"DETACH DATABASE {part}")
                give_back_freed_memory()  # (its buffer may be a block of the heap)

    def _compact(self, part: str) -> None:
        """Rewrite a part about to be sealed and closed with its pages full (``VACUUM``): a
        working set grown by saves has B-tree pages partly empty (the bench's large vault:
        251 -> 234 MB), and the next unlock loads what is sealed.  Without a journal, so
        it needs one more copy of the part, not two (the part is closed after sealing).
        In memory: the working set's temporary databases never go to disk (temp_store)."""
        self.db.execute(f"PRAGMA {part}.journal_mode = OFF")
        try:
            self.db.execute(f"VACUUM {part}")
        except sqlite3.Error as exc:
            # perhaps half rewritten (no journal): never sealed; the cache file stays as it
            # was and the vault still locks (it treats this as a cache not written)
            raise VaultError("working-set part not compacted") from exc
        give_back_freed_memory()

    def close(self) -> None:
        self.db.close()

    # -- writes ------------------------------------------------------------------------
    def begin(self) -> None:
        self.db.execute("BEGIN")

    def commit(self) -> None:
        self.db.execute("COMMIT")

    def remove(self, record_id: str, old: Record | None) -> int | None:
        """Remove a record's rows; returns its rowid (reused when it is put back)."""
        row = self.db.execute(
            "SELECT rowid, kind, client_id FROM records WHERE record_id=?", (record_id,)
        ).fetchone()
        if row is None:
            return None
        rowid, kind, client_id = row
        if kind in DEADLINE_KINDS and client_id is not None:
            self.stale_deadlines.add(client_id)
        if rowid in self.unindexed:  # not in the index yet: nothing to delete from it
            self.unindexed.discard(rowid)
        elif old is not None:
            title, body = index_text(old)
            if title or body:
                table = "fts_clients" if kind == Client.KIND else "fts_all"
                self.db.execute(
                    f"INSERT INTO {table}({table}, rowid, title, body) VALUES('delete', ?, ?, ?)",
                    (rowid, title, body),
                )
        # a work entry that goes may leave the encounter it named unaccounted for
        named = (workingset_pieces.named_encounters(self.db, [rowid])
                 if kind == WorkEntry.KIND else set())
        if kind in (WorkEntry.KIND, Encounter.KIND) and not self._bulk:
            workingset_pieces.forget(self.db, [rowid])
        self.db.execute("DELETE FROM records WHERE rowid=?", (rowid,))
        typed = _TYPED_TABLES.get(kind)
        if typed:
            self.db.execute(f"DELETE FROM {typed} WHERE rowid=?", (rowid,))
        if kind == Encounter.KIND:
            self.db.execute("DELETE FROM actions WHERE erow=?", (rowid,))
        if named and not self._bulk:
            workingset_pieces.refresh(self.db, [], named)
        if kind in _STARTS_KINDS and not self._bulk:
            workingset_pieces.refresh_starts(self.db, [client_id])
        return int(rowid)

    def put(
        self,
        *,
        record_id: str,
        kind: str,
        rev_id: str,
        record: Record | None,
        old: Record | None,
        conflict: bool = False,
        data_json: str | None = None,
    ) -> None:
        """Insert or replace a record's row; ``record=None`` means deleted (removed)."""
        rowid = self.remove(record_id, old)
        if record is None:
            return
        if rowid is None:  # a new record takes the next rowid, as SQLite would give it
            rowid = int(self.db.execute(
                "SELECT COALESCE(MAX(rowid), 0) + 1 FROM records").fetchone()[0])
        batch = Batch()
        batch.add_record(rowid, record_id, kind, rev_id, record, conflict=conflict,
                         data_json=data_json)
        self.insert(batch)

    def put_many(self, items: Iterable[tuple[str, str, str, Record, Record | None]]) -> None:
        """:meth:`put` of many ``(record_id, kind, rev_id, record, old)`` (distinct records):
        the same rows, inserted table by table (one save of many records, an import)."""
        batch = Batch()
        new = int(self.db.execute("SELECT COALESCE(MAX(rowid), 0) + 1 FROM records")
                  .fetchone()[0])
        for record_id, kind, rev_id, record, old in items:
            rowid = self.remove(record_id, old)
            if rowid is None:
                rowid, new = new, new + 1
            batch.add_record(rowid, record_id, kind, rev_id, record)
        self.insert(batch)

    def insert(self, batch: Batch) -> None:
        """Insert a batch's rows, table by table (its rowids must be free)."""
        if not self._bulk:  # (a bulk load marks every client at its end: create_indexes)
            self.stale_deadlines.update(
                r[4] for r in batch.records if r[2] in DEADLINE_KINDS and r[4] is not None)
        for table, rows in batch.tables():
            if table == UNINDEXED:
                self.unindexed.update(r[0] for r in rows)
            elif rows:
                marks = ",".join("?" * len(rows[0]))
                cols = "(rowid, title, body)" if table.startswith("fts_") else ""
                self.db.executemany(f"INSERT INTO {table}{cols} VALUES ({marks})", rows)
        if (batch.work or batch.encounters) and not self._bulk:
            workingset_pieces.refresh(
                self.db, [r[0] for r in batch.work] + [r[0] for r in batch.encounters],
                {r[9] for r in batch.work if r[9] is not None})
        if not self._bulk:
            workingset_pieces.refresh_starts(
                self.db, [r[4] for r in batch.records if r[2] in _STARTS_KINDS])

    def insert_shifted(self, tables: list[tuple[str, list[tuple[Any, ...]]]],
                       shift: int) -> None:
        """Insert rows built elsewhere with rowids from 1, each rowid moved up by
        ``shift`` (a rebuild's helper processes, counsel.vault.rebuildpool); only during a
        bulk load (:meth:`drop_indexes`)."""
        assert self._bulk
        shift = int(shift)
        for table, rows in tables:
            if table == UNINDEXED:
                self.unindexed.update(r[0] + shift for r in rows)
                continue
            marks = ",".join("?" * (len(rows[0]) - 1))
            cols = "(rowid, title, body)" if table.startswith("fts_") else ""
            self.db.executemany(
                f"INSERT INTO {table}{cols} VALUES (? + {shift}, {marks})", rows)

    def index_bodies(self, rows: list[tuple[int, str]]) -> None:
        """The second pass: encounters' note text ``(rowid, text)`` into the index; only
        rows still waiting for it (one changed meanwhile was indexed when it was put)."""
        rows = [r for r in rows if r[0] in self.unindexed]
        self.db.executemany("INSERT INTO fts_all(rowid, title, body) VALUES (?, '', ?)",
                            [r for r in rows if r[1]])
        self.unindexed.difference_update(r[0] for r in rows)

    def drop_indexes(self) -> None:
        """Before a bulk load (see :meth:`create_indexes`)."""
        self._bulk = True
        for part, name, _sql in INDEXES:
            self.db.execute(f"DROP INDEX {part}.{name}")

    def create_indexes(self) -> None:
        """After a bulk load: the indexes, then every time piece, then the pieces' own
        indexes (built after them: the pieces go in in key order, and the sort that fills
        them is not held beside a growing index — lower peak memory)."""
        give_back_freed_memory()
        later = [sql for _part, name, sql in INDEXES if name.startswith("pieces_")]
        for _part, _name, sql in INDEXES:
            if sql not in later:
                self.db.execute(sql)
        give_back_freed_memory()
        workingset_pieces.fill_all(self.db)
        give_back_freed_memory()
        for sql in later:
            self.db.execute(sql)
        self._bulk = False
        # every client's deadlines to be computed, not the ids of the rows as they went
        # in (strings among the load's short-lived objects: see all_deadlines_stale)
        self.all_deadlines_stale()
        give_back_freed_memory()

    # -- reads -------------------------------------------------------------------------
    def work_entries(self, where: str = "1=1", params: Sequence[Any] = ()) -> list[WorkEntry]:
        """Work entries rebuilt from their columns (no decryption, no JSON)."""
        return [work_from_row(r) for r in self.work_rows(where, params)]

    def encounter_rows(self, where: str = "1=1", params: Sequence[Any] = ()) -> list[Any]:
        """Raw rows for :func:`encounter_from_row` (cheap; build records outside any lock)."""
        return self.db.execute(
            "SELECT r.record_id, e.client, e.date, e.start, e.minutes, e.place, "
            "e.interpreter_mode, e.interpreter_language, e.given, e.obstacles, e.actions "
            f"FROM encounters e JOIN records r ON r.rowid=e.rowid WHERE {where} "
            "ORDER BY e.date, e.start",
            params,
        ).fetchall()

    def work_rows(self, where: str = "1=1", params: Sequence[Any] = ()) -> list[Any]:
        return self.db.execute(
            "SELECT r.record_id, w.client, w.date, w.start, w.minutes, w.kind, w.channel, "
            "w.party_kind, w.contact, w.encounter, w.source, w.what, w.author FROM work w "
            f"JOIN records r ON r.rowid=w.rowid WHERE {where} ORDER BY w.date, w.start",
            params,
        ).fetchall()

    def author_of(self, record_id: str) -> str | None:
        """The author kept for a current encounter or work entry (None: not one here)."""
        found = self.db.execute(
            "SELECT COALESCE(e.author, w.author, '') FROM records r LEFT JOIN encounters e "
            "ON e.rowid=r.rowid LEFT JOIN work w ON w.rowid=r.rowid WHERE r.record_id=? "
            "AND r.kind IN ('encounter', 'work')", (record_id,)).fetchone()
        return None if found is None else str(found[0])

    def row(self, record_id: str) -> tuple[str, str, str, int, str | None] | None:
        """(kind, rev_id, key_id, conflict, data) of a record, or None."""
        return self.db.execute(  # type: ignore[no-any-return]
            "SELECT kind, rev_id, COALESCE(client_id, 'vault'), conflict, data FROM records "
            "WHERE record_id=?",
            (record_id,),
        ).fetchone()

    def rows(self, record_ids: Sequence[str]) -> dict[str, tuple[Any, ...]]:
        """:meth:`row` of many records at once (those that have one)."""
        return {r[0]: tuple(r[1:]) for r in self.db.execute(
            "SELECT record_id, kind, rev_id, COALESCE(client_id, 'vault'), conflict, data "
            "FROM records WHERE record_id IN (SELECT value FROM json_each(?))",
            (json.dumps(list(record_ids)),))}

    def ids_of_client(self, client_id: str, kind: str | None = None) -> list[str]:
        """Ids of a client's records (of one kind), in the order they were first shown."""
        where, params = "client_id=?", [client_id]
        if kind is not None:
            where, params = where + " AND kind=?", [*params, kind]
        return [r[0] for r in self.db.execute(
            f"SELECT record_id FROM records WHERE {where} ORDER BY rowid", params)]

    def ids_of_kind(self, kind: str) -> list[str]:
        return [
            r[0]
            for r in self.db.execute(
                "SELECT record_id FROM records WHERE kind=? ORDER BY rowid", (kind,)
            )
        ]

    def newest_json(self, kind: str, match: str, value: str, order: str) -> str | None:
        """The JSON of the record of ``kind`` whose field ``match`` is ``value`` and whose
        field ``order`` is highest — found in SQL, without decoding the others."""
        row = self.db.execute(
            "SELECT data FROM records WHERE kind=? AND data IS NOT NULL "
            "AND json_extract(data, ?)=? ORDER BY json_extract(data, ?) DESC LIMIT 1",
            (kind, f"$.{match}", value, f"$.{order}"),
        ).fetchone()
        return str(row[0]) if row else None

    def json_of_kind(self, kind: str) -> Iterable[tuple[str, str]]:
        return self.db.execute(
            "SELECT record_id, data FROM records WHERE kind=? AND data IS NOT NULL ORDER BY rowid",
            (kind,),
        ).fetchall()

    def json_page(self, kind: str, where: str, params: Sequence[Any], order: str,
                  limit: int, offset: int) -> tuple[list[str], int]:
        """One page of the JSON of the records of ``kind`` matching ``where`` (the caller's
        fixed SQL over ``json_extract(data, …)``, values in ``params``), sorted by
        ``order``; and how many match in all.  Only that page is decoded by the caller."""
        sql = f"FROM records WHERE kind=? AND data IS NOT NULL AND ({where})"
        args = (kind, *params)
        total = int(self.db.execute(f"SELECT COUNT(*) {sql}", args).fetchone()[0])
        rows = self.db.execute(f"SELECT data {sql} ORDER BY {order} LIMIT ? OFFSET ?",
                               (*args, limit, offset)).fetchall()
        return [str(r[0]) for r in rows], total

    def json_values(self, kind: str, field: str) -> list[Any]:
        """The distinct values of one JSON field over the records of ``kind``."""
        return [r[0] for r in self.db.execute(
            "SELECT DISTINCT json_extract(data, ?) FROM records WHERE kind=? "
            "AND data IS NOT NULL", (f"$.{field}", kind))]

    def count(self, kind: str | None = None) -> int:
        if kind is None:
            return int(self.db.execute("SELECT COUNT(*) FROM records").fetchone()[0])
        return int(
            self.db.execute("SELECT COUNT(*) FROM records WHERE kind=?", (kind,)).fetchone()[0]
        )

    def conflicts(self) -> list[str]:
        return [r[0] for r in self.db.execute("SELECT record_id FROM records WHERE conflict=1")]

    def search_rowids(
        self, table: str, query: str, limit: int, *, newest: bool = False
    ) -> list[int]:
        """Matching rowids, best first (bm25) or, for notes, newest first.

        Ranking must score every match; for words that occur in most notes that costs tens of
        milliseconds on an office-sized vault, while rowid order stops after ``limit`` rows.
        """
        order = "rowid DESC" if newest else "rank"
        return [
            r[0]
            for r in self.db.execute(
                f"SELECT rowid FROM {table} WHERE {table} MATCH ? ORDER BY {order} LIMIT ?",
                (query, limit),
            )
        ]
