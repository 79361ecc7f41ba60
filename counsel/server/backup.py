"""``counsel-server backup FILE``: a consistent copy of a running server's database.

SQLite: the online backup API copies a snapshot page by page while the server keeps
serving; the copy is checked (``PRAGMA integrity_check``) and renamed into place only
when complete.  PostgreSQL: ``pg_dump --format=custom`` (one snapshot; restore with
``pg_restore``, docs/server-ops.md "Backups").  Neither ever holds plaintext: the
database has ciphertext and hashes only.
"""

from __future__ import annotations

import glob
import os
import shutil
import sqlite3
import subprocess
from pathlib import Path

from counsel.server import migrate
from counsel.server.admin import AdminError
from counsel.server.storage_pg import PgStorage
from counsel.server.storage_sql import SqlStorage
from counsel.server.storage_sqlite import SqliteStorage


def _pg_dump() -> str:
    found = shutil.which("pg_dump") or next(
        iter(sorted(glob.glob("/usr/lib/postgresql/*/bin/pg_dump"), reverse=True)), None)
    if not found:
        raise AdminError("pg_dump not found: install the PostgreSQL client tools "
                         "(the same major version as the server, or newer)")
    return found


def _pg_backup(url: str, out: Path) -> None:
    from psycopg.conninfo import conninfo_to_dict, make_conninfo

    params = conninfo_to_dict(url)
    env = dict(os.environ)
    password = params.pop("password", None)
    if password is not None:  # not on the command line, where `ps` would show it
        env["PGPASSWORD"] = str(password)
    proc = subprocess.run([_pg_dump(), "--format=custom", "--no-owner", "--file", str(out),
                           "--dbname", make_conninfo("", **params)],
                          env=env, capture_output=True, text=True, check=False)
    if proc.returncode != 0:
        raise AdminError(f"pg_dump failed: {proc.stderr.strip()[-1000:]}")


def _sqlite_backup(path: str, out: Path) -> None:
    src = sqlite3.connect(path)
    dst = sqlite3.connect(out)
    try:
        src.backup(dst, pages=1024)
        check = dst.execute("PRAGMA integrity_check").fetchone()
        if not check or check[0] != "ok":
            raise AdminError(f"the backup copy failed its integrity check: {check}")
    finally:
        dst.close()
        src.close()


def backup(storage: SqlStorage, file: str | Path) -> str:
    """Write the backup to ``file`` (never over an existing one); a one-line summary."""
    out = Path(file)
    if out.exists():
        raise AdminError(f"{out} exists; choose a new file name (backups are never "
                         f"overwritten)")
    version = migrate.current_version(storage)
    part = out.with_name(out.name + ".part")
    part.unlink(missing_ok=True)
    try:
        if isinstance(storage, PgStorage):
            _pg_backup(storage.url, part)
        elif isinstance(storage, SqliteStorage):
            _sqlite_backup(storage.path, part)
        else:
            raise AdminError(f"no backup method for {type(storage).__name__}")
        os.chmod(part, 0o600)
        os.replace(part, out)
    finally:
        part.unlink(missing_ok=True)
    return f"backup of schema version {version} written to {out} ({out.stat().st_size} bytes)"
