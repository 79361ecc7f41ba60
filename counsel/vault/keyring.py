"""The unlocked key ring and the vault file's life cycle.

``create``/``unlock``/``recover``/``join`` turn a passphrase, a recovery code or another
device's keyring into an :class:`Opening` (the file and its keys);
:class:`UnlockedKeys` holds the keys while the vault is open (client keys unwrapped on first
use), changes the passphrase, replaces the recovery code, and forgets every key on lock.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from counsel.domain.base import new_id
from counsel.errors import RecordNotFound, ValidationError, VaultError, VaultExists, VaultLocked
from counsel.i18n import gettext as _
from counsel.vault import envelope, keys, vaultfile
from counsel.vault.kdf import KdfParams
from counsel.vault.store import Store

MIN_PASSPHRASE = 8
#: the file meta entry holding the master key sealed to the organisation recovery key
ESCROW_META = "org_escrow"


def check_new_passphrase(passphrase: str) -> None:
    if len(passphrase) < MIN_PASSPHRASE:
        raise ValidationError("passphrase", _("must be at least 8 characters"))


class UnlockedKeys:
    """The keys of an open vault; every other part asks here and nowhere else."""

    def __init__(self, st: Store, ring: keys.Keyring, umk: bytes, vault_key: bytes) -> None:
        self._store = st
        self.ring = ring
        self.vault_id = ring.vault_id
        self._umk: bytes | None = umk
        self._vault_key: bytes | None = vault_key
        self._ciphers: dict[str, AESGCM] = {keys.VAULT_KEY_ID: AESGCM(vault_key)}
        self._erased: set[str] | None = None

    # -- state ----------------------------------------------------------------------
    @property
    def locked(self) -> bool:
        return self._vault_key is None

    def require(self) -> bytes:
        """The vault key; raises ``VaultLocked`` once the vault was locked."""
        if self._vault_key is None:
            raise VaultLocked(_("The vault is locked."))
        return self._vault_key

    def drop(self) -> None:
        """Forget every key (Python cannot wipe memory; references are dropped)."""
        self._ciphers.clear()
        self._umk = self._vault_key = None

    # -- record keys ----------------------------------------------------------------
    def cipher(self, key_id: str, arriving: bytes | None = None) -> AESGCM:
        """The cipher of a client key (or the vault key), unwrapped on first use.
        ``arriving``: the wrapped key from the same sync page, when the file has none yet."""
        cipher = self._ciphers.get(key_id)
        if cipher is None:
            wrapped = self._store.wrapped_key(key_id) or arriving
            if wrapped is None:
                raise RecordNotFound(_("The client's key is missing (erased or not synced)."))
            cipher = AESGCM(
                keys.unwrap_client_key(self.vault_id, self.require(), key_id, wrapped)
            )
            self._ciphers[key_id] = cipher
        return cipher

    def new_client_key(self, client_id: str) -> bytes | None:
        """A fresh wrapped key for a client that has none here yet (None if it has one).
        The caller stores it; :meth:`forget_client` undoes this if the store refuses."""
        if self._store.wrapped_key(client_id) is not None:
            return None
        if client_id in self.erased():
            raise RecordNotFound(_("This client was erased; nothing can be saved for them."))
        key = keys.new_key()
        self._ciphers[client_id] = AESGCM(key)
        return keys.wrap_client_key(self.vault_id, self.require(), client_id, key)

    def forget_client(self, client_id: str) -> None:
        self._ciphers.pop(client_id, None)

    def erased(self) -> set[str]:
        """Key ids erased in this vault (their revisions are dropped wherever they appear)."""
        if self._erased is None:
            self._erased = self._store.erased_keys()
        return self._erased

    def mark_erased(self, client_id: str) -> None:
        self.forget_client(client_id)
        self.erased().add(client_id)

    # -- keys for local purposes -----------------------------------------------------
    def subkey(self, purpose: str) -> bytes:
        """A key for one local purpose (drafts, a local secret), derived from the vault key."""
        return keys.subkey(self.require(), purpose)

    def _local_key_aad(self, purpose: str) -> bytes:
        return envelope.key_aad(self.vault_id, purpose, "local")

    def unwrap_local_key(self, purpose: str, wrapped: bytes) -> bytes:
        return envelope.open_(self.require(), wrapped, self._local_key_aad(purpose))

    def new_local_key(self, purpose: str) -> tuple[bytes, bytes]:
        """A random key for ``purpose`` and its wrapped form (to keep in the vault's meta)."""
        key = keys.new_key()
        return key, envelope.seal(self.require(), key, self._local_key_aad(purpose))

    # -- passphrase and recovery code --------------------------------------------------
    def change_passphrase(self, old: str, new: str) -> None:
        self.require()
        check_new_passphrase(new)
        umk = keys.unlock_with_passphrase(self.ring, old)
        self.ring = keys.rewrap_passphrase(self.ring, umk, new)
        self.save_ring()

    def new_recovery_code(self) -> str:
        self.require()
        assert self._umk is not None
        self.ring, code = keys.rewrap_recovery(self.ring, self._umk)
        self.save_ring()
        return code

    def save_ring(self) -> None:
        self._store.set_meta(self.ring.to_meta())

    # -- organisation escrow (counsel.org) ------------------------------------------------
    def escrow_master(self, seal: Callable[[bytes], bytes]) -> bytes:
        """The master key sealed by ``seal`` (to the organisation recovery key), kept in
        the file's meta so an officer can recover this file; returns the sealed bytes."""
        self.require()
        assert self._umk is not None
        sealed = seal(self._umk)
        self._store.set_meta({ESCROW_META: sealed})
        return sealed


# -- the file's life cycle ---------------------------------------------------------------
@dataclasses.dataclass(frozen=True)
class Opening:
    """What unlocking produced: the file and its keys, for the vault to open.
    ``ring_changed``: the keyring was re-wrapped (recovery) and must be saved once open."""

    path: Path
    ring: keys.Keyring
    umk: bytes
    vault_key: bytes
    ring_changed: bool = False


def _initialise(path: Path, ring: keys.Keyring, umk: bytes, vkey: bytes) -> Opening:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.creating-{os.getpid()}")
    for leftover in (tmp, Path(f"{tmp}-wal"), Path(f"{tmp}-shm")):
        leftover.unlink(missing_ok=True)
    st = Store.open(tmp, create=True)
    st.set_meta(
        {
            **ring.to_meta(),
            "device_id": new_id().encode(),
            "created": dt.datetime.now(dt.UTC).isoformat().encode(),
        }
    )
    st.close()
    os.replace(tmp, path)  # atomic: a vault file either exists whole or not at all
    return Opening(path, ring, umk, vkey)


def _refuse_existing(path: Path) -> None:
    if path.exists():
        raise VaultExists(_("A vault already exists at {path}.").format(path=path))


def create(path: Path, passphrase: str, kdf: KdfParams | None = None) -> tuple[Opening, str]:
    """A new vault file and its recovery code (shown once)."""
    _refuse_existing(path)
    check_new_passphrase(passphrase)
    created = keys.create(new_id(), passphrase, kdf)
    return _initialise(path, created.keyring, created.umk, created.vault_key), created.recovery_code


def unlock(path: Path, passphrase: str) -> Opening:
    """Unlock with the passphrase. A wrong one changes nothing on disk."""
    ring = keys.Keyring.from_meta(vaultfile.read_meta_readonly(path))
    umk = keys.unlock_with_passphrase(ring, passphrase)
    return Opening(path, ring, umk, keys.vault_key(ring, umk))


def recover(path: Path, recovery_code: str, new_passphrase: str) -> Opening:
    """Unlock with the printed recovery code and set a new passphrase."""
    ring = keys.Keyring.from_meta(vaultfile.read_meta_readonly(path))
    umk = keys.unlock_with_recovery(ring, recovery_code)
    check_new_passphrase(new_passphrase)
    vkey = keys.vault_key(ring, umk)
    ring = keys.rewrap_passphrase(ring, umk, new_passphrase)
    return Opening(path, ring, umk, vkey, ring_changed=True)


def escrowed_master(path: Path) -> bytes | None:
    """The sealed master key kept in a (locked) vault file, if it has one."""
    return vaultfile.read_meta_readonly(path).get(ESCROW_META)


def recover_with_master(path: Path, open_master: Callable[[bytes], bytes],
                        new_passphrase: str) -> Opening:
    """Organisation recovery: ``open_master`` opens the escrowed master key (the officers'
    key parts); the vault key it unwraps proves it is this vault's; a new passphrase."""
    check_new_passphrase(new_passphrase)
    meta = vaultfile.read_meta_readonly(path)
    ring = keys.Keyring.from_meta(meta)
    sealed = meta.get(ESCROW_META)
    if sealed is None:
        raise VaultError(_("This vault holds no key escrowed to the organisation."))
    umk = open_master(sealed)
    vkey = keys.vault_key(ring, umk)
    ring = keys.rewrap_passphrase(ring, umk, new_passphrase)
    return Opening(path, ring, umk, vkey, ring_changed=True)


def join(path: Path, keyring_json: dict[str, Any], passphrase: str) -> Opening:
    """A new local copy of an existing vault (a second device), from its keyring."""
    _refuse_existing(path)
    ring = keys.Keyring.from_json(keyring_json)
    umk = keys.unlock_with_passphrase(ring, passphrase)
    return _initialise(path, ring, umk, keys.vault_key(ring, umk))


def adopt(path: Path, vault_id: str, vault_key: bytes, passphrase: str,
          kdf: KdfParams | None = None) -> Opening:
    """A new local copy of a vault whose key came from a team grant (counsel.teams): the
    key is wrapped under a keyring of this device's own, opened by ``passphrase``."""
    _refuse_existing(path)
    check_new_passphrase(passphrase)
    created = keys.create_with_vault_key(vault_id, vault_key, passphrase, kdf)
    return _initialise(path, created.keyring, created.umk, created.vault_key)
