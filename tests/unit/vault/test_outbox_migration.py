"""Schema 5 keys the outbox by the revisions' order here (``local_seq``) instead of their
ids.  A vault written before it keeps every change it had not sent yet, in the order it
would have sent them, and acknowledging, requeueing and new saves work on the new table."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from counsel.domain import Contact
from counsel.vault import schema
from counsel.vault.kdf import KdfParams
from counsel.vault.service import Vault

PASS = "outbox migration passphrase"


def _as_schema_4(path: Path) -> None:
    """The file as schema 4 wrote it: the outbox keyed by revision id."""
    db = sqlite3.connect(path)
    with db:
        db.executescript(
            """
            CREATE TABLE outbox_v4 (rev_id TEXT PRIMARY KEY);
            INSERT INTO outbox_v4(rev_id)
                SELECT r.rev_id FROM outbox o JOIN revisions r ON r.local_seq = o.seq;
            DROP TABLE outbox;
            ALTER TABLE outbox_v4 RENAME TO outbox;
            PRAGMA user_version = 4;
            """
        )
    db.close()


def test_a_schema_4_outbox_keeps_what_was_not_sent_in_order(tmp_path: Path) -> None:
    path = tmp_path / "v.vault"
    v, _code = Vault.create(path, PASS, kdf=KdfParams.fast_for_tests())
    for i in range(6):
        v.save(Contact(id=f"contact{i}", name=f"Contact {i}"))
    v.save(Contact(id="contact2", name="Contact 2, again"))
    port = v.sync_port
    queued = [r.rev_id for r in port.outbox_batch(100)]
    sent = queued[:3]
    v.store.ack(sent)  # the first three went out already
    waiting = [r.rev_id for r in port.outbox_batch(100)]
    assert waiting == queued[3:]
    v.lock()

    assert schema.CURRENT == 5
    _as_schema_4(path)
    v = Vault.unlock(path, PASS)
    try:
        assert (tmp_path / f"v.vault.before-v{schema.CURRENT}.bak").exists()
        cols = [r[1] for r in v.store.conn.execute("PRAGMA table_info(outbox)")]
        assert cols == ["seq"]
        port = v.sync_port
        assert [r.rev_id for r in port.outbox_batch(100)] == waiting
        assert port.outbox_count() == len(waiting)
        # a new save goes last; an acknowledgement removes exactly what it names
        new = v.save(Contact(id="contact9", name="After the migration"))
        assert [r.rev_id for r in port.outbox_batch(100)] == [*waiting, new.rev_id]
        v.store.ack([waiting[0], new.rev_id])
        assert [r.rev_id for r in port.outbox_batch(100)] == waiting[1:]
        # the server lost what it had: everything goes back, in the order it was written
        v.store.transaction(v.store.requeue_all)
        assert [r.rev_id for r in port.outbox_batch(100)] == \
            [r.rev_id for r in v.store.all_revisions()]
        assert set(queued) | {new.rev_id} <= {r.rev_id for r in port.outbox_batch(100)}
    finally:
        v.lock()
