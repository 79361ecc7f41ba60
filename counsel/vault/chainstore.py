"""The part of the vault file that keeps each device's chain of changes and the damage
found in it (``counsel.vault.history``, ``integrity``), and erasure, which keeps the
headers so the chains stay checkable: a mixin of :class:`~counsel.vault.
store.Store`, which owns the connection, the lock and the transactions."""

from __future__ import annotations

import json
import sqlite3
import threading
from collections.abc import Callable, Iterable

from counsel.vault import headscheck
from counsel.vault.revision import COLUMNS as _COLUMNS
from counsel.vault.revision import Observer, StoredRevision
from counsel.vault.revision import row_to_rev as _row_to_rev


class ChainStore:
    conn: sqlite3.Connection
    lock: threading.RLock
    observer: Observer | None

    def transaction(self, fn: Callable[[sqlite3.Connection], object]) -> object:
        raise NotImplementedError  # Store's

    def set_meta(self, items: dict[str, bytes], conn: sqlite3.Connection | None = None) -> None:
        raise NotImplementedError  # Store's

    # -- erasure: the envelopes go, the headers stay (the chains stay checkable) -----------
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


    def revised_records(self, kind: str) -> set[str]:
        """Records of ``kind`` with a revision that has parents: an edit or a delete of
        something append-only (audit entries) shows here."""
        with self.lock:
            return {str(r) for (r,) in self.conn.execute(
                "SELECT DISTINCT record_id FROM revisions WHERE kind=? AND parents != '[]'",
                (kind,))}

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
            return headscheck.chain_counts(self.conn.execute(headscheck.CHAIN_COUNTS_SQL))

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
            lambda c: c.executemany("INSERT OR IGNORE INTO outbox(seq) "
                                    "SELECT local_seq FROM revisions WHERE rev_id=?", ids)
        )
        return len(ids)

    def heads_digest(self, key: bytes, from_record: str | None = None) -> tuple[int, int]:
        """The keyed heads digest (:mod:`counsel.vault.headscheck`) of every heads row, or of
        those whose record id sorts at or after ``from_record``; read in chunks."""
        with self.lock:
            if from_record is None:
                return headscheck.digest_rows(key, self.conn.execute(headscheck.SQL))
            return headscheck.digest_rows(
                key, self.conn.execute(headscheck.SQL_FROM, (from_record,)))

    def heads_as_bytes(self) -> list[tuple[bytes]]:
        """Every heads row as ``record_id NUL rev_id`` bytes (the unkeyed format-1 digest)."""
        with self.lock:
            return self.conn.execute(headscheck.SQL).fetchall()

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

    def records_under_key(self, key_id: str) -> list[str]:
        """Every record with a revision sealed under this key (a client's: their records,
        deleted ones too), in the order they were first stored here."""
        with self.lock:
            return [str(r[0]) for r in self.conn.execute(
                "SELECT record_id FROM revisions WHERE key_id=? GROUP BY record_id "
                "ORDER BY MIN(local_seq)", (key_id,))]

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

