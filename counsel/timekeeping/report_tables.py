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
    #: for split tables: the columns that hold minutes
    minute_columns: tuple[int, ...] = ()


def _split_columns(first: str) -> tuple[str, ...]:
    """The counsellor's report, as the Time page shows it: client work (visible,
    background), internal work (team, training, admin), the total of all three, and
    the background share of the client work."""
    return (first, _("Visible"), _("Background"), _("Internal"), _("Total"),
            _("Background share"))


#: the minute columns of a split table (the counsellor's) and of a cell table (manager's)
SPLIT_MINUTES = (1, 2, 3, 4)
CELL_MINUTES = (1, 2, 3)


def _split_table(key: str, title: str, first: str,
                 rows: tuple[tuple[Value, ...], ...]) -> Table:
    return Table(key, title, _split_columns(first), rows, minute_columns=SPLIT_MINUTES)


def _split_row(label: str, s: Split) -> tuple[Value, ...]:
    return (label, s.visible, s.background, s.internal, s.total, s.background_share)


def _cell_columns(first: str) -> tuple[str, ...]:
    """The manager's report: client work only (internal work is not aggregated)."""
    return (first, _("Visible"), _("Background"), _("Total"), _("Background share"))


def _cell_table(key: str, title: str, first: str,
                rows: tuple[tuple[Value, ...], ...]) -> Table:
    return Table(key, title, _cell_columns(first), rows, minute_columns=CELL_MINUTES)


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
        _split_table("total", _("Total"), "", (_split_row(_("All work"), report.total),)),
        _split_table("period", _("By period"), period_title(report.period),
                     tuple(_split_row(r.label, r.split) for r in report.by_period)),
    ]
    if by_client:
        rows = sorted(((names.get(cid, cid) if cid else "", s) for cid, s in report.by_client),
                      key=lambda r: (not r[0], r[0].casefold()))
        tables.append(_split_table("client", _("By client"), _("Client"), tuple(
            _split_row(name or _("Not for one client"), s) for name, s in rows)))
    tables += [
        _split_table("channel", _("By channel"), _("Channel"),
                     tuple(_split_row(ch.label(), s) for ch, s in report.by_channel)),
        _split_table("party_kind", _("By kind of other party"), _("Other party"),
                     tuple(_split_row(_party(pk.value if pk else ""), s)
                           for pk, s in report.by_party_kind)),
    ]
    return tables


def manager_tables(report: ManagerReport) -> list[Table]:
    """The aggregate report: numbers and vocabulary values only."""
    return [
        _cell_table("total", _("Total"), "", (_cell_row(_("All work"), report.total),)),
        _cell_table("period", _("By period"), period_title(report.period),
                    tuple(_cell_row(label, c) for label, c in report.by_period)),
        _cell_table("channel", _("By channel"), _("Channel"),
                    tuple(_cell_row(_channel(k), c) for k, c in report.by_channel)),
        _cell_table("party_kind", _("By kind of other party"), _("Other party"),
                    tuple(_cell_row(_party(k), c) for k, c in report.by_party_kind)),
        Table("indicators", _("Indicators"), (_("Indicator"), _("Value"), _("Share")),
              tuple((_(row.label), row.value, row.share) for row in report.indicators),
              tuple(row.key.endswith("minutes") for row in report.indicators)),
    ]
