"""What the sync service stores and returns: opaque revisions and a few account records.

The server never sees plaintext.  A revision is the client's ``StoredRevision`` header
(record id, rev id, parent ids, kind, key id, device id) plus the encrypted envelope;
wrapped keys and the keyring are opaque blobs too.
"""

from __future__ import annotations

import dataclasses
import re
from typing import TypeGuard

#: ids are the domain's 128-bit hex ids, the key id "vault", or short device/vault ids
_ID = re.compile(r"^[A-Za-z0-9_-]{1,64}$")
_KIND = re.compile(r"^[a-z_]{1,32}$")
_ACCOUNT = re.compile(r"^[A-Za-z0-9._@-]{1,64}$")

MAX_PARENTS = 32


def valid_id(value: object) -> TypeGuard[str]:
    return isinstance(value, str) and bool(_ID.match(value))


def valid_kind(value: object) -> TypeGuard[str]:
    return isinstance(value, str) and bool(_KIND.match(value))


def valid_account(value: object) -> TypeGuard[str]:
    return isinstance(value, str) and bool(_ACCOUNT.match(value))


@dataclasses.dataclass(frozen=True)
class Revision:
    """A revision as the server keeps it.

    Deliberately not the client's ``counsel.vault.revision.StoredRevision``, though the first
    seven fields match: the server adds what only it knows (``seq``, ``pushed_by``), the
    server package must not import the vault (it runs without client code or keys), and
    the two sides evolve under their own migrations; they meet only in the JSON of the
    sync API.
    """

    rev_id: str
    record_id: str
    parents: tuple[str, ...]
    kind: str
    key_id: str
    device_id: str
    envelope: bytes  # empty once its client was erased (the header stays)
    seq: int = 0  # assigned by the server
    pushed_by: str = ""  # the authenticated device that pushed it (audit)
    counter: int = 0  # the writing device's change number (0: before chained history)
    prev: str = ""  # the device's chain link (opaque to the server)


@dataclasses.dataclass(frozen=True)
class Principal:
    """Who is calling: an account and the device whose token was presented."""

    account: str
    device_id: str


@dataclasses.dataclass(frozen=True)
class PushResult:
    stored: int  # new revisions stored (already known ones are not counted)
    seq: int  # the vault's highest sequence number after this push
    before: int = 0  # ... and before it: (before, seq] holds only this push's rows
    last_rev: str | None = None  # the stored revision at ``seq`` (None if nothing new)


@dataclasses.dataclass(frozen=True)
class Page:
    revisions: list[Revision]
    keys: dict[str, bytes]  # wrapped client keys that appeared in this range
    erased: list[str]  # key ids erased in this range
    next: int  # cursor for the next pull
    more: bool
    top: int = 0  # the vault's highest sequence number now (a restored server's is lower)
    #: the sealed erasure record of each key erased in this range (None: none was sent)
    erasures: dict[str, bytes | None] = dataclasses.field(default_factory=dict)


@dataclasses.dataclass(frozen=True)
class LoginParams:
    """Client-chosen parameters of the login-key derivation (public, not secret)."""

    salt: str
    params: str  # JSON of the KDF parameters


class StorageError(Exception):
    """A request the storage refuses; ``code`` becomes the JSON error code."""

    def __init__(self, code: str, message: str, status: int = 400) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.status = status
