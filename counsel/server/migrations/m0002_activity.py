"""Migration 2: when each device was last seen and each vault last written (admin lists).

Both columns are NULL on rows from before the upgrade ("unknown"); ``ADD COLUMN``
without a default rewrites nothing, so this is instant on any size of database.
"""

from __future__ import annotations

from counsel.server.storage_sql import Db

NAME = "device last seen, vault last write"


def up(db: Db, dialect: str) -> None:
    db.execute("ALTER TABLE devices ADD COLUMN last_seen DOUBLE PRECISION")
    db.execute("ALTER TABLE vaults ADD COLUMN last_write DOUBLE PRECISION")
