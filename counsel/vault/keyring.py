"""The unlocked key ring and the vault file's life cycle.

``create``/``unlock``/``recover``/``join`` turn a passphrase, a recovery code or another
device's keyring into an :class:`Opening` (the file and its keys);
:class:`UnlockedKeys` holds the keys while the vault is open (client keys unwrapped on first
use), rotates to a new key generation (passphrase change, new recovery code, recovery),
and forgets every key on lock.

Generations (:mod:`counsel.vault.generations`): ``require()`` is the vault key of
generation 0, the base of this file's local purposes (drafts, local secrets, the sealed
local history state); records and the keys of local caches are sealed under the newest
generation (``generation``), and every older one still opens.
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
from counsel.errors import (
    KnownError,
    RecordNotFound,
    ValidationError,
    VaultError,
    VaultExists,
    VaultLocked,
    WrongPassphrase,
)
from counsel.i18n import gettext as _
from counsel.vault import envelope, generations, keyoffer, keys, vaultfile
from counsel.vault.kdf import KdfParams, derive
from counsel.vault.store import Store

MIN_PASSPHRASE = 8
#: Record ciphers kept made (each holds ~2.5 KB of OpenSSL context: the 10k clients of the
#: large demo vault, all touched by a first unlock's note index pass, kept 25 MB); a cipher
#: made again costs ~2-4 us (the client's key itself stays unwrapped in ``_bases``)
CIPHERS_KEPT = 1024
#: the file meta entry holding the master key sealed to the organisation recovery key
ESCROW_META = "org_escrow"


def check_new_passphrase(passphrase: str) -> None:
    if len(passphrase) < MIN_PASSPHRASE:
        raise ValidationError("passphrase", _("must be at least 8 characters"))


@dataclasses.dataclass(frozen=True)
class Rotation:
    """What a rotation made: the new generation, and a new recovery code to show once
    (None when the printed one still works)."""

    generation: int
    recovery_code: str | None


class UnlockedKeys:
    """The keys of an open vault; every other part asks here and nowhere else."""

    def __init__(self, st: Store, ring: keys.Keyring, umk: bytes, vault_keys: list[bytes],
                 kek: bytes) -> None:
        self._store = st
        self.ring = ring
        self.vault_id = ring.vault_id
        self._umk: bytes | None = umk
        self._kek: bytes | None = kek
        self._vault_keys: list[bytes] = list(vault_keys)
        self._ciphers: dict[tuple[str, int], AESGCM] = {}
        #: each key id's generation-0 key (a client's random key; vault key 0)
        self._bases: dict[str, bytes] = {keys.VAULT_KEY_ID: vault_keys[0]}
        self._erased: set[str] | None = None

    # -- state ----------------------------------------------------------------------
    @property
    def locked(self) -> bool:
        return not self._vault_keys

    @property
    def generation(self) -> int:
        """The newest key generation: new writes are sealed under it."""
        return len(self._vault_keys) - 1

    def require(self) -> bytes:
        """The vault key of generation 0 (the base of local purposes); raises
        ``VaultLocked`` once the vault was locked."""
        if not self._vault_keys:
            raise VaultLocked(_("The vault is locked."))
        return self._vault_keys[0]

    def vault_key(self, generation: int) -> bytes:
        self.require()
        if not 0 <= generation < len(self._vault_keys):
            raise RecordNotFound(_("A change was sealed under newer keys than this device "
                                   "has; it opens once this device has them."))
        return self._vault_keys[generation]

    def drop(self) -> None:
        """Forget every key (Python cannot wipe memory; references are dropped)."""
        self._ciphers.clear()
        self._bases.clear()
        self._vault_keys = []
        self._umk = self._kek = None

    # -- record keys ----------------------------------------------------------------
    def cipher(self, key_id: str, arriving: bytes | None = None,
               generation: int = 0) -> AESGCM:
        """The cipher of a client key (or the vault key) in ``generation``, unwrapped on
        first use.  ``arriving``: the wrapped key from the same sync page, when the file
        has none yet."""
        cipher = self._ciphers.get((key_id, generation))
        if cipher is None:
            vkey = self.vault_key(generation)
            base = self._bases.get(key_id)
            if base is None:
                wrapped = self._store.wrapped_key(key_id) or arriving
                if wrapped is None:
                    raise RecordNotFound(
                        _("The client's key is missing (erased or not synced)."))
                base = keys.unwrap_client_key(
                    self.vault_id, self.vault_key(envelope.generation_of(wrapped)), key_id,
                    wrapped)
                self._bases[key_id] = base
            cipher = AESGCM(generations.record_key(self.vault_id, key_id, generation, base,
                                                   vkey))
            if len(self._ciphers) >= CIPHERS_KEPT:  # the oldest made goes
                self._ciphers.pop(next(iter(self._ciphers)), None)
            self._ciphers[(key_id, generation)] = cipher
        return cipher

    def new_client_key(self, client_id: str) -> bytes | None:
        """A fresh wrapped key for a client that has none here yet (None if it has one).
        The caller stores it; :meth:`forget_client` undoes this if the store refuses."""
        if self._store.wrapped_key(client_id) is not None:
            return None
        if client_id in self.erased():
            raise RecordNotFound(_("This client was erased; nothing can be saved for them."))
        key, gen = keys.new_key(), self.generation
        self._bases[client_id] = key
        return keys.wrap_client_key(self.vault_id, self.vault_key(gen), client_id, key, gen)

    def forget_client(self, client_id: str) -> None:
        self._bases.pop(client_id, None)
        for cached in [k for k in self._ciphers if k[0] == client_id]:
            del self._ciphers[cached]

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
        gen = envelope.generation_of(wrapped)
        return envelope.open_gen(self.vault_key(gen), wrapped, self._local_key_aad(purpose))

    def new_local_key(self, purpose: str) -> tuple[bytes, bytes]:
        """A random key for ``purpose`` and its wrapped form (to keep in the vault's meta),
        under the newest generation: a rotation re-keys such caches, so an old copy's keys
        do not open them."""
        key, gen = keys.new_key(), self.generation
        return key, envelope.seal_gen(self.vault_key(gen), key, self._local_key_aad(purpose),
                                      gen)

    # -- passphrase, recovery code, rotation ------------------------------------------
    def rotate(self, passphrase: str | None = None, new_recovery: bool = False) -> Rotation:
        """A new key generation (see :mod:`counsel.vault.generations`); saves the keyring.
        The caller re-keys local caches (``Vault.rotate_keys`` does)."""
        self.require()
        assert self._kek is not None
        done = keys.rotate(self.ring, self._vault_keys, self._kek, passphrase=passphrase,
                           new_recovery=new_recovery)
        self.ring, self._umk, self._kek = done.ring, done.umk, done.kek
        self._vault_keys = list(done.vault_keys)
        self.save_ring()
        return Rotation(self.generation, done.recovery_code)

    def add_generation(self, generation: int, key: bytes) -> None:
        """Take vault key ``generation`` made elsewhere (a team grant): it must be the next
        one (an older or equal generation would be a rollback; a gap loses keys)."""
        self.require()
        assert self._umk is not None
        if generation != self.generation + 1:
            raise ValidationError("generation", _(
                "must be the next key generation ({n})").format(n=self.generation + 1))
        self.ring = keys.add_generation(self.ring, self._vault_keys, self._umk, key)
        self._vault_keys.append(key)
        self.save_ring()

    def passphrase_key(self) -> bytes:
        """The key the passphrase derived (Argon2id under this keyring's salt): another
        vault of the same account may keep it sealed, to open this file without a second
        derivation (counsel.teams.copykeys)."""
        self.require()
        assert self._kek is not None
        return self._kek

    def rewrap_passphrase(self, passphrase: str) -> None:
        """Open with ``passphrase`` from now on, without a rotation: for a team copy, whose
        keyring never leaves this device and whose key versions come from grants."""
        self.require()
        assert self._umk is not None
        check_new_passphrase(passphrase)
        self.ring, self._kek = keys.rewrap_passphrase(self.ring, self._umk, passphrase)
        self.save_ring()

    def check_passphrase(self, passphrase: str) -> None:
        """Raises ``WrongPassphrase`` unless ``passphrase`` is this vault's."""
        keys.unlock_with_passphrase(self.ring, passphrase)

    def change_passphrase(self, old: str, new: str) -> Rotation:
        self.require()
        check_new_passphrase(new)
        self.check_passphrase(old)
        return self.rotate(passphrase=new)

    def new_recovery_code(self) -> str:
        code = self.rotate(new_recovery=True).recovery_code
        assert code is not None
        return code

    def knows(self, generation: int) -> bool:
        return generation < len(self._vault_keys)

    def offer(self, offered: dict[str, Any]) -> keyoffer.Verdict:
        """Judge a keyring from the sync server (``keyoffer.judge``); a newer generation
        made by a member is kept pending until its passphrase is typed here."""
        verdict = keyoffer.judge(self.ring, self._vault_keys[-1], offered)
        if verdict is keyoffer.Verdict.NEWER:
            ring = keys.Keyring.from_json(offered)
            taken = self._take(ring)
            if taken is None:
                return keyoffer.Verdict.FOREIGN
            if taken:
                return keyoffer.Verdict.ADOPTED
            held = self.pending()
            # the newest offer replaces one of the same generation: a forged one kept here
            # must not stand in the way of the real one (its passphrase would not open it)
            if held is None or held.generation <= ring.generation:
                self._store.set_meta(keyoffer.pending_meta(ring))
        return verdict

    def _take(self, ring: keys.Keyring) -> bool | None:
        """Adopt a newer keyring at once if this device's passphrase opens it (a rotation
        that kept the passphrase: ``keys rotate``, a new recovery code).  None: it opens
        with this passphrase but its keys are not this vault's (forged on top of a real
        endorsement, or damaged)."""
        assert self._kek is not None
        if ring.kdf != self.ring.kdf:
            return False  # a new passphrase (a new salt): it is typed at the next unlock
        try:
            umk = keys.unlock_with_kek(ring, self._kek)
        except KnownError:
            return False
        try:
            vkeys = keys.vault_keys(ring, umk)
        except KnownError:
            return None
        if vkeys[:len(self._vault_keys)] != self._vault_keys:
            return None
        self.ring, self._umk, self._vault_keys = ring, umk, vkeys
        self._store.set_meta({**ring.to_meta(), **keyoffer.pending_meta(None)})
        return True

    def pending(self) -> keys.Keyring | None:
        """A newer keyring waiting for its passphrase (see ``keyoffer``)."""
        ring = keyoffer.pending(self._store.meta())
        return ring if ring is not None and ring.generation > self.ring.generation else None

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

    def escrow_record(self) -> bytes | None:
        """The escrow kept in the file (stale after a rotation until made again)."""
        return self._store.meta().get(ESCROW_META) or None


# -- the file's life cycle ---------------------------------------------------------------
@dataclasses.dataclass(frozen=True)
class Opening:
    """What unlocking produced: the file and its keys, for the vault to open.
    ``ring_changed``: the keyring was re-wrapped (recovery) and must be saved once open."""

    path: Path
    ring: keys.Keyring
    umk: bytes
    vault_keys: list[bytes]
    kek: bytes
    ring_changed: bool = False
    recovery_code: str | None = None  # a new one (recovery issues one): show it once
    adopted: bool = False  # a pending keyring from another device's rotation was taken


def _initialise(path: Path, ring: keys.Keyring, umk: bytes, vkeys: list[bytes],
                kek: bytes) -> Opening:
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
    return Opening(path, ring, umk, vkeys, kek)


def _refuse_existing(path: Path) -> None:
    if path.exists():
        raise VaultExists(_("A vault already exists at {path}.").format(path=path))


def create(path: Path, passphrase: str, kdf: KdfParams | None = None) -> tuple[Opening, str]:
    """A new vault file and its recovery code (shown once)."""
    _refuse_existing(path)
    check_new_passphrase(passphrase)
    created = keys.create(new_id(), passphrase, kdf)
    opening = _initialise(path, created.keyring, created.umk, [created.vault_key], created.kek)
    return opening, created.recovery_code


def unlock(path: Path, passphrase: str) -> Opening:
    """Unlock with the passphrase. A wrong one changes nothing on disk.

    When another device rotated the keys (a new passphrase there), this file holds the
    newer keyring as pending (``keyoffer``): its passphrase unlocks and adopts it, and
    from then on only the new passphrase opens this file."""
    meta = vaultfile.read_meta_readonly(path)
    ring = keys.Keyring.from_meta(meta)
    kek = kdf_derive(passphrase, ring)
    try:
        umk = keys.unlock_with_kek(ring, kek)
    except WrongPassphrase:
        newer = keyoffer.pending(meta)
        if newer is None or newer.generation <= ring.generation:
            raise
        kek = kdf_derive(passphrase, newer)
        umk = keys.unlock_with_kek(newer, kek)  # the same WrongPassphrase if not this one
        return Opening(path, newer, umk, keys.vault_keys(newer, umk), kek, ring_changed=True,
                       adopted=True)
    return Opening(path, ring, umk, keys.vault_keys(ring, umk), kek)


def unlock_with_key(path: Path, kek: bytes) -> Opening:
    """Unlock with the key a passphrase derived for this file (kept sealed by another vault
    of the account): no key derivation.  ``WrongPassphrase`` if it does not open."""
    ring = keys.Keyring.from_meta(vaultfile.read_meta_readonly(path))
    umk = keys.unlock_with_kek(ring, kek)
    return Opening(path, ring, umk, keys.vault_keys(ring, umk), kek)


def kdf_derive(passphrase: str, ring: keys.Keyring) -> bytes:
    """The key the passphrase derives under the keyring's KDF settings."""
    return derive(passphrase, ring.kdf)


def recover(path: Path, recovery_code: str, new_passphrase: str) -> Opening:
    """Unlock with the printed recovery code, set a new passphrase and rotate: a new key
    generation and a NEW recovery code (``Opening.recovery_code``; the used one stops
    working, since whoever else has seen it could otherwise recover again)."""
    ring = keys.Keyring.from_meta(vaultfile.read_meta_readonly(path))
    umk = keys.unlock_with_recovery(ring, recovery_code)
    check_new_passphrase(new_passphrase)
    done = keys.rotate(ring, keys.vault_keys(ring, umk), b"", passphrase=new_passphrase,
                       new_recovery=True)
    return Opening(path, done.ring, done.umk, done.vault_keys, done.kek, ring_changed=True,
                   recovery_code=done.recovery_code)


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
    # rotate: whoever opened the escrow knows the old master key (and the escrow is made
    # again for the new one, counsel.org.recovery.refresh_escrow)
    done = keys.rotate(ring, keys.vault_keys(ring, umk), b"", passphrase=new_passphrase)
    return Opening(path, done.ring, done.umk, done.vault_keys, done.kek, ring_changed=True,
                   recovery_code=done.recovery_code)


def join(path: Path, keyring_json: dict[str, Any], passphrase: str) -> Opening:
    """A new local copy of an existing vault (a second device), from its keyring."""
    _refuse_existing(path)
    ring = keys.Keyring.from_json(keyring_json)
    kek = kdf_derive(passphrase, ring)
    umk = keys.unlock_with_kek(ring, kek)
    return _initialise(path, ring, umk, keys.vault_keys(ring, umk), kek)


def adopt(path: Path, vault_id: str, vault_key: bytes, passphrase: str,
          kdf: KdfParams | None = None) -> Opening:
    """A new local copy of a vault whose key came from a team grant (counsel.teams): the
    key is wrapped under a keyring of this device's own, opened by ``passphrase``."""
    _refuse_existing(path)
    check_new_passphrase(passphrase)
    created = keys.create_with_vault_key(vault_id, vault_key, passphrase, kdf)
    return _initialise(path, created.keyring, created.umk, [created.vault_key], created.kek)
