"""The vault file: immutable revisions in SQLite (WAL, synchronous=FULL).

Only ids, parent links, kind, key ids and sync bookkeeping are plaintext here;
everything a person wrote is inside an envelope.  Every write is one transaction.
"""

from __future__ import annotations

import dataclasses
import json
import os
import sqlite3
import threading
from collections.abc import Callable, Iterable, Iterator, Sequence
from pathlib import Path

from counsel.errors import StorageFull, VaultError
from counsel.i18n import gettext as _
from counsel.vault import schema
from counsel.vault.vaultfile import check_readable


@dataclasses.dataclass(frozen=True)
class StoredRevision:
    """One revision as stored (and as synced): a header plus an opaque envelope.

    The server's ``counsel.server.model.Revision`` has the same header on purpose but is
    its own type (it adds the server's sequence number and the pushing device, and the
    server never imports the vault); see its docstring."""

    rev_id: str
    record_id: str
    parents: tuple[str, ...]
    kind: str
    key_id: str
    device_id: str
    envelope: bytes  # empty: the content was erased (the header stays for the chain)
    counter: int = 0  # this device's change number (0: written before chained history)
    prev: str = ""  # chain hash of the device's previous change (counsel.vault.history)


@dataclasses.dataclass(frozen=True)
class RevisionRow:
    revision: StoredRevision
    local_seq: int


Observer = Callable[
    [sqlite3.Connection, list[StoredRevision], list[tuple[str, str]], list[tuple[str, str]]], None
]

_COLUMNS = "rev_id, record_id, parents, kind, key_id, device_id, envelope, counter, prev"
_N = 9  # columns in _COLUMNS: the index of local_seq after them


def _row_to_rev(row: Sequence[object]) -> StoredRevision:
    return StoredRevision(
        rev_id=str(row[0]),
        record_id=str(row[1]),
        parents=tuple(json.loads(str(row[2]))),
        kind=str(row[3]),
        key_id=str(row[4]),
        device_id=str(row[5]),
        envelope=bytes(row[6]),  # type: ignore[call-overload]
        counter=int(row[7]),  # type: ignore[call-overload]
        prev=str(row[8]),
    )


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




class Store:
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

        def write(c: sqlite3.Connection) -> list[str]:
            touched: dict[str, None] = {}
            inserted: list[StoredRevision] = []
            added: list[tuple[str, str]] = []
            removed: list[tuple[str, str]] = []
            seq = c.execute("SELECT COALESCE(MAX(local_seq), 0) FROM revisions").fetchone()[0]
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
                    c.execute("INSERT OR IGNORE INTO outbox(rev_id) VALUES (?)", (rev.rev_id,))
                touched[rev.record_id] = None
            if self.observer is not None:
                self.observer(c, inserted, added, removed)
            if in_tx is not None:
                in_tx(c)
            return list(touched)

        return self.transaction(write)  # type: ignore[return-value]

    def revision(self, rev_id: str) -> StoredRevision | None:
        with self.lock:
            row = self.conn.execute(
                f"SELECT {_COLUMNS} FROM revisions WHERE rev_id=?", (rev_id,)
            ).fetchone()
        return _row_to_rev(row) if row else None

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

    def iter_heads(self) -> Iterator[tuple[StoredRevision, int]]:
        """Every head revision, grouped by record, streamed (a large vault is not
        loaded into memory at once). Hold ``self.lock`` while iterating."""
        cols = ", ".join("r." + c.strip() for c in _COLUMNS.split(","))
        cur = self.conn.execute(
            f"SELECT {cols}, r.local_seq FROM heads h JOIN revisions r "
            "ON r.rev_id=h.rev_id ORDER BY h.record_id, h.rev_id"
        )
        while rows := cur.fetchmany(2000):
            for r in rows:
                yield _row_to_rev(r), int(r[_N])

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
                "SELECT h.record_id, h.rev_id, r.kind FROM heads h JOIN revisions r "
                "ON r.rev_id=h.rev_id WHERE r.parents LIKE '%,%' ORDER BY h.record_id")]

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
                "JOIN revisions r ON r.rev_id=o.rev_id ORDER BY r.local_seq LIMIT ?",
                (limit,),
            ).fetchall()
        return [_row_to_rev(r) for r in rows]

    def outbox_count(self) -> int:
        with self.lock:
            return int(self.conn.execute("SELECT COUNT(*) FROM outbox").fetchone()[0])

    def ack(self, rev_ids: Iterable[str], conn: sqlite3.Connection | None = None) -> None:
        ids = [(r,) for r in rev_ids]

        def write(c: sqlite3.Connection) -> None:
            c.executemany("DELETE FROM outbox WHERE rev_id=?", ids)

        if conn is not None:
            write(conn)
        else:
            self.transaction(write)

    def requeue_all(self, conn: sqlite3.Connection) -> int:
        """Put every stored revision back in the outbox (the server lost what it had).

        Pushes go in ``local_seq`` order, so parents still travel before children;
        the server ignores revision ids it has.  Returns how many are queued now.
        """
        conn.execute("INSERT OR IGNORE INTO outbox(rev_id) SELECT rev_id FROM revisions")
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

    def erase_key(
        self, key_id: str, at: str, conn: sqlite3.Connection, sealed: bytes | None = None
    ) -> None:
        """Drop a client key and every envelope it sealed (irreversible); ``sealed`` is the
        authenticated erasure record (``history.seal_erasure``) sent to other devices."""
        conn.execute("DELETE FROM keys WHERE key_id=?", (key_id,))
        conn.execute(
            "INSERT OR REPLACE INTO erased(key_id, at, sealed) VALUES (?, ?, ?)",
            (key_id, at, sealed),
        )
        records = [
            r[0]
            for r in conn.execute(
                "SELECT DISTINCT record_id FROM revisions WHERE key_id=?", (key_id,)
            )
        ]
        # The envelopes go (secure_delete zeroes them on disk); the headers stay, so every
        # device's chain of changes stays checkable across the erasure.  Unsent ones are
        # still sent — as headers: the server blanks them too.
        conn.execute("UPDATE revisions SET envelope=x'' WHERE key_id=?", (key_id,))
        removed: list[tuple[str, str]] = []
        for record in records:
            removed += [(record, str(r[0])) for r in conn.execute(
                "SELECT rev_id FROM heads WHERE record_id=?", (record,))]
        conn.executemany("DELETE FROM heads WHERE record_id=?", [(r,) for r in records])
        if self.observer is not None:
            self.observer(conn, [], [], removed)

    def erase_client(self, key_id: str, at: str, sealed: bytes | None,
                     meta: dict[str, bytes]) -> None:
        """Erase a client in one transaction: their key and envelopes (:meth:`erase_key`),
        their drafts, and ``meta`` written (the re-keyed unlock cache's key)."""

        def write(conn: sqlite3.Connection) -> None:
            self.erase_key(key_id, at, conn, sealed)
            conn.execute("DELETE FROM drafts WHERE draft_id LIKE ?", (f"{key_id}:%",))
            self.set_meta(meta, conn)

        self.transaction(write)

    def erasure_records(self) -> dict[str, bytes | None]:
        with self.lock:
            return {
                str(k): (bytes(v) if v is not None else None)
                for k, v in self.conn.execute("SELECT key_id, sealed FROM erased")
            }

    # -- the chain of each device's changes (counsel.vault.history) ---------------------
    def chain_entry(self, device_id: str, counter: int) -> StoredRevision | None:
        with self.lock:
            row = self.conn.execute(
                f"SELECT {_COLUMNS} FROM revisions WHERE device_id=? AND counter=? "
                "ORDER BY local_seq LIMIT 1",
                (device_id, counter),
            ).fetchone()
        return _row_to_rev(row) if row else None

    def chain_tips(self) -> dict[str, StoredRevision]:
        """Each device's highest-numbered change held here."""
        out: dict[str, StoredRevision] = {}
        for device, top in self.chain_tops().items():
            rev = self.chain_entry(device, top)
            if rev is not None:
                out[device] = rev
        return out

    def chain_tops(self) -> dict[str, int]:
        """Each device's highest change number held here (an index-only scan)."""
        with self.lock:
            return {str(d): int(m) for d, m in self.conn.execute(
                "SELECT device_id, MAX(counter) FROM revisions WHERE counter > 0 "
                "GROUP BY device_id")}

    def chain_counts(self) -> dict[str, tuple[int, int]]:
        """Per device: (number of chained changes held, highest counter)."""
        with self.lock:
            rows = self.conn.execute(
                "SELECT device_id, COUNT(DISTINCT counter), MAX(counter) FROM revisions "
                "WHERE counter > 0 GROUP BY device_id"
            ).fetchall()
        return {str(d): (int(n), int(m)) for d, n, m in rows}

    def chain_of(self, device_id: str) -> list[StoredRevision]:
        with self.lock:
            rows = self.conn.execute(
                f"SELECT {_COLUMNS} FROM revisions WHERE device_id=? AND counter>0 "
                "ORDER BY counter, local_seq",
                (device_id,),
            ).fetchall()
        return [_row_to_rev(r) for r in rows]

    def requeue(self, rev_ids: Iterable[str]) -> int:
        """Put revisions back into the outbox (the server lost them); how many."""
        ids = [(r,) for r in rev_ids]
        self.transaction(
            lambda c: c.executemany("INSERT OR IGNORE INTO outbox(rev_id) VALUES (?)", ids)
        )
        return len(ids)

    def heads_as_bytes(self) -> list[tuple[bytes]]:
        """Every heads row as ``record_id NUL rev_id`` bytes (for the sealed digest)."""
        with self.lock:
            return self.conn.execute(
                "SELECT CAST(record_id || char(0) || rev_id AS BLOB) FROM heads").fetchall()

    def all_heads(self) -> list[tuple[str, str]]:
        with self.lock:
            return [(str(a), str(b)) for a, b in self.conn.execute(
                "SELECT record_id, rev_id FROM heads")]

    def live_revisions_of_keys(self, key_ids: Iterable[str]) -> list[tuple[str, str]]:
        """(record id, rev id) of revisions that still hold an envelope under these keys."""
        ids = list(key_ids)
        if not ids:
            return []
        with self.lock:
            return [(str(a), str(b)) for a, b in self.conn.execute(
                f"SELECT record_id, rev_id FROM revisions WHERE key_id IN "
                f"({','.join('?' * len(ids))}) AND length(envelope) > 0", ids)]

    def true_leaves(self) -> dict[str, set[str]]:
        """Each record's leaves computed from the revision graph itself (slow: a full
        scan; only after the sealed digest showed the heads table was changed)."""
        with self.lock:
            rows = self.conn.execute(
                "SELECT record_id, rev_id, parents FROM revisions WHERE length(envelope) > 0"
            ).fetchall()
        revs: dict[str, set[str]] = {}
        parents: set[str] = set()
        for record, rev, ps in rows:
            revs.setdefault(str(record), set()).add(str(rev))
            parents.update(json.loads(ps))
        return {r: ids - parents for r, ids in revs.items()}

    def set_heads(self, record_id: str, rev_ids: Iterable[str]) -> None:
        """Repair one record's heads from its graph (after damage was found)."""
        ids = [(record_id, r) for r in rev_ids]

        def write(c: sqlite3.Connection) -> None:
            old = [(record_id, str(r[0])) for r in c.execute(
                "SELECT rev_id FROM heads WHERE record_id=?", (record_id,))]
            c.execute("DELETE FROM heads WHERE record_id=?", (record_id,))
            c.executemany("INSERT INTO heads(record_id, rev_id) VALUES (?, ?)", ids)
            if self.observer is not None:
                self.observer(c, [], ids, old)

        self.transaction(write)

    # -- damage found (remembered until repaired) ----------------------------------------
    def mark_damaged(self, items: dict[str, str], at: str) -> None:
        self.transaction(
            lambda c: c.executemany(
                "INSERT OR REPLACE INTO damaged(record_id, reason, found) VALUES (?, ?, ?)",
                [(r, why, at) for r, why in items.items()],
            )
        )

    def damaged_records(self) -> dict[str, str]:
        with self.lock:
            return {str(r): str(w) for r, w in self.conn.execute(
                "SELECT record_id, reason FROM damaged")}

    def clear_damaged(self, record_ids: Iterable[str]) -> None:
        ids = [(r,) for r in record_ids]
        self.transaction(lambda c: c.executemany("DELETE FROM damaged WHERE record_id=?", ids))

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
