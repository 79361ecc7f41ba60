"""Encrypted, incremental backups of a vault into one file (a USB stick, another disk).

What a backup holds: the vault file as it was at one moment (a page copy made by SQLite's
online backup API, ``vault.backup_port``), cut into 4 KiB chunks (SQLite pages), each sealed with
AES-256-GCM under a key derived from vault key 0 (``counsel.vault.backupport``), plus a
sealed *manifest* per backup and the vault's keyring (all of it wrapped), so the
passphrase or the recovery code opens it on another machine.  Nothing in the file is
plaintext except the format's framing and the wrapped keyring.

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
lists the chunks in order with their offsets, the vault file's size and SHA-256, and the
clients erased before it was taken.  The newest manifest must end exactly at the
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
import datetime as dt
import hashlib
import hmac
import json
import os
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, BinaryIO

from counsel.errors import KnownError, VaultExists
from counsel.i18n import N_
from counsel.i18n import gettext as _
from counsel.vault import envelope, vaultfile
from counsel.vault.backupport import BackupKeys, BackupPort, open_keyring

MAGIC = b"CNSLBAK1"
HEADER = 32
CHUNK = 4096  # SQLite's page: a save changes a few scattered pages
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

    def to_bytes(self) -> bytes:
        """JSON, then the chunk table: (name 16 bytes, offset 8 bytes) per chunk."""
        head = json.dumps({"format": 1, "number": self.number, "created": self.created,
                           "size": self.size, "sha256": self.sha256, "chunk": CHUNK,
                           "erased": list(self.erased)}).encode()
        table = b"".join(n + o.to_bytes(8, "big") for n, o in self.chunks)
        return len(head).to_bytes(4, "big") + head + table

    @classmethod
    def from_bytes(cls, raw: bytes, offset: int) -> Manifest:
        hlen = int.from_bytes(raw[:4], "big")
        data = json.loads(raw[4:4 + hlen])
        table = raw[4 + hlen:]
        step = NAME + 8
        if len(table) % step or data["chunk"] != CHUNK or data["format"] != 1:
            raise ValueError("layout")
        chunks = tuple((table[i:i + NAME], int.from_bytes(table[i + NAME:i + step], "big"))
                       for i in range(0, len(table), step))
        return cls(int(data["number"]), str(data["created"]), int(data["size"]),
                   str(data["sha256"]), chunks, tuple(str(e) for e in data["erased"]), offset)


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


def _damaged() -> BackupError:
    return BackupError(_("The backup is damaged, cut short or altered; it was not used."))


def _chunk_aad(vault_id: str, name: bytes) -> bytes:
    return envelope.aad("backup chunk", vault_id, name.hex())


def _manifest_aad(vault_id: str, offset: int, keyring: bytes) -> bytes:
    return envelope.aad("backup manifest", vault_id, str(offset),
                        hashlib.sha256(keyring).hexdigest())


def chunk_name(keys: BackupKeys, data: bytes) -> bytes:
    return hmac.new(keys.ident, data, hashlib.sha256).digest()[:NAME]


# -- reading ---------------------------------------------------------------------------
@dataclasses.dataclass(frozen=True)
class _Head:
    end: int
    manifest_at: int
    count: int
    size: int  # of the file as found


def _read_exact(fp: BinaryIO, offset: int, length: int, end: int) -> bytes:
    if offset < HEADER or length < 0 or offset + length > end:
        raise _damaged()
    fp.seek(offset)
    data = fp.read(length)
    if len(data) != length:
        raise _damaged()
    return data


def _head(fp: BinaryIO) -> _Head:
    fp.seek(0, os.SEEK_END)
    size = fp.tell()
    fp.seek(0)
    raw = fp.read(HEADER)
    if len(raw) < len(MAGIC) or raw[:len(MAGIC)] != MAGIC:
        raise BackupError(_("This file is not a Counsel backup."))
    if len(raw) < HEADER:
        raise _damaged()
    end, at, count = (int.from_bytes(raw[i:i + 8], "big") for i in (8, 16, 24))
    if end > size:
        raise BackupError(_("The backup is cut short (an incomplete copy); it was not used."))
    if not HEADER <= at < end or count < 1:
        raise _damaged()
    return _Head(end, at, count, size)


def _record(fp: BinaryIO, offset: int, end: int, tag: bytes) -> bytes:
    frame = _read_exact(fp, offset, 5, end)
    length = int.from_bytes(frame[1:], "big")
    if frame[:1] != tag or length > MAX_RECORD:
        raise _damaged()
    return _read_exact(fp, offset + 5, length, end)


def _manifest(fp: BinaryIO, head: _Head,
              opener: Callable[[dict[str, Any]], BackupKeys]) -> tuple[BackupKeys, Manifest]:
    body = _record(fp, head.manifest_at, head.end, b"M")
    if head.manifest_at + 5 + len(body) != head.end:
        raise _damaged()
    klen = int.from_bytes(body[:4], "big")
    ring_raw, sealed = body[4:4 + klen], body[4 + klen:]
    try:
        ring = json.loads(ring_raw)
        if not isinstance(ring, dict):
            raise ValueError("keyring")
    except ValueError as exc:
        raise _damaged() from exc
    keys = opener(ring)  # WeakKdf / WrongPassphrase / WrongRecoveryCode / another vault
    try:
        manifest = Manifest.from_bytes(envelope.open_(
            keys.seal, sealed, _manifest_aad(keys.vault_id, head.manifest_at, ring_raw)),
            head.manifest_at)
        if manifest.number != head.count:
            raise ValueError("layout")
    except (KnownError, ValueError, KeyError, TypeError) as exc:
        raise _damaged() from exc
    return keys, manifest


def _chunks(fp: BinaryIO, keys: BackupKeys, manifest: Manifest, end: int) -> Iterator[bytes]:
    """Every chunk of the vault file, in order, authenticated; the whole must hash right."""
    digest, total = hashlib.sha256(), 0
    for name, offset in manifest.chunks:
        try:
            data = envelope.open_(keys.seal, _record(fp, offset, end, b"C"),
                                  _chunk_aad(keys.vault_id, name))
        except KnownError as exc:
            raise _damaged() from exc
        if not hmac.compare_digest(chunk_name(keys, data), name):
            raise _damaged()
        digest.update(data)
        total += len(data)
        yield data
    if total != manifest.size or digest.hexdigest() != manifest.sha256:
        raise _damaged()


def _drop_cache(fp: BinaryIO) -> None:
    """Ask the OS to forget its cached pages, so verifying reads what the device holds."""
    with contextlib.suppress(AttributeError, OSError):
        os.posix_fadvise(fp.fileno(), 0, 0, os.POSIX_FADV_DONTNEED)


def verify(path: Path, keys: BackupKeys) -> Manifest:
    """Read the newest backup in ``path`` back and authenticate every byte of it."""
    with open(path, "rb") as fp:
        _drop_cache(fp)
        head = _head(fp)
        _, manifest = _manifest(fp, head, _same_vault(keys))
        for _data in _chunks(fp, keys, manifest, head.end):
            pass
    return manifest


def _same_vault(keys: BackupKeys) -> Callable[[dict[str, Any]], BackupKeys]:
    def opener(ring: dict[str, Any]) -> BackupKeys:
        if ring.get("vault_id") != keys.vault_id:
            raise BackupError(_("This backup file belongs to another vault; choose another "
                                "file."))
        return keys
    return opener


# -- writing ---------------------------------------------------------------------------
@contextlib.contextmanager
def _scratch(port: BackupPort) -> Iterator[Path]:
    folder = tempfile.mkdtemp(prefix=".counsel-backup-", dir=port.scratch_dir())
    path = Path(folder) / "copy"
    try:
        yield path
    finally:
        for leftover in (path, Path(f"{path}-journal"), Path(f"{path}-wal")):
            leftover.unlink(missing_ok=True)
        os.rmdir(folder)


def _fsync_dir(folder: Path) -> None:
    if hasattr(os, "O_DIRECTORY"):
        fd = os.open(folder, os.O_RDONLY | os.O_DIRECTORY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


class _Writer:
    def __init__(self, fp: BinaryIO, keys: BackupKeys, known: dict[bytes, int]) -> None:
        self.fp, self.keys, self.known = fp, keys, dict(known)
        self.new = self.reused = 0

    def chunk(self, data: bytes) -> tuple[bytes, int]:
        name = chunk_name(self.keys, data)
        if name in self.known:
            self.reused += 1
            return name, self.known[name]
        offset = self.fp.tell()
        sealed = envelope.seal(self.keys.seal, data, _chunk_aad(self.keys.vault_id, name))
        self.fp.write(b"C" + len(sealed).to_bytes(4, "big") + sealed)
        self.known[name] = offset
        self.new += 1
        return name, offset

    def manifest(self, manifest: Manifest, ring: bytes) -> int:
        offset = self.fp.tell()
        sealed = envelope.seal(self.keys.seal, manifest.to_bytes(),
                               _manifest_aad(self.keys.vault_id, offset, ring))
        body = len(ring).to_bytes(4, "big") + ring + sealed
        self.fp.write(b"M" + len(body).to_bytes(4, "big") + body)
        return offset


def _header(end: int, at: int, count: int) -> bytes:
    return MAGIC + end.to_bytes(8, "big") + at.to_bytes(8, "big") + count.to_bytes(8, "big")


def _write(fp: BinaryIO, copy: Path, keys: BackupKeys, ring: bytes, erased: list[str],
           known: dict[bytes, int], number: int) -> tuple[int, _Writer]:
    """Append the chunks not yet in the file and a manifest; then the header."""
    writer = _Writer(fp, keys, known)
    digest, chunks, size = hashlib.sha256(), [], 0
    with open(copy, "rb") as src:
        while data := src.read(CHUNK):
            digest.update(data)
            size += len(data)
            chunks.append(writer.chunk(data))
    at = fp.tell()
    manifest = Manifest(number, dt.datetime.now(dt.UTC).isoformat(timespec="seconds"), size,
                        digest.hexdigest(), tuple(chunks), tuple(erased), at)
    writer.manifest(manifest, ring)
    end = fp.tell()
    fp.flush()
    os.fsync(fp.fileno())
    fp.seek(0)
    fp.write(_header(end, at, number))
    fp.flush()
    os.fsync(fp.fileno())
    return size, writer


def _open_old(path: Path) -> BinaryIO | None:
    try:
        return open(path, "r+b")  # noqa: SIM115 - closed by the caller
    except OSError:
        return None


def _overwrite(fp: BinaryIO) -> None:
    """Zeros over a replaced backup, through a handle opened before it was replaced (best
    effort, as vaultfile.wipe: SSDs and copy-on-write file systems may keep old blocks)."""
    with contextlib.suppress(OSError):
        size = fp.seek(0, os.SEEK_END)
        fp.seek(0)
        zeros = bytes(1 << 20)
        for start in range(0, size, len(zeros)):
            fp.write(zeros[:min(len(zeros), size - start)])
        fp.flush()
        os.fsync(fp.fileno())


def backup(port: BackupPort, out: Path) -> BackupResult:
    """Back the vault up into ``out``: a new file, or one this vault backed up into before
    (only what changed is added).  Verified after writing; raises BackupError when
    ``out`` is another vault's backup, not a backup, or damaged (left as it was)."""
    out = Path(out).expanduser()
    keys = port.keys()
    previous: Manifest | None = None
    if out.exists() and out.stat().st_size > 0:
        with open(out, "rb") as fp:
            head = _head(fp)
            _, previous = _manifest(fp, head, _same_vault(keys))
    with _scratch(port) as copy:
        snap = port.snapshot(copy)
        ring = json.dumps(snap.keyring, sort_keys=True).encode()
        newly_erased = previous is not None and bool(set(snap.erased) - set(previous.erased))
        if previous is None or newly_erased:
            result = _write_new(out, copy, keys, ring, snap.erased,
                                1 if previous is None else previous.number + 1)
        else:
            with open(out, "r+b") as fp:
                before = _head(fp).end
                fp.truncate(before)  # an interrupted backup's bytes, if any
                fp.seek(before)
                size, writer = _write(fp, copy, keys, ring, snap.erased,
                                      dict(previous.chunks), previous.number + 1)
                after = fp.seek(0, os.SEEK_END)
            result = BackupResult(out, previous.number + 1, size, after, after - before,
                                  writer.new, writer.reused, False)
            try:
                verify(out, keys)
            except BackupError:  # an older chunk it reuses went bad: write it all anew
                result = _write_new(out, copy, keys, ring, snap.erased, result.number)
    verify(out, keys)
    return result


def _write_new(out: Path, copy: Path, keys: BackupKeys, ring: bytes, erased: list[str],
               number: int) -> BackupResult:
    out.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{out.name}.", suffix=".part", dir=out.parent)
    try:
        with os.fdopen(fd, "w+b") as fp:
            fp.write(_header(0, 0, 0))
            size, writer = _write(fp, copy, keys, ring, erased, {}, number)
            total = fp.seek(0, os.SEEK_END)
        old = _open_old(out)
        try:
            os.replace(tmp, out)  # the new file is whole before the old one goes
            tmp = ""
            _fsync_dir(out.parent)
            if old is not None:
                _overwrite(old)
        finally:
            if old is not None:
                old.close()
    finally:
        if tmp:
            Path(tmp).unlink(missing_ok=True)
    return BackupResult(out, number, size, total, total, writer.new, writer.reused, True)


# -- restoring -------------------------------------------------------------------------
def inspect(path: Path, *, passphrase: str | None = None,
            recovery_code: str | None = None) -> Manifest:
    """The newest backup's manifest (authenticated), without restoring anything."""
    with open(path, "rb") as fp:
        head = _head(fp)
        return _manifest(fp, head, _opener(passphrase, recovery_code))[1]


def _opener(passphrase: str | None,
            recovery_code: str | None) -> Callable[[dict[str, Any]], BackupKeys]:
    def opener(ring: dict[str, Any]) -> BackupKeys:
        return open_keyring(ring, passphrase=passphrase, recovery_code=recovery_code)
    return opener


def restore(src: Path, target: Path, *, passphrase: str | None = None,
            recovery_code: str | None = None) -> RestoreResult:
    """Write the newest backup in ``src`` as a new vault file ``target``.  Never overwrites:
    an existing ``target`` raises VaultExists; anything wrong with the backup raises
    before ``target`` exists (the file is assembled beside it, checked, then linked)."""
    src, target = Path(src).expanduser(), Path(target).expanduser()
    if target.exists():
        raise VaultExists(_("A vault already exists at {path}.").format(path=target))
    if not src.is_file():
        raise BackupError(_("No backup at {path}.").format(path=src))
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.restoring-", dir=target.parent)
    try:
        with open(src, "rb") as fp, os.fdopen(fd, "wb") as out:
            head = _head(fp)
            keys, manifest = _manifest(fp, head, _opener(passphrase, recovery_code))
            for data in _chunks(fp, keys, manifest, head.end):
                out.write(data)
            out.flush()
            os.fsync(out.fileno())
        vaultfile.check_readable(Path(tmp))
        try:
            os.link(tmp, target)  # never replaces a file that appeared meanwhile
        except FileExistsError:
            raise VaultExists(_("A vault already exists at {path}.").format(
                path=target)) from None
        _fsync_dir(target.parent)
    finally:
        Path(tmp).unlink(missing_ok=True)
    return RestoreResult(target, manifest.created, manifest.number, manifest.size,
                         manifest.erased, head.size > head.end)
