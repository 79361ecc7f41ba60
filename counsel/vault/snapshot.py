"""Encrypted cache of the working set, for fast unlock of large vaults.

The in-memory working set is ``serialize()``d and sealed part by part in a file beside
the vault (``<vault>.wscache``).  It records the vault's ``local_seq`` it reflects; on
unlock, revisions stored after it are replayed.  A missing, stale or unauthentic cache
is ignored and rebuilt from the revisions.  Its key is random and kept wrapped in the
vault; erasing a client replaces that key, so cache copies made before the erasure
cannot be opened with anything the vault still holds.

Each part is sealed in chunks (AES-GCM) so neither writing nor reading holds a second
copy of a whole part.  Every chunk's associated data names the vault, the ``local_seq``,
this file's random id, the part, its place among the parts, its size, and the chunk's
index and count: a chunk swapped, dropped, cut or taken from another cache file fails to
open.  A sealed end record names every part in order with its size, so dropping or
cutting whole parts fails too — and it is checked before anything is handed out.

Parts may be written in any order (the working set seals its smallest first and frees
each once sealed, see :meth:`WorkingSet.to_parts`); they are read largest first, so
loading part after part needs the least memory at its peak (loaded parts plus the one
being loaded twice, once decrypted and once in SQLite).
"""

from __future__ import annotations

import mmap
import os
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any, BinaryIO

from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from counsel.atomicfile import atomic_writer
from counsel.errors import IntegrityError
from counsel.vault import envelope

MAGIC = b"CNSLWS4\n"
ID_LEN = 16
_HEAD = len(MAGIC) + 8 + ID_LEN
#: plaintext bytes per sealed chunk (small: the transient copies while reading are chunks)
CHUNK = 1024 * 1024
_END = b"E"
_PART = b"P"


class Unusable(Exception):
    """The cache cannot be used (damaged, altered, of another vault); rebuild instead."""


def cache_path(vault_path: Path) -> Path:
    return vault_path.with_name(vault_path.name + ".wscache")


def _aad(vault_id: str, seq: int, file_id: bytes, part: str, place: int, size: int,
         index: int, count: int) -> bytes:
    return envelope.aad("snapshot", vault_id, str(seq), file_id.hex(), part, str(place),
                        str(size), str(index), str(count))


def _end_aad(vault_id: str, seq: int, file_id: bytes, parts: list[tuple[str, int]]) -> bytes:
    return envelope.aad("snapshot end", vault_id, str(seq), file_id.hex(), str(len(parts)),
                        *(f"{name}:{size}" for name, size in parts))


def write(
    path: Path, key: bytes, vault_id: str, seq: int, parts: Iterable[tuple[str, bytes]]
) -> None:
    """Seal the named parts (produced one at a time) into ``path``, atomically."""
    file_id = os.urandom(ID_LEN)
    written: list[tuple[str, int]] = []
    with atomic_writer(path) as fp:
        fp.write(MAGIC + seq.to_bytes(8, "big") + file_id)
        for name, data in parts:
            size = len(data)
            count = max(1, -(-size // CHUNK))
            raw_name = name.encode()
            fp.write(_PART + len(raw_name).to_bytes(1, "big") + raw_name
                     + count.to_bytes(4, "big") + size.to_bytes(8, "big"))
            view = memoryview(data).cast("B")  # (a ctypes array says "<B")
            place = len(written)
            for i in range(count):
                sealed = envelope.seal(key, view[i * CHUNK: (i + 1) * CHUNK],
                                       _aad(vault_id, seq, file_id, name, place, size, i, count))
                fp.write(len(sealed).to_bytes(4, "big") + sealed)
            view.release()
            del view, data
            written.append((name, size))
        sealed = envelope.seal(key, b"", _end_aad(vault_id, seq, file_id, written))
        fp.write(_END + len(sealed).to_bytes(4, "big") + sealed)


def read_seq(path: Path) -> int | None:
    """The ``local_seq`` a cache reflects (not authenticated: ``read`` checks it)."""
    try:
        with path.open("rb") as fp:
            head = fp.read(_HEAD)
    except OSError:
        return None
    if len(head) < _HEAD or not head.startswith(MAGIC):
        return None
    return int.from_bytes(head[len(MAGIC): len(MAGIC) + 8], "big")


def _exactly(fp: BinaryIO, n: int) -> bytes:
    data = fp.read(n)
    if len(data) != n:
        raise Unusable("cut short")
    return data


def _layout(fp: BinaryIO, key: bytes, vault_id: str, seq: int, file_id: bytes
            ) -> list[tuple[str, int, list[tuple[int, int]]]]:
    """Every part's (name, size, [(offset, length) of each sealed chunk]), after checking
    the sealed end record names exactly these parts (nothing is decrypted but that)."""
    parts: list[tuple[str, int, list[tuple[int, int]]]] = []
    while True:
        tag = _exactly(fp, 1)
        if tag == _END:
            length = int.from_bytes(_exactly(fp, 4), "big")
            if length > envelope.OVERHEAD:
                raise Unusable("bad end")
            sealed = _exactly(fp, length)
            if fp.read(1):
                raise Unusable("data after the end")
            try:
                envelope.open_(key, sealed, _end_aad(vault_id, seq, file_id,
                                                     [(n, s) for n, s, _c in parts]))
            except IntegrityError as exc:
                raise Unusable("failed authentication") from exc
            return parts
        if tag != _PART:
            raise Unusable("bad part header")
        name = _exactly(fp, _exactly(fp, 1)[0]).decode("ascii", "replace")
        count = int.from_bytes(_exactly(fp, 4), "big")
        size = int.from_bytes(_exactly(fp, 8), "big")
        if count < 1 or size > count * CHUNK or count != max(1, -(-size // CHUNK)):
            raise Unusable("bad part header")
        chunks = []
        for _i in range(count):
            length = int.from_bytes(_exactly(fp, 4), "big")
            if length > CHUNK + envelope.OVERHEAD:
                raise Unusable("bad chunk")
            chunks.append((fp.tell(), length))
            fp.seek(length, os.SEEK_CUR)
        parts.append((name, size, chunks))


def read(path: Path, key: bytes, vault_id: str,
         buffer: Callable[[int], Any] | None = None) -> Iterator[tuple[str, Any]]:
    """Yield the cache's parts one at a time, largest first, each authenticated.
    ``buffer(size)``: where a part is decrypted (None from it: an anonymous mapping; one
    with an ``array`` attribute is decrypted into that, counsel.vault.workingset_direct).

    Raises :class:`Unusable` (possibly after some parts) when anything is wrong: the
    caller discards what it loaded and rebuilds.
    """
    try:
        fp = path.open("rb")
    except OSError as exc:
        raise Unusable("no cache") from exc
    with fp:
        head = fp.read(_HEAD)
        if len(head) < _HEAD or not head.startswith(MAGIC):
            raise Unusable("no cache")
        seq = int.from_bytes(head[len(MAGIC): len(MAGIC) + 8], "big")
        file_id = head[len(MAGIC) + 8:]
        parts = _layout(fp, key, vault_id, seq, file_id)
        order = sorted(range(len(parts)), key=lambda p: -parts[p][1])
        cipher = AESGCM(key)
        sealed = bytearray(CHUNK + envelope.OVERHEAD)  # each chunk read into this one buffer
        for place in order:
            name, size, chunks = parts[place]
            # its own mapping, given back to the system the moment it is freed (a heap
            # block of this size could stay in the process after the part is loaded), each
            # chunk decrypted straight into it
            out = buffer(size) if buffer is not None else None
            if out is None:
                out = _buffer(size)
            view = memoryview(getattr(out, "array", out)).cast("B")
            try:
                offset = 0
                for i, (at, length) in enumerate(chunks):
                    fp.seek(at)
                    got = memoryview(sealed)[:length]
                    if fp.readinto(got) != length:
                        raise Unusable("cut short")
                    plain = length - envelope.OVERHEAD
                    if plain < 0 or offset + plain > size:
                        raise Unusable("bad part size")
                    try:
                        envelope.open_into(cipher, got, _aad(
                            vault_id, seq, file_id, name, place, size, i, len(chunks)),
                            view[offset: offset + plain])
                    except IntegrityError as exc:
                        raise Unusable("failed authentication") from exc
                    offset += plain
                    got.release()
                if offset != size:
                    raise Unusable("bad part size")
            finally:
                view.release()
            yield name, out
            del out


def _buffer(size: int) -> mmap.mmap | bytearray:
    """An anonymous mapping of ``size`` bytes, its pages made at once where the system can
    (one call instead of a page fault per 4 KiB as it is filled: ~35% quicker)."""
    if not size:
        return bytearray()
    populate = getattr(mmap, "MAP_POPULATE", 0)
    if populate:
        return mmap.mmap(-1, size, flags=mmap.MAP_PRIVATE | mmap.MAP_ANONYMOUS | populate)
    return mmap.mmap(-1, size)


def remove(path: Path) -> None:
    try:
        path.unlink()
    except FileNotFoundError:
        pass
