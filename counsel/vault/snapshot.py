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

MAGIC = b"CNSLWS2\n"
CHUNK = 8 * 1024 * 1024  # sealed in pieces so reading never holds two whole copies


def cache_path(vault_path: Path) -> Path:
    return vault_path.with_name(vault_path.name + ".wscache")


def _aad(vault_id: str, seq: int, index: int, count: int) -> bytes:
    return envelope.aad("snapshot", vault_id, str(seq), str(index), str(count))


def write(path: Path, key: bytes, vault_id: str, seq: int, data: bytes) -> None:
    count = max(1, -(-len(data) // CHUNK))
    fd, tmp = tempfile.mkstemp(prefix=".wscache-", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as fp:
            fp.write(
                MAGIC
                + seq.to_bytes(8, "big")
                + count.to_bytes(4, "big")
                + len(data).to_bytes(8, "big")
            )
            view = memoryview(data)
            for i in range(count):
                sealed = envelope.seal(
                    key, view[i * CHUNK : (i + 1) * CHUNK], _aad(vault_id, seq, i, count)
                )
                fp.write(len(sealed).to_bytes(4, "big") + sealed)
            fp.flush()
            os.fsync(fp.fileno())
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise


def read(path: Path, key: bytes, vault_id: str) -> tuple[int, bytearray] | None:
    """The cached working set and the ``local_seq`` it reflects; None if unusable."""
    try:
        fp = path.open("rb")
    except OSError:
        return None
    with fp:
        head = fp.read(len(MAGIC) + 20)
        if len(head) < len(MAGIC) + 20 or not head.startswith(MAGIC):
            return None
        seq = int.from_bytes(head[len(MAGIC) : len(MAGIC) + 8], "big")
        count = int.from_bytes(head[len(MAGIC) + 8 : len(MAGIC) + 12], "big")
        size = int.from_bytes(head[len(MAGIC) + 12 :], "big")
        if count < 1 or size > count * CHUNK:
            return None
        out = bytearray(size)
        offset = 0
        try:
            for i in range(count):
                length = int.from_bytes(fp.read(4), "big")
                plain = envelope.open_(key, fp.read(length), _aad(vault_id, seq, i, count))
                out[offset : offset + len(plain)] = plain
                offset += len(plain)
        except IntegrityError:
            return None
        if offset != size or fp.read(1):
            return None
    return seq, out


def remove(path: Path) -> None:
    try:
        path.unlink()
    except FileNotFoundError:
        pass
