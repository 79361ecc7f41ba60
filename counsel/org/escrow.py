"""A member's master key sealed to the organisation recovery public key (a sealed box).

``version | ephemeral X25519 public (32) | envelope``: the envelope key is HKDF-SHA256 of
the X25519 shared secret, salted with both public keys; the associated data binds the
organisation, the account, the vault and the key generation, so an escrow moved to
another account, vault or generation fails authentication instead of opening.  Only the
holder of the organisation private key (on paper, offline) can open one; the server
stores it as opaque bytes.
"""

from __future__ import annotations

import dataclasses

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey, X25519PublicKey
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from counsel.errors import IntegrityError, KnownError
from counsel.i18n import N_
from counsel.i18n import gettext as _
from counsel.org.recovery_key import public_bytes
from counsel.vault import envelope

FORMAT = 1


class EscrowError(KnownError):
    help_text = N_("The escrowed key was altered or belongs elsewhere; it cannot be used. "
                   "Nothing was changed.")


@dataclasses.dataclass(frozen=True)
class EscrowSlot:
    """What an escrow is bound to."""

    org_id: str
    account: str
    vault_id: str
    generation: int = 1

    def aad(self) -> bytes:
        return envelope.aad("org-escrow", self.org_id, self.account, self.vault_id,
                            str(self.generation))


def _key(shared: bytes, eph_raw: bytes, org_raw: bytes) -> bytes:
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=eph_raw + org_raw,
                info=b"counsel org escrow v1").derive(shared)


def seal(org_public_raw: bytes, slot: EscrowSlot, secret: bytes) -> bytes:
    ephemeral = X25519PrivateKey.generate()
    eph_raw = public_bytes(ephemeral.public_key())
    shared = ephemeral.exchange(X25519PublicKey.from_public_bytes(org_public_raw))
    key = _key(shared, eph_raw, org_public_raw)
    return bytes([FORMAT]) + eph_raw + envelope.seal(key, secret, slot.aad())


def open_(org_private: X25519PrivateKey, slot: EscrowSlot, sealed: bytes) -> bytes:
    if len(sealed) < 33 + envelope.OVERHEAD or sealed[0] != FORMAT:
        raise EscrowError(_("The escrowed key is damaged."))
    eph_raw, body = sealed[1:33], sealed[33:]
    try:
        shared = org_private.exchange(X25519PublicKey.from_public_bytes(eph_raw))
    except ValueError:
        raise EscrowError(_("The escrowed key is damaged.")) from None
    key = _key(shared, eph_raw, public_bytes(org_private.public_key()))
    try:
        return envelope.open_(key, body, slot.aad())
    except IntegrityError:
        raise EscrowError(_("The escrowed key failed its integrity check (altered, or "
                            "made for another account, vault or organisation key).")) from None
