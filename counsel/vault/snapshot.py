"""Encrypted cache of the working set, for fast unlock of large vaults.

The in-memory working set is ``serialize()``d and sealed as one envelope in a file
beside the vault (``<vault>.wscache``).  It records the vault's ``local_seq`` it
reflects; on unlock, revisions stored after it are replayed.  A missing, stale or
unauthentic cache is ignored and rebuilt from the revisions.  Its key is random and
kept wrapped in the vault; erasing a client replaces that key, so cache copies made
before the erasure cannot be opened with anything the vault still holds.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path

from counsel.atomicfile import atomic_writer
from counsel.errors import IntegrityError
from counsel.vault import envelope

MAGIC = b"CNSLWS3\n"
CHUNK = 8 * 1024 * 1024  # sealed in pieces: reading never holds two copies of a part


class Unusable(Exception):
    """The cache cannot be used (damaged, altered, of another vault); rebuild instead."""


def cache_path(vault_path: Path) -> Path:
    return vault_path.with_name(vault_path.name + ".wscache")


def _aad(vault_id: str, seq: int, part: str, index: int, count: int) -> bytes:
    return envelope.aad("snapshot", vault_id, str(seq), part, str(index), str(count))


def write(
    path: Path, key: bytes, vault_id: str, seq: int, parts: Iterable[tuple[str, bytes]]
) -> None:
    """Seal the named parts (produced one at a time) into ``path``, atomically."""
    with atomic_writer(path) as fp:
        fp.write(MAGIC + seq.to_bytes(8, "big"))
        nparts = 0
        for name, data in parts:
            count = max(1, -(-len(data) // CHUNK))
            raw_name = name.encode()
            fp.write(
                len(raw_name).to_bytes(1, "big")
                + raw_name
                + count.to_bytes(4, "big")
                + len(data).to_bytes(8, "big")
            )
            view = memoryview(data)
            for i in range(count):
                sealed = envelope.seal(
                    key, view[i * CHUNK : (i + 1) * CHUNK], _aad(vault_id, seq, name, i, count)
                )
                fp.write(len(sealed).to_bytes(4, "big") + sealed)
            nparts += 1
            del view, data
        fp.write(b"END" + nparts.to_bytes(4, "big"))


def read_seq(path: Path) -> int | None:
    """The ``local_seq`` a cache reflects (not authenticated: ``read`` checks it)."""
    try:
        with path.open("rb") as fp:
            head = fp.read(len(MAGIC) + 8)
    except OSError:
        return None
    if len(head) < len(MAGIC) + 8 or not head.startswith(MAGIC):
        return None
    return int.from_bytes(head[len(MAGIC) :], "big")


def read(path: Path, key: bytes, vault_id: str) -> Iterator[tuple[str, bytearray]]:
    """Yield the cache's parts one at a time, each authenticated.

    Raises :class:`Unusable` (possibly after some parts) when anything is wrong: the
    caller discards what it loaded and rebuilds.
    """
    seq = read_seq(path)
    if seq is None:
        raise Unusable("no cache")
    with path.open("rb") as fp:
        fp.seek(len(MAGIC) + 8)
        nparts = 0
        while True:
            tag = fp.read(1)
            if tag == b"E":
                rest = fp.read(6)
                if rest[:2] != b"ND" or int.from_bytes(rest[2:], "big") != nparts or fp.read(1):
                    raise Unusable("bad end")
                return
            if not tag:
                raise Unusable("cut short")
            name = fp.read(tag[0]).decode("ascii", "replace")
            count = int.from_bytes(fp.read(4), "big")
            size = int.from_bytes(fp.read(8), "big")
            if count < 1 or size > count * CHUNK:
                raise Unusable("bad part header")
            out = bytearray(size)
            offset = 0
            for i in range(count):
                length = int.from_bytes(fp.read(4), "big")
                try:
                    plain = envelope.open_(
                        key, fp.read(length), _aad(vault_id, seq, name, i, count)
                    )
                except IntegrityError as exc:
                    raise Unusable("failed authentication") from exc
                out[offset : offset + len(plain)] = plain
                offset += len(plain)
            if offset != size:
                raise Unusable("bad part size")
            nparts += 1
            yield name, out
            del out


def remove(path: Path) -> None:
    try:
        path.unlink()
    except FileNotFoundError:
        pass
