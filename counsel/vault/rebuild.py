"""The working set rebuilt from every head in bulk (first unlock on a device, a lost cache).

The record-by-record way (:meth:`counsel.vault.current.Current._show_heads`) decodes each
head into a validated dataclass and inserts its rows one statement at a time.  Here heads
are streamed from the vault file, the common case — one head, readable, of a kind with a
fast row builder (:mod:`counsel.vault.bulkrows`) — goes from the decrypted dict to rows,
other kinds are decoded as before, and the rows of ``BATCH`` records are inserted table by
table with ``executemany`` in one transaction each.  Anything else (a conflict, an erased
or damaged revision, one sealed under keys not here yet, a dict the fast builders do not
take) is handed to the record-by-record way, so damaged and waiting records are found the
same way.  The result is the same working set, row for row
(``tests/unit/vault/test_rebuild.py`` compares them).

On a large vault the decrypting and row building run in helper processes
(:mod:`counsel.vault.rebuildpool`) while this process inserts what they send, in
record-id order; if they cannot start or stop, the rest is rebuilt here
(``tests/unit/vault/test_rebuildpool.py``).
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from counsel.logs import Scrubbed
from counsel.vault import envelope, rebuildpool
from counsel.vault.bulkrows import FAST, NotFast
from counsel.vault.keyring import UnlockedKeys
from counsel.vault.payload import RevisionCipher, record_from
from counsel.vault.store import Store, StoredRevision
from counsel.vault.workingset import Batch, WorkingSet

log = logging.getLogger("counsel.vault")

#: from this many heads on, encounters' note text is indexed in a second pass after the
#: working set is ready (counsel.vault.current.Current.finish_index)
DEFER_MIN = 20_000

#: records per transaction (SQLite journals every page a transaction changes: one huge
#: transaction would double the memory the rebuild needs)
BATCH = 5000

Heads = list[tuple[StoredRevision, int]]
#: called with (heads read, heads in the vault) after each batch
Progress = Callable[[int, int], None]


class _Slow(Exception):
    """This record goes the record-by-record way."""


def rebuild(ws: WorkingSet, store: Store, keys: UnlockedKeys, cipher: RevisionCipher,
            show_heads: Callable[[Heads], None], errors: tuple[type[BaseException], ...],
            progress: Progress | None = None, *, workers: int | None = None
            ) -> rebuildpool.Pool | None:
    """Fill the (empty) working set from every head.  ``show_heads``: the record-by-record
    way for one record's heads; ``errors``: what it treats as an unreadable revision;
    ``workers``: helper processes (None: :func:`rebuildpool.workers_wanted` for a vault
    of at least ``rebuildpool.POOL_MIN`` heads, 0: none).  Returns the helpers when they
    built the rows and the note text was left for later (:meth:`rebuildpool.Pool.bodies`
    is the second pass; the caller closes them)."""
    kept: rebuildpool.Pool | None = None
    ws.drop_indexes()
    with store.lock:
        total = store.count_heads()
        if workers is None:
            workers = rebuildpool.workers_wanted() if total >= rebuildpool.POOL_MIN else 0
        defer = total >= DEFER_MIN
        ws.begin()
        try:
            since: str | None = ""
            rowid = done = 0
            if workers and store.path is not None:
                since, rowid, done, kept = _with_pool(ws, store, keys, show_heads, progress,
                                                      total, workers, defer)
            if since is not None:
                done = _in_process(ws, store, keys, cipher, show_heads, errors, progress,
                                   total, since, rowid + 1, done, defer)
        finally:
            ws.commit()
            ws.create_indexes()
    if progress is not None:
        progress(total, total)
    log.info("working set rebuilt from %d heads", done)
    return kept


def _next_rowid(ws: WorkingSet) -> int:
    return int(ws.db.execute("SELECT COALESCE(MAX(rowid), 0) + 1 FROM records").fetchone()[0])


def _with_pool(ws: WorkingSet, store: Store, keys: UnlockedKeys,
               show_heads: Callable[[Heads], None], progress: Progress | None, total: int,
               workers: int, defer: bool
               ) -> tuple[str | None, int, int, rebuildpool.Pool | None]:
    """The rows built by helper processes, inserted in record-id order.  Returns where
    the rest is to be rebuilt in this process (None: nothing left), the last rowid used,
    the heads done and the helpers if they are kept for the note text (``defer``)."""
    last = done = 0
    vault_keys = [keys.vault_key(g) for g in range(keys.generation + 1)]
    try:
        pool = rebuildpool.Pool(str(store.path), keys.vault_id, vault_keys, keys.erased(),
                                workers, defer)
    except rebuildpool.Unavailable as exc:
        log.warning("rebuild helpers did not start (%s); rebuilding in this process",
                    Scrubbed(exc.reason))
        return "", 0, 0, None
    del vault_keys
    # (the helpers start while the ranges are read)
    bounds = rebuildpool.chunk_bounds(store.conn, rebuildpool.CHUNK)
    if not bounds:
        pool.close()
        return None, 0, 0, None
    i = 0
    finished = False
    try:
        for heads, items in pool.results(bounds):
            for item in items:
                if item[0] == "rows":
                    ws.insert_shifted(item[2], last)
                    last += item[1]
                else:  # the record-by-record way inserts at once: rowids stay in order
                    show_heads(store.heads_with_seq(item[1]))
                    last = _next_rowid(ws) - 1
            ws.commit()
            ws.begin()
            i += 1
            done += heads
            if progress is not None:
                progress(done, total)
        finished = True
    except rebuildpool.Unavailable as exc:
        log.warning("rebuild helpers stopped (%s); finishing in this process", Scrubbed(exc.reason))
        return bounds[i][0], last, done, None
    finally:
        if not (finished and defer):
            pool.close()
    return None, last, done, pool if defer else None


def _in_process(ws: WorkingSet, store: Store, keys: UnlockedKeys, cipher: RevisionCipher,
                show_heads: Callable[[Heads], None], errors: tuple[type[BaseException], ...],
                progress: Progress | None, total: int, since: str, rowid: int,
                done: int, defer: bool) -> int:
    """Every head from record id ``since`` on, in this process (``rowid``: the next)."""
    erased = keys.erased()
    batch = Batch(defer_bodies=defer)
    report = done

    def fast(rev: StoredRevision) -> bool:
        """Add the rows of a record with one head; False if it shows nothing."""
        if rev.key_id in erased:
            return False
        if not keys.knows(envelope.generation_of(rev.envelope)):
            raise _Slow
        try:
            data = cipher.open(rev)
            if data is None:
                return False  # deleted
            add = FAST.get(rev.kind)
            if add is not None:
                try:
                    add(batch, rowid, rev.record_id, rev.rev_id, data)
                    return True
                except NotFast:
                    pass
            record = record_from(rev.kind, data, rev.record_id)
        except errors as exc:
            raise _Slow from exc
        batch.add_record(rowid, rev.record_id, rev.kind, rev.rev_id, record)
        return True

    def flush() -> None:
        ws.insert(batch)
        ws.commit()
        ws.begin()
        batch.clear()

    def show(group: Heads) -> None:
        nonlocal rowid
        if len(group) == 1:
            try:
                if fast(group[0][0]):
                    rowid += 1
                    if len(batch) >= BATCH:
                        flush()
                return
            except _Slow:
                pass
        flush()  # the record-by-record way inserts at once: rowids stay in order
        show_heads(group)
        rowid = _next_rowid(ws)

    group: Heads = []
    for rev, seq in store.iter_heads(since):
        if group and group[0][0].record_id != rev.record_id:
            done += len(group)
            show(group)
            group = []
            if progress is not None and done >= report:
                progress(done, total)
                report += BATCH
        group.append((rev, seq))
    if group:
        done += len(group)
        show(group)
    ws.insert(batch)
    return done
