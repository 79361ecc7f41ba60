"""Encrypted, incremental backups: writing one into a file and restoring one.

The format, its promises and what erasure means for old copies are described in
:mod:`counsel.records.backup_format`; docs/records-management.md, "Backups", is the
data-protection officer's view.
"""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
import hashlib
import json
import os
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, BinaryIO

from counsel.errors import VaultExists
from counsel.i18n import gettext as _
from counsel.records.backup_format import (
    CACHE_CHUNK,
    CHUNK,
    HEADER,
    MAGIC,
    BackupError,
    BackupResult,
    Manifest,
    RestoreResult,
    chunk_aad,
    chunk_name,
    fsync_dir,
    header_bytes,
    manifest_aad,
    read_cache,
    read_chunks,
    read_head,
    read_manifest,
    same_vault,
    verify,
)
from counsel.vault import envelope, snapshot, vaultfile
from counsel.vault.backupport import BackupKeys, BackupPort, open_keyring

__all__ = ["HEADER", "MAGIC", "BackupError", "BackupKeys", "BackupResult", "Manifest",
           "RestoreResult", "backup", "inspect", "restore", "verify"]


# -- writing ---------------------------------------------------------------------------
@contextlib.contextmanager
def _scratch(port: BackupPort) -> Iterator[Path]:
    path = port.scratch_path()
    for leftover in (path, Path(f"{path}-journal"), Path(f"{path}-wal")):
        leftover.unlink(missing_ok=True)  # one an earlier crash of this process id left
    try:
        yield path
    finally:
        for leftover in (path, Path(f"{path}-journal"), Path(f"{path}-wal")):
            leftover.unlink(missing_ok=True)


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
        sealed = envelope.seal(self.keys.seal, data, chunk_aad(self.keys.vault_id, name))
        self.fp.write(b"C" + len(sealed).to_bytes(4, "big") + sealed)
        self.known[name] = offset
        self.new += 1
        return name, offset

    def manifest(self, manifest: Manifest, ring: bytes) -> int:
        offset = self.fp.tell()
        sealed = envelope.seal(self.keys.seal, manifest.to_bytes(),
                               manifest_aad(self.keys.vault_id, offset, ring))
        body = len(ring).to_bytes(4, "big") + ring + sealed
        self.fp.write(b"M" + len(body).to_bytes(4, "big") + body)
        return offset


@dataclasses.dataclass(frozen=True)
class _Stream:
    chunks: tuple[tuple[bytes, int], ...] = ()
    size: int = 0
    sha256: str = ""


def _stream(writer: _Writer, src: BinaryIO, chunk: int) -> _Stream:
    digest, chunks, size = hashlib.sha256(), [], 0
    while data := src.read(chunk):
        digest.update(data)
        size += len(data)
        chunks.append(writer.chunk(data))
    return _Stream(tuple(chunks), size, digest.hexdigest())


def _write(fp: BinaryIO, copy: Path, keys: BackupKeys, ring: bytes, erased: list[str],
           known: dict[bytes, int], number: int,
           cache: Path | _Stream | None) -> tuple[int, _Writer]:
    """Append the chunks not yet in the file and a manifest; then the header.  ``cache``:
    the unlock cache file to add, or the one an earlier backup in this file holds."""
    writer = _Writer(fp, keys, known)
    with open(copy, "rb") as src:
        vault = _stream(writer, src, CHUNK)
    kept = cache if isinstance(cache, _Stream) else _Stream()
    if isinstance(cache, Path):
        try:
            with open(cache, "rb") as src:  # replaced whole when rewritten: a stable read
                kept = _stream(writer, src, CACHE_CHUNK)
        except OSError:
            kept = _Stream()  # none (yet): the restored vault rebuilds it on unlock
    at = fp.tell()
    manifest = Manifest(number, dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
                        vault.size, vault.sha256, vault.chunks, tuple(erased), at,
                        kept.chunks, kept.size, kept.sha256)
    writer.manifest(manifest, ring)
    end = fp.tell()
    fp.flush()
    os.fsync(fp.fileno())
    fp.seek(0)
    fp.write(header_bytes(end, at, number))
    fp.flush()
    os.fsync(fp.fileno())
    return vault.size, writer


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
    if out.is_dir():  # a USB stick or a folder: one file per vault in it
        out = out / f"counsel-{keys.vault_id[:8]}.backup"
    with _exclusive(out.parent):
        return _backup(port, keys, out)


@contextlib.contextmanager
def _exclusive(folder: Path) -> Iterator[None]:
    """One backup at a time into a folder (the app and `counsel backup` at once would
    interleave their appends); an advisory lock on the folder, where the OS has one."""
    try:
        import fcntl
    except ImportError:  # Windows: no advisory locks on folders
        yield
        return
    folder.mkdir(parents=True, exist_ok=True)
    fd = os.open(folder, os.O_RDONLY)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise BackupError(_("Another backup into this folder is running; try again "
                                "when it has finished.")) from None
        yield
    finally:
        os.close(fd)


def _backup(port: BackupPort, keys: BackupKeys, out: Path) -> BackupResult:
    previous: Manifest | None = None
    if out.exists() and out.stat().st_size > 0:
        with open(out, "rb") as fp:
            head = read_head(fp)
            _, previous = read_manifest(fp, head, same_vault(keys))
    with _scratch(port) as copy:
        snap = port.snapshot(copy)
        ring = json.dumps(snap.keyring, sort_keys=True).encode()
        newly_erased = previous is not None and bool(set(snap.erased) - set(previous.erased))
        if previous is None or newly_erased:
            result = _write_new(out, copy, keys, ring, snap.erased,
                                1 if previous is None else previous.number + 1, port)
        else:
            with open(out, "r+b") as fp:
                before = read_head(fp).end
                fp.truncate(before)  # an interrupted backup's bytes, if any
                fp.seek(before)
                known = dict((*previous.chunks, *previous.cache))
                cache = _Stream(previous.cache, previous.cache_size, previous.cache_sha256)
                size, writer = _write(fp, copy, keys, ring, snap.erased, known,
                                      previous.number + 1, cache)
                after = fp.seek(0, os.SEEK_END)
            result = BackupResult(out, previous.number + 1, size, after, after - before,
                                  writer.new, writer.reused, False)
            try:
                verify(out, keys)
            except BackupError:  # an older chunk it reuses went bad: write it all anew
                result = _write_new(out, copy, keys, ring, snap.erased, result.number, port)
    verify(out, keys)
    return result


def _write_new(out: Path, copy: Path, keys: BackupKeys, ring: bytes, erased: list[str],
               number: int, port: BackupPort) -> BackupResult:
    """The whole file anew, with the vault's current unlock cache (so the restored vault
    opens without rebuilding; appended backups keep referring to this one)."""
    out.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{out.name}.", suffix=".part", dir=out.parent)
    try:
        with os.fdopen(fd, "w+b") as fp:
            fp.write(header_bytes(0, 0, 0))
            size, writer = _write(fp, copy, keys, ring, erased, {}, number,
                                  port.unlock_cache())
            total = fp.seek(0, os.SEEK_END)
        old = _open_old(out)
        try:
            os.replace(tmp, out)  # the new file is whole before the old one goes
            tmp = ""
            fsync_dir(out.parent)
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
        head = read_head(fp)
        return read_manifest(fp, head, _opener(passphrase, recovery_code))[1]


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
    cfd, ctmp = tempfile.mkstemp(prefix=f".{target.name}.restoring-", dir=target.parent)
    try:
        with open(src, "rb") as fp, os.fdopen(fd, "wb") as out, os.fdopen(cfd, "wb") as co:
            head = read_head(fp)
            keys, manifest = read_manifest(fp, head, _opener(passphrase, recovery_code))
            for data in read_chunks(fp, keys, manifest, head.end):
                out.write(data)
            for data in read_cache(fp, keys, manifest, head.end):
                co.write(data)
            for done in (out, co):
                done.flush()
                os.fsync(done.fileno())
        vaultfile.check_readable(Path(tmp))
        try:
            os.link(tmp, target)  # never replaces a file that appeared meanwhile
        except FileExistsError:
            raise VaultExists(_("A vault already exists at {path}.").format(
                path=target)) from None
        if manifest.cache:  # a stale or foreign cache is ignored and rebuilt on unlock
            with contextlib.suppress(OSError):
                os.link(ctmp, snapshot.cache_path(target))
        fsync_dir(target.parent)
    finally:
        Path(tmp).unlink(missing_ok=True)
        Path(ctmp).unlink(missing_ok=True)
    return RestoreResult(target, manifest.created, manifest.number, manifest.size,
                         manifest.erased, head.size > head.end)
