"""The backup file's format and reading it (``counsel.records.backup`` writes and restores).

Encrypted, incremental backups of a vault into one file (a USB stick, another disk).

What a backup holds: the vault file as it was at one moment (a page copy made by SQLite's
online backup API, ``vault.backup_port``), cut into 4 KiB chunks (SQLite pages), each sealed with
AES-256-GCM under a key derived from vault key 0 (``counsel.vault.backupport``), plus a
sealed *manifest* per backup and the vault's keyring (all of it wrapped), so the
passphrase or the recovery code opens it on another machine.  A backup that writes the
file anew also takes the vault's unlock cache (1 MiB chunks; already sealed, sealed
again), so the restored vault opens without rebuilding its working set; appended backups
keep referring to it (it is rewritten whole at every lock, nothing would dedupe).
Nothing in the file is plaintext except the format's framing and the wrapped keyring.

Layout (integers big-endian)::

    header, 32 bytes, rewritten in place after each backup:
        b"CNSLBAK1" | committed end (8) | newest manifest's offset (8) | backups made (8)
    records, appended and never changed:
        b"C" | length (4) | envelope                  a chunk; associated data binds the
                                                      vault id and the chunk's name
        b"M" | length (4) | keyring length (4) | keyring JSON | envelope
                                                      a manifest (JSON + chunk table);
                                                      associated data binds the vault id,
                                                      its offset and the keyring's SHA-256

A chunk's name is an HMAC of its content, so a later backup into the same file adds only
the chunks that changed (incremental) and equal chunks are stored once.  The manifest
lists the chunks in order with their offsets, the vault file's (and the cache's) size and
SHA-256, and the clients erased before it was taken.  The newest manifest must end exactly at the
header's committed end: a file cut short, a flipped bit anywhere that is read, a
manifest moved or a chunk swapped fails, and a restore writes nothing.  A backup that
was interrupted leaves bytes after the committed end; they are ignored and the next
backup cuts them off.

**Erasure.** The newest manifest names the clients erased before it.  A backup after an
erasure rewrites the whole file instead of appending (the old chunks held the client),
and overwrites the old file's bytes once the new one has replaced it.  Copies of a backup taken
before an erasure (another stick) still hold that client: restoring one says how old it
is and which clients it knows to be erased (docs/records-management.md, "Backups").
"""

from __future__ import annotations

import contextlib
import dataclasses
import hashlib
import hmac
import json
import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, BinaryIO

from counsel import versioned
from counsel.errors import KnownError
from counsel.i18n import N_
from counsel.i18n import gettext as _
from counsel.vault import envelope
from counsel.vault.backupport import BackupKeys

MAGIC = b"CNSLBAK1"
HEADER = 32
CHUNK = 4096  # SQLite's page: a save changes a few scattered pages
CACHE_CHUNK = 1 << 20  # the unlock cache is rewritten whole: nothing to gain by small ones
NAME = 16
MAX_RECORD = 256 * 1024 * 1024


class BackupError(KnownError):
    help_text = N_("Nothing was written or changed. Use another copy of the backup, or "
                   "make a new backup from the vault into a new file.")


@dataclasses.dataclass(frozen=True)
class Manifest:
    number: int
    created: str
    size: int
    sha256: str
    chunks: tuple[tuple[bytes, int], ...]
    erased: tuple[str, ...]
    offset: int
    #: the vault's unlock cache as it was at the last full backup (none: rebuilt on unlock)
    cache: tuple[tuple[bytes, int], ...] = ()
    cache_size: int = 0
    cache_sha256: str = ""

    def to_bytes(self) -> bytes:
        """JSON, then the chunk table: (name 16 bytes, offset 8 bytes) per chunk of the
        vault file, then per chunk of the unlock cache."""
        head = versioned.dump(1, {"number": self.number, "created": self.created,
                                  "size": self.size, "sha256": self.sha256, "chunk": CHUNK,
                                  "erased": list(self.erased), "cache_count": len(self.cache),
                                  "cache_size": self.cache_size,
                                  "cache_sha256": self.cache_sha256,
                                  "cache_chunk": CACHE_CHUNK})
        table = b"".join(n + o.to_bytes(8, "big") for n, o in (*self.chunks, *self.cache))
        return len(head).to_bytes(4, "big") + head + table

    @classmethod
    def from_bytes(cls, raw: bytes, offset: int) -> Manifest:
        hlen = int.from_bytes(raw[:4], "big")
        data = versioned.read(raw[4:4 + hlen], 1, lambda: ValueError("layout"))
        table = raw[4 + hlen:]
        step = NAME + 8
        if len(table) % step or data["chunk"] != CHUNK:
            raise ValueError("layout")
        if data["cache_chunk"] != CACHE_CHUNK:
            raise ValueError("layout")
        entries = tuple((table[i:i + NAME], int.from_bytes(table[i + NAME:i + step], "big"))
                        for i in range(0, len(table), step))
        split = len(entries) - int(data["cache_count"])
        if not 0 <= split <= len(entries):
            raise ValueError("layout")
        return cls(int(data["number"]), str(data["created"]), int(data["size"]),
                   str(data["sha256"]), entries[:split], tuple(str(e) for e in data["erased"]),
                   offset, entries[split:], int(data["cache_size"]), str(data["cache_sha256"]))


@dataclasses.dataclass(frozen=True)
class BackupResult:
    path: Path
    number: int  # backups made into this file
    vault_size: int
    file_size: int
    added: int  # bytes this backup added to the file (the whole file when rewritten)
    new_chunks: int
    reused_chunks: int
    rewritten: bool  # the file was written anew (first backup, or after an erasure)


@dataclasses.dataclass(frozen=True)
class RestoreResult:
    path: Path
    created: str
    number: int
    size: int
    erased: tuple[str, ...]  # erased before the backup was taken: not in it
    ignored_tail: bool  # an interrupted later backup was left out


def damaged() -> BackupError:
    return BackupError(_("The backup is damaged, cut short or altered; it was not used."))


def chunk_aad(vault_id: str, name: bytes) -> bytes:
    return envelope.aad("backup chunk", vault_id, name.hex())


def manifest_aad(vault_id: str, offset: int, keyring: bytes) -> bytes:
    return envelope.aad("backup manifest", vault_id, str(offset),
                        hashlib.sha256(keyring).hexdigest())


def chunk_name(keys: BackupKeys, data: bytes) -> bytes:
    return hmac.new(keys.ident, data, hashlib.sha256).digest()[:NAME]


# -- reading ---------------------------------------------------------------------------
@dataclasses.dataclass(frozen=True)
class Head:
    end: int
    manifest_at: int
    count: int
    size: int  # of the file as found


def read_exact(fp: BinaryIO, offset: int, length: int, end: int) -> bytes:
    if offset < HEADER or length < 0 or offset + length > end:
        raise damaged()
    fp.seek(offset)
    data = fp.read(length)
    if len(data) != length:
        raise damaged()
    return data


def read_head(fp: BinaryIO) -> Head:
    fp.seek(0, os.SEEK_END)
    size = fp.tell()
    fp.seek(0)
    raw = fp.read(HEADER)
    if len(raw) < len(MAGIC) or raw[:len(MAGIC)] != MAGIC:
        raise BackupError(_("This file is not a Counsel backup."))
    if len(raw) < HEADER:
        raise damaged()
    end, at, count = (int.from_bytes(raw[i:i + 8], "big") for i in (8, 16, 24))
    if end > size:
        raise BackupError(_("The backup is cut short (an incomplete copy); it was not used."))
    if not HEADER <= at < end or count < 1:
        raise damaged()
    return Head(end, at, count, size)


def read_record(fp: BinaryIO, offset: int, end: int, tag: bytes) -> bytes:
    frame = read_exact(fp, offset, 5, end)
    length = int.from_bytes(frame[1:], "big")
    if frame[:1] != tag or length > MAX_RECORD:
        raise damaged()
    return read_exact(fp, offset + 5, length, end)


def read_manifest(fp: BinaryIO, head: Head,
              opener: Callable[[dict[str, Any]], BackupKeys]) -> tuple[BackupKeys, Manifest]:
    body = read_record(fp, head.manifest_at, head.end, b"M")
    if head.manifest_at + 5 + len(body) != head.end:
        raise damaged()
    klen = int.from_bytes(body[:4], "big")
    ring_raw, sealed = body[4:4 + klen], body[4 + klen:]
    try:
        ring = json.loads(ring_raw)
        if not isinstance(ring, dict):
            raise ValueError("keyring")
    except ValueError as exc:
        raise damaged() from exc
    keys = opener(ring)  # WeakKdf / WrongPassphrase / WrongRecoveryCode / another vault
    try:
        manifest = Manifest.from_bytes(envelope.open_(
            keys.seal, sealed, manifest_aad(keys.vault_id, head.manifest_at, ring_raw)),
            head.manifest_at)
        if manifest.number != head.count:
            raise ValueError("layout")
    except (KnownError, ValueError, KeyError, TypeError) as exc:
        raise damaged() from exc
    return keys, manifest


def read_chunks(fp: BinaryIO, keys: BackupKeys, manifest: Manifest, end: int) -> Iterator[bytes]:
    """Every chunk of the vault file, in order, authenticated; the whole must hash right."""
    return read_stream(fp, keys, manifest.chunks, manifest.size, manifest.sha256, end)


def read_cache(fp: BinaryIO, keys: BackupKeys, manifest: Manifest, end: int) -> Iterator[bytes]:
    """The unlock cache's chunks, authenticated likewise (nothing when there is none)."""
    if not manifest.cache:
        return iter(())
    return read_stream(fp, keys, manifest.cache, manifest.cache_size, manifest.cache_sha256,
                       end)


def read_stream(fp: BinaryIO, keys: BackupKeys, chunks: tuple[tuple[bytes, int], ...],
                size: int, sha256: str, end: int) -> Iterator[bytes]:
    digest, total = hashlib.sha256(), 0
    for name, offset in chunks:
        try:
            data = envelope.open_(keys.seal, read_record(fp, offset, end, b"C"),
                                  chunk_aad(keys.vault_id, name))
        except KnownError as exc:
            raise damaged() from exc
        if not hmac.compare_digest(chunk_name(keys, data), name):
            raise damaged()
        digest.update(data)
        total += len(data)
        yield data
    if total != size or digest.hexdigest() != sha256:
        raise damaged()


def drop_cache(fp: BinaryIO) -> None:
    """Ask the OS to forget its cached pages, so verifying reads what the device holds."""
    with contextlib.suppress(AttributeError, OSError):
        os.posix_fadvise(fp.fileno(), 0, 0, os.POSIX_FADV_DONTNEED)


def verify(path: Path, keys: BackupKeys) -> Manifest:
    """Read the newest backup in ``path`` back and authenticate every byte of it."""
    with open(path, "rb") as fp:
        drop_cache(fp)
        head = read_head(fp)
        _, manifest = read_manifest(fp, head, same_vault(keys))
        for _data in read_chunks(fp, keys, manifest, head.end):
            pass
        for _data in read_cache(fp, keys, manifest, head.end):
            pass
    return manifest


def same_vault(keys: BackupKeys) -> Callable[[dict[str, Any]], BackupKeys]:
    def opener(ring: dict[str, Any]) -> BackupKeys:
        if ring.get("vault_id") != keys.vault_id:
            raise BackupError(_("This backup file belongs to another vault; choose another "
                                "file."))
        return keys
    return opener


def fsync_dir(folder: Path) -> None:
    if hasattr(os, "O_DIRECTORY"):
        fd = os.open(folder, os.O_RDONLY | os.O_DIRECTORY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def header_bytes(end: int, at: int, count: int) -> bytes:
    return MAGIC + end.to_bytes(8, "big") + at.to_bytes(8, "big") + count.to_bytes(8, "big")
