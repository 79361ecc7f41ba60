"""Encrypted cache of the working set, for fast unlock of large vaults.

The in-memory working set is ``serialize()``d and sealed as one envelope in a file
beside the vault (``<vault>.wscache``).  It records the vault's ``local_seq`` it
reflects; on unlock, revisions stored after it are replayed.  A missing, stale or
unauthentic cache is ignored and rebuilt from the revisions.  Its key is random and
kept wrapped in the vault; erasing a client replaces that key, so cache copies made
before the erasure cannot be opened with anything the vault still holds.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from counsel.errors import IntegrityError
from counsel.vault import envelope

MAGIC = b"CNSLWS1\n"


def cache_path(vault_path: Path) -> Path:
    return vault_path.with_name(vault_path.name + ".wscache")


def write(path: Path, key: bytes, vault_id: str, seq: int, data: bytes) -> None:
    sealed = envelope.seal(key, data, envelope.aad("snapshot", vault_id, str(seq)))
    fd, tmp = tempfile.mkstemp(prefix=".wscache-", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as fp:
            fp.write(MAGIC + seq.to_bytes(8, "big") + sealed)
            fp.flush()
            os.fsync(fp.fileno())
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise


def read(path: Path, key: bytes, vault_id: str) -> tuple[int, bytes] | None:
    try:
        raw = path.read_bytes()
    except OSError:
        return None
    if not raw.startswith(MAGIC) or len(raw) < len(MAGIC) + 8:
        return None
    seq = int.from_bytes(raw[len(MAGIC) : len(MAGIC) + 8], "big")
    try:
        data = envelope.open_(
            key, raw[len(MAGIC) + 8 :], envelope.aad("snapshot", vault_id, str(seq))
        )
    except IntegrityError:
        return None
    return seq, data


def remove(path: Path) -> None:
    try:
        path.unlink()
    except FileNotFoundError:
        pass
