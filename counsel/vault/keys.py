"""The key hierarchy (ARCHITECTURE.md "Keys").

    passphrase ─Argon2id─► KEK ─unwraps─► UMK (random 256-bit user master key)
    recovery code ─HKDF─► RKEK ─unwraps─► the same UMK
    UMK ─unwraps─► vault key ─unwraps─► one key per client (erasing it erases the client)

No key is ever written to disk unwrapped.  Changing the passphrase re-wraps the UMK
only; records are not touched.
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
from counsel.vault import envelope, kdf

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
    vault_key_wrapped: bytes

    def to_json(self) -> dict[str, Any]:
        return {
            "format": 1,
            "vault_id": self.vault_id,
            "kdf": self.kdf.to_json(),
            "umk_by_passphrase": self.umk_by_passphrase.hex(),
            "umk_by_recovery": self.umk_by_recovery.hex(),
            "vault_key": self.vault_key_wrapped.hex(),
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Keyring:
        try:
            if data.get("format") != 1:
                raise ValueError("format")
            return cls(
                vault_id=str(data["vault_id"]),
                kdf=kdf.KdfParams.from_json(data["kdf"]),
                umk_by_passphrase=bytes.fromhex(data["umk_by_passphrase"]),
                umk_by_recovery=bytes.fromhex(data["umk_by_recovery"]),
                vault_key_wrapped=bytes.fromhex(data["vault_key"]),
            )
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


def create(vault_id: str, passphrase: str, params: kdf.KdfParams | None = None) -> CreatedKeys:
    params = params or kdf.KdfParams.new()
    umk, vault_key, code = new_key(), new_key(), new_recovery_code()
    kek = kdf.derive(passphrase, params)
    ring = Keyring(
        vault_id=vault_id,
        kdf=params,
        umk_by_passphrase=envelope.seal(kek, umk, envelope.key_aad(vault_id, "umk", "passphrase")),
        umk_by_recovery=envelope.seal(
            _recovery_kek(code, vault_id), umk, envelope.key_aad(vault_id, "umk", "recovery")
        ),
        vault_key_wrapped=envelope.seal(
            umk, vault_key, envelope.key_aad(vault_id, "vault-key", VAULT_KEY_ID)
        ),
    )
    return CreatedKeys(ring, umk, vault_key, code)


def create_with_vault_key(vault_id: str, vault_key: bytes, passphrase: str,
                          params: kdf.KdfParams | None = None) -> CreatedKeys:
    """A keyring of this device's own (new master key, passphrase, recovery code) around a
    vault key that came from elsewhere: a team key delivered by a grant (counsel.teams)."""
    created = create(vault_id, passphrase, params)
    ring = dataclasses.replace(created.keyring, vault_key_wrapped=envelope.seal(
        created.umk, vault_key, envelope.key_aad(vault_id, "vault-key", VAULT_KEY_ID)))
    return CreatedKeys(ring, created.umk, vault_key, created.recovery_code)


def unlock_with_passphrase(ring: Keyring, passphrase: str) -> bytes:
    kek = kdf.derive(passphrase, ring.kdf)
    try:
        return envelope.open_(
            kek, ring.umk_by_passphrase, envelope.key_aad(ring.vault_id, "umk", "passphrase")
        )
    except IntegrityError:
        raise WrongPassphrase(_("The passphrase is not correct.")) from None


def unlock_with_recovery(ring: Keyring, code: str) -> bytes:
    rkek = _recovery_kek(code, ring.vault_id)
    try:
        return envelope.open_(
            rkek, ring.umk_by_recovery, envelope.key_aad(ring.vault_id, "umk", "recovery")
        )
    except IntegrityError:
        raise WrongRecoveryCode(_("The recovery code is not correct.")) from None


def vault_key(ring: Keyring, umk: bytes) -> bytes:
    try:
        return envelope.open_(
            umk, ring.vault_key_wrapped, envelope.key_aad(ring.vault_id, "vault-key", VAULT_KEY_ID)
        )
    except IntegrityError:
        raise VaultError(_("The vault's key data is damaged.")) from None


def rewrap_passphrase(ring: Keyring, umk: bytes, new_passphrase: str) -> Keyring:
    params = kdf.KdfParams.new(
        memory_kib=ring.kdf.memory_kib, iterations=ring.kdf.iterations, lanes=ring.kdf.lanes
    )
    kek = kdf.derive(new_passphrase, params)
    return dataclasses.replace(
        ring,
        kdf=params,
        umk_by_passphrase=envelope.seal(
            kek, umk, envelope.key_aad(ring.vault_id, "umk", "passphrase")
        ),
    )


def rewrap_recovery(ring: Keyring, umk: bytes) -> tuple[Keyring, str]:
    code = new_recovery_code()
    return dataclasses.replace(
        ring,
        umk_by_recovery=envelope.seal(
            _recovery_kek(code, ring.vault_id),
            umk,
            envelope.key_aad(ring.vault_id, "umk", "recovery"),
        ),
    ), code


def wrap_client_key(vault_id: str, vkey: bytes, client_id: str, key: bytes) -> bytes:
    return envelope.seal(vkey, key, envelope.key_aad(vault_id, "client-key", client_id))


def unwrap_client_key(vault_id: str, vkey: bytes, client_id: str, wrapped: bytes) -> bytes:
    return envelope.open_(
        vkey, wrapped, envelope.key_aad(vault_id, "client-key", client_id), record_id=client_id
    )


def subkey(key: bytes, purpose: str) -> bytes:
    """A key for one purpose (snapshot cache, drafts, settings), derived from ``key``."""
    return hmac.new(key, b"counsel subkey v1|" + purpose.encode(), hashlib.sha256).digest()
