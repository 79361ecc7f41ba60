"""``counsel report time|indicators`` and ``counsel import ics``.

``report time`` is the counsellor's own report (``--by client`` names clients, so it
is for the counsellor, not for sharing).  ``report indicators`` is the manager's
aggregate: counts and minutes only, small cells suppressed.  ``import ics`` proposes a
work entry for every calendar event; ``--dry-run`` prints the proposals, one per line,
and saves nothing; otherwise the decided proposals are saved only after the
counsellor confirms the list (or passes ``--yes``).
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from counsel.errors import ImportFileError, KnownError
from counsel.i18n import gettext as _

if TYPE_CHECKING:
    from counsel.cli.context import Context
    from counsel.domain import WorkEntry
    from counsel.timekeeping.matching import MatchRule
    from counsel.vault.service import Vault

RULES_SETTING = "timekeeping.match_rules"
IMPORT_PAST_DAYS = 365
IMPORT_FUTURE_DAYS = 90


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(
            _("{text!r} is not a date (use YYYY-MM-DD)").format(text=text)) from exc


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    report = sub.add_parser("report", help=_("time and indicator reports"))
    rsub = report.add_subparsers(dest="report_command", metavar="REPORT", required=True)

    p = rsub.add_parser("time", help=_("your visible and background work time"))
    _range_args(p, required=True)
    p.add_argument("--by", choices=["week", "month", "client"], default="week",
                   help=_("group by week, month or client (default: week)"))
    _output_args(p)
    p.set_defaults(handler=cmd_report_time)

    p = rsub.add_parser("indicators",
                        help=_("aggregate report for a manager: no personal data"))
    _range_args(p, required=True)
    p.add_argument("--by", choices=["week", "month"], default="month")
    p.add_argument("--min-clients", type=int, default=5, metavar="N",
                   help=_("hide cells about fewer than N clients (default: 5)"))
    _output_args(p)
    p.set_defaults(handler=cmd_report_indicators)

    imp = sub.add_parser("import", help=_("import work time from other programs"))
    isub = imp.add_subparsers(dest="import_command", metavar="SOURCE", required=True)
    p = isub.add_parser("ics", help=_("import a calendar (.ics) export"))
    p.add_argument("file", metavar="FILE", type=Path,
                   help=_("a calendar exported from Outlook, Google or another program"))
    p.add_argument("--dry-run", action="store_true",
                   help=_("print the proposals, one per line, and save nothing"))
    p.add_argument("--yes", action="store_true", help=_("save without asking"))
    _range_args(p, required=False)
    p.set_defaults(handler=cmd_import_ics)


def _range_args(p: argparse.ArgumentParser, *, required: bool) -> None:
    if required:
        first_help, last_help = _("first day, YYYY-MM-DD"), _("last day (included)")
    else:
        first_help = _("read events from this day (default: a year ago)")
        last_help = _("read events up to this day (default: 90 days ahead)")
    p.add_argument("--from", dest="first", type=_date, required=required, metavar="DATE",
                   help=first_help)
    p.add_argument("--to", dest="last", type=_date, required=required, metavar="DATE",
                   help=last_help)


def _output_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("--format", choices=["csv", "pdf"], default="csv")
    p.add_argument("--out", type=Path, metavar="FILE",
                   help=_("write to FILE (default: standard output; PDF needs a file)"))


def _write(args: argparse.Namespace, csv_text: str | None, pdf: bytes | None) -> None:
    if args.format == "pdf":
        if args.out is None:
            raise KnownError(_("A PDF report needs a file name."),
                             help_text=_("Add --out FILE, for example --out report.pdf."))
        assert pdf is not None
        args.out.write_bytes(pdf)
    elif args.out is None:
        sys.stdout.write(csv_text or "")
    else:
        args.out.write_text(csv_text or "", encoding="utf-8", newline="")
    if args.out is not None:
        print(_("Written to {path}").format(path=args.out), file=sys.stderr)


def cmd_report_time(args: argparse.Namespace, ctx: Context) -> int:
    from counsel.teams import teamtime
    from counsel.timekeeping.report_csv import to_csv
    from counsel.timekeeping.report_tables import time_tables
    from counsel.timekeeping.split import Period

    vaults = ctx.open_vaults()  # own time on team clients too (counsel.teams.teamtime)
    vault = vaults.personal
    period = Period.MONTH if args.by == "month" else Period.WEEK
    report = teamtime.time_report(vaults, args.first, args.last, period)
    ids = [cid for cid, _s in report.by_client if cid]
    names = vaults.client_names(ids, display=False) if args.by == "client" else {}
    tables = time_tables(report, by_client=args.by == "client", client_names=names)
    if args.format == "pdf":
        from counsel.timekeeping.report_pdf import render_pdf

        _write(args, None, render_pdf(tables, title=_("Visible and background work"),
                                      first=args.first, last=args.last))
    else:
        _write(args, to_csv(tables), None)
    vault.audit.record("export", record_kind="report",
                       detail=f"{args.format} time report by {args.by}")
    return 0


def cmd_report_indicators(args: argparse.Namespace, ctx: Context) -> int:
    from counsel.timekeeping import report_query
    from counsel.timekeeping.report_csv import to_csv
    from counsel.timekeeping.report_tables import manager_tables
    from counsel.timekeeping.split import Period

    if args.min_clients < 1:
        raise KnownError(_("--min-clients must be at least 1."))
    vault = ctx.open_vault()
    report = report_query.manager_report(
        vault, args.first, args.last, Period.WEEK if args.by == "week" else Period.MONTH,
        args.min_clients)
    tables = manager_tables(report)
    if args.format == "pdf":
        from counsel.timekeeping.report_pdf import render_pdf

        note = _("No personal data. Cells about fewer than {n} clients are hidden (–). "
                 "Times are hours:minutes.").format(n=args.min_clients)
        _write(args, None, render_pdf(tables, title=_("Time and indicators"),
                                      first=args.first, last=args.last, note=note))
    else:
        _write(args, to_csv(tables), None)
    vault.audit.record("export", record_kind="report",
                       detail=f"{args.format} indicators")
    return 0


def load_rules(vault: Vault) -> tuple[MatchRule, ...]:
    from counsel.timekeeping import rule_store

    return rule_store.load_rules(vault)


def cmd_import_ics(args: argparse.Namespace, ctx: Context) -> int:
    from counsel.domain import Client
    from counsel.domain import WorkEntry as Entry
    from counsel.timekeeping.ics_import import read_ics
    from counsel.timekeeping.matching import Action, accepted_entries, propose

    today = dt.date.today()
    first = args.first or today - dt.timedelta(days=IMPORT_PAST_DAYS)
    last = args.last or today + dt.timedelta(days=IMPORT_FUTURE_DAYS)
    parsed = read_ics(read_calendar_file(args.file), first=first, last=last)
    vault = ctx.open_vault()
    rules = load_rules(vault)
    existing = [e.source for e in vault.all(Entry) if e.source]
    proposals = propose(parsed.events, rules, vault.all(Client), existing)
    for p in proposals:
        print(p.line())
    for prob in parsed.problems:
        print(_("line {line}: {uid} {summary!r}: {message}").format(
            line=prob.line, uid=prob.uid or "-", summary=prob.summary, message=prob.message),
            file=sys.stderr)
    if parsed.skipped:
        print(parsed.skipped_text(), file=sys.stderr)
    ready = [p for p in proposals if p.confirmed and p.action is not Action.SKIP]
    open_ = sum(1 for p in proposals if not p.confirmed)
    print(_("{n} events: {ready} to save, {open} need your decision in the app, "
            "{problems} could not be read.").format(
        n=len(proposals), ready=len(ready), open=open_, problems=len(parsed.problems)),
        file=sys.stderr)
    if args.dry_run or not ready:
        return 0
    if not args.yes:
        answer = input(_("Save {n} work entries? [y/N] ").format(n=len(ready)))
        if answer.strip().lower() not in ("y", "yes", "k", "kyllä", "j", "ja"):
            print(_("Nothing saved."), file=sys.stderr)
            return 0
    entries: list[WorkEntry] = accepted_entries(ready)
    vault.save_many(entries)
    print(_("{n} work entries saved.").format(n=len(entries)), file=sys.stderr)
    return 0


def read_calendar_file(path: Path) -> bytes:
    """The bytes of a calendar file, or an error that says what to check."""
    try:
        return path.read_bytes()
    except FileNotFoundError as exc:
        raise ImportFileError(_("There is no file {path}.").format(path=path), help_text=_(
            "Check the file name and the folder; export the calendar again if the file was "
            "moved or deleted.")) from exc
    except IsADirectoryError as exc:
        raise ImportFileError(_("{path} is a folder, not a file.").format(path=path),
                              help_text=_("Choose the .ics file inside it.")) from exc
    except OSError as exc:
        raise ImportFileError(_("Cannot read {path}: {reason}").format(
            path=path, reason=exc.strerror or exc), help_text=_(
            "Check that you may open the file (it is not on a disconnected drive or "
            "locked by another program) and try again.")) from exc


def save_rules(vault: Vault, rules: tuple[MatchRule, ...]) -> None:
    """Keep the counsellor's confirmed matching rules (encrypted; a client's rules under
    the client's key, see counsel.timekeeping.rule_store)."""
    from counsel.timekeeping import rule_store

    rule_store.save_rules(vault, rules)
