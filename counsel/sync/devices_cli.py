"""``counsel devices list|rename|revoke``: this account's computers on the sync server."""

from __future__ import annotations

import argparse
import time
from typing import TYPE_CHECKING

from counsel.i18n import gettext as _

if TYPE_CHECKING:
    from counsel.cli.context import Context


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser("devices", help=_("list, rename or revoke this account's computers"))
    dev = p.add_subparsers(dest="devices_command", metavar="COMMAND", required=True)
    dev.add_parser("list", help=_("list this account's computers")).set_defaults(
        handler=cmd_list)
    ren = dev.add_parser("rename", help=_("rename a computer"))
    ren.add_argument("device", help=_("device id, id prefix or name"))
    ren.add_argument("name")
    ren.set_defaults(handler=cmd_rename)
    rev = dev.add_parser("revoke", help=_("cut a computer off (lost or stolen)"))
    rev.add_argument("device", help=_("device id, id prefix or name"))
    rev.set_defaults(handler=cmd_revoke)


def when(stamp: float | None) -> str:
    return "-" if stamp is None else time.strftime("%Y-%m-%d %H:%M", time.localtime(stamp))


def cmd_list(args: argparse.Namespace, ctx: Context) -> int:
    from counsel.sync.devices import Devices

    with Devices(ctx.open_vault()) as devices:
        rows = devices.list()
    print(_("ID            NAME                  ADDED             LAST SEEN         STATE"))
    for d in rows:
        state = (_("revoked {when}").format(when=when(d.revoked)) if d.revoked is not None
                 else _("this computer") if d.this else _("active"))
        print(f"{d.device_id[:12]:<13} {d.name[:20]:<21} {when(d.added):<17} "
              f"{when(d.last_seen):<17} {state}")
    return 0


def cmd_rename(args: argparse.Namespace, ctx: Context) -> int:
    from counsel.sync.devices import Devices

    with Devices(ctx.open_vault()) as devices:
        device = devices.rename(args.device, args.name)
    print(_("Renamed {device} to {name}.").format(device=device.device_id[:12], name=args.name))
    return 0


def cmd_revoke(args: argparse.Namespace, ctx: Context) -> int:
    from counsel.sync.devices import Devices

    with Devices(ctx.open_vault()) as devices:
        device = devices.revoke(args.device)
    print(_("Revoked {device} ({name}): the sync server refuses it from now on.").format(
        device=device.device_id[:12], name=device.name))
    return 0
