"""``counsel team create|list|verify|invite|join|remove|sync`` and
``counsel client move CLIENT_ID --to TEAM|personal`` (issue 15).

TEAM is a team's id or its name.  Team copies are opened with the personal vault's
passphrase (``COUNSEL_PASSPHRASE`` or a prompt).
"""

from __future__ import annotations

import argparse
import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

from counsel.errors import KnownError
from counsel.i18n import gettext as _
from counsel.teams import grants

if TYPE_CHECKING:
    from counsel.teams.membership import Session
    from counsel.vault.service import Vault


def _subcommands(parser: argparse.ArgumentParser) -> Any:
    for action in parser._actions:  # argparse keeps a parser's subcommands only here
        if isinstance(action, argparse._SubParsersAction):
            return action
    return parser.add_subparsers(dest="client_command", metavar="COMMAND", required=True)


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    team = sub.add_parser("team", help=_("teams: shared clients, substitutes, supervisors"))
    tsub = team.add_subparsers(dest="team_command", metavar="COMMAND", required=True)
    p = tsub.add_parser("create", help=_("create a team (you are its first member)"))
    p.add_argument("name", metavar="NAME")
    p.set_defaults(handler=cmd_create)
    p = tsub.add_parser("list", help=_("your teams, their members, roles and verification"))
    p.set_defaults(handler=cmd_list)
    p = tsub.add_parser("verify", help=_("show the safety code to compare with a colleague"))
    p.add_argument("account", metavar="ACCOUNT")
    p.add_argument("--code", metavar="CODE",
                   help=_("the code your colleague read to you: marks their key verified"))
    p.set_defaults(handler=cmd_verify)
    p = tsub.add_parser("invite", help=_("give a colleague access to a team"))
    p.add_argument("team", metavar="TEAM")
    p.add_argument("account", metavar="ACCOUNT")
    p.add_argument("--role", choices=list(grants.ROLES), default=grants.MEMBER)
    p.add_argument("--until", metavar="DATE",
                   help=_("last day of a substitute's access (YYYY-MM-DD)"))
    p.add_argument("--unverified-ok", action="store_true",
                   help=_("grant even though you have not compared safety codes"))
    p.set_defaults(handler=cmd_invite)
    p = tsub.add_parser("join", help=_("make this computer's copy of a team you were invited to"))
    p.add_argument("team", metavar="TEAM")
    p.set_defaults(handler=cmd_join)
    p = tsub.add_parser("remove", help=_("remove a member and rotate the team key"))
    p.add_argument("team", metavar="TEAM")
    p.add_argument("account", metavar="ACCOUNT")
    p.set_defaults(handler=cmd_remove)
    p = tsub.add_parser("sync", help=_("sync this computer's copy of a team"))
    p.add_argument("team", metavar="TEAM")
    p.set_defaults(handler=cmd_sync)

    client = sub.choices.get("client") or sub.add_parser("client", help=_("one client's path"))
    m = _subcommands(client).add_parser(
        "move", help=_("move a client to a team or back to your personal vault"))
    m.add_argument("client_id", metavar="CLIENT_ID")
    m.add_argument("--to", required=True, metavar="TEAM|personal")
    m.set_defaults(handler=cmd_move)


@contextmanager
def _session(ctx: Any) -> Iterator[Session]:
    from counsel.teams import membership

    s = membership.session(ctx.open_vault())
    try:
        yield s
    finally:
        s.close()


def _team_id(s: Session, name_or_id: str) -> str:
    found = [t for t in s.remote.teams() if name_or_id in (t["team_id"], t["name"])]
    if len(found) != 1:
        raise KnownError(_("No team called {team}.").format(team=name_or_id) if not found
                         else _("Several teams are called {team}; use its id.").format(
                             team=name_or_id))
    return str(found[0]["team_id"])


def _open(s: Session, ctx: Any, team_id: str) -> Vault:
    from counsel.teams import membership

    return membership.open_team(s.personal, team_id, ctx.passphrase())


def _sync(v: Vault) -> None:
    from counsel.sync.client import SyncClient

    client = SyncClient.from_vault(v)
    try:
        client.sync()
    finally:
        client.close()


def cmd_create(args: argparse.Namespace, ctx: Any) -> int:
    from counsel.teams import membership

    with _session(ctx) as s:
        team = membership.create_team(s, args.name, ctx.passphrase())
        print(_("Team {name} created: {id}").format(name=args.name, id=team.vault_id))
        team.lock()
    return 0


def cmd_list(args: argparse.Namespace, ctx: Any) -> int:
    from counsel.teams import membership

    with _session(ctx) as s:
        for t in membership.list_teams(s):
            print(f"{t.name}  {t.team_id}  " + _("your role: {role}").format(role=t.role)
                  + "  " + _("key version {n}").format(n=t.version))
            for m in t.members:
                if m.removed:
                    continue
                until = (" " + _("until {date}").format(date=dt.datetime.fromtimestamp(
                    m.expires, dt.UTC).date().isoformat()) if m.expires else "")
                print(f"    {m.account}  {m.role}{until}  {m.verification}".rstrip())
    return 0


def cmd_verify(args: argparse.Namespace, ctx: Any) -> int:
    from counsel.teams import membership

    with _session(ctx) as s:
        if args.code:
            if not membership.confirm(s, args.account, args.code):
                raise KnownError(
                    _("The codes differ: do not share with this key. Someone may be "
                      "pretending to be {account}.").format(account=args.account))
            print(_("{account}'s key is verified.").format(account=args.account))
            return 0
        code, state = membership.safety(s, args.account)
        print(_("Safety code with {account}: {code}").format(account=args.account, code=code))
        print(_("State: {state}").format(state=state))
    return 0


def cmd_invite(args: argparse.Namespace, ctx: Any) -> int:
    from counsel.teams import membership

    until = ""
    if args.until:
        try:
            day = dt.date.fromisoformat(args.until)
        except ValueError:
            raise KnownError(_("Give the date as YYYY-MM-DD.")) from None
        until = dt.datetime.combine(day + dt.timedelta(days=1), dt.time(), dt.UTC).isoformat()
    with _session(ctx) as s:
        team = _open(s, ctx, _team_id(s, args.team))
        try:
            membership.invite(s, team, args.account, args.role, until=until,
                              unverified_ok=args.unverified_ok)
        finally:
            team.lock()
    print(_("{account} was invited as {role}.").format(account=args.account, role=args.role))
    return 0


def cmd_join(args: argparse.Namespace, ctx: Any) -> int:
    from counsel.teams import membership

    with _session(ctx) as s:
        team = membership.join_team(s, _team_id(s, args.team), ctx.passphrase())
        if team is None:
            print(_("You supervise this team: you see its figures, never its case notes."))
            return 0
        try:
            _sync(team)
        finally:
            team.lock()
    print(_("This computer now holds the team's records."))
    return 0


def cmd_remove(args: argparse.Namespace, ctx: Any) -> int:
    from counsel.teams import membership

    with _session(ctx) as s:
        team = _open(s, ctx, _team_id(s, args.team))
        try:
            generation = membership.remove(s, team, args.account)
            _sync(team)
        finally:
            team.lock()
    print(_("{account} was removed; new writes use key version {n}.").format(
        account=args.account, n=generation))
    return 0


REMOVED_EXIT = 3  # `counsel team sync`: this account is no longer in the team


def cmd_sync(args: argparse.Namespace, ctx: Any) -> int:
    """The app's team sync (:func:`counsel.teams.vaultset.sync_teams`) for one team.
    Exit 0 synced; 1 error; 3 this account was removed from the team: the copy on this
    computer is deleted, or set aside as ``teams/<id>.vault.removed`` when it held
    writes the server never took."""
    import sys

    from counsel.teams.vaultset import VaultSet, sync_teams

    vs = VaultSet.open(ctx.open_vault(), ctx.passphrase())
    try:
        found = [c for c in vs.copies.values() if args.team in (c.team_id, c.name)]
        if len(found) != 1:
            for problem in vs.problems:
                print(problem, file=sys.stderr)
            with _session(ctx) as s:
                _team_id(s, args.team)  # no such team at all: says so
            raise KnownError(_("Several teams are called {team}; use its id.").format(
                team=args.team) if found else _(
                "This computer has no copy of that team (counsel team join TEAM)."))
        for other in list(vs.copies.values()):
            if other is not found[0]:
                vs.drop(other.team_id, "")
        report = sync_teams(vs)
    finally:
        vs.lock()
    for note in report.notes:
        print(note)
    for problem in report.problems:
        print(problem, file=sys.stderr)
    if report.removed:
        for kept in report.set_aside:
            print(_("Writes the server never took are kept, encrypted, in {file}.").format(
                file=kept), file=sys.stderr)
        return REMOVED_EXIT
    return 1 if report.problems else 0


def _local_teams(ctx: Any) -> Iterator[Vault]:
    from counsel.teams import membership

    personal = ctx.open_vault()
    folder = membership.team_path(personal, "x").parent
    for path in sorted(folder.glob("*.vault")) if folder.is_dir() else []:
        yield membership.open_team(personal, path.stem, ctx.passphrase())


def cmd_move(args: argparse.Namespace, ctx: Any) -> int:
    from counsel.teams import membership
    from counsel.teams.move import move_and_sync

    personal = ctx.open_vault()
    opened: list[Vault] = []
    try:
        if args.to == "personal":
            dest, source = personal, None
            for team in _local_teams(ctx):
                opened.append(team)
                if team.exists(args.client_id):
                    source = team
                    break
            if source is None:
                raise KnownError(_("No team copy on this computer holds that client."))
        else:
            with _session(ctx) as s:
                team_id = _team_id(s, args.to)
            source, dest = personal, membership.open_team(personal, team_id, ctx.passphrase())
            opened.append(dest)
        moved, waiting = move_and_sync(source, dest, args.client_id)
        if waiting:
            print(_("The erasure in the source reaches the server at the next sync."))
    finally:
        for v in opened:
            v.lock()
    print(_("Moved {n} records.").format(n=moved))
    return 0
