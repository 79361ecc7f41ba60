"""``counsel org``: the organisation recovery key, its policy, escrow and recovery.

    counsel org recovery-key create --out DIR --org-id ID --name NAME [--split]
                                    [--wipe-on-revoke never|if_synced|always]
    counsel [--vault PATH] org policy import FILE --fingerprint FP [--account NAME]
    counsel [--vault PATH] org policy show
    counsel [--vault PATH] org escrow [--account NAME]
    counsel [--vault PATH] org recover --account NAME --key-file F [--key-file F2]
"""

from __future__ import annotations

import argparse
import getpass
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from counsel.errors import KnownError, OfflineError
from counsel.i18n import gettext as _
from counsel.org.policy import WIPE_CHOICES

if TYPE_CHECKING:
    from counsel.cli.context import Context
    from counsel.vault.service import Vault


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser("org", help=_("organisation recovery key, policy and recovery"))
    org = p.add_subparsers(dest="org_command", metavar="COMMAND", required=True)

    key = org.add_parser("recovery-key", help=_("make the organisation recovery key (offline)"))
    key_sub = key.add_subparsers(dest="key_command", metavar="COMMAND", required=True)
    create = key_sub.add_parser("create", help=_("make a new recovery key and policy file"))
    create.add_argument("--out", metavar="DIR", required=True, type=Path)
    create.add_argument("--org-id", required=True)
    create.add_argument("--name", required=True)
    create.add_argument("--split", action="store_true",
                        help=_("split the private key between two officers"))
    create.add_argument("--wipe-on-revoke", choices=WIPE_CHOICES, default="never")
    create.add_argument("--retention", nargs="+", default=[], metavar="KIND=YEARS",
                        help=_("the organisation's retention schedules, e.g. encounter=6 "
                               "reminder=1 (years after the client relationship ends)"))
    create.set_defaults(handler=cmd_create)

    pol = org.add_parser("policy", help=_("the organisation policy this vault follows"))
    pol_sub = pol.add_subparsers(dest="policy_command", metavar="COMMAND", required=True)
    imp = pol_sub.add_parser("import", help=_("follow an organisation policy file"))
    imp.add_argument("file", type=Path)
    imp.add_argument("--fingerprint", required=True,
                     help=_("the recovery key fingerprint your organisation printed"))
    imp.add_argument("--account", help=_("your account on the sync server"))
    imp.set_defaults(handler=cmd_policy_import)
    show = pol_sub.add_parser("show", help=_("show the organisation policy"))
    show.set_defaults(handler=cmd_policy_show)

    esc = org.add_parser("escrow", help=_("escrow this vault's master key to the organisation"))
    esc.add_argument("--account", help=_("your account on the sync server"))
    esc.set_defaults(handler=cmd_escrow)

    rec = org.add_parser("recover", help=_("open a vault with the organisation recovery key "
                                           "and set a new passphrase"))
    rec.add_argument("--account", required=True)
    rec.add_argument("--key-file", action="append", required=True, type=Path,
                     help=_("a recovery key part (give each part once)"))
    rec.set_defaults(handler=cmd_recover)


def cmd_create(args: argparse.Namespace, ctx: Context) -> int:
    from counsel.org import recovery
    from counsel.records.retention import parse_years

    made = recovery.create_key(args.out, args.org_id, args.name, split=args.split,
                               wipe_on_revoke=args.wipe_on_revoke,
                               retention=parse_years(args.retention))
    print(_("Recovery key fingerprint: {fp}").format(fp=made.policy.fingerprint))
    print(_("Policy file for counsellors: {path}").format(path=made.policy_file))
    for path in made.part_files:
        print(_("Print and keep offline, then delete: {path}").format(path=path))
    return 0


def _account(vault: Vault, given: str | None) -> str | None:
    if given:
        return str(given)
    from counsel.sync import credentials

    creds = credentials.load(vault)
    return creds.account if creds else None


def _escrow(vault: Vault, account: str | None) -> None:
    from counsel.org import recovery

    if account is None:
        print(_("Not escrowed yet: give --account (or set up sync first)."), file=sys.stderr)
        return
    record = recovery.escrow(vault, account)
    print(_("This vault's master key is escrowed to the organisation recovery key."))
    _upload(vault, record)


def _upload(vault: Vault, record: bytes) -> None:
    from counsel.org import serverside

    try:
        if serverside.upload_escrow(vault, record):
            print(_("The escrow was sent to the sync server."))
    except (OfflineError, KnownError) as exc:
        print(_("The escrow is kept in this vault; the sync server was not told "
                "({reason}).").format(reason=exc.message), file=sys.stderr)


def cmd_policy_import(args: argparse.Namespace, ctx: Context) -> int:
    from counsel.org import policy

    try:
        text = args.file.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise KnownError(_("Cannot read {path}: {reason}").format(
            path=args.file, reason=exc)) from None
    offered = policy.OrgPolicy.from_text(text)
    vault = ctx.open_vault()
    policy.pin(vault, offered, args.fingerprint)
    print(_("This vault now follows the policy of {name}.").format(name=offered.name))
    if offered.recovery_public is not None:
        _escrow(vault, _account(vault, args.account))
    return 0


def cmd_policy_show(args: argparse.Namespace, ctx: Context) -> int:
    from counsel.org import policy

    held = policy.pinned(ctx.open_vault())
    if held is None:
        print(_("This vault follows no organisation policy."))
        return 0
    print(_("Organisation: {name} ({org})").format(name=held.name, org=held.org_id))
    print(_("Recovery key fingerprint: {fp}").format(fp=held.fingerprint or "-"))
    print(_("When this device is revoked: {choice}").format(choice=held.wipe_on_revoke))
    from counsel.records.retention import kind_label

    for kind, years in held.retention:
        print(_("Kept {years} years after the client relationship ends: {kind}").format(
            years=years, kind=kind_label(kind)))
    return 0


def cmd_escrow(args: argparse.Namespace, ctx: Context) -> int:
    vault = ctx.open_vault()
    _escrow(vault, _account(vault, args.account))
    return 0


def cmd_recover(args: argparse.Namespace, ctx: Context) -> int:
    from counsel.org import recovery

    texts = []
    for path in args.key_file:
        try:
            texts.append(Path(path).read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError) as exc:
            raise KnownError(_("Cannot read {path}: {reason}").format(
                path=path, reason=exc)) from None
    new = os.environ.get("COUNSEL_NEW_PASSPHRASE") or getpass.getpass(_("New passphrase: "))
    from counsel.teams.copykeys import after_new_passphrase

    vault = ctx.adopt(recovery.recover(ctx.vault_path, args.account, texts, new))
    after_new_passphrase(vault, new)  # this computer's team copies follow (copykeys)
    print(_("The vault is open with the new passphrase. Tell the counsellor to sign in "
            "again on each device."))
    return 0
