"""Team membership from a device: create, invite, join, refresh, remove (with rotation),
list, verify.  Qt-free; the CLI (counsel.teams.cli) and the Team page call these.

A team is a vault (id = team id) whose key generations reach each member in a sealed,
signed grant (counsel.teams.grants).  Each member's device keeps a local copy of the team
vault next to the personal one (``teams/<team id>.vault``), its keys wrapped under a
keyring of the device's own, opened with the same passphrase as the personal vault; the
grant it holds is kept in the copy (sealed and signed: it proves role and expiry offline).

Removal = the server stops serving the removed member at once, then the remover's device
rotates the team vault (a new key generation: new writes only under it) and grants the new
generation to everyone who remains.  A removed member's devices hold generations up to the
old one only.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from pathlib import Path
from typing import TYPE_CHECKING

from counsel.domain.base import new_id
from counsel.errors import IntegrityError, KnownError
from counsel.i18n import N_
from counsel.i18n import gettext as _
from counsel.sync import credentials, keysync
from counsel.sync.credentials import Credentials
from counsel.sync.transport import SyncError, Transport
from counsel.teams import copykeys, grants
from counsel.teams.grants import Grant, GrantExpired, GrantRefused, TeamAccess
from counsel.teams.identity import Identity, PublicIdentity, open_private, seal_private
from counsel.teams.remote import TeamRemote
from counsel.teams.safety import Verifications, safety_code, same_code
from counsel.vault import keys
from counsel.vault.authors import TEAM_ACCOUNT
from counsel.vault.kdf import KdfParams

if TYPE_CHECKING:
    from counsel.vault.service import Vault

GRANT_STATE, ACCOUNT_STATE = keysync.TEAM_GRANT, TEAM_ACCOUNT
NAME_STATE = "team.name"


class NotConnected(KnownError):
    help_text = N_(
        "Connect this vault to the sync server first (counsel sync --server URL --account NAME).")


class NotVerified(KnownError):
    help_text = N_(
        "Compare the safety code with your colleague in person or by phone "
        "(counsel team verify), or confirm that you accept an unverified key.")


@dataclasses.dataclass(frozen=True)
class Session:
    """The personal vault and the server, as this account."""

    personal: Vault
    remote: TeamRemote
    creds: Credentials

    @property
    def account(self) -> str:
        return self.creds.account

    def close(self) -> None:
        self.remote.t.close()


def session(personal: Vault, transport: Transport | None = None) -> Session:
    creds = credentials.load(personal)
    if creds is None:
        raise NotConnected(_("This vault is not connected to a sync server."))
    return Session(personal, TeamRemote(transport or Transport(creds.url, creds.token)), creds)


# -- identity -------------------------------------------------------------------------
def ensure_identity(s: Session) -> Identity:
    """This account's identity: made and published on first use, else opened."""
    key = s.personal.identity_key()
    found = s.remote.my_identity()
    if found is None:
        ident = Identity.new(s.account)
        s.remote.publish(ident.public(), seal_private(ident, key))
        return ident
    public, sealed = found
    ident = open_private(sealed, key, s.account)
    if ident.public() != public:
        raise IntegrityError(_("The server shows other public keys for you than your own."))
    return ident


# -- the team vault copy ---------------------------------------------------------------
def team_path(personal: Vault, team_id: str) -> Path:
    if personal.path is None:
        raise KnownError(_("Teams need a vault file."))
    return Path(personal.path).parent / "teams" / f"{team_id}.vault"


def team_generation(team: Vault) -> int:
    return int(getattr(team, "key_generation", 0))


def team_keys(team: Vault) -> list[bytes]:
    get = getattr(team, "generation_key", None)
    if get is None:
        return [team.team_key()]
    return [get(g) for g in range(team_generation(team) + 1)]


def _hold(team: Vault, grant: Grant, account: str, name: str = "") -> None:
    states = {GRANT_STATE: json.dumps(grant.to_json()), ACCOUNT_STATE: account}
    if name:
        states[NAME_STATE] = name  # shown beside the team's clients, offline too
    team.sync_port.set_states(states)


def held_grant(team: Vault) -> Grant | None:
    raw = team.sync_port.state(GRANT_STATE)
    return Grant.from_json(json.loads(raw)) if raw else None


def drop_copy(path: Path) -> None:
    """Delete a team copy's files from this computer (expired, removed)."""
    for p in (path, Path(f"{path}-wal"), Path(f"{path}-shm"), Path(f"{path}.wscache")):
        p.unlink(missing_ok=True)


def check_expiry(team: Vault, now: dt.datetime | None = None) -> None:
    """Drop this device's copy of a team whose (signed) substitute grant has ended — by the
    device's clock, no server needed; raises :class:`GrantExpired` after dropping it."""
    grant = held_grant(team)
    end = grants.parse_expiry(grant.expires) if grant else None
    if end is not None and (now or dt.datetime.now(dt.UTC)) >= end:
        path = Path(team.path) if team.path else None
        team.lock()
        if path is not None:
            drop_copy(path)
        raise GrantExpired(_("This team access has expired."))


def open_team(personal: Vault, team_id: str, passphrase: str,
              now: dt.datetime | None = None) -> Vault:
    from counsel.teams.copykeys import open_copy

    team = open_copy(personal, team_path(personal, team_id), passphrase)
    check_expiry(team, now)
    return team


# -- roster and grants ------------------------------------------------------------------
def _identities(s: Session, accounts: set[str]) -> dict[str, PublicIdentity]:
    out = {}
    for a in accounts:
        try:
            out[a] = s.remote.identity(a)
        except SyncError as exc:
            if exc.code != "no_identity":
                raise
    return out


def signers(s: Session, team_id: str) -> tuple[dict[str, PublicIdentity], list[Grant],
                                                 dict[str, object]]:
    """Accepted granters (a chain of member grants from the founder), the grants, the
    server's roster."""
    info = s.remote.team(team_id)
    found = [Grant.from_json(g) for g in info.get("grants", [])]
    founder = str(info.get("founder", ""))
    ids = _identities(s, {g.member for g in found} | {founder})
    if founder not in ids:
        raise GrantRefused(_("This team grant is not signed by a member of the team."))
    return grants.accepted_signers(ids[founder], found, ids), found, info


def my_access(s: Session, ident: Identity, team_id: str,
              now: dt.datetime | None = None) -> tuple[TeamAccess, Grant]:
    """The newest grant for this account that opens, and what it gives."""
    accepted, found, _info = signers(s, team_id)
    mine = sorted((g for g in found if g.member == s.account), key=lambda g: -g.version)
    if not mine:
        raise GrantRefused(_("You have no access to this team."))
    return grants.open_grant(mine[0], ident, accepted, team_id=team_id, now=now), mine[0]


def create_team(s: Session, name: str, passphrase: str, *,
                kdf: KdfParams | None = None) -> Vault:
    """A new team with this account as its founder and first member."""
    from counsel.vault.service import Vault

    ident = ensure_identity(s)
    team_id, key = new_id(), keys.new_key()
    path = team_path(s.personal, team_id)
    s.remote.create(team_id, name)
    team = Vault.adopt(path, team_id, key, passphrase, kdf=kdf)
    credentials.save(team, s.creds)
    copykeys.keep(s.personal, team)
    grant = grants.issue(ident, ident.public(), team_id, team_generation(team), grants.MEMBER,
                         team_keys(team))
    s.remote.post_grants(team_id, [grant])
    _hold(team, grant, s.account, name)
    return team


def invite(s: Session, team: Vault, colleague: str, role: str = grants.MEMBER, *,
           until: str = "", unverified_ok: bool = False) -> Grant:
    """Grant the team to ``colleague``; an unverified key needs ``unverified_ok``."""
    refresh(s, team)  # grant the newest key version, not one this copy has not heard of
    ident = ensure_identity(s)
    try:
        public = s.remote.identity(colleague)
    except SyncError as exc:
        if exc.code != "no_identity":
            raise
        raise KnownError(_("{account} has no team keys yet: they appear once {account} has "
                           "signed in and opened their teams (counsel team list).").format(
                               account=colleague)) from None
    if not Verifications(s.personal.settings).is_verified(public) and not unverified_ok:
        raise NotVerified(_("You have not compared safety codes with {account}.").format(
            account=colleague))
    grant = grants.issue(ident, public, team.vault_id, team_generation(team), role,
                         team_keys(team), until)
    s.remote.post_grants(team.vault_id, [grant])
    return grant


def join_team(s: Session, team_id: str, passphrase: str, *, kdf: KdfParams | None = None,
              now: dt.datetime | None = None) -> Vault | None:
    """This device's copy of a team it was granted; None for a supervisor (no copy, no
    case-note key: supervisors read the relayed aggregates only)."""
    from counsel.vault.service import Vault

    ident = ensure_identity(s)
    access, grant = my_access(s, ident, team_id, now)
    if access.team_key is None:
        return None
    team = Vault.adopt(team_path(s.personal, team_id), team_id, access.team_keys[0],
                       passphrase, kdf=kdf)
    for gen in range(1, access.version + 1):
        team.adopt_generation(gen, access.team_keys[gen])
    credentials.save(team, s.creds)
    copykeys.keep(s.personal, team)
    names = {str(t["team_id"]): str(t.get("name") or "") for t in s.remote.teams()}
    _hold(team, grant, s.account, names.get(team_id, ""))
    return team


def refresh(s: Session, team: Vault, now: dt.datetime | None = None) -> int:
    """Take in newer key generations granted to this account (after a removal); returns
    the generation this copy now writes under."""
    check_expiry(team, now)
    ident = ensure_identity(s)
    access, grant = my_access(s, ident, team.vault_id, now)
    if access.team_key is None:
        raise GrantRefused(_("A supervisor's grant carried a case-note key; refused."))
    for gen in range(team_generation(team) + 1, access.version + 1):
        team.adopt_generation(gen, access.team_keys[gen])
    _hold(team, grant, s.account)
    return team_generation(team)


ROTATION_ATTEMPTS = 3


def remove(s: Session, team: Vault, who: str) -> int:
    """Remove ``who``: the server refuses them from now on; the team key is rotated and
    the new generation granted to everyone who remains.  Returns the new generation."""
    _can_rotate(team)
    for attempt in range(ROTATION_ATTEMPTS):
        # rotate from the newest version granted: a copy that missed an earlier removal
        # would otherwise make a second, different key of a version that already exists
        refresh(s, team)
        accepted, found, _info = signers(s, team.vault_id)
        try:
            s.remote.remove(team.vault_id, who)
        except SyncError as exc:
            if attempt == 0 or exc.code != "no_member":
                raise  # (on a retry: already removed by our first attempt)
        try:
            return _rotate(s, team, {who}, accepted, found)
        except SyncError as exc:
            if exc.code != "team_moved_on":
                raise  # another member rotated at the same moment: start again from theirs
    raise KnownError(_("Other members keep changing the team's keys; try again in a moment."))


def _expired(g: Grant, now: dt.datetime) -> bool:
    end = grants.parse_expiry(g.expires)
    return g.role == grants.SUBSTITUTE and end is not None and end <= now


def rotate_out_expired(s: Session, team: Vault, now: dt.datetime | None = None) -> int | None:
    """Rotate the team key if a substitute whose end has passed still holds the newest
    version (``counsel team sync`` runs this): their copy already stops opening by their
    own clock, and from here on nothing new is sealed under a key they hold.  Returns the
    new version, or None when nobody had to be rotated out."""
    when = now or dt.datetime.now(dt.UTC)
    refresh(s, team, when)
    accepted, found, _info = signers(s, team.vault_id)
    holding = team_generation(team)
    gone = {g.member for g in found if g.version >= holding and _expired(g, when)}
    if not gone:
        return None
    _can_rotate(team)
    try:
        return _rotate(s, team, gone, accepted, found, when)
    except SyncError as exc:
        if exc.code != "team_moved_on":
            raise
        return None  # another member rotated first; the next sync looks again


def _can_rotate(team: Vault) -> None:
    if getattr(team, "adopt_generation", None) is None:
        raise KnownError(_("This version of Counsel cannot rotate team keys."))


def _rotate(s: Session, team: Vault, leaving: set[str], accepted: dict[str, PublicIdentity],
            found: list[Grant], now: dt.datetime | None = None) -> int:
    """A new key version, granted to every member but ``leaving`` and expired substitutes."""
    ident = ensure_identity(s)
    # the new key is installed here only once the server took it as THE next version
    held = team_keys(team)
    generation, new_key = len(held), keys.new_key()
    all_keys = [*held, new_key]
    newest: dict[str, Grant] = {}
    for g in found:
        if g.member not in leaving and (
                g.member not in newest or g.version > newest[g.member].version):
            newest[g.member] = g
    ids = _identities(s, set(newest))
    verified = Verifications(s.personal.settings)
    new = []
    for member, old in sorted(newest.items()):
        public = ids.get(member)
        if public is None or (member in accepted and accepted[member] != public) or (
                verified.state(public) == "changed"):
            continue  # a key that changed since it was granted is not re-granted silently
        if _expired(old, now or dt.datetime.now(dt.UTC)):
            continue
        new.append(grants.issue(ident, public, team.vault_id, generation, old.role, all_keys,
                                old.expires))
    s.remote.post_grants(team.vault_id, new, rotate_from=generation - 1)
    team.adopt_generation(generation, new_key)
    mine = next((g for g in new if g.member == s.account), None)
    if mine is not None:
        _hold(team, mine, s.account)
    return generation


# -- looking ------------------------------------------------------------------------------
@dataclasses.dataclass(frozen=True)
class MemberView:
    account: str
    role: str
    expires: float | None
    removed: bool
    verification: str  # safety.VERIFIED / UNVERIFIED / CHANGED ("" for yourself)


@dataclasses.dataclass(frozen=True)
class TeamView:
    team_id: str
    name: str
    founder: str
    version: int
    role: str
    members: list[MemberView]


def list_teams(s: Session) -> list[TeamView]:
    verified = Verifications(s.personal.settings)
    out = []
    for t in s.remote.teams():
        info = s.remote.team(str(t["team_id"]))
        members = info.get("members", [])
        ids = _identities(s, {str(m["account"]) for m in members})
        views = [MemberView(
            str(m["account"]), str(m["role"]), m.get("expires"), m.get("removed") is not None,
            "" if m["account"] == s.account or m["account"] not in ids
            else verified.state(ids[str(m["account"])])) for m in members]
        out.append(TeamView(str(t["team_id"]), str(t["name"]), str(t["founder"]),
                            int(t["version"]), str(t["role"]), views))
    return out


def safety(s: Session, colleague: str) -> tuple[str, str]:
    """The safety code to compare with ``colleague`` and its verification state."""
    me = ensure_identity(s).public()
    public = s.remote.identity(colleague)
    return safety_code(me, public), Verifications(s.personal.settings).state(public)


def confirm(s: Session, colleague: str, typed: str) -> bool:
    """Mark ``colleague``'s current key verified if ``typed`` is the code; False if not."""
    me = ensure_identity(s).public()
    public = s.remote.identity(colleague)
    if not same_code(typed, safety_code(me, public)):
        return False
    Verifications(s.personal.settings).mark(public)
    return True
