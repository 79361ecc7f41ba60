"""Migration 3: authenticated history (issue 11).

* ``revisions.counter`` / ``revisions.prev``: each device's change number and chain
  link, as the device sent them (0 and '' on rows from before: those are format 1);
* ``vault_keys.erasure``: the sealed erasure record a device sent with the erasure
  (NULL on erasures from before: devices treat those as unauthenticated);
* ``checkpoints``: each device's latest sealed checkpoint, opaque to the server.

``ADD COLUMN`` with a constant default rewrites nothing on PostgreSQL 11+ and SQLite.
"""

from __future__ import annotations

from counsel.server.storage_sql import Db

NAME = "revision chain, sealed erasures, checkpoints"


def up(db: Db, dialect: str) -> None:
    blob = "BYTEA" if dialect == "postgresql" else "BLOB"
    db.execute("ALTER TABLE revisions ADD COLUMN counter BIGINT NOT NULL DEFAULT 0")
    db.execute("ALTER TABLE revisions ADD COLUMN prev TEXT NOT NULL DEFAULT ''")
    db.execute(f"ALTER TABLE vault_keys ADD COLUMN erasure {blob}")
    db.execute(
        "CREATE INDEX IF NOT EXISTS revisions_chain ON revisions (vault_id, device_id, counter)")
    db.execute(
        f"CREATE TABLE IF NOT EXISTS checkpoints (vault_id TEXT NOT NULL, device_id TEXT NOT "
        f"NULL, sealed {blob} NOT NULL, updated DOUBLE PRECISION NOT NULL, "
        f"PRIMARY KEY (vault_id, device_id))")
