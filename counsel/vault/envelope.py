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
#: format byte of an envelope sealed under a key *generation* (counsel.vault.generations):
#: ``3 | generation (4 bytes, big endian) | nonce | ciphertext+tag``; the generation is
#: bound into the associated data, so it cannot be relabelled
GENERATIONAL = 3
GEN_PREFIX = 5
NONCE_LEN = 12
OVERHEAD = 1 + NONCE_LEN + 16

#: A raw 256-bit key, or an ``AESGCM`` made from one (callers that seal many envelopes
#: under one key keep the cipher object instead of rebuilding it for every envelope).
Key = bytes | AESGCM


def aad(*fields: str) -> bytes:
    """Length-prefixed fields, so ("ab","c") and ("a","bc") can never collide."""
    parts = [_AAD_PREFIX]
    for field in fields:
        raw = field.encode("utf-8")
        parts += (len(raw).to_bytes(4, "big"), raw)
    return b"".join(parts)


_AAD_PREFIX = b"counsel-envelope" + bytes([VERSION])


def aad_after(start: bytes, *fields: str) -> bytes:
    """``aad(*first, *fields)`` given ``start = aad(*first)`` (a constant start made once)."""
    parts = [start]
    for field in fields:
        raw = field.encode("utf-8")
        parts.append(len(raw).to_bytes(4, "big"))
        parts.append(raw)
    return b"".join(parts)


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


def open_into(key: Key, envelope: bytes | bytearray | memoryview, associated: bytes,
              out: memoryview) -> None:
    """:func:`open_` into ``out`` (exactly the plaintext's length), without a plaintext
    copy of its own (the unlock cache opens ~240 MB this way on a large vault).  On failure
    ``out`` holds garbage that must not be used: :class:`IntegrityError` is raised."""
    view = memoryview(envelope)
    if len(view) < OVERHEAD or view[0] != VERSION or len(out) != len(view) - OVERHEAD:
        raise IntegrityError(_("A record is damaged (unknown envelope format)."))
    cipher = _cipher(key)
    try:
        if hasattr(cipher, "decrypt_into"):  # cryptography >= 45
            cipher.decrypt_into(view[1: 1 + NONCE_LEN], view[1 + NONCE_LEN:], associated, out)
        else:
            out[:] = cipher.decrypt(bytes(view[1: 1 + NONCE_LEN]), view[1 + NONCE_LEN:],
                                    associated)
    except InvalidTag:
        raise IntegrityError(
            _("A record failed its integrity check (damaged or altered).")) from None


def generation_of(envelope: bytes) -> int:
    """The key generation an envelope was sealed under (0: sealed before generations)."""
    if len(envelope) >= GEN_PREFIX + OVERHEAD and envelope[0] == GENERATIONAL:
        return int.from_bytes(envelope[1:GEN_PREFIX], "big")
    return 0


def seal_gen(key: Key, plaintext: bytes | memoryview, associated: bytes, generation: int, *,
             version: int = VERSION) -> bytes:
    """Seal under the key of ``generation``; generation 0 is the plain envelope of
    ``version`` (so nothing changes for vaults that never rotated)."""
    if generation == 0:
        return seal(key, plaintext, associated, version=version)
    prefix = bytes([GENERATIONAL]) + generation.to_bytes(4, "big")
    return prefix + seal(key, plaintext, associated + prefix, version=GENERATIONAL)[1:]


def open_gen(key: Key, envelope: bytes, associated: bytes, *, record_id: str | None = None,
             version: int = VERSION) -> bytes:
    """Open what :func:`seal_gen` sealed (the caller picked the key by
    :func:`generation_of`)."""
    if generation_of(envelope) == 0:
        return open_(key, envelope, associated, record_id=record_id, version=version)
    prefix = envelope[:GEN_PREFIX]
    return open_(key, bytes([GENERATIONAL]) + envelope[GEN_PREFIX:], associated + prefix,
                 record_id=record_id, version=GENERATIONAL)


def record_aad(vault_id: str, record_id: str, rev_id: str, kind: str) -> bytes:
    return aad("record", vault_id, record_id, rev_id, kind)


def key_aad(vault_id: str, purpose: str, key_id: str) -> bytes:
    return aad("key", vault_id, purpose, key_id)
