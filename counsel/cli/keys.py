"""``counsel keys rotate`` and ``counsel recovery-code new``: new key generations
(``counsel.vault.generations``); the keyring goes to the sync server at once when signed in."""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING

from counsel.i18n import gettext as _

if TYPE_CHECKING:
    from counsel.cli.context import Context
    from counsel.vault.service import Vault


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser("keys", help=_("the vault's key generations"))
    keys_sub = p.add_subparsers(dest="keys_command", metavar="ACTION", required=True)
    r = keys_sub.add_parser("rotate", help=_("start new keys for new writes (same passphrase)"))
    r.set_defaults(handler=cmd_rotate)
    s = keys_sub.add_parser("status", help=_("print the newest key generation"))
    s.set_defaults(handler=cmd_status)

    p = sub.add_parser("recovery-code", help=_("the printed recovery code"))
    code_sub = p.add_subparsers(dest="code_command", metavar="ACTION", required=True)
    n = code_sub.add_parser("new", help=_("make a new recovery code (the old one stops working)"))
    n.set_defaults(handler=cmd_new_code)


def print_new_code(code: str) -> None:
    print(_("New recovery code (print it and keep it safe; it is shown only once; the old "
            "one no longer works):"))
    print(code)


def upload(vault: Vault) -> None:
    """Put the rotated keyring on the sync server, or say how to do it later; make the
    organisation escrow again (the master key changed) if the vault has one."""
    from counsel.org.recovery import refresh_escrow
    from counsel.sync import credentials, enrol

    refresh_escrow(vault)

    if credentials.load(vault) is not None and not enrol.upload_keyring(vault):
        print(_("The sync server was not told yet; run `counsel sync` when online so other "
                "devices get the new keys."), file=sys.stderr)


def cmd_rotate(args: argparse.Namespace, ctx: Context) -> int:
    vault = ctx.open_vault()
    done = vault.rotate_keys()
    print(_("New keys (generation {n}): what is written from now on cannot be read with "
            "an older copy of the vault's keys.").format(n=done.generation))
    if done.recovery_code:
        print_new_code(done.recovery_code)
    upload(vault)
    return 0


def cmd_status(args: argparse.Namespace, ctx: Context) -> int:
    vault = ctx.open_vault()
    print(_("Key generation: {n}").format(n=vault.key_generation))
    return 0


def cmd_new_code(args: argparse.Namespace, ctx: Context) -> int:
    vault = ctx.open_vault()
    print_new_code(vault.new_recovery_code())
    upload(vault)
    return 0
