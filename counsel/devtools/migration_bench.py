"""Schema migration time on a large version-1 database (and backup/restore and admin lists).

    python -m counsel.devtools migration-bench [--revisions 1000000] [--vaults 1000]
        [--backend postgresql|sqlite] [--envelope 512]

Builds a database exactly as the release before migrations created it (migration 1's
frozen DDL, no ``schema_migrations``) holding ``--revisions`` revisions spread over
``--vaults`` vaults, then times ``migrate`` step by step, the admin ``vaults`` listing
(sizes over every envelope) and ``counsel-server backup``; on PostgreSQL also
``pg_restore`` of that dump into a new database.  PostgreSQL runs in a throwaway
cluster with fsync on.
"""

from __future__ import annotations

import argparse
import sqlite3
import subprocess
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from counsel.server.migrations import m0001_initial


def _timed(fn: Callable[[], Any]) -> tuple[float, Any]:
    t0 = time.perf_counter()
    out = fn()
    return time.perf_counter() - t0, out


def _fill_pg(url: str, revisions: int, vaults: int, envelope: int) -> None:
    import psycopg

    with psycopg.connect(url) as conn:
        for stmt in m0001_initial.DDL.format(blob="BYTEA").split(";"):
            if stmt.strip():
                conn.execute(stmt)
        conn.execute("INSERT INTO accounts (name, created) VALUES ('bench', 0)")
        conn.execute(
            "INSERT INTO vaults SELECT 'v' || lpad(v::text, 8, '0'), 'bench', "
            "%s, '{}', 0 FROM generate_series(1, %s) v", (revisions // vaults + 2, vaults))
        conn.execute("INSERT INTO members SELECT vault_id, 'bench' FROM vaults")
        reps = max(1, envelope // 32)
        conn.execute(
            "INSERT INTO revisions SELECT 'v' || lpad(((i %% %s) + 1)::text, 8, '0'), "
            "i / %s + 1, md5(i::text), md5((i %% 50000)::text), '[]', 'encounter', 'vault', "
            "'bench', 'bench', (SELECT string_agg(sha256(int4send(i) || int4send(k)), "
            "''::bytea) FROM generate_series(1, %s) k) "  # incompressible, like ciphertext
            "FROM generate_series(0, %s - 1) i", (vaults, vaults, reps, revisions))
        conn.execute("ANALYZE")


def _fill_sqlite(path: str, revisions: int, vaults: int, envelope: int) -> None:
    import hashlib
    import os

    conn = sqlite3.connect(path)
    conn.execute("PRAGMA journal_mode=WAL")
    for stmt in m0001_initial.DDL.format(blob="BLOB").split(";"):
        if stmt.strip():
            conn.execute(stmt)
    conn.execute("INSERT INTO accounts (name, created) VALUES ('bench', 0)")
    names = [f"v{v:08d}" for v in range(1, vaults + 1)]
    conn.executemany("INSERT INTO vaults VALUES (?, 'bench', ?, '{}', 0)",
                     [(n, revisions // vaults + 2) for n in names])
    conn.executemany("INSERT INTO members VALUES (?, 'bench')", [(n,) for n in names])

    def rows(lo: int, hi: int) -> Any:
        for i in range(lo, hi):
            h = hashlib.md5(str(i).encode()).hexdigest()
            yield (names[i % vaults], i // vaults + 1, h, f"{i % 50000:032x}", "[]",
                   "encounter", "vault", "bench", "bench", os.urandom(envelope))

    step = 100_000
    for lo in range(0, revisions, step):
        conn.executemany("INSERT INTO revisions VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                         rows(lo, min(lo + step, revisions)))
        conn.commit()
    conn.close()


def run(revisions: int, vaults: int, backend: str, envelope: int) -> str:
    from counsel.server import admin, backup, migrate
    from counsel.server.pg_cluster import TempCluster, _bindir
    from counsel.server.storage import open_storage

    work = Path(tempfile.mkdtemp(prefix="counsel-migration-bench-"))
    cluster = None
    lines = [f"migration bench: {backend}, {revisions:,} revisions in {vaults:,} vaults, "
             f"{envelope} B envelopes"]
    try:
        if backend == "postgresql":
            cluster = TempCluster(fsync=True)
            cluster.start()
            url = cluster.url("postgres")
            t_fill, _ = _timed(lambda: _fill_pg(url, revisions, vaults, envelope))
        else:
            url = str(work / "server.sqlite3")
            t_fill, _ = _timed(lambda: _fill_sqlite(url, revisions, vaults, envelope))
        lines.append(f"build version-1 database: {t_fill:.1f} s")
        storage = open_storage(url)
        steps: list[str] = []

        def report(version: int, name: str, seconds: float) -> None:
            steps.append(f"  migration {version} ({name}): {seconds:.3f} s")

        t_mig, _ = _timed(lambda: migrate.migrate(storage, progress=report))
        lines.append(f"migrate 0 -> {migrate.current_version(storage)}: {t_mig:.3f} s")
        lines += steps
        t_check, _ = _timed(lambda: migrate.check(storage))
        lines.append(f"schema check at serve start: {t_check * 1000:.1f} ms")
        t_list, listed = _timed(lambda: admin.vaults(storage))
        lines.append(f"admin 'vaults' listing ({len(listed):,} vaults, "
                     f"{sum(v.revisions for v in listed):,} revisions): {t_list:.1f} s")
        dump = work / "server.bak"
        t_dump, _ = _timed(lambda: backup.backup(storage, dump))
        lines.append(f"counsel-server backup: {t_dump:.1f} s, "
                     f"{dump.stat().st_size / 1e6:.0f} MB")
        storage.close()
        if cluster is not None:
            import psycopg

            with psycopg.connect(url, autocommit=True) as conn:
                conn.execute("CREATE DATABASE restored")
            t_restore, _ = _timed(lambda: subprocess.run(
                [str(_bindir() / "pg_restore"), "--no-owner", "--single-transaction",
                 "--dbname", cluster.url("restored"), str(dump)], check=True,
                capture_output=True))
            lines.append(f"pg_restore into a new database: {t_restore:.1f} s")
    finally:
        if cluster is not None:
            cluster.stop()
        import shutil

        shutil.rmtree(work, ignore_errors=True)
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m counsel.devtools migration-bench")
    parser.add_argument("--revisions", type=int, default=1_000_000)
    parser.add_argument("--vaults", type=int, default=1000)
    parser.add_argument("--backend", choices=["postgresql", "sqlite"], default="postgresql")
    parser.add_argument("--envelope", type=int, default=512)
    args = parser.parse_args(argv)
    if not 1 <= args.vaults <= args.revisions <= 50_000_000:
        parser.error("need 1 <= vaults <= revisions <= 50,000,000")
    print(run(args.revisions, args.vaults, args.backend, args.envelope))
    return 0
