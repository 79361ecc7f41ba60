"""The vault file before it is opened: is it a readable Counsel vault, and its keyring.

Both checks open the file read-only (``immutable`` when there is no WAL), so a damaged,
truncated or newer vault, or a wrong passphrase, leaves the file and its folder exactly
as they were.
"""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path
from urllib.parse import quote

from counsel.errors import VaultError, VaultNotFound
from counsel.i18n import gettext as _
from counsel.vault import schema

SQLITE_MAGIC = b"SQLite format 3\x00"
#: the page copy a backup keeps beside the vault for a moment (``.<vault>.backup-copy-<pid>``)
BACKUP_COPY = ".backup-copy-"


def _ro_uri(path: Path) -> str:
    """Read-only URI; ``immutable`` when there is no WAL, so no -wal/-shm files appear.

    The path is percent-escaped: a folder or file name holding ``#``, ``?`` or ``%``
    would otherwise be read as the URI's fragment or query (a vault under "Clients #2"
    could not be opened)."""
    wal = Path(f"{path}-wal")
    flag = "" if wal.exists() and wal.stat().st_size > 0 else "&immutable=1"
    return f"file:{quote(str(path.absolute()))}?mode=ro{flag}"


def check_readable(path: Path) -> int:
    """Open read-only and return the schema version; raise a clear error otherwise.

    Never writes to the main file, so a damaged or newer vault is left exactly as it was.
    """
    if not path.is_file():
        raise VaultNotFound(_("No vault at {path}.").format(path=path))
    with path.open("rb") as fp:
        head = fp.read(100)
    if len(head) < 100 or not head.startswith(SQLITE_MAGIC):
        raise VaultError(_("The vault file is damaged or is not a Counsel vault."))
    # O(1) truncation check from the header (a full integrity check is `counsel check`'s)
    page_size = int.from_bytes(head[16:18], "big")
    page_size = 65536 if page_size == 1 else page_size
    pages = int.from_bytes(head[28:32], "big")
    valid_for = int.from_bytes(head[92:96], "big") == int.from_bytes(head[24:28], "big")
    wal = Path(f"{path}-wal")
    # with a non-empty WAL (a crash, possibly mid-checkpoint) the header may already count
    # pages that only the WAL holds yet: SQLite's own recovery completes them
    settled = not (wal.exists() and wal.stat().st_size > 0)
    if valid_for and settled and path.stat().st_size < page_size * pages:
        raise VaultError(_("The vault file is incomplete (cut short)."))
    try:
        conn = sqlite3.connect(_ro_uri(path), uri=True)
        try:
            version = schema.version_of(conn)
            schema.ensure_supported(version)
            if version == 0:
                raise VaultError(_("The file is not a Counsel vault."))
            conn.execute("SELECT key FROM meta LIMIT 1").fetchall()
        finally:
            conn.close()
    except sqlite3.DatabaseError as exc:
        raise VaultError(_("The vault file is damaged or is not a Counsel vault.")) from exc
    return version


def read_meta_readonly(path: Path) -> dict[str, bytes]:
    check_readable(path)
    conn = sqlite3.connect(_ro_uri(path), uri=True)
    try:
        return {str(k): bytes(v) for k, v in conn.execute("SELECT key, value FROM meta")}
    except sqlite3.DatabaseError as exc:
        raise VaultError(_("The vault file is damaged or is not a Counsel vault.")) from exc
    finally:
        conn.close()


def companions(path: Path) -> list[Path]:
    """The vault file and everything Counsel keeps beside it: WAL, shared memory, the
    unlock cache, migration copies, unfinished creations and a backup's page copy left
    by a crash."""
    found = [path, Path(f"{path}-wal"), Path(f"{path}-shm"),
             path.with_name(path.name + ".wscache")]
    if path.parent.is_dir():
        for other in path.parent.iterdir():
            if (other.name.startswith(path.name + ".before-v")
                    or other.name.startswith(f".{path.name}.creating-")
                    or other.name.startswith(f".{path.name}{BACKUP_COPY}")):
                found.append(other)
    return found


def wipe(path: Path) -> list[Path]:
    """Overwrite (once, with zeros) and delete a **closed** vault and its companions;
    returns what was removed.  Overwriting is best effort: SSDs and copy-on-write file
    systems may keep old blocks, which is why the contents are encrypted at rest."""
    removed = []
    for item in companions(path):
        if not item.is_file():
            continue
        try:
            size = item.stat().st_size
            with open(item, "r+b") as fp:
                zeros = bytes(1 << 20)
                for start in range(0, size, len(zeros)):
                    fp.write(zeros[:min(len(zeros), size - start)])
                fp.flush()
                os.fsync(fp.fileno())
        except OSError:
            pass  # deleting still matters
        item.unlink(missing_ok=True)
        removed.append(item)
    return removed
