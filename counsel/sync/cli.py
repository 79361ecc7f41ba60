"""``counsel sync``.

    counsel [--vault PATH] sync [--server URL --account NAME]   # set up (first time) + sync
    counsel [--vault PATH] sync --status | --sign-out [--force]

First call on a computer with a vault: enrols it (enrolment secret from
``COUNSEL_ENROL_SECRET`` or a prompt) or, if the account already has a device, signs in
with the vault passphrase.  With no vault file yet: joins the account's vault and
downloads it.  Later calls sync and say what moved.
"""

from __future__ import annotations

import argparse
import getpass
import os
import sys
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypeVar

from counsel.errors import KnownError
from counsel.i18n import gettext as _
from counsel.i18n import ngettext

T = TypeVar("T")

if TYPE_CHECKING:
    from counsel.cli.context import Context
    from counsel.sync.client import Progress, SyncReport
    from counsel.vault.service import Vault


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser("sync", help=_("sync this vault with the sync server"))
    p.add_argument("--server", metavar="URL", help=_("sync server address (first time)"))
    p.add_argument("--account", metavar="NAME", help=_("your account on the server (first time)"))
    p.add_argument("--status", action="store_true", help=_("show what is waiting; do not sync"))
    p.add_argument("--sign-out", action="store_true",
                   help=_("forget this computer's sign-in (asks first if work is unsynced)"))
    p.add_argument("--force", action="store_true", help=_("sign out even with unsynced work"))
    p.add_argument("--dismiss-warnings", action="store_true",
                   help=_("forget the warnings about the sync server shown so far"))
    p.set_defaults(handler=cmd_sync)



def _progress(p: Progress) -> None:
    total = f"/{p.total}" if p.total else ""
    print(f"\r{p.phase}: {p.done}{total}   ", end="", file=sys.stderr, flush=True)


def _enrol_secret(exc: Exception) -> str:
    """Ask for an enrolment secret (first computer of an account, or a vault not on the
    server yet); without a terminal to ask on, the original error stands."""
    env = os.environ.get("COUNSEL_ENROL_SECRET")
    if env:
        return env
    if not sys.stdin.isatty():
        raise exc
    secret = getpass.getpass(_("If this is the first computer of this account, the enrolment "
                               "secret from your administrator (Enter to stop): "))
    if not secret:
        raise exc
    return secret


def _asking_for_a_secret(attempt: Callable[[str | None], T]) -> T:
    """Run ``attempt`` with the enrolment secret from the environment (if any); when the
    server wants one and none was given, ask for it and try once more."""
    from counsel.sync.transport import SyncError

    secret = os.environ.get("COUNSEL_ENROL_SECRET")
    try:
        return attempt(secret)
    except SyncError as exc:
        if exc.code not in ("no_login", "bad_login", "not_registered") or secret:
            raise
        return attempt(_enrol_secret(exc))


def _print_report(report: SyncReport) -> None:
    print(file=sys.stderr)
    merged, restored = len(set(report.merged)), len(set(report.restored))
    if report.resent:
        print(ngettext(
            "The sync server had lost changes (was it restored from a backup?). This "
            "computer sent its copy again: {n} change.",
            "The sync server had lost changes (was it restored from a backup?). This "
            "computer sent its copy again: {n} changes.", report.resent).format(n=report.resent))
    print(ngettext("Sent {n} change.", "Sent {n} changes.", report.pushed)
          .format(n=report.pushed))
    print(ngettext("Received changes to {n} record.", "Received changes to {n} records.",
                   report.pulled).format(n=report.pulled))
    if merged:
        print(ngettext("Merged {n} record automatically.", "Merged {n} records automatically.",
                       merged).format(n=merged))
    if restored:
        print(ngettext("{n} deleted record came back because it was edited elsewhere.",
                       "{n} deleted records came back because they were edited elsewhere.",
                       restored).format(n=restored))
    if report.conflicts:
        print(ngettext("{n} record has conflicting edits; open it in Counsel to choose.",
                       "{n} records have conflicting edits; open them in Counsel to choose.",
                       report.conflicts).format(n=report.conflicts))
    if report.keys_pending:
        print(_("The passphrase was changed on another device: lock and unlock with the new "
                "passphrase here to read and write under the new keys."))


def cmd_sync(args: argparse.Namespace, ctx: Context) -> int:
    from counsel.sync import credentials, enrol
    from counsel.sync.client import SyncClient

    if not ctx.vault_path.exists():
        if not (args.server and args.account):
            raise KnownError(_("There is no vault here yet. To copy your vault to this "
                               "computer, give --server and --account."))
        passphrase = ctx.passphrase()
        vault = _asking_for_a_secret(lambda secret: enrol.join(
            ctx.vault_path, args.server, args.account, passphrase, enrol_secret=secret,
            progress=_progress))
        ctx.adopt(vault)  # so the CLI locks it on exit
        print(file=sys.stderr)
        print(_("Joined vault {vault}: {n} records downloaded.").format(
            vault=vault.vault_id, n=vault.count()))
        return _warn(vault)

    vault = ctx.open_vault()
    creds = credentials.load(vault)
    if args.status:
        return _status(vault, creds)
    if args.sign_out:
        return _sign_out(vault, creds, force=args.force)
    if creds is None or args.server or args.account:
        if not (args.server and args.account):
            raise KnownError(_("This vault is not set up for sync yet: give --server and "
                               "--account."))
        passphrase = ctx.passphrase()
        _asking_for_a_secret(lambda secret: enrol.connect(
            vault, args.server, args.account, passphrase, enrol_secret=secret))
    if args.dismiss_warnings:
        vault.trust.dismiss()
        print(_("Warnings dismissed."))
        return 0
    from counsel.sync.transport import DeviceRevoked

    client = SyncClient.from_vault(vault, progress=_progress)
    try:
        report = client.sync()
    except DeviceRevoked as exc:
        return _revoked(vault, exc)
    finally:
        client.close()
    _print_report(report)
    return _warn(vault)


#: exit status when this device was revoked (genuinely: the vault may have been wiped)
REVOKED = 5


def _revoked(vault: Vault, exc: Any) -> int:
    from counsel.sync import revocation

    print(file=sys.stderr)
    outcome = revocation.handle(vault, exc)
    if outcome.kind == "forged":
        return _warn(vault)
    print(outcome.message, file=sys.stderr)
    return REVOKED


#: exit status when the sync server was caught misbehaving (the data here is kept)
WARNED = 4


def _warn(vault: Vault) -> int:
    """Print the remembered warnings about the sync server; WARNED if there are any."""
    from counsel.sync.status import alarm_messages

    alarms = alarm_messages(vault)
    for message in alarms:
        print(_("Warning: {message}").format(message=message), file=sys.stderr)
    if alarms:
        print(_("Everything on this computer is kept. Tell your IT support: the sync server "
                "may be compromised or was restored. After dealing with it, run "
                "`counsel sync --dismiss-warnings`."), file=sys.stderr)
    return WARNED if alarms else 0


def _status(vault: Vault, creds: Any) -> int:
    from counsel.sync.client import SyncClient
    from counsel.sync.conflicts import open_conflicts
    from counsel.sync.transport import Transport

    if creds is None:
        print(_("Not set up for sync."))
        return 0
    client = SyncClient(vault, Transport(creds.url, creds.token))
    try:
        print(_("Server: {url}  account: {account}").format(url=creds.url, account=creds.account))
        print(_("Changes waiting to be sent: {n}").format(n=client.unsynced_count()))
        print(_("Open conflicts: {n}").format(n=len(open_conflicts(vault))))
        from counsel.sync.status import alarm_messages

        for message in alarm_messages(vault):
            print(_("Warning: {message}").format(message=message))
    finally:
        client.close()
    return 0


def _sign_out(vault: Vault, creds: Any, *, force: bool) -> int:
    from counsel.sync import credentials
    from counsel.sync.client import SyncClient
    from counsel.sync.transport import Transport

    if creds is None:
        return 0
    client = SyncClient(vault, Transport(creds.url, creds.token))
    try:
        waiting = client.unsynced_count()
        if waiting and not force:
            raise KnownError(
                _("{n} changes on this computer have not reached the server yet. Sync first, "
                  "or sign out with --force: the changes stay in this vault file but no other "
                  "device will see them.").format(n=waiting))
        try:
            client.transport.revoke(creds.device_id)
        except KnownError:
            pass  # offline: the administrator can revoke the device on the server
    finally:
        client.close()
    credentials.forget(vault)
    print(_("Signed out."))
    return 0
