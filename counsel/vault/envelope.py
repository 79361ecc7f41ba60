"""AES-256-GCM envelopes bound to where they belong: the one way Counsel seals data.

Layout: ``version (1 byte) | nonce (12) | ciphertext+tag``.  Records, drafts, local
secrets, wrapped keys and the unlock cache are all sealed by :func:`seal` and opened by
:func:`open_`; only the key and the associated data differ.  The associated data binds
what the envelope belongs to (for a record: vault id, record id, revision id and kind),
so an envelope copied onto another record, revision, vault or kind fails authentication
instead of being read as if it belonged there.
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

#: A raw 256-bit key, or an ``AESGCM`` made from one (callers that seal many envelopes
#: under one key keep the cipher object instead of rebuilding it for every envelope).
Key = bytes | AESGCM


def aad(*fields: str) -> bytes:
    """Length-prefixed fields, so ("ab","c") and ("a","bc") can never collide."""
    out = bytearray(b"counsel-envelope")
    out.append(VERSION)
    for field in fields:
        raw = field.encode("utf-8")
        out += len(raw).to_bytes(4, "big") + raw
    return bytes(out)


def _cipher(key: Key) -> AESGCM:
    return key if isinstance(key, AESGCM) else AESGCM(key)


def seal(key: Key, plaintext: bytes | memoryview, associated: bytes, *,
         version: int = VERSION) -> bytes:
    """``version``: the format byte (chained revisions use their own, see vault.history)."""
    nonce = os.urandom(NONCE_LEN)
    return bytes([version]) + nonce + _cipher(key).encrypt(nonce, plaintext, associated)


def open_(key: Key, envelope: bytes, associated: bytes, *, record_id: str | None = None,
          version: int = VERSION) -> bytes:
    if len(envelope) < OVERHEAD or envelope[0] != version:
        raise IntegrityError(
            _("A record is damaged (unknown envelope format)."), record_id=record_id
        )
    nonce, body = envelope[1 : 1 + NONCE_LEN], envelope[1 + NONCE_LEN :]
    try:
        return _cipher(key).decrypt(nonce, body, associated)
    except InvalidTag:
        raise IntegrityError(
            _("A record failed its integrity check (damaged or altered)."), record_id=record_id
        ) from None


def record_aad(vault_id: str, record_id: str, rev_id: str, kind: str) -> bytes:
    return aad("record", vault_id, record_id, rev_id, kind)


def key_aad(vault_id: str, purpose: str, key_id: str) -> bytes:
    return aad("key", vault_id, purpose, key_id)
