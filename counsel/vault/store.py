"""The vault file: immutable revisions in SQLite (WAL, synchronous=FULL).

Only ids, parent links, kind, key ids and sync bookkeeping are plaintext here;
everything a person wrote is inside an envelope.  Every write is one transaction.
"""

from __future__ import annotations

import json
import os
import sqlite3
import threading
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

from counsel.errors import StorageFull, VaultError
from counsel.i18n import gettext as _
from counsel.vault import schema
from counsel.vault.chainstore import ChainStore
from counsel.vault.revision import COLUMNS as _COLUMNS
from counsel.vault.revision import N as _N
from counsel.vault.revision import Observer
from counsel.vault.revision import RevisionRow as RevisionRow
from counsel.vault.revision import StoredRevision as StoredRevision
from counsel.vault.revision import row_to_rev as _row_to_rev
from counsel.vault.vaultfile import check_readable


def _translate_os_error(exc: sqlite3.Error) -> Exception:
    text = str(exc).lower()
    if "full" in text or "disk i/o" in text:
        return StorageFull(_("The disk is full; the change was not saved."))
    return exc


def create_private(path: Path) -> None:
    """Create an empty file only its owner may read or write (0600), before SQLite opens
    it: SQLite gives the ``-wal`` and ``-shm`` files the database file's mode."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    os.close(fd)




class Store(ChainStore):
    """Thread-safe access to one vault file (one connection, serialised by a lock)."""

    def __init__(self, conn: sqlite3.Connection, path: Path | None) -> None:
        self.conn = conn
        self.path = path
        self.lock = threading.RLock()
        #: called inside every write transaction that stores revisions or moves heads:
        #: ``(conn, revisions stored, heads added, heads removed)`` — the vault keeps its
        #: sealed record of the history up to date with it (counsel.vault.integrity)
        self.observer: Observer | None = None

    @classmethod
    def open(cls, path: Path, *, create: bool = False) -> Store:
        if not create:
            check_readable(path)
        else:
            path.parent.mkdir(parents=True, exist_ok=True)
            if not path.exists():
                create_private(path)
        try:
            conn = sqlite3.connect(path, check_same_thread=False, isolation_level=None)
            conn.execute("PRAGMA journal_mode=WAL")
            conn.execute("PRAGMA synchronous=FULL")
            conn.execute("PRAGMA foreign_keys=ON")
            conn.execute("PRAGMA secure_delete=ON")
            conn.execute("PRAGMA busy_timeout=5000")
            schema.migrate(conn, None if create else path)
        except sqlite3.DatabaseError as exc:
            raise VaultError(
                _("The vault file could not be opened: {reason}").format(reason=exc)
            ) from exc
        return cls(conn, path)

    @classmethod
    def memory(cls) -> Store:
        conn = sqlite3.connect(":memory:", check_same_thread=False, isolation_level=None)
        schema.migrate(conn, None)
        return cls(conn, None)

    def checkpoint(self) -> None:
        """Move the WAL into the file and truncate it (so removed data leaves the WAL)."""
        with self.lock:
            try:
                self.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            except sqlite3.Error:
                pass

    def close(self) -> None:
        with self.lock:
            self.checkpoint()
            self.conn.close()

    def integrity_problems(self) -> list[str]:
        """SQLite's own ``PRAGMA integrity_check`` (b-trees, indexes, free list): what a
        record-by-record check cannot see.  Empty when the file is sound."""
        with self.lock:
            try:
                rows = [str(r[0]) for r in self.conn.execute("PRAGMA integrity_check(100)")]
            except sqlite3.DatabaseError as exc:
                return [str(exc)]
        return [] if rows == ["ok"] else rows

    # -- transactions ---------------------------------------------------------------
    def transaction(self, fn: Callable[[sqlite3.Connection], object]) -> object:
        with self.lock:
            try:
                self.conn.execute("BEGIN IMMEDIATE")
                try:
                    result = fn(self.conn)
                except BaseException:
                    self.conn.execute("ROLLBACK")
                    raise
                self.conn.execute("COMMIT")
                return result
            except sqlite3.OperationalError as exc:
                raise _translate_os_error(exc) from exc

    # -- meta -------------------------------------------------------------------------
    def meta(self) -> dict[str, bytes]:
        with self.lock:
            return {str(k): bytes(v) for k, v in self.conn.execute("SELECT key, value FROM meta")}

    def set_meta(self, items: dict[str, bytes], conn: sqlite3.Connection | None = None) -> None:
        def write(c: sqlite3.Connection) -> None:
            c.executemany("INSERT OR REPLACE INTO meta(key, value) VALUES (?, ?)", items.items())

        if conn is not None:
            write(conn)
        else:
            self.transaction(write)

    # -- revisions --------------------------------------------------------------------
    def insert_revisions(
        self,
        revs: Iterable[StoredRevision],
        *,
        outbox: bool,
        in_tx: Callable[[sqlite3.Connection], None] | None = None,
        fresh: bool = False,
    ) -> list[str]:
        """Store revisions in one transaction; known rev ids are ignored (idempotent).

        Heads are kept as the leaves of each record's revision graph: a new revision
        replaces its parents as heads, unless a child of it is already stored.
        ``fresh``: revisions just made here (new random ids, no children possible).
        """
        revs = list(revs)
        ids = {rev.rev_id for rev in revs}

        def write(c: sqlite3.Connection) -> list[str]:
            touched: dict[str, None] = {}
            inserted: list[StoredRevision] = []
            added: list[tuple[str, str]] = []
            removed: list[tuple[str, str]] = []
            seq = c.execute("SELECT COALESCE(MAX(local_seq), 0) FROM revisions").fetchone()[0]
            if fresh and not any(p in ids for rev in revs for p in rev.parents):
                return self._insert_fresh(c, revs, seq, outbox=outbox, in_tx=in_tx)
            for rev in revs:
                if (
                    not fresh
                    and c.execute(
                        "SELECT 1 FROM revisions WHERE rev_id=?", (rev.rev_id,)
                    ).fetchone()
                ):
                    continue
                seq += 1
                c.execute(
                    f"INSERT INTO revisions({_COLUMNS}, local_seq) VALUES (?,?,?,?,?,?,?,?,?,?)",
                    (
                        rev.rev_id,
                        rev.record_id,
                        json.dumps(list(rev.parents)),
                        rev.kind,
                        rev.key_id,
                        rev.device_id,
                        rev.envelope,
                        rev.counter,
                        rev.prev,
                        seq,
                    ),
                )
                if not rev.envelope:
                    # an erased client's change: kept as a header (the device's history
                    # stays checkable), never a head, never sent again
                    inserted.append(rev)
                    touched[rev.record_id] = None
                    continue
                inserted.append(rev)
                for parent in rev.parents:
                    if c.execute(
                        "DELETE FROM heads WHERE record_id=? AND rev_id=?", (rev.record_id, parent)
                    ).rowcount:
                        removed.append((rev.record_id, parent))
                has_child = (
                    not fresh
                    and c.execute(
                        "SELECT 1 FROM revisions WHERE record_id=? AND rev_id<>? AND EXISTS "
                        "(SELECT 1 FROM json_each(revisions.parents) WHERE value=?)",
                        (rev.record_id, rev.rev_id, rev.rev_id),
                    ).fetchone()
                )
                if not has_child and c.execute(
                    "INSERT OR IGNORE INTO heads(record_id, rev_id) VALUES (?, ?)",
                    (rev.record_id, rev.rev_id),
                ).rowcount:
                    added.append((rev.record_id, rev.rev_id))
                if outbox:
                    c.execute("INSERT OR IGNORE INTO outbox(seq) VALUES (?)", (seq,))
                touched[rev.record_id] = None
            if self.observer is not None:
                self.observer(c, inserted, added, removed)
            if in_tx is not None:
                in_tx(c)
            return list(touched)

        return self.transaction(write)  # type: ignore[return-value]

    def _insert_fresh(self, c: sqlite3.Connection, revs: list[StoredRevision], seq: int, *,
                      outbox: bool,
                      in_tx: Callable[[sqlite3.Connection], None] | None) -> list[str]:
        """:meth:`insert_revisions` of revisions just made here whose parents are stored
        already: the same rows, written table by table with ``executemany`` (a bulk save
        of thousands of records does three statements, not three per record)."""
        c.executemany(
            f"INSERT INTO revisions({_COLUMNS}, local_seq) VALUES (?,?,?,?,?,?,?,?,?,?)",
            [(rev.rev_id, rev.record_id, json.dumps(list(rev.parents)), rev.kind, rev.key_id,
              rev.device_id, rev.envelope, rev.counter, rev.prev, seq + i)
             for i, rev in enumerate(revs, start=1)])
        removed: list[tuple[str, str]] = []
        for rev in revs:
            if not rev.envelope:
                continue  # an erased client's change: a header only, never a head
            for parent in rev.parents:
                if c.execute("DELETE FROM heads WHERE record_id=? AND rev_id=?",
                             (rev.record_id, parent)).rowcount:
                    removed.append((rev.record_id, parent))
        # new random revision ids: none is a head yet, each becomes one
        added = [(rev.record_id, rev.rev_id) for rev in revs if rev.envelope]
        c.executemany("INSERT INTO heads(record_id, rev_id) VALUES (?, ?)", added)
        if outbox:  # (keyed by local_seq: appended at the end, schema._v5)
            c.executemany("INSERT INTO outbox(seq) VALUES (?)",
                          [(seq + i,) for i, rev in enumerate(revs, start=1) if rev.envelope])
        if self.observer is not None:
            self.observer(c, revs, added, removed)
        if in_tx is not None:
            in_tx(c)
        return list(dict.fromkeys(rev.record_id for rev in revs))

    def revision(self, rev_id: str) -> StoredRevision | None:
        with self.lock:
            row = self.conn.execute(
                f"SELECT {_COLUMNS} FROM revisions WHERE rev_id=?", (rev_id,)
            ).fetchone()
        return _row_to_rev(row) if row else None

    def revisions_by_id(self, rev_ids: list[str]) -> list[StoredRevision]:
        """The revisions of these ids that are stored (in no particular order)."""
        with self.lock:
            rows = self.conn.execute(
                f"SELECT {_COLUMNS} FROM revisions WHERE rev_id IN "
                "(SELECT value FROM json_each(?))", (json.dumps(rev_ids),)).fetchall()
        return [_row_to_rev(r) for r in rows]

    def revisions_of(self, record_id: str) -> list[RevisionRow]:
        with self.lock:
            rows = self.conn.execute(
                f"SELECT {_COLUMNS}, local_seq FROM revisions WHERE record_id=? ORDER BY local_seq",
                (record_id,),
            ).fetchall()
        return [RevisionRow(_row_to_rev(r), int(r[_N])) for r in rows]

    def heads(self, record_id: str) -> list[StoredRevision]:
        return [rev for rev, _seq in self.heads_with_seq(record_id)]

    def heads_with_seq(self, record_id: str) -> list[tuple[StoredRevision, int]]:
        """A record's leaves and the order they were stored in here (``local_seq``)."""
        with self.lock:
            rows = self.conn.execute(
                f"SELECT {', '.join('r.' + c.strip() for c in _COLUMNS.split(','))}, "
                "r.local_seq FROM heads h JOIN revisions r ON r.rev_id=h.rev_id "
                "WHERE h.record_id=? ORDER BY r.rev_id",
                (record_id,),
            ).fetchall()
        return [(_row_to_rev(r), int(r[_N])) for r in rows]

    def heads_of(self, record_ids: Iterable[str]) -> dict[str, list[StoredRevision]]:
        """:meth:`heads` of many records at once (records without heads are left out)."""
        out: dict[str, list[StoredRevision]] = {}
        with self.lock:
            rows = self.conn.execute(
                f"SELECT {', '.join('r.' + c.strip() for c in _COLUMNS.split(','))} "
                "FROM heads h JOIN revisions r ON r.rev_id=h.rev_id "
                "WHERE h.record_id IN (SELECT value FROM json_each(?)) "
                "ORDER BY h.record_id, r.rev_id",
                (json.dumps(list(record_ids)),),
            ).fetchall()
        for r in rows:
            rev = _row_to_rev(r)
            out.setdefault(rev.record_id, []).append(rev)
        return out

    def iter_heads(self, since: str = "") -> Iterator[tuple[StoredRevision, int]]:
        """Every head revision (of the records from id ``since`` on), grouped by record,
        streamed (a large vault is not loaded into memory at once). Hold ``self.lock``
        while iterating."""
        cols = ", ".join("r." + c.strip() for c in _COLUMNS.split(","))
        cur = self.conn.execute(
            f"SELECT {cols}, r.local_seq FROM heads h JOIN revisions r "
            "ON r.rev_id=h.rev_id WHERE h.record_id >= ? ORDER BY h.record_id, h.rev_id",
            (since,),
        )
        while rows := cur.fetchmany(2000):
            for r in rows:
                yield _row_to_rev(r), int(r[_N])

    def count_heads(self) -> int:
        with self.lock:
            return int(self.conn.execute("SELECT COUNT(*) FROM heads").fetchone()[0])

    def conflicted_records(self) -> list[str]:
        """Records with more than one leaf, by id."""
        with self.lock:
            return [str(r[0]) for r in self.conn.execute(
                "SELECT record_id FROM heads GROUP BY record_id HAVING COUNT(*) > 1 "
                "ORDER BY record_id")]

    def merge_heads(self) -> list[tuple[str, str, str]]:
        """(record id, rev id, kind) of every leaf with more than one parent (a merge)."""
        with self.lock:
            return [(str(a), str(b), str(c)) for a, b, c in self.conn.execute(
                "SELECT h.record_id, h.rev_id, r.kind FROM revisions r "
                "INDEXED BY revisions_merges JOIN heads h ON h.record_id=r.record_id "
                "AND h.rev_id=r.rev_id WHERE r.parents LIKE '%,%' ORDER BY h.record_id")]

    def records_touched_since(self, since_seq: int) -> list[str]:
        # a range on the local_seq index; DISTINCT in SQL would scan the record_id index
        with self.lock:
            rows = self.conn.execute(
                "SELECT record_id FROM revisions WHERE local_seq>? ORDER BY local_seq", (since_seq,)
            ).fetchall()
        return list(dict.fromkeys(r[0] for r in rows))

    def max_seq(self) -> int:
        with self.lock:
            return int(
                self.conn.execute("SELECT COALESCE(MAX(local_seq), 0) FROM revisions").fetchone()[0]
            )

    def count_revisions(self) -> int:
        with self.lock:
            return int(self.conn.execute("SELECT COUNT(*) FROM revisions").fetchone()[0])

    def all_revisions(self) -> Iterable[StoredRevision]:
        with self.lock:
            rows = self.conn.execute(
                f"SELECT {_COLUMNS} FROM revisions ORDER BY local_seq"
            ).fetchall()
        return (_row_to_rev(r) for r in rows)

    # -- outbox and sync state ----------------------------------------------------------
    def outbox_batch(self, limit: int) -> list[StoredRevision]:
        with self.lock:
            rows = self.conn.execute(
                f"SELECT {', '.join('r.' + c.strip() for c in _COLUMNS.split(','))} FROM outbox o "
                "JOIN revisions r ON r.local_seq=o.seq ORDER BY o.seq LIMIT ?",
                (limit,),
            ).fetchall()
        return [_row_to_rev(r) for r in rows]

    def outbox_count(self) -> int:
        with self.lock:
            return int(self.conn.execute("SELECT COUNT(*) FROM outbox").fetchone()[0])

    def ack(self, rev_ids: Iterable[str], conn: sqlite3.Connection | None = None) -> None:
        ids = [(r,) for r in rev_ids]

        def write(c: sqlite3.Connection) -> None:
            c.executemany("DELETE FROM outbox WHERE seq="
                          "(SELECT local_seq FROM revisions WHERE rev_id=?)", ids)

        if conn is not None:
            write(conn)
        else:
            self.transaction(write)

    def requeue_all(self, conn: sqlite3.Connection) -> int:
        """Put every stored revision back in the outbox (the server lost what it had).

        Pushes go in ``local_seq`` order, so parents still travel before children;
        the server ignores revision ids it has.  Returns how many are queued now.
        """
        conn.execute("INSERT OR IGNORE INTO outbox(seq) SELECT local_seq FROM revisions")
        return int(conn.execute("SELECT COUNT(*) FROM outbox").fetchone()[0])

    def state(self, key: str) -> str | None:
        with self.lock:
            row = self.conn.execute("SELECT value FROM sync_state WHERE key=?", (key,)).fetchone()
        return None if row is None else str(row[0])

    def set_state(self, key: str, value: str, conn: sqlite3.Connection | None = None) -> None:
        def write(c: sqlite3.Connection) -> None:
            c.execute("INSERT OR REPLACE INTO sync_state(key, value) VALUES (?, ?)", (key, value))

        if conn is not None:
            write(conn)
        else:
            self.transaction(write)

    def delete_states(self, keys: Iterable[str]) -> None:
        rows = [(k,) for k in keys]
        self.transaction(lambda c: c.executemany("DELETE FROM sync_state WHERE key=?", rows))

    # -- wrapped keys -------------------------------------------------------------------
    def wrapped_keys(self) -> dict[str, bytes]:
        with self.lock:
            return {
                str(k): bytes(w) for k, w in self.conn.execute("SELECT key_id, wrapped FROM keys")
            }

    def wrapped_key(self, key_id: str) -> bytes | None:
        with self.lock:
            row = self.conn.execute("SELECT wrapped FROM keys WHERE key_id=?", (key_id,)).fetchone()
        return None if row is None else bytes(row[0])

    def put_wrapped_keys(
        self, keys: dict[str, bytes], conn: sqlite3.Connection | None = None
    ) -> None:
        def write(c: sqlite3.Connection) -> None:
            erased = {r[0] for r in c.execute("SELECT key_id FROM erased")}
            c.executemany(
                "INSERT OR IGNORE INTO keys(key_id, wrapped) VALUES (?, ?)",
                [(k, w) for k, w in keys.items() if k not in erased],
            )

        if conn is not None:
            write(conn)
        else:
            self.transaction(write)

    def erased_keys(self) -> set[str]:
        with self.lock:
            return {str(r[0]) for r in self.conn.execute("SELECT key_id FROM erased")}

    # -- drafts -------------------------------------------------------------------------
    def put_draft(self, draft_id: str, envelope: bytes, updated: str) -> None:
        self.transaction(
            lambda c: c.execute(
                "INSERT OR REPLACE INTO drafts(draft_id, envelope, updated) VALUES (?,?,?)",
                (draft_id, envelope, updated),
            )
        )

    def drafts(self) -> list[tuple[str, bytes, str]]:
        with self.lock:
            return [
                (str(a), bytes(b), str(c))
                for a, b, c in self.conn.execute(
                    "SELECT draft_id, envelope, updated FROM drafts ORDER BY updated"
                )
            ]

    def delete_draft(self, draft_id: str) -> None:
        self.transaction(lambda c: c.execute("DELETE FROM drafts WHERE draft_id=?", (draft_id,)))
