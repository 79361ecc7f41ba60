"""Open the storage named by a database URL."""

from __future__ import annotations

from counsel.server.storage_sql import SqlStorage


def open_storage(url: str, *, migrate: bool = False, pool_size: int = 8) -> SqlStorage:
    """``postgresql://...`` → PostgreSQL; ``sqlite:///path`` or a plain path → SQLite.

    Opening never changes the schema; ``migrate=True`` (tests, benchmarks) brings it to
    the current version first.  ``counsel-server`` runs migrations only when asked.
    """
    storage: SqlStorage
    if url.startswith(("postgresql://", "postgres://")):
        from counsel.server.storage_pg import PgStorage

        storage = PgStorage(url, pool_size=pool_size)
    else:
        from counsel.server.storage_sqlite import SqliteStorage

        path = url.removeprefix("sqlite:///") if url.startswith("sqlite:///") else url
        storage = SqliteStorage(path)
    if migrate:
        from counsel.server import migrate as migrations

        migrations.migrate(storage)
    return storage
