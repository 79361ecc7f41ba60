"""Migration 5: device revocation notices and organisation escrows (issue 15).

* ``devices.notice``: the revocation notice the revoking device sealed for the revoked
  one (opaque here; NULL for revocations by an administrator or from before);
* ``escrows``: each account's master key sealed to the organisation recovery key, per
  vault and generation (opaque here; only the organisation's offline key opens one).

``ADD COLUMN`` without a default rewrites nothing on PostgreSQL and SQLite.
"""

from __future__ import annotations

from counsel.server.storage_sql import Db

NAME = "device revocation notices, organisation escrows"


def up(db: Db, dialect: str) -> None:
    blob = "BYTEA" if dialect == "postgresql" else "BLOB"
    db.execute(f"ALTER TABLE devices ADD COLUMN notice {blob}")
    db.execute(
        "CREATE TABLE IF NOT EXISTS escrows (vault_id TEXT NOT NULL, account TEXT NOT NULL, "
        "generation INTEGER NOT NULL, record TEXT NOT NULL, updated DOUBLE PRECISION NOT NULL, "
        "PRIMARY KEY (vault_id, account, generation))")
