"""Schema versions: apply the numbered migrations, and refuse to serve a mismatched database.

The version is the highest row of ``schema_migrations``.  Each migration runs in its
own transaction together with the row that records it (both backends have
transactional DDL), so a failed migration leaves the database at the version before.
PostgreSQL takes an advisory lock first, so two ``migrate`` runs at once apply each
step once; SQLite's ``BEGIN IMMEDIATE`` does the same.

A database the release before migrations created has the version-1 tables but no
``schema_migrations``: it counts as version 0 and migration 1 adopts it unchanged.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from counsel.server.migrations import LATEST, step
from counsel.server.storage_sql import Db, SqlStorage

VERSION_TABLE = "schema_migrations"
VERSION_DDL = (f"CREATE TABLE IF NOT EXISTS {VERSION_TABLE} (version INTEGER PRIMARY KEY, "
               "name TEXT NOT NULL, applied DOUBLE PRECISION NOT NULL)")


class SchemaError(Exception):
    """The database's schema does not match this release (behind, ahead or unknown)."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def _version(storage: SqlStorage, db: Db) -> int:
    if VERSION_TABLE not in storage.table_names(db):
        return 0
    rows = db.execute(f"SELECT MAX(version) FROM {VERSION_TABLE}")
    return int(rows[0][0] or 0)


def current_version(storage: SqlStorage) -> int:
    with storage.transaction(write=False) as db:
        return _version(storage, db)


def _ahead(version: int) -> SchemaError:
    return SchemaError(
        f"The database schema is at version {version}, newer than this counsel-server "
        f"knows (version {LATEST}): a newer release has upgraded it. Run that release, "
        f"or restore the backup taken before the upgrade. Migrations only go forward.")


def check(storage: SqlStorage) -> int:
    """The schema version, if it is exactly the one this code needs; else SchemaError."""
    with storage.transaction(write=False) as db:
        version = _version(storage, db)
        empty = version == 0 and not storage.table_names(db)
    if version > LATEST:
        raise _ahead(version)
    if empty:
        raise SchemaError(f"The database is empty: run 'counsel-server migrate' to create "
                          f"the schema (version {LATEST}).")
    if version < LATEST:
        what = ("was created by a release without schema versions" if version == 0 else
                f"is at schema version {version}")
        raise SchemaError(
            f"The database {what}; this counsel-server needs schema version {LATEST}. "
            f"Back it up (docs/server-ops.md), stop every serve worker, then run "
            f"'counsel-server migrate'.")
    return version


def migrate(storage: SqlStorage, *, target: int = LATEST,
            progress: Callable[[int, str, float], None] | None = None) -> list[int]:
    """Apply the missing migrations up to ``target``; the versions applied, in order."""
    if not 0 <= target <= LATEST:
        raise SchemaError(f"There is no schema version {target} (known: 1 to {LATEST}).")
    applied: list[int] = []
    while True:
        started = time.perf_counter()
        with storage.transaction(write=True) as db:
            storage.lock_schema(db)
            db.execute(VERSION_DDL)
            version = _version(storage, db)
            if version > LATEST:
                raise _ahead(version)
            if version >= target:
                break
            name, up = step(version + 1)
            up(db, storage.DIALECT)
            db.execute(f"INSERT INTO {VERSION_TABLE} (version, name, applied) "
                       f"VALUES (%s, %s, %s)", (version + 1, name, round(time.time(), 3)))
        applied.append(version + 1)
        if progress is not None:
            progress(version + 1, name, time.perf_counter() - started)
    return applied
