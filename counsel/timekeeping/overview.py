"""What the desktop Time page shows and exports, computed from a vault (Qt-free).

One call, :func:`compute_overview`, reads the vault once and returns the counsellor's
own report (:func:`~counsel.timekeeping.reports.time_report`), the indicators and the
client names, so the chart, the tables and the indicator panel all show the same
numbers as ``counsel report time``.  The exports reuse the CLI's table writers; files
are written atomically (a half-written report never replaces an old one) under a
default name that holds no personal data, only the kind of report and the dates.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from enum import StrEnum
from typing import TYPE_CHECKING

from counsel.atomicfile import write_atomic as write_atomic  # the Time page uses it
from counsel.i18n import gettext as _
from counsel.timekeeping.indicators import Indicators, compute_indicators
from counsel.timekeeping.reports import Split, TimeReport, encounter_time, time_report
from counsel.timekeeping.split import Period

if TYPE_CHECKING:
    from counsel.domain import Client, Encounter, Plan, WorkEntry
    from counsel.vault.service import Vault

#: Above this many weeks the chart shows months instead (bars stay readable).
MAX_WEEK_BARS = 26


class RangeChoice(StrEnum):
    THIS_MONTH = "this_month"
    LAST_3_MONTHS = "last_3_months"
    CUSTOM = "custom"


def range_for(choice: RangeChoice, today: dt.date,
              custom: tuple[dt.date, dt.date] | None = None) -> tuple[dt.date, dt.date]:
    """``[first, last]`` of a period choice; the range ends today (no empty future weeks)."""
    if choice is RangeChoice.THIS_MONTH:
        return today.replace(day=1), today
    if choice is RangeChoice.LAST_3_MONTHS:
        month = today.month - 2
        year = today.year + (month - 1) // 12
        month = (month - 1) % 12 + 1
        return dt.date(year, month, 1), today
    if custom is None:
        raise ValueError("a custom range needs its dates")
    return custom


def chart_period(first: dt.date, last: dt.date) -> Period:
    weeks = (last - first).days // 7 + 1
    return Period.WEEK if weeks <= MAX_WEEK_BARS else Period.MONTH


@dataclasses.dataclass(frozen=True, slots=True)
class ClientRow:
    client: str | None  # None: work not for one client
    name: str
    split: Split


@dataclasses.dataclass(frozen=True)
class Overview:
    report: TimeReport
    indicators: Indicators
    clients: tuple[ClientRow, ...]  # the report's by_client, named, most time first

    @property
    def first(self) -> dt.date:
        return self.report.first

    @property
    def last(self) -> dt.date:
        return self.report.last


@dataclasses.dataclass(frozen=True)
class Sources:
    """Everything the reports read from the vault, read once (a caseload's worth of
    records takes seconds to read; a new date range then only recomputes)."""

    entries: tuple[WorkEntry, ...]  # saved entries plus encounter time without an entry
    encounters: tuple[Encounter, ...]
    clients: tuple[Client, ...]
    plans: tuple[Plan, ...]


def load_sources(vault: Vault) -> Sources:
    from counsel.domain import Client as ClientRecord
    from counsel.domain import Plan as PlanRecord
    from counsel.domain import WorkEntry as Entry

    saved = vault.all(Entry)
    encounters = vault.encounter_facts()
    return Sources(tuple([*saved, *encounter_time(encounters, saved)]), tuple(encounters),
                   tuple(vault.all(ClientRecord)), tuple(vault.all(PlanRecord)))


def work_entries(vault: Vault) -> list[WorkEntry]:
    """Saved work entries plus the time of encounters no entry accounts for (as the CLI)."""
    from counsel.domain import WorkEntry as Entry

    entries = vault.all(Entry)
    return [*entries, *encounter_time(vault.encounter_facts(), entries)]


def overview_of(src: Sources, first: dt.date, last: dt.date,
                period: Period | None = None) -> Overview:
    # an entry touches its own day and at most the next: only these can fall in the range
    since = first - dt.timedelta(days=1)
    near = [e for e in src.entries if since <= e.date <= last]
    report = time_report(near, first, last, period or chart_period(first, last))
    figures = compute_indicators(first=first, last=last, clients=src.clients, entries=src.entries,
                             encounters=src.encounters, plans=src.plans)
    names = {c.id: c.display_name for c in src.clients}
    rows = [ClientRow(cid, names.get(cid, cid) if cid else _("Not for one client"), s)
            for cid, s in report.by_client]
    rows.sort(key=lambda r: (r.client is None, -r.split.total, r.name.casefold()))
    return Overview(report, figures, tuple(rows))


def compute_overview(vault: Vault, first: dt.date, last: dt.date,
                     period: Period | None = None) -> Overview:
    return overview_of(load_sources(vault), first, last, period)


def hm(minutes: int) -> str:
    """A total on screen: ``17 053 h 46 min`` in the interface language's grouping."""
    from counsel.i18n.display import total_minutes

    return total_minutes(minutes)


def percent(share: float | None) -> str:
    """A share as a whole percentage in the interface language's notation ("" for none)."""
    if share is None:
        return ""
    from babel.numbers import format_percent

    from counsel.i18n import format_locale

    return str(format_percent(round(share, 2), locale=format_locale()))


def chart_summary(report: TimeReport, labels: list[str] | None = None) -> str:
    """The chart as text (its accessible description): totals, then every bar."""
    t = report.total
    lines = [_("Visible {visible}, background {background}; background share {share}.").format(
        visible=hm(t.visible), background=hm(t.background),
        share=percent(t.background_share) or "–")]
    names = labels or [r.label for r in report.by_period]
    for name, row in zip(names, report.by_period, strict=True):
        lines.append(_("{period}: visible {visible}, background {background}.").format(
            period=name, visible=hm(row.split.visible), background=hm(row.split.background)))
    return "\n".join(lines)


# -- exports -------------------------------------------------------------------------------

class ExportKind(StrEnum):
    REPORT = "report"  # the counsellor's own report
    MANAGER = "manager"  # aggregate, no personal data


def default_filename(kind: ExportKind, first: dt.date, last: dt.date, fmt: str) -> str:
    """E.g. ``time-report_2026-01-01_2026-03-31.pdf``: the kind and dates, nothing else."""
    stem = _("time-report") if kind is ExportKind.REPORT else _("time-indicators")
    stem = re.sub(r"[^\w-]+", "-", stem).strip("-") or kind.value
    return f"{stem}_{first.isoformat()}_{last.isoformat()}.{fmt}"


def export_bytes(vault: Vault | None, kind: ExportKind, fmt: str, first: dt.date,
                 last: dt.date, *, by_client: bool = False, min_clients: int = 5,
                 sources: Sources | None = None, computed: Overview | None = None) -> bytes:
    """The report as the CLI writes it (``report time`` / ``report indicators``), computed
    in the vault's SQL; with ``sources`` (records already read) record by record; with
    ``computed``, the time report of that overview (the Time page's: team time included)."""
    from counsel.timekeeping.report_csv import to_csv
    from counsel.timekeeping.report_tables import Table, manager_tables, time_tables

    if fmt not in ("pdf", "csv"):
        raise ValueError(f"unknown format {fmt!r}")
    if sources is None and vault is None:
        raise ValueError("export needs a vault or its sources")
    tables: list[Table]
    note = ""
    if kind is ExportKind.REPORT:
        if computed is not None:
            ov = computed
        elif sources is None:
            from counsel.timekeeping import report_query

            assert vault is not None
            ov = report_query.overview(vault, first, last)
        else:
            ov = overview_of(sources, first, last)
        names = {r.client: r.name for r in ov.clients if r.client} if by_client else {}
        tables = time_tables(ov.report, by_client=by_client, client_names=names)
        title = _("Visible and background work")
    else:
        from counsel.timekeeping.aggregate import manager_report

        if sources is None:
            from counsel.timekeeping import report_query

            assert vault is not None
            rep = report_query.manager_report(vault, first, last, chart_period(first, last),
                                              min_clients)
        else:
            rep = manager_report(first=first, last=last, entries=sources.entries,
                                 clients=sources.clients, encounters=sources.encounters,
                                 plans=sources.plans, period=chart_period(first, last),
                                 min_clients=min_clients)
        tables = manager_tables(rep)
        title = _("Time and indicators")
        note = _("No personal data. Cells about fewer than {n} clients are hidden (–). "
                 "Times are hours:minutes.").format(n=min_clients)
    if fmt == "csv":
        return to_csv(tables).encode("utf-8")
    from counsel.timekeeping.report_pdf import render_pdf

    return render_pdf(tables, title=title, first=first, last=last, note=note)


