"""AES-256-GCM envelopes bound to where they belong.

Layout: ``version (1 byte) | nonce (12) | ciphertext+tag``.  The associated data binds
the format version, vault id, record id, revision id and record kind, so an envelope
copied onto another record, another revision, another vault or another kind fails
authentication instead of being read as if it belonged there.
"""

from __future__ import annotations

import os

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from counsel.errors import IntegrityError
from counsel.i18n import gettext as _

VERSION = 1
NONCE_LEN = 12
OVERHEAD = 1 + NONCE_LEN + 16


def aad(*fields: str) -> bytes:
    """Length-prefixed fields, so ("ab","c") and ("a","bc") can never collide."""
    out = bytearray(b"counsel-envelope")
    out.append(VERSION)
    for field in fields:
        raw = field.encode("utf-8")
        out += len(raw).to_bytes(4, "big") + raw
    return bytes(out)


def seal(key: bytes, plaintext: bytes | memoryview, associated: bytes) -> bytes:
    nonce = os.urandom(NONCE_LEN)
    return bytes([VERSION]) + nonce + AESGCM(key).encrypt(nonce, plaintext, associated)


def open_(key: bytes, envelope: bytes, associated: bytes, *, record_id: str | None = None) -> bytes:
    if len(envelope) < OVERHEAD or envelope[0] != VERSION:
        raise IntegrityError(
            _("A record is damaged (unknown envelope format)."), record_id=record_id
        )
    nonce, body = envelope[1 : 1 + NONCE_LEN], envelope[1 + NONCE_LEN :]
    try:
        return AESGCM(key).decrypt(nonce, body, associated)
    except InvalidTag:
        raise IntegrityError(
            _("A record failed its integrity check (damaged or altered)."), record_id=record_id
        ) from None


def record_aad(vault_id: str, record_id: str, rev_id: str, kind: str) -> bytes:
    return aad("record", vault_id, record_id, rev_id, kind)


def key_aad(vault_id: str, purpose: str, key_id: str) -> bytes:
    return aad("key", vault_id, purpose, key_id)
