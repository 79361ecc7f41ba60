"""What the Team page shows, gathered off the UI thread, and the words for it.

``load(vault)`` asks the server (through ``counsel.teams.membership`` and
``counsel.sync.devices``) for the account's teams and devices, and reads the pinned
organisation policy from the vault.  A part that cannot be fetched (offline, not signed
in) becomes a sentence in ``problems``; the rest is still shown.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from counsel.errors import KnownError, OfflineError
from counsel.i18n import gettext as _
from counsel.org.policy import OrgPolicy
from counsel.sync.devices import Device
from counsel.teams.grants import MEMBER, SUBSTITUTE, SUPERVISOR
from counsel.teams.membership import MemberView, TeamView
from counsel.teams.safety import CHANGED, UNVERIFIED, VERIFIED

if TYPE_CHECKING:
    from counsel.vault.service import Vault


@dataclasses.dataclass(frozen=True)
class Overview:
    account: str | None
    teams: list[TeamView]
    pending: list[TeamView]  # invited, no copy on this computer yet
    devices: list[Device]
    policy: OrgPolicy | None
    problems: list[str]


def load(vault: Vault) -> Overview:
    from counsel.org.policy import pinned
    from counsel.sync import credentials
    from counsel.sync.devices import Devices
    from counsel.teams import membership

    problems: list[str] = []
    creds = credentials.load(vault)
    policy = pinned(vault)
    if creds is None:
        return Overview(None, [], [], [], policy, [_(
            "This vault is not connected to a sync server; teams and devices are kept "
            "there. Set up sync on the Sync page.")])
    teams: list[TeamView] = []
    devices: list[Device] = []
    try:
        s = membership.session(vault)
        try:
            teams = membership.list_teams(s)
        finally:
            s.close()
    except (OfflineError, KnownError) as exc:
        problems.append(_("Teams could not be loaded: {reason}").format(reason=exc.message))
    try:
        with Devices(vault) as d:
            devices = d.list()
    except (OfflineError, KnownError) as exc:
        problems.append(_("Devices could not be loaded: {reason}").format(reason=exc.message))
    pending = [t for t in teams if t.role != SUPERVISOR and not _has_copy(vault, t.team_id)]
    return Overview(creds.account, teams, pending, devices, policy, problems)


def _has_copy(vault: Vault, team_id: str) -> bool:
    from counsel.teams.membership import team_path

    try:
        return team_path(vault, team_id).exists()
    except KnownError:
        return False


# -- words ---------------------------------------------------------------------------------
def iso(text: str) -> str:
    """A name or value inside a sentence keeps its own direction (FSI … PDI): a Latin
    team name or a fingerprint inside an Arabic sentence stays whole and in order."""
    return f"\u2068{text}\u2069"


def role_words(role: str) -> str:
    return {MEMBER: _("member"), SUBSTITUTE: _("substitute"),
            SUPERVISOR: _("supervisor (figures only)")}.get(role, role)


def verification_words(state: str) -> str:
    return {VERIFIED: _("verified"), UNVERIFIED: _("not verified"),
            CHANGED: _("key changed: compare again"), "": "—"}.get(state, state)


def until_words(expires: float | None, date_text: str | None = None) -> str:
    if expires is None:
        return ""
    day = dt.datetime.fromtimestamp(expires).date()
    return _("until {date}").format(date=iso(date_text or day.isoformat()))


def readers(team: TeamView, me: str | None) -> tuple[list[MemberView], list[MemberView]]:
    """Who could read a client's case notes in ``team`` (members and substitutes), and
    who would see figures only (supervisors); removed members and yourself left out."""
    active = [m for m in team.members if not m.removed and m.account != me]
    return ([m for m in active if m.role != SUPERVISOR],
            [m for m in active if m.role == SUPERVISOR])


def share_warning(team: TeamView, client: str, me: str | None,
                  day: Callable[[float | None], str | None] | None = None) -> str:
    """The text shown before a client is shared with or moved to ``team``; ``day``
    formats an end date (ISO if not given)."""
    full, figures = readers(team, me)
    lines = [_("{client}'s records will be readable by everyone in {team}:").format(
        client=iso(client), team=iso(team.name))]
    lines += [_("• {name} ({role})").format(
        name=iso(m.account), role=role_until(m.role, m.expires, day(m.expires) if day else None))
        for m in full] or [_("• nobody else yet")]
    if figures:
        lines.append(_("Supervisors see only the figures, never case notes: {names}").format(
            names=", ".join(iso(m.account) for m in figures)))
    unverified = [iso(m.account) for m in full if m.verification != VERIFIED]
    if unverified:
        lines.append(_("Not verified with a safety code: {names}. Compare codes first if you "
                       "can.").format(names=", ".join(unverified)))
    lines.append(_("The sync server cannot read them. Removing someone later protects what "
                   "is written after the removal, not what they could already read."))
    return "\n".join(lines)


def move_home_warning(team_name: str, team: TeamView | None, client: str,
                      me: str | None,
                      day: Callable[[float | None], str | None] | None = None) -> str:
    """The text shown before a team client is moved back to the personal vault: who
    will no longer read the client's records (``team``: None when the roster could not
    be fetched)."""
    lines = [_("{client} will be kept in your personal vault only. These people will no "
               "longer read their records:").format(client=iso(client))]
    if team is None:
        lines.append(_("• everyone else in {team}").format(team=iso(team_name)))
    else:
        full, figures = readers(team, me)
        lines += [_("• {name} ({role})").format(name=iso(m.account), role=role_until(
            m.role, m.expires, day(m.expires) if day else None)) for m in full
                  ] or [_("• nobody else yet")]
        if figures:
            lines.append(_("Supervisors no longer count them in the team's figures: "
                           "{names}").format(names=", ".join(iso(m.account) for m in figures)))
    lines.append(_("The team's copy is erased, and your colleagues' computers erase theirs "
                   "at their next team sync. What they have already read or noted cannot "
                   "be taken back."))
    return "\n".join(lines)


def shared_with_words(team: TeamView, me: str | None) -> str:
    """Who reads the clients kept in ``team`` (a client's "shared with")."""
    full, figures = readers(team, me)
    names = ", ".join(iso(m.account) for m in full) or _("nobody else yet")
    line = _("Shared with everyone in {team}: {names}.").format(team=iso(team.name),
                                                                 names=names)
    if figures:
        line += " " + _("Supervisors see only the figures, never case notes: {names}").format(
            names=", ".join(iso(m.account) for m in figures))
    return line


def _join(extra: str) -> str:
    return _(", {until}").format(until=extra) if extra else ""


def role_until(role: str, expires: float | None, date_text: str | None = None) -> str:
    """"substitute, until 23.12.2026" (the comma is the language's)."""
    return role_words(role) + _join(until_words(expires, date_text))


def device_state(device: Device) -> str:
    if device.revoked is not None:
        return _("revoked")
    return _("this computer") if device.this else _("active")


def active_devices(devices: Sequence[Device]) -> list[Device]:
    return [d for d in devices if d.revoked is None]
