"""The administrator's commands of ``counsel-server``: tables for people, JSON for scripts."""

from __future__ import annotations

import argparse
import dataclasses
import json
import sys
import time
from collections.abc import Sequence
from typing import Any

from counsel.server import admin
from counsel.server.storage_sql import SqlStorage


def when(ts: float | None) -> str:
    if ts is None:
        return "-"
    return time.strftime("%Y-%m-%d %H:%M", time.gmtime(ts)) + "Z"


def size(n: int) -> str:
    value = float(n)
    for unit in ("B", "KiB", "MiB", "GiB"):
        if value < 1024 or unit == "GiB":
            return f"{value:.0f} {unit}" if unit == "B" else f"{value:.1f} {unit}"
        value /= 1024
    return f"{n} B"  # pragma: no cover - the loop always returns


def table(header: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    widths = [max(len(str(c)) for c in col) for col in zip(header, *rows, strict=False)]
    lines = ["  ".join(str(c).ljust(w) for c, w in zip(row, widths, strict=True)).rstrip()
             for row in [list(header), *rows]]
    return "\n".join(lines)


def _json(items: Sequence[Any]) -> str:
    return json.dumps([dataclasses.asdict(i) for i in items], indent=2)


def run(storage: SqlStorage, args: argparse.Namespace) -> int:
    cmd = args.command
    if cmd == "add-account":
        secret = storage.create_account(args.name)
        print(f"Account {args.name} created. One-time enrolment secret (give it to the "
              f"counsellor; it works once):\n{secret}")
    elif cmd == "enrol-secret":
        print(storage.new_enrol_secret(args.name))
    elif cmd == "grant":
        vault = admin.find_vault(storage, args.vault_id)
        storage.grant(vault.vault_id, args.name)
        print(f"{args.name} may now use vault {vault.vault_id}")
    elif cmd == "accounts":
        accts = admin.accounts(storage)
        print(_json(accts) if args.json else table(
            ["ACCOUNT", "DEVICES", "REVOKED", "VAULTS", "CREATED", "LAST SEEN"],
            [[a.name, str(a.devices), str(a.revoked), str(a.vaults), when(a.created),
              when(a.last_seen)] for a in accts]))
    elif cmd == "devices":
        devs = admin.devices(storage, args.name)
        print(_json(devs) if args.json else table(
            ["DEVICE", "ACCOUNT", "NAME", "CREATED", "LAST SEEN", "REVOKED"],
            [[d.device_id, d.account, d.name, when(d.created), when(d.last_seen),
              when(d.revoked)] for d in devs]))
    elif cmd == "vaults":
        vaults = admin.vaults(storage, args.name)
        print(_json(vaults) if args.json else table(
            ["VAULT", "OWNER", "MEMBERS", "REVISIONS", "SIZE", "CREATED", "LAST WRITE"],
            [[v.vault_id, v.owner, ",".join(v.members), str(v.revisions), size(v.bytes),
              when(v.created), when(v.last_write)] for v in vaults]))
    elif cmd == "revoke-device":
        if len(args.selector) > 2:
            print("error: give the device (and optionally its account first)", file=sys.stderr)
            return 2
        account, selector = (None, args.selector[0]) if len(args.selector) == 1 else (
            args.selector[0], args.selector[1])
        device = admin.revoke(storage, selector, account)
        print(f"revoked device {device.device_id} ({device.account}, {device.name!r})")
    elif cmd == "remove-account":
        done = admin.remove_account(storage, args.name, erase=args.erase,
                                    hand_over_to=args.hand_over_to)
        print(f"removed account {done.account} and {done.devices} device token(s)")
        for vault_id in done.erased:
            print(f"erased vault {vault_id}")
        for vault_id in done.handed_over:
            print(f"vault {vault_id} now belongs to {done.to}")
    return 0
