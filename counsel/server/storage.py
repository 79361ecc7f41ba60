"""Open the storage named by a database URL."""

from __future__ import annotations

from counsel.server.storage_sql import SqlStorage


def open_storage(url: str) -> SqlStorage:
    """``postgresql://...`` → PostgreSQL; ``sqlite:///path`` or a plain path → SQLite."""
    if url.startswith(("postgresql://", "postgres://")):
        from counsel.server.storage_pg import PgStorage

        return PgStorage(url)
    from counsel.server.storage_sqlite import SqliteStorage

    path = url.removeprefix("sqlite:///") if url.startswith("sqlite:///") else url
    return SqliteStorage(path)
