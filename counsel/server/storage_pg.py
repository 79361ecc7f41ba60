"""PostgreSQL backend (psycopg 3): the production store.

A small fixed pool of connections (no extra dependency); each request borrows one.
Pushes lock the vault's row with ``SELECT ... FOR UPDATE`` until commit; pulls read in
one REPEATABLE READ snapshot so the revision page and the key range agree.
"""

from __future__ import annotations

import contextlib
import queue
import time
from collections.abc import Iterator, Sequence
from typing import Any

from counsel.server.storage_sql import Db, PoolStats, PoolUsage, SqlStorage


class _PgDb(Db):
    def __init__(self, conn: Any) -> None:
        self.conn = conn

    def execute(self, sql: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
        cur = self.conn.execute(sql, tuple(params))
        return list(cur.fetchall()) if cur.description is not None else []

    def executemany(self, sql: str, rows: Sequence[Sequence[Any]]) -> None:
        with self.conn.cursor() as cur:
            cur.executemany(sql, rows)


class PgStorage(SqlStorage):
    LOCK_VAULT = "SELECT next_seq FROM vaults WHERE vault_id = %s FOR UPDATE"
    DIALECT = "postgresql"

    def __init__(self, url: str, *, pool_size: int = 8) -> None:
        import psycopg

        self._psycopg = psycopg
        self.url = url
        self._pool: queue.Queue[Any] = queue.Queue()
        self._conns: list[Any] = []
        self._usage = PoolUsage()
        for _ in range(pool_size):
            conn = psycopg.connect(url, autocommit=False)
            self._conns.append(conn)
            self._pool.put(conn)

    def table_names(self, db: Db) -> set[str]:
        return {r[0] for r in db.execute(
            "SELECT tablename FROM pg_tables WHERE schemaname = current_schema()")}

    def lock_schema(self, db: Db) -> None:
        # Two migrate runs at once must not both apply a step.
        db.execute("SELECT pg_advisory_xact_lock(7300561)")

    def pool_stats(self) -> PoolStats:
        return self._usage.stats(len(self._conns))

    @contextlib.contextmanager
    def transaction(self, *, write: bool) -> Iterator[Db]:
        started = time.perf_counter()
        conn = self._pool.get()
        self._usage.enter(time.perf_counter() - started)
        try:
            if conn.closed or conn.broken:
                old = conn
                conn = self._psycopg.connect(self.url, autocommit=False)
                self._conns[self._conns.index(old)] = conn
            if not write:
                conn.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")
            try:
                yield _PgDb(conn)
            except BaseException:
                conn.rollback()
                raise
            conn.commit()
        finally:
            self._pool.put(conn)
            self._usage.leave()

    def purge(self) -> None:
        """VACUUM FULL the tables erasure deletes from: plain VACUUM only marks dead rows'
        space reusable and leaves their bytes in the pages; VACUUM FULL writes new table
        files without them (and drops the old ones).  It locks the two tables for the
        rewrite: erasures are rare.  WAL segments and backups keep the old bytes until
        they are recycled — see docs/sync.md, "Erasure and backups"."""
        conn = self._pool.get()
        try:
            if conn.closed or conn.broken:
                conn = self._psycopg.connect(self.url, autocommit=False)
            conn.rollback()
            conn.autocommit = True
            try:
                conn.execute("VACUUM FULL revisions")
                conn.execute("VACUUM FULL vault_keys")
            finally:
                conn.autocommit = False
        finally:
            self._pool.put(conn)

    def close(self) -> None:
        for conn in self._conns:
            conn.close()
