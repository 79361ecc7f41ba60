"""The current records: the working set kept in step with the stored heads.

On open the working set comes from the encrypted unlock cache (plus the revisions stored
after it) or is rebuilt from every head.  After each write :meth:`Current.show` or
:meth:`Current.refresh` brings the touched records up to date.  Records whose revisions
cannot be read are remembered in :attr:`Current.damaged` instead of stopping the vault.
"""

from __future__ import annotations

import itertools
import json
import logging
import sqlite3
import threading
import time
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from counsel.domain import RECORD_TYPES, Record, WorkEntry
from counsel.domain.codec import from_dict
from counsel.errors import IntegrityError, RecordNotFound, ValidationError
from counsel.vault import (
    bulkrows,
    deadlines,
    envelope,
    integrity,
    rebuild,
    rebuildpool,
    snapshot,
    workingset_direct,
)
from counsel.vault.keyring import UnlockedKeys
from counsel.vault.payload import RevisionCipher
from counsel.vault.store import Store, StoredRevision
from counsel.vault.workingset import WorkingSet

log = logging.getLogger("counsel.vault")
#: Below this many records, unlock rebuilds quickly enough that no cache is written.
SNAPSHOT_MIN_RECORDS = 2000
#: An unlock cache at most this many revisions behind is kept as it is on lock (the next
#: unlock replays them), not written again.
REPLAY_MAX = 200
#: encounters whose note text the second pass indexes per step (the vault's lock is let go
#: between steps, so whatever the person asked for goes first)
INDEX_STEP = 400
#: seconds the background pass rests between two steps
INDEX_PAUSE = 0.002
SNAPSHOT_KEY = "snapshot-key"  # purpose of the unlock cache's key (wrapped in meta)
#: A revision that fails to open or to validate marks its record damaged, not the vault.
UNREADABLE = (IntegrityError, ValidationError, KeyError, ValueError, RecordNotFound)


class Current:
    def __init__(self, st: Store, keys: UnlockedKeys, cipher: RevisionCipher,
                 progress: rebuild.Progress | None = None) -> None:
        #: told (heads read, heads) while the working set is rebuilt from the revisions
        self.progress = progress
        self._store = st
        self._keys = keys
        self._cipher = cipher
        self.damaged: dict[str, str] = {}
        #: records whose newest change is sealed under keys this device does not have yet
        #: (another device rotated; the new passphrase here adopts them)
        self.waiting: set[str] = set()
        self._cache = snapshot.cache_path(st.path) if st.path is not None else None
        self._snapshot_key = self._load_snapshot_key(st.meta())
        self.snapshot_seq = -1
        self._closed = False
        #: the rebuild's helper processes, kept for the note index's second pass, and the
        #: thread that runs it
        self._index_pool: rebuildpool.Pool | None = None
        self._index_thread = threading.Thread(target=self._index_in_background,
                                              name="counsel-note-index", daemon=True)
        self.ws = self._load()
        if self.ws.unindexed:
            self._index_thread.start()
        else:
            self._close_index_pool()

    # -- opening --------------------------------------------------------------------
    def _load_snapshot_key(self, meta: dict[str, bytes]) -> bytes:
        wrapped = meta.get("snapshot_key")
        if wrapped is not None:
            try:
                return self._keys.unwrap_local_key(SNAPSHOT_KEY, wrapped)
            except IntegrityError:
                log.warning("unlock cache key damaged; replacing it")
        key, sealed = self._keys.new_local_key(SNAPSHOT_KEY)
        self._store.set_meta({"snapshot_key": sealed})
        return key

    def _load(self) -> WorkingSet:
        seq = snapshot.read_seq(self._cache) if self._cache is not None else None
        if self._cache is not None and seq is not None and seq <= self._store.max_seq():
            try:
                # each part decrypted into memory SQLite then takes over (no copy)
                parts = snapshot.read(self._cache, self._snapshot_key, self._keys.vault_id,
                                      workingset_direct.allocate)
                ws = WorkingSet.from_parts(parts)
            except (snapshot.Unusable, sqlite3.Error):
                log.warning("unlock cache unusable; rebuilding the working set")
            else:
                self.ws, self.snapshot_seq = ws, seq
                self.refresh(self._store.records_touched_since(seq))
                return ws
        self.ws = WorkingSet()
        self._rebuild()
        # every client's deadlines computed on first use, however the rows were inserted
        self.ws.all_deadlines_stale()
        return self.ws

    def _rebuild(self) -> None:
        self._close_index_pool()
        self._index_pool = rebuild.rebuild(
            self.ws, self._store, self._keys, self._cipher,
            lambda heads: self._show_heads(heads, old=None), UNREADABLE, self.progress)

    def _rebuild_one_by_one(self) -> None:
        """The record-by-record rebuild (what :func:`rebuild.rebuild` must equal; tests)."""
        ws = self.ws
        ws.begin()
        group: list[tuple[StoredRevision, int]] = []
        with self._store.lock:
            for rev, seq in self._store.iter_heads():
                if group and group[0][0].record_id != rev.record_id:
                    self._show_heads(group, old=None)
                    group = []
                group.append((rev, seq))
            if group:
                self._show_heads(group, old=None)
        ws.commit()

    # -- the note index's second pass --------------------------------------------------
    def finish_index(self) -> None:
        """Index the note text a rebuild left out, here and now (hold the store's lock)."""
        while self.ws.unindexed:
            self._index_step(INDEX_STEP * 5)

    def index_step(self) -> bool:
        """One step of :meth:`finish_index` (hold the store's lock); False if the helper
        processes are on it (wait for them instead: they are quicker and off this
        process's GIL)."""
        if self._index_pool is not None and self._index_thread.is_alive():
            return False
        if self.ws.unindexed:
            self._index_step(INDEX_STEP * 5)
        return True

    def _close_index_pool(self) -> None:
        pool, self._index_pool = self._index_pool, None
        if pool is not None:
            pool.close()

    def _index_in_background(self) -> None:
        pool = self._index_pool
        if pool is not None:
            try:
                for texts in pool.bodies():  # (waiting for a helper without the lock)
                    with self._store.lock:
                        if self._closed or not self.ws.unindexed:
                            break
                        self._index_texts(texts)
            except (rebuildpool.Unavailable, sqlite3.Error) as exc:
                log.warning("note index helpers stopped: %s", type(exc).__name__)
            finally:
                with self._store.lock:
                    if self._index_pool is pool:
                        self._close_index_pool()
        while True:
            time.sleep(INDEX_PAUSE)
            with self._store.lock:
                if self._closed or not self.ws.unindexed:
                    return
                try:
                    self._index_step(INDEX_STEP)
                except sqlite3.Error as exc:  # the rest is done by the next search or lock
                    log.warning("note index pass stopped: %s", type(exc).__name__)
                    return

    def _index_texts(self, texts: list[tuple[str, str]]) -> None:
        """Note text ``(record_id, text)`` from the helpers into the index (only records
        still waiting for it: one changed meanwhile was indexed when it was put)."""
        ws = self.ws
        rowids = dict(ws.db.execute(
            "SELECT record_id, rowid FROM records WHERE record_id IN "
            "(SELECT value FROM json_each(?))", (json.dumps([t[0] for t in texts]),)))
        ws.begin()
        try:
            ws.index_bodies([(rowids[r], text) for r, text in texts if r in rowids])
        finally:
            ws.commit()

    def _index_step(self, count: int) -> None:
        """Index ``count`` of the encounters waiting for it: their heads decrypted again,
        their text put in the index in one transaction."""
        ws = self.ws
        rowids = list(itertools.islice(ws.unindexed, count))
        found = ws.db.execute(
            "SELECT rowid, record_id, rev_id FROM records WHERE rowid IN "
            "(SELECT value FROM json_each(?))", (json.dumps(rowids),)).fetchall()
        revs = {r.rev_id: r for r in self._store.revisions_by_id([f[2] for f in found])}
        rows = []
        for rowid, record_id, rev_id in found:
            text = ""
            rev = revs.get(rev_id)
            try:
                data = self._cipher.open(rev) if rev is not None else None
                if data is not None:
                    text = bulkrows.encounter_body(data)
            except (*UNREADABLE, TypeError) as exc:  # changed since the first pass read it
                self.damaged[record_id] = str(exc)
                log.error("record %s unreadable in the note index pass: %s", record_id,
                          type(exc).__name__)
            rows.append((rowid, text))
        ws.unindexed.difference_update(set(rowids) - {f[0] for f in found})
        ws.begin()
        try:
            ws.index_bodies(rows)
        finally:
            ws.commit()

    # -- keeping up with writes -------------------------------------------------------
    def refresh(self, record_ids: Iterable[str]) -> None:
        """Bring these records' rows up to date with their heads (one transaction)."""
        record_ids = list(record_ids)
        if not record_ids:
            return
        self.ws.begin()
        try:
            for record_id in record_ids:
                self._refresh(record_id)
        finally:
            self.ws.commit()

    def _refresh(self, record_id: str) -> None:
        row = self.ws.row(record_id)
        old = self.shown_record(record_id, row) if row is not None else None
        # only the leaves are read (not every revision's envelope of a long history)
        heads = self._store.heads_with_seq(record_id)
        if not heads:
            self.ws.remove(record_id, old)
            self.damaged.pop(record_id, None)
            return
        self._show_heads(heads, old=old)

    def show_saved(
        self, saved: Iterable[tuple[Record, StoredRevision, tuple[Any, ...] | None]]
    ) -> None:
        """Show records just saved here as their only leaf, without decrypting them again.
        Each comes with the working-set row it replaces (None for a new record)."""
        self.ws.begin()
        try:
            self.ws.put_many(
                (record.id, rev.kind, rev.rev_id, record,
                 self.shown_record(record.id, existing) if existing is not None else None)
                for record, rev, existing in saved)
        finally:
            self.ws.commit()

    def _show_heads(self, heads: list[tuple[StoredRevision, int]], old: Record | None) -> None:
        """Put the record whose leaves are ``heads`` into the working set.

        With several leaves (a conflict) the newest non-deleted one is shown and the
        record is flagged; an edit beats a delete.
        """
        record_id = heads[0][0].record_id
        erased = self._keys.erased()
        decoded: list[tuple[int, StoredRevision, Record | None]] = []
        waiting = 0
        for rev, seq in heads:
            if rev.key_id in erased:
                continue
            if not self._keys.knows(envelope.generation_of(rev.envelope)):
                waiting += 1  # sealed under newer keys: shown once they are adopted
                continue
            try:
                decoded.append((seq, rev, self._cipher.decode(rev)))
            except UNREADABLE as exc:
                self.damaged[record_id] = str(exc)
                log.error("record %s revision %s unreadable: %s",
                          record_id, rev.rev_id, type(exc).__name__)
        live = [d for d in decoded if d[2] is not None]
        if waiting:
            self.waiting.add(record_id)
        else:
            self.waiting.discard(record_id)
        if not live:
            self.ws.remove(record_id, old)
            return
        seq, rev, record = max(live, key=lambda d: (d[0], d[1].rev_id))
        self.ws.put(record_id=record_id, kind=rev.kind, rev_id=rev.rev_id, record=record,
                    old=old, conflict=len(heads) > 1)
        if len(decoded) + waiting == len(heads):
            self.damaged.pop(record_id, None)

    def shown_record(self, record_id: str, row: tuple[Any, ...]) -> Record | None:
        """The record a working-set row shows: from its kept JSON or columns, or decrypted
        from its revision (also needed to delete its FTS entry on update)."""
        kind, rev_id, _key, _conflict, data = row
        if data is not None:
            return from_dict(RECORD_TYPES[kind], json.loads(data))
        if kind == WorkEntry.KIND:
            return self.ws.work_entries("r.record_id=?", (record_id,))[0]
        prev = self._store.revision(rev_id)
        return self._cipher.decode(prev) if prev is not None else None

    def remove_client(self, client_id: str) -> None:
        """Take every record of a client out of the working set (erasure)."""
        self.ws.begin()
        try:
            for record_id in self.ws.ids_of_client(client_id):
                row = self.ws.row(record_id)
                self.ws.remove(
                    record_id, self.shown_record(record_id, row) if row is not None else None
                )
        finally:
            self.ws.commit()

    # -- the unlock cache -------------------------------------------------------------
    def write_snapshot_if_stale(self, *, closing: bool = False) -> None:
        """Seal the working set into the unlock cache if it is worth it.  ``closing``: the
        working set is closed next (the vault locks), so each part is freed once sealed."""
        seq = self._store.max_seq()
        if self._cache is None or (seq == self.snapshot_seq and not self.ws.upgraded) or \
                self.ws.count() < SNAPSHOT_MIN_RECORDS or self.waiting:
            # (records waiting for newer keys are not in the working set: a cache written
            # now would hide them after the keys arrive)
            return
        if 0 <= self.snapshot_seq and seq - self.snapshot_seq <= REPLAY_MAX \
                and not self.ws.upgraded:
            # a few changes behind (a report's audit entry, a quick edit): the next unlock
            # replays them; sealing the whole working set again costs seconds on a large vault
            return
        deadlines.bring_up_to_date(self.ws)
        self.finish_index()  # a cache is sealed with every note in its index
        snapshot.write(self._cache, self._snapshot_key, self._keys.vault_id, seq,
                       self.ws.to_parts(release=closing))
        self.snapshot_seq = seq
        self.ws.upgraded = False

    def replace_snapshot_key(self, key: bytes) -> None:
        """Use a new cache key (its wrapped form was stored by the caller): every cache
        written before can no longer be opened; the file is removed too."""
        self._snapshot_key = key
        if self._cache is not None:
            snapshot.remove(self._cache)
        self.snapshot_seq = -1

    def close(self) -> None:
        self._closed = True
        self._close_index_pool()
        self.ws.unindexed.clear()
        self.ws.close()
        self._snapshot_key = b""


class StepQueries:
    """Base of the query parts that work in steps (``agenda``, ``timequeries``): every
    query takes the vault's lock on its own, so other work can run between two steps."""

    def __init__(self, lock: threading.RLock, keys: UnlockedKeys, current: Current) -> None:
        self._lock = lock
        self._keys = keys
        self._current = current

    def _rows(self, query: str, params: Sequence[Any] | Mapping[str, Any] = ()) -> list[Any]:
        with self._lock:
            self._keys.require()
            return self._current.ws.db.execute(query, params).fetchall()

    def _fresh_rows(self, query: str, params: Sequence[Any] | Mapping[str, Any] = ()
                    ) -> list[Any]:
        """As ``_rows``, the ``deadlines`` and ``measures`` tables brought up to date first."""
        with self._lock:
            self._keys.require()
            deadlines.bring_up_to_date(self._current.ws)
            return self._current.ws.db.execute(query, params).fetchall()


def open_checked(st: Store, keys: UnlockedKeys, cipher: RevisionCipher,
                 keeper: integrity.Keeper) -> Current:
    """The working set of a vault whose file was checked against its sealed history.

    On a large vault the heads digest is computed by a helper process
    (:mod:`counsel.vault.headscheck`) while the working set loads here; the check is still
    complete before this returns.  A working set loaded from a file found damaged is thrown
    away, with the unlock cache (it may show what was undone), and rebuilt from the
    repaired file."""
    pending = keeper.start_heads_check()
    try:
        current = Current(st, keys, cipher)
    except BaseException:
        if pending is not None:
            pending.cancel()
        raise
    if keeper.verify(st.erased_keys(), pending):
        if st.path is not None:
            snapshot.remove(snapshot.cache_path(st.path))
        with st.lock:  # (its note index pass, if any, stops between two steps)
            current.close()
        current = Current(st, keys, cipher)
    return current
