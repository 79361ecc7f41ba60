"""The key hierarchy (ARCHITECTURE.md "Keys").

    passphrase ─Argon2id─► KEK ─unwraps─► UMK (random 256-bit user master key)
    recovery code ─HKDF─► RKEK ─unwraps─► the same UMK
    UMK ─unwraps─► vault key ─unwraps─► one key per client (erasing it erases the client)

No key is ever written to disk unwrapped.  Keys come in generations
(:mod:`counsel.vault.generations`): changing the passphrase, recovering or making a new
recovery code *rotates* — a new UMK and a new vault key for new writes, the older vault
keys kept wrapped under the new one; records already written are not touched.
"""

from __future__ import annotations

import base64
import dataclasses
import hashlib
import hmac
import json
import os
import secrets
from typing import Any

from counsel.errors import IntegrityError, VaultError, WrongPassphrase, WrongRecoveryCode
from counsel.i18n import gettext as _
from counsel.vault import envelope, generations, kdf

RECOVERY_BYTES = 20  # 160 bits → 32 base32 characters in 8 groups of 4
VAULT_KEY_ID = "vault"


def new_key() -> bytes:
    return os.urandom(32)


# -- recovery codes ----------------------------------------------------------------------
def new_recovery_code() -> str:
    raw = base64.b32encode(secrets.token_bytes(RECOVERY_BYTES)).decode().rstrip("=")
    return "-".join(raw[i : i + 4] for i in range(0, len(raw), 4))


def normalize_recovery_code(code: str) -> str:
    """Accept what people type: lower case, spaces or dashes, 0/1/8 for O/I/B."""
    cleaned = "".join(ch for ch in code.upper() if ch.isalnum())
    cleaned = cleaned.translate(str.maketrans("018", "OIB"))
    if len(cleaned) != 32 or any(ch not in "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567" for ch in cleaned):
        raise WrongRecoveryCode(_("That is not a recovery code (32 letters and digits)."))
    return cleaned


def _recovery_kek(code: str, vault_id: str) -> bytes:
    """Format-1 keyrings: the UMK wrapped under a key derived from the code."""
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.kdf.hkdf import HKDF

    raw = base64.b32decode(normalize_recovery_code(code))
    return HKDF(
        algorithm=hashes.SHA256(),
        length=32,
        salt=vault_id.encode(),
        info=b"counsel recovery code v1",
    ).derive(raw)


# -- the keyring: everything needed to open a vault, all of it wrapped -------------------
@dataclasses.dataclass(frozen=True)
class Keyring:
    vault_id: str
    kdf: kdf.KdfParams
    umk_by_passphrase: bytes
    umk_by_recovery: bytes
    vault_key_wrapped: bytes  # the newest vault key, under the UMK
    generation: int = 0  # of the newest vault key
    #: the recovery code's X25519 public key (empty: a format-1 keyring, the UMK wrapped
    #: under a key derived from the code; it gets a new code at its first rotation)
    recovery_public: bytes = b""
    older: tuple[bytes, ...] = ()  # vault keys 0 … generation-1, under the newest one
    endorsements: tuple[bytes, ...] = ()  # of generations 1 … generation, by the one before

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "format": 2 if self.recovery_public or self.generation else 1,
            "vault_id": self.vault_id,
            "kdf": self.kdf.to_json(),
            "umk_by_passphrase": self.umk_by_passphrase.hex(),
            "umk_by_recovery": self.umk_by_recovery.hex(),
            "vault_key": self.vault_key_wrapped.hex(),
        }
        if out["format"] == 2:
            out.update(generation=self.generation, recovery_public=self.recovery_public.hex(),
                       older=[k.hex() for k in self.older],
                       endorsements=[e.hex() for e in self.endorsements])
        return out

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Keyring:
        try:
            fmt = data.get("format")
            if fmt not in (1, 2):
                raise ValueError("format")
            ring = cls(
                vault_id=str(data["vault_id"]),
                kdf=kdf.KdfParams.from_json(data["kdf"]),
                umk_by_passphrase=bytes.fromhex(data["umk_by_passphrase"]),
                umk_by_recovery=bytes.fromhex(data["umk_by_recovery"]),
                vault_key_wrapped=bytes.fromhex(data["vault_key"]),
            )
            if fmt == 2:
                ring = dataclasses.replace(
                    ring, generation=int(data["generation"]),
                    recovery_public=bytes.fromhex(data["recovery_public"]),
                    older=tuple(bytes.fromhex(k) for k in data["older"]),
                    endorsements=tuple(bytes.fromhex(e) for e in data["endorsements"]))
                if not (len(ring.older) == len(ring.endorsements) == ring.generation >= 0):
                    raise ValueError("generations")
            return ring
        except (KeyError, TypeError, ValueError) as exc:
            raise VaultError(_("The vault's key data is damaged.")) from exc

    def to_meta(self) -> dict[str, bytes]:
        return {"keyring": json.dumps(self.to_json()).encode()}

    @classmethod
    def from_meta(cls, meta: dict[str, bytes]) -> Keyring:
        if "keyring" not in meta:
            raise VaultError(_("The file is not a Counsel vault (no keys)."))
        try:
            return cls.from_json(json.loads(meta["keyring"]))
        except ValueError as exc:
            raise VaultError(_("The vault's key data is damaged.")) from exc


@dataclasses.dataclass(frozen=True)
class CreatedKeys:
    keyring: Keyring
    umk: bytes
    vault_key: bytes
    recovery_code: str
    kek: bytes = b""


def create(vault_id: str, passphrase: str, params: kdf.KdfParams | None = None) -> CreatedKeys:
    params = params or kdf.KdfParams.new()
    umk, vault_key, code = new_key(), new_key(), new_recovery_code()
    kek = kdf.derive(passphrase, params)
    public = generations.recovery_public(
        generations.raw_code(normalize_recovery_code(code)), vault_id)
    ring = Keyring(
        vault_id=vault_id,
        kdf=params,
        umk_by_passphrase=envelope.seal(kek, umk, envelope.key_aad(vault_id, "umk", "passphrase")),
        umk_by_recovery=generations.wrap_to_recovery(vault_id, public, umk),
        vault_key_wrapped=envelope.seal(umk, vault_key, generations.current_aad(vault_id, 0)),
        recovery_public=public,
    )
    return CreatedKeys(ring, umk, vault_key, code, kek)


def create_with_vault_key(vault_id: str, vault_key: bytes, passphrase: str,
                          params: kdf.KdfParams | None = None) -> CreatedKeys:
    """A keyring of this device's own (new master key, passphrase, recovery code) around a
    vault key that came from elsewhere: a team key delivered by a grant (counsel.teams)."""
    created = create(vault_id, passphrase, params)
    ring = dataclasses.replace(created.keyring, vault_key_wrapped=envelope.seal(
        created.umk, vault_key, envelope.key_aad(vault_id, "vault-key", VAULT_KEY_ID)))
    return CreatedKeys(ring, created.umk, vault_key, created.recovery_code, created.kek)


def unlock_with_passphrase(ring: Keyring, passphrase: str) -> bytes:
    return unlock_with_kek(ring, kdf.derive(passphrase, ring.kdf))


def unlock_with_kek(ring: Keyring, kek: bytes) -> bytes:
    """The UMK from the key the passphrase derives (``kdf.derive(passphrase, ring.kdf)``)."""
    try:
        return envelope.open_(
            kek, ring.umk_by_passphrase, envelope.key_aad(ring.vault_id, "umk", "passphrase")
        )
    except IntegrityError:
        raise WrongPassphrase(_("The passphrase is not correct.")) from None


def unlock_with_recovery(ring: Keyring, code: str) -> bytes:
    if ring.recovery_public:
        return generations.unwrap_by_recovery(
            ring.vault_id, generations.raw_code(normalize_recovery_code(code)),
            ring.recovery_public, ring.umk_by_recovery)
    rkek = _recovery_kek(code, ring.vault_id)
    try:
        return envelope.open_(
            rkek, ring.umk_by_recovery, envelope.key_aad(ring.vault_id, "umk", "recovery")
        )
    except IntegrityError:
        raise WrongRecoveryCode(_("The recovery code is not correct.")) from None


def vault_keys(ring: Keyring, umk: bytes) -> list[bytes]:
    """Every generation's vault key, oldest first (the last one seals new writes)."""
    try:
        newest = envelope.open_(umk, ring.vault_key_wrapped,
                                generations.current_aad(ring.vault_id, ring.generation))
        out = [envelope.open_(newest, wrapped,
                              generations.older_aad(ring.vault_id, g, ring.generation))
               for g, wrapped in enumerate(ring.older)]
    except IntegrityError:
        raise VaultError(_("The vault's key data is damaged.")) from None
    out.append(newest)
    for g in range(1, len(out)):
        if not generations.endorsed(ring.vault_id, out[g - 1], out[g], g,
                                    ring.endorsements[g - 1]):
            raise VaultError(_("The vault's key data is damaged."))
    return out


def vault_key(ring: Keyring, umk: bytes) -> bytes:
    """The newest vault key."""
    return vault_keys(ring, umk)[-1]


@dataclasses.dataclass(frozen=True)
class Rotated:
    """A keyring after a rotation and the keys that open it."""

    ring: Keyring
    umk: bytes
    kek: bytes
    vault_keys: list[bytes]
    recovery_code: str | None  # a new code to show once (None: the old one still works)


def rotate(ring: Keyring, vkeys: list[bytes], kek: bytes, *, passphrase: str | None = None,
           new_recovery: bool = False) -> Rotated:
    """A new generation: a new UMK and vault key; the older vault keys re-wrapped under the
    new one.  ``kek``: the current passphrase's key (kept) unless ``passphrase`` gives a
    new one.  A format-1 keyring always gets a new recovery code."""
    vid, gen = ring.vault_id, ring.generation + 1
    umk, newest = new_key(), new_key()
    params = ring.kdf
    if passphrase is not None:
        params = kdf.KdfParams.new(memory_kib=ring.kdf.memory_kib,
                                   iterations=ring.kdf.iterations, lanes=ring.kdf.lanes)
        kek = kdf.derive(passphrase, params)
    code = None
    public = ring.recovery_public
    if new_recovery or not public:
        code = new_recovery_code()
        public = generations.recovery_public(
            generations.raw_code(normalize_recovery_code(code)), vid)
    new_ring = Keyring(
        vault_id=vid, kdf=params,
        umk_by_passphrase=envelope.seal(kek, umk, envelope.key_aad(vid, "umk", "passphrase")),
        umk_by_recovery=generations.wrap_to_recovery(vid, public, umk),
        vault_key_wrapped=envelope.seal(umk, newest, generations.current_aad(vid, gen)),
        generation=gen, recovery_public=public,
        older=tuple(envelope.seal(newest, k, generations.older_aad(vid, g, gen))
                    for g, k in enumerate(vkeys)),
        endorsements=(*ring.endorsements, generations.endorse(vid, vkeys[-1], newest, gen)),
    )
    return Rotated(new_ring, umk, kek, [*vkeys, newest], code)


def rewrap_passphrase(ring: Keyring, umk: bytes, passphrase: str) -> tuple[Keyring, bytes]:
    """``ring`` with its UMK wrapped under a new passphrase (fresh salt, same cost) and
    nothing else changed — no rotation; for a keyring that never leaves this device (a
    team copy's).  Returns the ring and the new passphrase's key."""
    params = kdf.KdfParams.new(memory_kib=ring.kdf.memory_kib,
                               iterations=ring.kdf.iterations, lanes=ring.kdf.lanes)
    kek = kdf.derive(passphrase, params)
    return dataclasses.replace(ring, kdf=params, umk_by_passphrase=envelope.seal(
        kek, umk, envelope.key_aad(ring.vault_id, "umk", "passphrase"))), kek


def add_generation(ring: Keyring, vkeys: list[bytes], umk: bytes, key: bytes) -> Keyring:
    """``ring`` with vault key ``key`` (made elsewhere: a team grant) as its next
    generation, under the same UMK; endorsed here by the newest key this ring had."""
    vid, gen = ring.vault_id, ring.generation + 1
    return dataclasses.replace(
        ring, vault_key_wrapped=envelope.seal(umk, key, generations.current_aad(vid, gen)),
        generation=gen,
        older=tuple(envelope.seal(key, k, generations.older_aad(vid, g, gen))
                    for g, k in enumerate(vkeys)),
        endorsements=(*ring.endorsements, generations.endorse(vid, vkeys[-1], key, gen)))


def wrap_client_key(vault_id: str, vkey: bytes, client_id: str, key: bytes,
                    generation: int = 0) -> bytes:
    """``key`` wrapped under ``vkey``, the vault key of ``generation``."""
    return envelope.seal_gen(vkey, key, envelope.key_aad(vault_id, "client-key", client_id),
                             generation)


def unwrap_client_key(vault_id: str, vkey: bytes, client_id: str, wrapped: bytes) -> bytes:
    """``vkey``: the vault key of ``envelope.generation_of(wrapped)``."""
    return envelope.open_gen(
        vkey, wrapped, envelope.key_aad(vault_id, "client-key", client_id), record_id=client_id
    )


def subkey(key: bytes, purpose: str) -> bytes:
    """A key for one purpose (snapshot cache, drafts, settings), derived from ``key``."""
    return hmac.new(key, b"counsel subkey v1|" + purpose.encode(), hashlib.sha256).digest()
