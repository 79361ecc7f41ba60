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
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from counsel.vault import envelope
from counsel.vault.bulkrows import FAST, NotFast
from counsel.vault.keyring import UnlockedKeys
from counsel.vault.payload import RevisionCipher, record_from
from counsel.vault.store import Store, StoredRevision
from counsel.vault.workingset import Batch, WorkingSet

log = logging.getLogger("counsel.vault")

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
            progress: Progress | None = None) -> None:
    """Fill the (empty) working set from every head.  ``show_heads``: the record-by-record
    way for one record's heads; ``errors``: what it treats as an unreadable revision."""
    erased = keys.erased()
    batch = Batch()
    rowid = 1
    done = report = 0

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
        rowid = int(ws.db.execute("SELECT COALESCE(MAX(rowid), 0) + 1 FROM records")
                    .fetchone()[0])

    ws.drop_indexes()
    with store.lock:
        total = store.count_heads()
        ws.begin()
        try:
            group: Heads = []
            for rev, seq in store.iter_heads():
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
        finally:
            ws.commit()
            ws.create_indexes()
    if progress is not None:
        progress(done, total)
    log.info("working set rebuilt from %d heads", done)
