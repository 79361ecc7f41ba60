"""What a backup needs from the vault (``vault.backup_port``), and the keys a backup opens
with on another machine.

A backup (``counsel.records.backup``) is the vault file itself, copied page for page with
SQLite's online backup API (so a copy taken while the app runs is consistent), cut into
chunks and every chunk sealed again under **backup keys** derived from vault key 0 — the
key the vault's own hierarchy protects: passphrase → Argon2id → KEK → master key → vault
keys, or recovery code → master key.  The backup carries the vault's keyring (all of it
wrapped), so the passphrase or the recovery code opens it without the vault file; key
settings below the floor of issue 11 are refused before anything is derived
(``Keyring.from_json`` → ``KdfParams.from_json``).
"""

from __future__ import annotations

import dataclasses
import os
import sqlite3
import threading
from pathlib import Path
from typing import Any

from counsel.errors import VaultError
from counsel.i18n import gettext as _
from counsel.vault import keys, snapshot, vaultfile
from counsel.vault.keyring import UnlockedKeys
from counsel.vault.store import Store


@dataclasses.dataclass(frozen=True)
class BackupKeys:
    """``seal``: AES-256-GCM key of the chunks and manifests; ``ident``: HMAC key naming a
    chunk by its content (equal chunks are stored once; the name reveals nothing else)."""

    vault_id: str
    seal: bytes
    ident: bytes


def backup_keys(vault_id: str, vault_key0: bytes) -> BackupKeys:
    return BackupKeys(vault_id, keys.subkey(vault_key0, "backup v1 seal"),
                      keys.subkey(vault_key0, "backup v1 chunk id"))


def open_keyring(keyring_json: dict[str, Any], *, passphrase: str | None = None,
                 recovery_code: str | None = None) -> BackupKeys:
    """The backup keys from a backup's keyring and the passphrase or the recovery code.
    Weakened key settings raise ``WeakKdf`` before anything is derived; a wrong passphrase
    ``WrongPassphrase``; a wrong code ``WrongRecoveryCode``."""
    ring = keys.Keyring.from_json(keyring_json)
    if passphrase is not None:
        umk = keys.unlock_with_passphrase(ring, passphrase)
    elif recovery_code is not None:
        umk = keys.unlock_with_recovery(ring, recovery_code)
    else:
        raise VaultError(_("A passphrase or a recovery code is needed."))
    return backup_keys(ring.vault_id, keys.vault_keys(ring, umk)[0])


@dataclasses.dataclass(frozen=True)
class Snapshot:
    size: int
    keyring: dict[str, Any]
    erased: list[str]


class BackupPort:
    def __init__(self, lock: threading.RLock, st: Store, unlocked: UnlockedKeys) -> None:
        self._lock = lock
        self._store = st
        self._keys = unlocked

    def keys(self) -> BackupKeys:
        with self._lock:
            return backup_keys(self._keys.vault_id, self._keys.vault_key(0))

    def snapshot(self, target: Path) -> Snapshot:
        """Copy the vault file, page for page, into the new file ``target`` (owner-only),
        with the keyring and the erased clients of that same moment.  Writes wait while
        it runs (the vault's lock is held)."""
        fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        os.close(fd)
        with self._lock:
            self._keys.require()
            dst = sqlite3.connect(target)
            try:
                self._store.conn.backup(dst)
            finally:
                dst.close()
            return Snapshot(target.stat().st_size, self._keys.ring.to_json(),
                            sorted(self._keys.erased()))

    def unlock_cache(self) -> Path | None:
        """The unlock cache beside the vault file (sealed; may be missing or stale: a
        restored vault replays what is newer, or rebuilds when it cannot use it)."""
        return snapshot.cache_path(self._store.path) if self._store.path is not None else None

    def scratch_path(self) -> Path:
        """Where the page copy is kept while a backup is made: beside the vault, named so
        that ``vaultfile.companions`` (a revoked device's wipe) finds one left by a crash.
        A vault in memory (tests) uses the temporary folder."""
        import tempfile

        who = f"{os.getpid()}-{threading.get_ident()}"
        if self._store.path is None:
            return Path(tempfile.gettempdir()) / f"counsel{vaultfile.BACKUP_COPY}{who}"
        path = self._store.path
        return path.with_name(f".{path.name}{vaultfile.BACKUP_COPY}{who}")
