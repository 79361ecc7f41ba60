"""SQLite backend: the single-machine default.

One connection per thread; writes take the database write lock up front
(``BEGIN IMMEDIATE``), which serialises pushes exactly like the vault row lock does on
PostgreSQL.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
import threading
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

from counsel.server.storage_sql import Db, PoolStats, PoolUsage, SqlStorage


class _SqliteDb(Db):
    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn = conn

    def execute(self, sql: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
        return self.conn.execute(sql.replace("%s", "?"), tuple(params)).fetchall()

    def executemany(self, sql: str, rows: Sequence[Sequence[Any]]) -> None:
        self.conn.executemany(sql.replace("%s", "?"), rows)


def _create_private(path: Path) -> None:
    """Create the database file readable by its owner only (SQLite gives the -wal and
    -shm files the same mode as the database file)."""
    if path.exists() or str(path) == ":memory:":
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    os.close(fd)


class SqliteStorage(SqlStorage):
    DIALECT = "sqlite"

    def __init__(self, path: str | Path) -> None:
        self.path = str(path)
        _create_private(Path(self.path))
        self._local = threading.local()
        self._all: list[sqlite3.Connection] = []
        self._lock = threading.Lock()
        self._usage = PoolUsage()

    def pool_stats(self) -> PoolStats:
        with self._lock:
            size = len(self._all)
        return self._usage.stats(size)

    def table_names(self, db: Db) -> set[str]:
        return {r[0] for r in db.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' "
            "AND name NOT LIKE 'sqlite_%'")}

    def _conn(self) -> sqlite3.Connection:
        conn: sqlite3.Connection | None = getattr(self._local, "conn", None)
        if conn is None:
            conn = sqlite3.connect(self.path, isolation_level=None, timeout=60,
                                   check_same_thread=False)
            conn.execute("PRAGMA journal_mode=WAL")
            conn.execute("PRAGMA synchronous=FULL")
            conn.execute("PRAGMA foreign_keys=ON")
            # deleted cells and freed pages are overwritten with zeros, not left readable
            conn.execute("PRAGMA secure_delete=ON")
            self._local.conn = conn
            with self._lock:
                self._all.append(conn)
        return conn

    @contextlib.contextmanager
    def transaction(self, *, write: bool) -> Iterator[Db]:
        conn = self._conn()
        self._usage.enter(0.0)
        try:
            conn.execute("BEGIN IMMEDIATE" if write else "BEGIN")
            try:
                yield _SqliteDb(conn)
            except BaseException:
                conn.execute("ROLLBACK")
                raise
            conn.execute("COMMIT")
        finally:
            self._usage.leave()

    def purge(self) -> None:
        """Copy the WAL (whose older frames still hold deleted rows) into the zeroed
        database pages and truncate it to nothing; retried while readers hold it."""
        import time

        conn = self._conn()
        for _attempt in range(50):
            busy, _log, _done = conn.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
            if not busy:
                return
            time.sleep(0.05)

    def close(self) -> None:
        with self._lock:
            for conn in self._all:
                conn.close()
            self._all.clear()
