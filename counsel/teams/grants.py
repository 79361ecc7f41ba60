"""Sealed, signed grants: how a team key reaches a member.

A grant seals the team key to one member's X25519 public key and is signed by the member who
grants it (Ed25519):

    ephemeral X25519 key pair (e, E);  shared = X25519(e, member's public key)
    key  = HKDF-SHA256(shared, salt = E | member's public key, info = "counsel grant v1")
    sealed = envelope.seal(key, payload, aad("grant", team, version, member, role, expires,
                                             granter))
    signature = Ed25519(granter, aad("grant-signature", team, version, member, role, expires,
                                     granter, E, sealed))

So a flipped byte, a grant moved to another member, team or key version, a changed role or
expiry, or a signature by anyone but the named granter is refused before anything is used.

The payload is the team's vault key of every generation up to ``version`` (a member who
joins late reads what was written before; one removed at ``version`` holds none after it).

Roles: ``member`` (read and write: the team keys), ``substitute`` (the team keys until the
signed ``expires``, checked against this device's clock — no server needed to stop it), and
``supervisor`` (only the aggregate key, derived one-way from the team key: figures, never case
notes).  A supervisor's device refuses a grant that carries a team key.
"""

from __future__ import annotations

import base64
import dataclasses
import datetime as dt
from collections.abc import Mapping
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey, X25519PublicKey
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from counsel.errors import IntegrityError, KnownError
from counsel.i18n import N_
from counsel.i18n import gettext as _
from counsel.teams.identity import Identity, PublicIdentity
from counsel.vault import envelope, keys

MEMBER, SUBSTITUTE, SUPERVISOR = "member", "substitute", "supervisor"
ROLES = (MEMBER, SUBSTITUTE, SUPERVISOR)
_TEAM_KEY, _AGGREGATE_KEY = b"T", b"A"


class GrantRefused(KnownError):
    help_text = N_("Ask a team member to invite you again, and compare safety codes with them.")


class GrantExpired(GrantRefused):
    help_text = N_("Your substitute access has ended. Ask a team member to extend it.")


def aggregate_key(team_key: bytes) -> bytes:
    """The key of the team's aggregate figures; cannot be turned back into the team key."""
    return keys.subkey(team_key, "team aggregates")


def parse_expiry(expires: str) -> dt.datetime | None:
    if not expires:
        return None
    try:
        when = dt.datetime.fromisoformat(expires)
    except ValueError:
        raise GrantRefused(_("The grant's end date is not a date.")) from None
    return when if when.tzinfo else when.replace(tzinfo=dt.UTC)


@dataclasses.dataclass(frozen=True)
class Grant:
    team_id: str
    version: int
    member: str
    role: str
    expires: str  # "" or an ISO date-time (UTC); signed
    granter: str
    ephemeral: bytes
    sealed: bytes
    signature: bytes

    def _fields(self) -> tuple[str, ...]:
        return (self.team_id, str(self.version), self.member, self.role, self.expires,
                self.granter)

    def associated(self) -> bytes:
        return envelope.aad("grant", *self._fields())

    def signed_bytes(self) -> bytes:
        return envelope.aad("grant-signature", *self._fields(), self.ephemeral.hex(),
                            self.sealed.hex())

    def to_json(self) -> dict[str, Any]:
        return {"team_id": self.team_id, "version": self.version, "member": self.member,
                "role": self.role, "expires": self.expires, "granter": self.granter,
                "ephemeral": base64.b64encode(self.ephemeral).decode(),
                "sealed": base64.b64encode(self.sealed).decode(),
                "signature": base64.b64encode(self.signature).decode()}

    @classmethod
    def from_json(cls, data: object) -> Grant:
        try:
            if not isinstance(data, dict):
                raise TypeError("not an object")
            version = data["version"]
            if not isinstance(version, int) or isinstance(version, bool) or version < 0:
                raise ValueError("version")
            texts = [data[k] for k in ("team_id", "member", "role", "expires", "granter")]
            if not all(isinstance(t, str) for t in texts):
                raise TypeError("text fields")
            blobs = [base64.b64decode(data[k], validate=True)
                     for k in ("ephemeral", "sealed", "signature")]
        except (KeyError, TypeError, ValueError):
            raise GrantRefused(_("A team grant is damaged.")) from None
        return cls(texts[0], version, texts[1], texts[2], texts[3], texts[4], *blobs)


@dataclasses.dataclass(frozen=True)
class TeamAccess:
    """What an opened grant gives this device."""

    team_id: str
    version: int
    role: str
    expires: str
    team_keys: tuple[bytes, ...]  # generation 0 … version; empty for a supervisor
    aggregate_key: bytes

    @property
    def team_key(self) -> bytes | None:
        """The newest generation's key (None for a supervisor: no case-note key, ever)."""
        return self.team_keys[-1] if self.team_keys else None

    def expired(self, now: dt.datetime | None = None) -> bool:
        end = parse_expiry(self.expires)
        return end is not None and (now or dt.datetime.now(dt.UTC)) >= end


def _wrap_key(shared: bytes, ephemeral: bytes, recipient: bytes) -> bytes:
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=ephemeral + recipient,
                info=b"counsel grant v1").derive(shared)


def issue(granter: Identity, to: PublicIdentity, team_id: str, version: int, role: str,
          team_keys: list[bytes] | tuple[bytes, ...], expires: str = "") -> Grant:
    """A grant of the team keys of generations 0 … ``version`` to ``to`` in ``role``,
    signed by ``granter``.  A substitute's grant needs ``expires``; a supervisor's carries
    only the aggregate key of the newest generation."""
    if len(team_keys) != version + 1 or any(len(k) != 32 for k in team_keys):
        raise GrantRefused(_("A team grant is damaged."))
    if role not in ROLES:
        raise GrantRefused(_("Unknown team role: {role}").format(role=role))
    if role == SUBSTITUTE and parse_expiry(expires) is None:
        raise GrantRefused(_("A substitute's access needs an end date."))
    eph = X25519PrivateKey.generate()
    eph_pub = eph.public_key().public_bytes(serialization.Encoding.Raw,
                                            serialization.PublicFormat.Raw)
    key = _wrap_key(eph.exchange(to.x25519()), eph_pub, to.enc_public)
    payload = (_AGGREGATE_KEY + aggregate_key(team_keys[-1]) if role == SUPERVISOR
               else _TEAM_KEY + b"".join(team_keys))
    unsigned = Grant(team_id, version, to.account, role, expires, granter.account, eph_pub,
                     b"", b"")
    sealed = envelope.seal(key, payload, unsigned.associated())
    unsigned = dataclasses.replace(unsigned, sealed=sealed)
    return dataclasses.replace(unsigned, signature=granter.sign(unsigned.signed_bytes()))


def signature_valid(grant: Grant, granter: PublicIdentity) -> bool:
    if granter.account != grant.granter:
        return False
    try:
        granter.ed25519().verify(grant.signature, grant.signed_bytes())
    except (InvalidSignature, ValueError):
        return False
    return True


def accepted_signers(founder: PublicIdentity, grants: list[Grant],
                     identities: Mapping[str, PublicIdentity]) -> dict[str, PublicIdentity]:
    """The members whose grants count: the founder, then (repeatedly) everyone granted the
    ``member`` role by a signer already accepted.  Substitutes and supervisors never grant."""
    accepted = {founder.account: founder}
    changed = True
    while changed:
        changed = False
        for g in grants:
            who = identities.get(g.member)
            if (g.role == MEMBER and g.member not in accepted and who is not None
                    and g.granter in accepted and signature_valid(g, accepted[g.granter])):
                accepted[g.member] = who
                changed = True
    return accepted


def open_grant(grant: Grant, me: Identity, signers: Mapping[str, PublicIdentity], *,
               team_id: str, version: int | None = None,
               now: dt.datetime | None = None) -> TeamAccess:
    """The team access ``grant`` gives ``me``, or :class:`GrantRefused`.

    ``signers``: the team's members whose keys this device accepts as granters (account →
    public identity); a grant signed by anyone else is refused.
    """
    if grant.member != me.account:
        raise GrantRefused(_("This team grant is for another member."))
    if grant.team_id != team_id or (version is not None and grant.version != version):
        raise GrantRefused(_("This team grant is for another team or key version."))
    granter = signers.get(grant.granter)
    if granter is None or not signature_valid(grant, granter):
        raise GrantRefused(_("This team grant is not signed by a member of the team."))
    if grant.role not in ROLES:
        raise GrantRefused(_("Unknown team role: {role}").format(role=grant.role))
    end = parse_expiry(grant.expires)
    if grant.role == SUBSTITUTE and end is None:
        raise GrantRefused(_("A substitute's access needs an end date."))
    if end is not None and (now or dt.datetime.now(dt.UTC)) >= end:
        raise GrantExpired(_("This team access has expired."))
    if len(grant.ephemeral) != 32:
        raise GrantRefused(_("A team grant is damaged."))
    shared = me.enc_private.exchange(X25519PublicKey.from_public_bytes(grant.ephemeral))
    key = _wrap_key(shared, grant.ephemeral, me.public().enc_public)
    try:
        payload = envelope.open_(key, grant.sealed, grant.associated())
    except IntegrityError:
        raise GrantRefused(_("A team grant failed its integrity check.")) from None
    tag, secret = payload[:1], payload[1:]
    if grant.role == SUPERVISOR:
        if tag != _AGGREGATE_KEY or len(secret) != 32:
            # a supervisor's device never holds a key that opens case notes
            raise GrantRefused(_("A supervisor's grant carried a case-note key; refused."))
        return TeamAccess(grant.team_id, grant.version, grant.role, grant.expires, (), secret)
    if tag != _TEAM_KEY or len(secret) != 32 * (grant.version + 1):
        raise GrantRefused(_("A team grant is damaged."))
    team_keys = tuple(secret[i : i + 32] for i in range(0, len(secret), 32))
    return TeamAccess(grant.team_id, grant.version, grant.role, grant.expires, team_keys,
                      aggregate_key(team_keys[-1]))
