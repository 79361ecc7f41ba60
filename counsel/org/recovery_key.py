"""The organisation recovery key: an X25519 key pair whose private half lives on paper.

``create`` makes the pair offline; the private key is written as grouped base32 text with
a checksum, whole or **split between two officers** (2-of-2 XOR: part 1 is random, part 2
is the key XOR part 1, so one part alone says nothing about the key).  No Shamir library
on the package index is well kept enough to trust with this, so the split is 2-of-2 and
says so.

A part's text: ``version | part | parts | 32 bytes | 5-byte checksum`` = 40 bytes, 64
base32 characters in 16 groups of 4.  The checksum is a SHA-256 prefix over the rest and
the organisation's public key fingerprint, so a typo, a part of another organisation's key
or a part typed into the wrong slot is refused before anything is tried.
"""

from __future__ import annotations

import base64
import dataclasses
import hashlib
import os
from collections.abc import Sequence

from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey, X25519PublicKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

from counsel.errors import KnownError
from counsel.i18n import N_
from counsel.i18n import gettext as _

FORMAT = 1
KEY_BYTES = 32
CHECK_BYTES = 5
ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"


class RecoveryKeyError(KnownError):
    help_text = N_("Type the key part exactly as printed; groups may be separated by spaces "
                   "or dashes. Nothing was changed.")


def public_bytes(public: X25519PublicKey) -> bytes:
    return public.public_bytes(Encoding.Raw, PublicFormat.Raw)


def fingerprint(public_raw: bytes) -> str:
    """What people compare: 20 base32 characters of SHA-256 over the public key, grouped."""
    digest = hashlib.sha256(b"counsel org recovery key v1|" + public_raw).digest()
    text = base64.b32encode(digest[:15]).decode()
    return "-".join(text[i:i + 4] for i in range(0, len(text), 4))


@dataclasses.dataclass(frozen=True)
class KeyPart:
    part: int  # 1-based
    parts: int  # 1 (whole key) or 2
    secret: bytes  # 32 bytes (the key, or an XOR share of it)

    def text(self, public_raw: bytes) -> str:
        body = bytes([FORMAT, self.part, self.parts]) + self.secret
        raw = body + _check(body, public_raw)
        encoded = base64.b32encode(raw).decode()
        return "-".join(encoded[i:i + 4] for i in range(0, len(encoded), 4))


def _check(body: bytes, public_raw: bytes) -> bytes:
    return hashlib.sha256(b"counsel org key part|" + public_raw + body).digest()[:CHECK_BYTES]


@dataclasses.dataclass(frozen=True)
class OrgRecoveryKey:
    """A freshly made key pair (only ``create`` holds the private key whole)."""

    private: X25519PrivateKey

    @property
    def public_raw(self) -> bytes:
        return public_bytes(self.private.public_key())

    def parts(self, split: bool) -> list[KeyPart]:
        from cryptography.hazmat.primitives.serialization import NoEncryption, PrivateFormat

        raw = self.private.private_bytes(Encoding.Raw, PrivateFormat.Raw, NoEncryption())
        if not split:
            return [KeyPart(1, 1, raw)]
        first = os.urandom(KEY_BYTES)
        return [KeyPart(1, 2, first), KeyPart(2, 2, bytes(a ^ b for a, b in zip(raw, first,
                                                                               strict=True)))]


def create() -> OrgRecoveryKey:
    return OrgRecoveryKey(X25519PrivateKey.generate())


def parse_part(text: str, public_raw: bytes) -> KeyPart:
    """A typed or scanned part: any case, spaces or dashes, 0/1/8 for O/I/B."""
    cleaned = "".join(ch for ch in text.upper() if ch.isalnum()).translate(
        str.maketrans("018", "OIB"))
    if len(cleaned) != 64 or any(ch not in ALPHABET for ch in cleaned):
        raise RecoveryKeyError(_("That is not an organisation recovery key part "
                                 "(64 letters and digits)."))
    raw = base64.b32decode(cleaned)
    body, check = raw[:-CHECK_BYTES], raw[-CHECK_BYTES:]
    if body[0] != FORMAT or _check(body, public_raw) != check:
        raise RecoveryKeyError(_("The key part does not match this organisation's recovery "
                                 "key (a typing error, or a part of another key)."))
    part, parts = body[1], body[2]
    if parts not in (1, 2) or not 1 <= part <= parts:
        raise RecoveryKeyError(_("The key part is damaged."))
    return KeyPart(part, parts, body[3:])


def join(parts: Sequence[KeyPart], public_raw: bytes) -> X25519PrivateKey:
    """The private key from all its parts; refuses a missing part or a wrong result."""
    needed = parts[0].parts if parts else 1
    numbers = sorted(p.part for p in parts)
    if not parts or numbers != list(range(1, needed + 1)) or any(p.parts != needed
                                                                  for p in parts):
        raise RecoveryKeyError(
            _("The organisation recovery key is split in {n} parts; give each part once.")
            .format(n=needed))
    secret = bytes(KEY_BYTES)
    for p in parts:
        secret = bytes(a ^ b for a, b in zip(secret, p.secret, strict=True))
    key = X25519PrivateKey.from_private_bytes(secret)
    if public_bytes(key.public_key()) != public_raw:
        raise RecoveryKeyError(_("The key parts do not make this organisation's recovery key."))
    return key
