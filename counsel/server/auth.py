"""Secrets the server hands out or checks, and how they are kept at rest.

Device tokens, enrolment secrets and login keys are all 256-bit random (the login key
is the output of the client's Argon2id run), so a plain SHA-256 is enough to store
them: there is nothing to brute-force.  Only the hashes are written to the database;
a stolen database dump cannot be replayed as a token.

The login key is derived on the client from the vault passphrase with its *own* salt
(see ``counsel.sync.enrol``), so it shares nothing with the key that unwraps the vault:
the server can check it but can never decrypt.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets


def new_secret() -> str:
    """A 256-bit random secret, URL-safe text."""
    return secrets.token_urlsafe(32)


def new_secret_hex() -> str:
    return secrets.token_hex(32)


def fake_salt(server_secret: bytes, account: str) -> str:
    """The login salt shown for an account that has none: deterministic (the same on
    every call, so repeated probes agree), unpredictable without the server secret, and
    shaped like a real one (16 bytes, hex — what ``KdfParams.new`` makes)."""
    mac = hmac.new(server_secret, b"counsel fake login salt v1|" + account.encode(), "sha256")
    return mac.hexdigest()[:32]


def new_device_id() -> str:
    return secrets.token_hex(16)


def digest(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


def bearer(header: str | None) -> str | None:
    """The token from an ``Authorization: Bearer ...`` header, or None."""
    if not header:
        return None
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        return None
    return token.strip()
