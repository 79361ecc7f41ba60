"""The core ``counsel`` subcommands: init, demo, search, check, passwd, recover."""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING

from counsel.errors import KnownError
from counsel.i18n import gettext as _

if TYPE_CHECKING:
    from counsel.cli.context import Context
    from counsel.vault.service import Vault


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser("init", help=_("create a new encrypted vault"))
    p.set_defaults(handler=cmd_init)

    p = sub.add_parser("demo", help=_("create a vault filled with a synthetic caseload"))
    p.add_argument("--size", choices=["tiny", "small", "large"], default="small")
    p.add_argument("--seed", type=int, default=1)
    p.set_defaults(handler=cmd_demo)

    p = sub.add_parser("search", help=_("print the clients matching a query, one per line"))
    p.add_argument("query")
    p.set_defaults(handler=cmd_search)

    p = sub.add_parser("check", help=_("verify every record; report damaged ones"))
    p.set_defaults(handler=cmd_check)

    p = sub.add_parser("passwd", help=_("change the vault passphrase"))
    p.set_defaults(handler=cmd_passwd)

    p = sub.add_parser("recover", help=_("set a new passphrase with the printed recovery code"))
    p.set_defaults(handler=cmd_recover)

    from counsel.cli import keys as keys_cli

    keys_cli.register(sub)



def _create(ctx: Context, fast_kdf: bool = False) -> tuple[Vault, str]:
    from counsel.vault.kdf import KdfParams
    from counsel.vault.service import Vault

    passphrase = ctx.passphrase(_("New passphrase: "), confirm=True)
    kdf = KdfParams.fast_for_tests() if fast_kdf else None
    return Vault.create(ctx.vault_path, passphrase, kdf=kdf)


def cmd_init(args: argparse.Namespace, ctx: Context) -> int:
    vault, code = _create(ctx)
    vault.lock()
    print(_("Created {path}").format(path=ctx.vault_path))
    print(_("Recovery code (print it and keep it safe; it is shown only once):"))
    print(code)
    return 0


def cmd_demo(args: argparse.Namespace, ctx: Context) -> int:
    from counsel.demo.caseload import generate

    if ctx.vault_path.exists():
        vault = ctx.open_vault()
    else:
        vault, code = _create(ctx)
        ctx.adopt(vault)
        print(_("Recovery code: {code}").format(code=code), file=sys.stderr)

    def progress(n: int) -> None:
        print(_("{n} records saved").format(n=n), end="\r", file=sys.stderr, flush=True)

    n = generate(vault, args.size, args.seed, progress=progress)
    vault.write_snapshot()
    print(_("{n} demo records saved to {path}").format(n=n, path=ctx.vault_path))
    return 0


def cmd_search(args: argparse.Namespace, ctx: Context) -> int:
    vault = ctx.open_vault()
    for c in vault.clients(args.query):
        langs = ",".join(c.languages)
        print(f"{c.id}\t{c.name}\t{langs}\t{c.municipality}")
    return 0


def cmd_check(args: argparse.Namespace, ctx: Context) -> int:
    vault = ctx.open_vault()
    report = vault.check()
    for d in report.damaged:
        if not d.rev_id:  # a record whose history in the file was tampered with
            print(_("DAMAGED {record}: {reason}").format(record=d.record_id, reason=d.reason))
            continue
        print(
            _("DAMAGED {kind} {record} (revision {rev}): {reason}").format(
                kind=d.kind, record=d.record_id, rev=d.rev_id, reason=d.reason
            )
        )
    for problem in report.file_problems:
        print(_("DAMAGED FILE STRUCTURE: {problem}").format(problem=problem))
    print(
        _("{n} revisions checked, {bad} damaged").format(
            n=report.revisions, bad=len(report.damaged)
        )
    )
    if report.file_problems:
        print(
            _("The vault file's structure is damaged; restore it from a backup or from "
              "the sync server.")
        )
    return 0 if report.ok else 3


def cmd_passwd(args: argparse.Namespace, ctx: Context) -> int:
    import getpass
    import os

    vault = ctx.open_vault()
    old = os.environ.get("COUNSEL_PASSPHRASE") or getpass.getpass(_("Current passphrase: "))
    new = os.environ.get("COUNSEL_NEW_PASSPHRASE") or getpass.getpass(_("New passphrase: "))
    from counsel.cli.keys import print_new_code
    from counsel.teams.copykeys import after_new_passphrase, keep_all
    from counsel.teams.vaultset import copy_paths

    keep_all(vault, copy_paths(vault), old)  # team copies keep opening after the change
    code = vault.change_passphrase(old, new)
    after_new_passphrase(vault, new)  # ... and the old passphrase opens none of them
    print(_("Passphrase changed; new keys for what is written from now on."))
    if code:  # a keyring from before key generations gets a new code at its first rotation
        print_new_code(code)
    _tell_server(vault, new)  # new devices then join with the new passphrase
    return 0


def cmd_recover(args: argparse.Namespace, ctx: Context) -> int:
    import getpass
    import os

    from counsel.vault.service import Vault

    code = os.environ.get("COUNSEL_RECOVERY_CODE") or input(_("Recovery code: "))
    new = os.environ.get("COUNSEL_NEW_PASSPHRASE") or getpass.getpass(_("New passphrase: "))
    from counsel.cli.keys import print_new_code
    from counsel.teams.copykeys import after_new_passphrase

    vault = ctx.adopt(Vault.recover(ctx.vault_path, code, new))
    after_new_passphrase(vault, new)  # team copies opened with kept keys follow
    print(_("Passphrase replaced; new keys for what is written from now on."))
    issued = vault.take_recovery_code()
    if issued:
        print_new_code(issued)
    _tell_server(vault, new)
    return 0


def _tell_server(vault: Vault, new: str) -> None:
    """Upload the re-wrapped keyring and the new login, so devices that join later use
    the new passphrase (and the old one no longer works there)."""
    from counsel.errors import OfflineError
    from counsel.org.recovery import refresh_escrow
    from counsel.sync import enrol

    refresh_escrow(vault)  # the keys rotated: a new master key to escrow

    try:
        enrol.update_login(vault, new)
    except (OfflineError, KnownError) as exc:
        print(_("The sync server was not told yet ({reason}); run `counsel passwd` again "
                "when online so new devices can join with the new passphrase.").format(
                    reason=exc.message), file=sys.stderr)

