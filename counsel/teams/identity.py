"""A counsellor's identity: an X25519 key pair (encryption) and an Ed25519 key pair
(signatures).

The private halves never leave a device unsealed: :func:`seal_private` seals them with
``envelope.seal`` under the personal vault's identity key (``Vault.identity_key``), so every
device of the account can open them and nothing else can.  The public halves are published
through the server, bound to the account; the server may lie about them, which the safety
codes catch (:mod:`counsel.teams.safety`).
"""

from __future__ import annotations

import base64
import dataclasses
import hashlib
import json
from typing import Any

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey, X25519PublicKey

from counsel.errors import IntegrityError
from counsel.i18n import gettext as _
from counsel.vault import envelope

_RAW = serialization.Encoding.Raw
_RAW_PUB = serialization.PublicFormat.Raw
_RAW_PRIV = serialization.PrivateFormat.Raw
_NO_ENC = serialization.NoEncryption()


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode()


def _unb64(value: object, size: int) -> bytes:
    if not isinstance(value, str):
        raise ValueError("not base64 text")
    raw = base64.b64decode(value, validate=True)
    if len(raw) != size:
        raise ValueError("wrong key size")
    return raw


@dataclasses.dataclass(frozen=True)
class PublicIdentity:
    """What colleagues know of an account: its two public keys (32 bytes each)."""

    account: str
    enc_public: bytes
    sign_public: bytes

    def encoding(self) -> bytes:
        """Canonical, length-prefixed bytes (what fingerprints and safety codes hash)."""
        return envelope.aad("identity", self.account, self.enc_public.hex(),
                            self.sign_public.hex())

    def fingerprint(self) -> str:
        return hashlib.sha256(self.encoding()).hexdigest()

    def x25519(self) -> X25519PublicKey:
        return X25519PublicKey.from_public_bytes(self.enc_public)

    def ed25519(self) -> Ed25519PublicKey:
        return Ed25519PublicKey.from_public_bytes(self.sign_public)

    def to_json(self) -> dict[str, Any]:
        return {"account": self.account, "enc": _b64(self.enc_public),
                "sign": _b64(self.sign_public)}

    @classmethod
    def from_json(cls, data: object) -> PublicIdentity:
        if not isinstance(data, dict) or not isinstance(data.get("account"), str):
            raise IntegrityError(_("A colleague's published keys are damaged."))
        try:
            return cls(data["account"], _unb64(data.get("enc"), 32),
                       _unb64(data.get("sign"), 32))
        except ValueError:
            raise IntegrityError(_("A colleague's published keys are damaged.")) from None


@dataclasses.dataclass(frozen=True)
class Identity:
    """An account's own identity, private keys included (only ever held unlocked)."""

    account: str
    enc_private: X25519PrivateKey
    sign_private: Ed25519PrivateKey

    @classmethod
    def new(cls, account: str) -> Identity:
        return cls(account, X25519PrivateKey.generate(), Ed25519PrivateKey.generate())

    def public(self) -> PublicIdentity:
        return PublicIdentity(
            self.account,
            self.enc_private.public_key().public_bytes(_RAW, _RAW_PUB),
            self.sign_private.public_key().public_bytes(_RAW, _RAW_PUB),
        )

    def sign(self, data: bytes) -> bytes:
        return self.sign_private.sign(data)


def _private_aad(account: str) -> bytes:
    return envelope.aad("identity-private", account)


def seal_private(identity: Identity, key: bytes) -> bytes:
    """The private keys sealed under ``key`` (``Vault.identity_key()``)."""
    body = json.dumps({
        "enc": _b64(identity.enc_private.private_bytes(_RAW, _RAW_PRIV, _NO_ENC)),
        "sign": _b64(identity.sign_private.private_bytes(_RAW, _RAW_PRIV, _NO_ENC)),
    }).encode()
    return envelope.seal(key, body, _private_aad(identity.account))


def open_private(sealed: bytes, key: bytes, account: str) -> Identity:
    """Open what :func:`seal_private` sealed; a changed or moved blob is refused."""
    body = envelope.open_(key, sealed, _private_aad(account))
    try:
        data = json.loads(body)
        return Identity(account,
                        X25519PrivateKey.from_private_bytes(_unb64(data["enc"], 32)),
                        Ed25519PrivateKey.from_private_bytes(_unb64(data["sign"], 32)))
    except (KeyError, TypeError, ValueError):
        raise IntegrityError(_("Your identity keys are damaged.")) from None
