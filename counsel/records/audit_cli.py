"""``counsel audit``: the audit trail for a data-protection officer (exits 3 when a
device's chain is broken, so a script notices)."""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from typing import Any

from counsel.i18n import gettext as _

BROKEN = 3


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(_("not a date (YYYY-MM-DD): {text}").format(
            text=text)) from exc


def cmd_audit(args: argparse.Namespace, ctx: Any) -> int:
    from counsel.records import audit

    vault = ctx.open_vault()
    everything = vault.audit.entries()
    state = vault.audit.verify(everything)
    entries = audit.select(everything,
                           audit.Filter(client=args.client, person=args.person,
                                        kind=args.kind, since=args.since, until=args.until))
    if args.format == "csv":
        text = audit.to_csv(entries, state)
    else:
        text = audit.to_text(entries) + ("\n" if entries else "")
    if args.out:
        from counsel.atomicfile import write_atomic

        write_atomic(args.out, text.encode("utf-8"))
    else:
        sys.stdout.write(text)
    if args.out or args.format == "csv":  # a file or a CSV for another program: an export
        vault.audit.record("export", client_id=args.client, record_kind="audit",
                           detail=f"{args.format} audit trail ({len(entries)})")
    print(audit.state_text(state), file=sys.stderr)
    if not state.intact:
        for b in state.breaks[:20]:
            print(f"  {b.device[:8] or '-'} #{b.counter}: {b.text()}", file=sys.stderr)
        return BROKEN
    return 0


def register(subparsers: Any) -> None:
    from pathlib import Path

    p = subparsers.add_parser("audit", help=_("who viewed, edited, printed, exported or "
                                               "erased what (the audit trail)"))
    p.add_argument("--client", metavar="ID", help=_("only entries about this client"))
    p.add_argument("--person", metavar="NAME", help=_("only entries by this person"))
    p.add_argument("--kind", choices=("view", "edit", "print", "export", "share", "erase"),
                   help=_("only entries of this kind"))
    p.add_argument("--since", type=_date, metavar="DATE", help=_("from this day (YYYY-MM-DD)"))
    p.add_argument("--until", type=_date, metavar="DATE", help=_("up to this day (included)"))
    p.add_argument("--format", choices=("text", "csv"), default="text")
    p.add_argument("--out", type=Path, metavar="FILE", help=_("write to FILE"))
    p.set_defaults(handler=cmd_audit)

