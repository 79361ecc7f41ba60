"""``counsel client export CLIENT_ID --out DIR`` (the client's copy of their records) and
``counsel retention due [--format csv]`` (what the retention schedules say is due)."""

from __future__ import annotations

import argparse
from typing import Any

from counsel.i18n import current_language
from counsel.i18n import gettext as _


def _subcommands(parser: argparse.ArgumentParser) -> Any:
    for action in parser._actions:  # argparse keeps a parser's subcommands only here
        if isinstance(action, argparse._SubParsersAction):
            return action
    return parser.add_subparsers(dest="client_command", metavar="COMMAND", required=True)


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    client = sub.choices.get("client") or sub.add_parser("client", help=_("one client's path"))
    e = _subcommands(client).add_parser(
        "export", help=_("give the client their data: a PDF in their language and JSON"))
    e.add_argument("client_id", metavar="CLIENT_ID")
    e.add_argument("--out", required=True, metavar="DIR",
                   help=_("the folder to write the two files into"))
    e.add_argument("--lang", dest="client_lang", metavar="LANG",
                   help=_("the client’s language (default: their mother tongue where possible)"))
    e.set_defaults(handler=cmd_export)

    r = sub.add_parser("retention", help=_("retention schedules, legal holds and what is due"))
    rsub = r.add_subparsers(dest="retention_command", metavar="COMMAND", required=True)
    d = rsub.add_parser("due", help=_("list what the retention schedules make due"))
    d.add_argument("--format", choices=["text", "csv"], default="text")
    d.add_argument("--today", metavar="YYYY-MM-DD", help=argparse.SUPPRESS)
    d.set_defaults(handler=cmd_due)
    s = rsub.add_parser("schedules", help=_("show or set the years kept after the client "
                                            "relationship ends"))
    s.add_argument("--set", nargs="+", default=[], metavar="KIND=YEARS")
    s.set_defaults(handler=cmd_schedules)
    h = rsub.add_parser("hold", help=_("put a legal hold on a client (nothing of theirs is due)"))
    h.add_argument("client_id", metavar="CLIENT_ID")
    h.add_argument("--reason", required=True)
    h.set_defaults(handler=cmd_hold)
    rel = rsub.add_parser("release", help=_("lift a client's legal hold"))
    rel.add_argument("client_id", metavar="CLIENT_ID")
    rel.set_defaults(handler=cmd_release)
    x = rsub.add_parser("erase", help=_("erase what is due of one client and print the "
                                        "destruction record"))
    x.add_argument("client_id", metavar="CLIENT_ID")
    x.add_argument("--record", required=True, metavar="FILE.pdf",
                   help=_("where to write the destruction record"))
    x.add_argument("--today", metavar="YYYY-MM-DD", help=argparse.SUPPRESS)
    x.set_defaults(handler=cmd_erase)


def cmd_export(args: argparse.Namespace, ctx: Any) -> int:
    from counsel.plans.editing import print_language
    from counsel.records.export import write_export

    vault = ctx.open_vault()
    pdf, data = write_export(vault, args.client_id, args.out, language=args.client_lang,
                             counsellor_lang=print_language(current_language()))
    print(_("Wrote {file}").format(file=str(pdf)))
    print(_("Wrote {file}").format(file=str(data)))
    return 0


def _today(args: argparse.Namespace) -> Any:
    import datetime as dt

    return dt.date.fromisoformat(args.today) if args.today else dt.date.today()


def cmd_due(args: argparse.Namespace, ctx: Any) -> int:
    import csv
    import sys

    from counsel.records import retention

    vault = ctx.open_vault()
    items = retention.due(vault, _today(args))
    if args.format == "csv":
        w = csv.writer(sys.stdout, lineterminator="\n")
        w.writerow(["client_id", "pseudonym", "ended", "level", "kind", "records"])
        for it in items:
            for kind, n in sorted(it.due.items()):
                w.writerow([it.client_id, it.pseudonym, it.ended.isoformat(),
                            "client" if it.whole else "records", kind, n])
        vault.audit.record("export", record_kind="retention",
                           detail=f"csv retention due ({len(items)})")
        return 0
    if not items:
        print(_("Nothing is due."))
    for it in items:
        what = _("the whole client") if it.whole else _("some records")
        print(f"{it.pseudonym}  {it.client_id}  {it.ended.isoformat()}  {what}")
        for kind, n in sorted(it.due.items()):
            print(f"    {retention.kind_label(kind)}: {n}")
    return 0


def cmd_schedules(args: argparse.Namespace, ctx: Any) -> int:
    from counsel.records import retention

    vault = ctx.open_vault()
    if args.set:
        retention.set_schedules(vault, retention.parse_years(args.set))
    fixed = retention.organisation_years(vault)
    for kind, n in retention.schedules(vault).items():
        by = "\t" + _("set by the organisation") if kind in fixed else ""
        print(f"{kind}\t{n}\t{retention.kind_label(kind)}{by}")
    return 0


def cmd_hold(args: argparse.Namespace, ctx: Any) -> int:
    from counsel.records import retention

    hold = retention.place_hold(ctx.open_vault(), args.client_id, args.reason)
    print(_("Client {id} is on hold: {reason}").format(id=retention.pseudonym(hold.client_id),
                                                       reason=hold.reason))
    return 0


def cmd_release(args: argparse.Namespace, ctx: Any) -> int:
    from counsel.records import retention

    if not retention.release_hold(ctx.open_vault(), args.client_id):
        print(_("Client {id} was not on hold.").format(id=retention.pseudonym(args.client_id)))
        return 1
    return 0


def cmd_erase(args: argparse.Namespace, ctx: Any) -> int:
    from pathlib import Path

    from counsel.atomicfile import write_atomic
    from counsel.errors import KnownError
    from counsel.records import retention
    from counsel.records.retention_pdf import destruction_lines, organisation_of, render_destruction

    target = Path(args.record).expanduser()
    if not target.parent.is_dir():  # checked before anything is erased
        raise KnownError(_("The folder {folder} does not exist.").format(
            folder=str(target.parent)), help_text=_("Create the folder or choose another one."))
    vault = ctx.open_vault()
    organisation = organisation_of(vault)

    def keep(d: retention.Destruction) -> None:  # written first: no erasure without it
        write_atomic(target, render_destruction(d, organisation))

    done = retention.erase_due(vault, args.client_id, today=_today(args), keep_record=keep)
    for label, value in destruction_lines(done):
        print(f"{label}: {value}")
    print(_("Wrote {file}").format(file=str(target)))
    return 0
