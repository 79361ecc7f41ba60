"""On-disk schema of a vault file and its numbered migrations.

``PRAGMA user_version`` holds the schema version.  Before a migration the file is
copied aside (``<vault>.before-v<N>.bak``, still fully encrypted); a file from a newer
version is refused and left untouched.  Add a migration by appending a function to
``MIGRATIONS``; never edit one that has shipped.
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Callable
from pathlib import Path

from counsel.errors import NewerVaultFormat
from counsel.i18n import gettext as _


def _v1(conn: sqlite3.Connection) -> None:
    conn.executescript(
        """
        CREATE TABLE meta (key TEXT PRIMARY KEY, value BLOB NOT NULL);
        CREATE TABLE keys (key_id TEXT PRIMARY KEY, wrapped BLOB NOT NULL);
        CREATE TABLE erased (key_id TEXT PRIMARY KEY, at TEXT NOT NULL);
        CREATE TABLE revisions (
            rev_id TEXT PRIMARY KEY,
            record_id TEXT NOT NULL,
            parents TEXT NOT NULL,
            kind TEXT NOT NULL,
            key_id TEXT NOT NULL,
            device_id TEXT NOT NULL,
            envelope BLOB NOT NULL,
            local_seq INTEGER NOT NULL UNIQUE
        );
        CREATE INDEX revisions_record ON revisions(record_id);
        CREATE INDEX revisions_key ON revisions(key_id);
        CREATE TABLE heads (
            record_id TEXT NOT NULL,
            rev_id TEXT NOT NULL,
            PRIMARY KEY (record_id, rev_id)
        ) WITHOUT ROWID;
        CREATE TABLE outbox (rev_id TEXT PRIMARY KEY);
        CREATE TABLE sync_state (key TEXT PRIMARY KEY, value TEXT NOT NULL);
        CREATE TABLE drafts (
            draft_id TEXT PRIMARY KEY, envelope BLOB NOT NULL, updated TEXT NOT NULL
        );
        """
    )


def _v2(conn: sqlite3.Connection) -> None:
    """Authenticated history (issue 11): per-device counter and chain link on every
    revision (0 and '' for the revisions written before: they stay format 1), the sealed
    record of each erasure, and the records found damaged (remembered until repaired)."""
    conn.executescript(
        """
        ALTER TABLE revisions ADD COLUMN counter INTEGER NOT NULL DEFAULT 0;
        ALTER TABLE revisions ADD COLUMN prev TEXT NOT NULL DEFAULT '';
        CREATE INDEX revisions_chain ON revisions(device_id, counter) WHERE counter > 0;
        ALTER TABLE erased ADD COLUMN sealed BLOB;
        CREATE TABLE damaged (
            record_id TEXT PRIMARY KEY, reason TEXT NOT NULL, found TEXT NOT NULL
        );
        """
    )


def _v3(conn: sqlite3.Connection) -> None:
    """A full index for looking up one change of one device: SQLite cannot use v2's
    partial index for ``counter = ?`` (it cannot prove the bound value is positive), so a
    first sync looked each change up with a scan."""
    conn.executescript(
        """
        DROP INDEX revisions_chain;
        CREATE INDEX revisions_chain ON revisions(device_id, counter);
        """
    )


def _v4(conn: sqlite3.Connection) -> None:
    """An index of the merge revisions (several parents; rare): listing the records an
    edit restored read every head's revision row — the whole file, seconds on an office
    vault, with the vault locked, at every unlock."""
    conn.executescript(
        """
        CREATE INDEX revisions_merges ON revisions(record_id, rev_id)
            WHERE parents LIKE '%,%';
        """
    )


def _v5(conn: sqlite3.Connection) -> None:
    """The outbox keyed by the revisions' order here (``local_seq``) instead of their random
    ids: a bulk save appended 1,000 rows to it at random places of a 300k-row index (4 MB
    of pages written per 1,000 records on a large vault); now at its end, and the push
    reads it in the order it goes out without sorting."""
    conn.executescript(
        """
        CREATE TABLE outbox_seq (seq INTEGER PRIMARY KEY);
        INSERT INTO outbox_seq(seq)
            SELECT r.local_seq FROM outbox o JOIN revisions r ON r.rev_id = o.rev_id;
        DROP TABLE outbox;
        ALTER TABLE outbox_seq RENAME TO outbox;
        """
    )


MIGRATIONS: list[Callable[[sqlite3.Connection], None]] = [_v1, _v2, _v3, _v4, _v5]
CURRENT = len(MIGRATIONS)


def version_of(conn: sqlite3.Connection) -> int:
    return int(conn.execute("PRAGMA user_version").fetchone()[0])


def ensure_supported(version: int) -> None:
    if version > CURRENT:
        raise NewerVaultFormat(
            _(
                "This vault was made by a newer version of Counsel (format {found}; this "
                "version reads up to {supported})."
            ).format(found=version, supported=CURRENT)
        )


def migrate(conn: sqlite3.Connection, path: Path | None) -> None:
    """Bring ``conn`` to ``CURRENT``; back the file up first if it already held data."""
    version = version_of(conn)
    ensure_supported(version)
    if version == CURRENT:
        return
    if version > 0 and path is not None:
        backup = path.with_name(f"{path.name}.before-v{CURRENT}.bak")
        if not backup.exists():
            fd = os.open(backup, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            os.close(fd)
        dest = sqlite3.connect(backup)
        try:
            conn.backup(dest)
        finally:
            dest.close()
    for number in range(version, CURRENT):
        with conn:
            MIGRATIONS[number](conn)
            conn.execute(f"PRAGMA user_version = {number + 1}")
