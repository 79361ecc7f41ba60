"""Reports as plain tables, shared by the CSV and PDF writers.

Minutes are whole minutes everywhere (the PDF prints them as h:mm).  A cell is ``int``
(minutes or a count), ``float`` (a share 0..1), ``str`` or ``None``
(suppressed in a manager report, or nothing to divide by).  Titles and column names
are translated here, at the moment of writing.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping

from counsel.domain import Channel, PartyKind
from counsel.i18n import gettext as _
from counsel.timekeeping.aggregate import Cell, ManagerReport
from counsel.timekeeping.reports import Split, TimeReport
from counsel.timekeeping.split import Period

Value = int | float | str | None


@dataclasses.dataclass(frozen=True)
class Table:
    key: str  # stable section id: "period", "client", "channel", "party_kind", "indicators"
    title: str
    columns: tuple[str, ...]
    rows: tuple[tuple[Value, ...], ...]
    #: for label/value/share tables: which rows' values are minutes (the rest are counts)
    minute_rows: tuple[bool, ...] = ()


def _split_columns(first: str) -> tuple[str, ...]:
    return (first, _("Visible"), _("Background"), _("Total"), _("Background share"))


def _split_row(label: str, s: Split) -> tuple[Value, ...]:
    return (label, s.visible, s.background, s.client_work, s.background_share)


def _cell_row(label: str, c: Cell) -> tuple[Value, ...]:
    return (label, c.visible, c.background, c.total, c.background_share)


def _channel(value: str) -> str:
    return Channel(value).label()


def _party(value: str) -> str:
    return PartyKind(value).label() if value else _("No other party")


def period_title(period: Period) -> str:
    return {Period.WEEK: _("Week"), Period.MONTH: _("Month"), Period.DAY: _("Day")}[period]


def time_tables(report: TimeReport, *, by_client: bool = False,
                client_names: Mapping[str, str] | None = None) -> list[Table]:
    """The counsellor's own report.  Client rows only when asked (``--by client``)."""
    names = client_names or {}
    tables = [
        Table("total", _("Total"), _split_columns(""), (_split_row(_("All work"), report.total),)),
        Table("period", _("By period"), _split_columns(period_title(report.period)),
              tuple(_split_row(r.label, r.split) for r in report.by_period)),
    ]
    if by_client:
        rows = sorted(((names.get(cid, cid) if cid else "", s) for cid, s in report.by_client),
                      key=lambda r: (not r[0], r[0].casefold()))
        tables.append(Table("client", _("By client"), _split_columns(_("Client")), tuple(
            _split_row(name or _("Not for one client"), s) for name, s in rows)))
    tables += [
        Table("channel", _("By channel"), _split_columns(_("Channel")),
              tuple(_split_row(ch.label(), s) for ch, s in report.by_channel)),
        Table("party_kind", _("By kind of other party"), _split_columns(_("Other party")),
              tuple(_split_row(_party(pk.value if pk else ""), s)
                    for pk, s in report.by_party_kind)),
    ]
    return tables


def manager_tables(report: ManagerReport) -> list[Table]:
    """The aggregate report: numbers and vocabulary values only."""
    return [
        Table("total", _("Total"), _split_columns(""), (_cell_row(_("All work"), report.total),)),
        Table("period", _("By period"), _split_columns(period_title(report.period)),
              tuple(_cell_row(label, c) for label, c in report.by_period)),
        Table("channel", _("By channel"), _split_columns(_("Channel")),
              tuple(_cell_row(_channel(k), c) for k, c in report.by_channel)),
        Table("party_kind", _("By kind of other party"), _split_columns(_("Other party")),
              tuple(_cell_row(_party(k), c) for k, c in report.by_party_kind)),
        Table("indicators", _("Indicators"), (_("Indicator"), _("Value"), _("Share")),
              tuple((_(row.label), row.value, row.share) for row in report.indicators),
              tuple(row.key.endswith("minutes") for row in report.indicators)),
    ]
