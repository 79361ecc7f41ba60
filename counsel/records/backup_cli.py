"""``counsel backup --out FILE`` and ``counsel restore FILE --vault NEW``."""

from __future__ import annotations

import argparse
import getpass
import os
from pathlib import Path
from typing import Any

from counsel.i18n import gettext as _


def _size(n: int) -> str:
    return f"{n / 1_000_000:.1f} MB" if n >= 100_000 else f"{n / 1000:.1f} kB"


def cmd_backup(args: argparse.Namespace, ctx: Any) -> int:
    from counsel.records import backup, backup_status

    vault = ctx.open_vault()
    result = backup.backup(vault.backup_port, Path(args.out))
    backup_status.record_done(vault, result)
    if result.rewritten:
        print(_("Backup {n} written to {path} and verified: {size}.").format(
            n=result.number, path=result.path, size=_size(result.file_size)))
    else:
        print(_("Backup {n} added to {path} and verified: {added} added, {size} in all.")
              .format(n=result.number, path=result.path, added=_size(result.added),
                      size=_size(result.file_size)))
    return 0


def cmd_restore(args: argparse.Namespace, ctx: Any) -> int:
    from counsel.records import backup_status
    from counsel.vault import keyring

    target = Path(args.target or ctx.vault_path).expanduser()
    code = new = None
    if args.recovery_code:
        code = os.environ.get("COUNSEL_RECOVERY_CODE") or input(_("Recovery code: "))
        new = os.environ.get("COUNSEL_NEW_PASSPHRASE") or getpass.getpass(
            _("New passphrase: "))
        keyring.check_new_passphrase(new)  # before the backup is read
        done, vault = backup_status.restore_and_open(Path(args.file), target,
                                                     recovery_code=code, new_passphrase=new)
    else:
        done, vault = backup_status.restore_and_open(Path(args.file), target,
                                                     passphrase=ctx.passphrase())
    vault = ctx.adopt(vault)
    report = vault.check()
    print(_("Restored backup {n} of {created} to {path}: {count} records checked, "
            "{damaged} damaged.").format(n=done.number, created=done.created, path=target,
                                         count=report.revisions,
                                         damaged=len(report.damaged)))
    if done.erased:
        print(_("Not restored: {n} clients erased before this backup was taken:").format(
            n=len(done.erased)))
        for client_id in done.erased:
            print(f"  {client_id}")
    print(_("Clients erased after {created} are in this backup and came back with it: "
            "erase them again. A vault that syncs erases them again at its next sync.")
          .format(created=done.created))
    if done.ignored_tail:
        print(_("An interrupted later backup at the end of the file was left out."))
    if code is not None:
        from counsel.cli.keys import print_new_code

        issued = vault.take_recovery_code()
        if issued:
            print_new_code(issued)
    return 0 if report.ok else 1


def register(subparsers: Any) -> None:
    p = subparsers.add_parser("backup", help=_("back the vault up, encrypted, into a file "
                                                "(only what changed is added)"))
    p.add_argument("--out", required=True, metavar="FILE",
                   help=_("the backup file (e.g. on a USB stick)"))
    p.set_defaults(handler=cmd_backup)

    p = subparsers.add_parser("restore", help=_("restore a backup as a new vault file"))
    p.add_argument("file", metavar="FILE", help=_("the backup file"))
    p.add_argument("--vault", dest="target", metavar="NEW",
                   help=_("the new vault file (never overwritten)"))
    p.add_argument("--recovery-code", action="store_true",
                   help=_("open the backup with the recovery code and set a new passphrase"))
    p.set_defaults(handler=cmd_restore)
