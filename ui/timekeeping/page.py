"""Time: visible vs background work per week, breakdowns, indicators, exports, import.

Everything shown comes from one :func:`counsel.timekeeping.overview.compute_overview`
call on the reader pool, so the chart, the tables and the indicators agree with each
other and with ``counsel report time``.  Exports are written atomically off the UI
thread; the calendar import opens :class:`~counsel_ui.timekeeping.ics_review.IcsReviewDialog`.
"""

from __future__ import annotations

import datetime as dt
import functools
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QDate,
    QModelIndex,
    QPersistentModelIndex,
    QStandardPaths,
    Qt,
)
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFileDialog,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QMenu,
    QPushButton,
    QTableView,
    QTabWidget,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from counsel.i18n import gettext as _
from counsel.teams import teamtime
from counsel.timekeeping import report_query
from counsel.timekeeping.overview import (
    ExportKind,
    Overview,
    RangeChoice,
    default_filename,
    export_bytes,
    hm,
    percent,
    range_for,
    write_atomic,
)
from counsel.timekeeping.report_query import Basis
from counsel.timekeeping.reports import Split, TimeReport
from counsel.timekeeping.split import Period
from counsel_ui.common.datefields import DateField
from counsel_ui.common.ops import Op, page_priority
from counsel_ui.common.widgets import named
from counsel_ui.timekeeping.chart import Bar, TimeChart
from counsel_ui.timekeeping.page_parts import TOTAL_COLUMN, fit_figures, indicator_box, split_table

if TYPE_CHECKING:
    from counsel_ui.shell.session import Session

Index = QModelIndex | QPersistentModelIndex
SORT_ROLE = Qt.ItemDataRole.UserRole + 2
KINDS = frozenset({"work", "encounter", "client", "plan"})


def bar_labels(report: TimeReport) -> list[tuple[str, str]]:
    """(short label, long title) of every period, in the interface language."""
    from babel.dates import format_date, format_skeleton

    from counsel.i18n import format_locale

    loc = format_locale()
    out = []
    for row in report.by_period:
        if report.period is Period.WEEK:
            week = row.start.isocalendar()[1]
            out.append((_("wk {n}").format(n=week), _("Week {n} (from {date})").format(
                n=week, date=format_date(row.start, "short", locale=loc))))
        else:
            out.append((str(format_skeleton("MMM", row.start, locale=loc)),
                        str(format_skeleton("yMMMM", row.start, locale=loc))))
    return out


SHARE_COLUMN = 5


class SplitModel(QAbstractTableModel):
    """Rows of (label, Split): visible, background, internal, total (all three),
    background share (of the client work) — the columns of the exported report."""

    def __init__(self, first_column: str, parent: Any = None) -> None:
        super().__init__(parent)
        self.first_column = first_column
        self.rows: list[tuple[str, Split]] = []
        self._cells: dict[int, tuple[str, ...]] = {}  # id(row) → its shown texts

    def set_rows(self, rows: list[tuple[str, Split]]) -> None:
        self.beginResetModel()
        self.rows = list(rows)
        self._cells = {}
        self._sort_rows()
        self.endResetModel()

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        """Sorted here with one key per row (a proxy model would call ``data`` for every
        comparison: a third of a second for a caseload's clients on the UI thread)."""
        self.layoutAboutToBeChanged.emit()
        self._sort = (column, order)
        self._sort_rows()
        self.layoutChanged.emit()

    def _sort_rows(self) -> None:
        column, order = getattr(self, "_sort", (TOTAL_COLUMN, Qt.SortOrder.DescendingOrder))
        self.rows.sort(key=lambda row: self._key(row, column),
                       reverse=order == Qt.SortOrder.DescendingOrder)

    @staticmethod
    def _key(row: tuple[str, Split], column: int) -> Any:
        label, s = row
        if column == 0:
            return label.casefold()
        if column == SHARE_COLUMN:
            return -1.0 if s.background_share is None else s.background_share
        return (s.visible, s.background, s.internal, s.total)[column - 1]

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else SHARE_COLUMN + 1

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        row = self.rows[index.row()]
        col = index.column()
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            # formatted once per row, when first shown or measured: at every paint it was
            # ~75 µs a cell on the UI thread; all 7.5k rows up front cost the worker 0.5 s
            cells = self._cells.get(id(row))
            if cells is None:
                cells = self._cells[id(row)] = format_cells([row])[0]
            return cells[col]
        if role == Qt.ItemDataRole.TextAlignmentRole and col > 0:
            return _RIGHT
        label, s = row
        values: list[Any] = [label, s.visible, s.background, s.internal, s.total,
                             s.background_share]
        if role == SORT_ROLE:
            v = values[col]
            return v.casefold() if isinstance(v, str) else (-1.0 if v is None else float(v))
        return None

    def headerData(self, section: int, orientation: Qt.Orientation,  # noqa: N802
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return (self.first_column, _("Visible"), _("Background"), _("Internal"), _("Total"),
                    _("Background share"))[section]
        return None


_RIGHT = int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)


def format_cells(rows: list[tuple[str, Split]]) -> list[tuple[str, ...]]:
    """The shown texts of :class:`SplitModel` rows."""
    return [(label, hm(s.visible), hm(s.background), hm(s.internal), hm(s.total),
             percent(s.background_share) or "–") for label, s in rows]


class TimePage(QWidget):
    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self._seq = 0
        self.overview: Overview | None = None
        self.loading = False
        self._op: Op | None = None
        # what every range's report reads from the whole vault; dropped when records change
        self._basis: dict[str, Basis] | None = None  # per vault of the session
        self._generation = 0
        lay = QVBoxLayout(self)

        top = QHBoxLayout()
        self.range = QComboBox()
        self.range.addItem(_("This month"), RangeChoice.THIS_MONTH.value)
        self.range.addItem(_("Last 3 months"), RangeChoice.LAST_3_MONTHS.value)
        self.range.addItem(_("Custom dates"), RangeChoice.CUSTOM.value)
        range_label = QLabel(_("&Period:"))
        range_label.setBuddy(self.range)
        named(self.range, _("Period"))
        top.addWidget(range_label)
        top.addWidget(self.range)
        today = QDate.currentDate()
        self.first, self.last = DateField(), DateField()
        self.first.setDate(today.addMonths(-1))
        self.last.setDate(today)
        for edit, text in ((self.first, _("From")), (self.last, _("To"))):
            named(edit, text)
            top.addWidget(QLabel(text))
            top.addWidget(edit)
        top.addStretch(1)
        self.import_button = QPushButton(_("&Import calendar…"))
        named(self.import_button, _("Import a calendar (.ics) file"))
        self.import_button.clicked.connect(self.choose_import)
        top.addWidget(self.import_button)
        self.export_button = QToolButton()
        self.export_button.setText(_("E&xport"))
        self.export_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        named(self.export_button, _("Export the report"))
        menu = QMenu(self.export_button)
        for kind, fmt, text in (
                (ExportKind.REPORT, "pdf", _("My report as PDF…")),
                (ExportKind.REPORT, "csv", _("My report as CSV…")),
                (ExportKind.MANAGER, "pdf", _("Manager report (no personal data) as PDF…")),
                (ExportKind.MANAGER, "csv", _("Manager report (no personal data) as CSV…"))):
            menu.addAction(text, functools.partial(self.choose_export, kind, fmt))
        self.export_button.setMenu(menu)
        top.addWidget(self.export_button)
        lay.addLayout(top)
        self.whose = QLabel(_(  # with team copies open (docs/teams.md, "Whose time")
            "Counted: everything in your own vault, and with your teams' clients the "
            "encounters and work you wrote yourself, not your colleagues'."), wordWrap=True)
        lay.addWidget(self.whose)

        self.totals = QLabel()
        font = self.totals.font()
        font.setPointSizeF(font.pointSizeF() * 1.15)
        self.totals.setFont(font)
        self.totals.setWordWrap(True)
        lay.addWidget(self.totals)

        self.middle = QHBoxLayout()
        self.chart = TimeChart()
        self.middle.addWidget(self.chart, 3)
        lay.addLayout(self.middle, 3)
        # the indicator box and the tables: once shown or given numbers (:meth:`_build_rest`);
        # made with the quick log and the client list in one turn, they kept the UI thread
        self.indicator_box: QGroupBox | None = None
        self.figures: dict[str, QLabel] = {}
        self.tabs: QTabWidget | None = None
        self.client_model = SplitModel(_("Client"), self)
        self.channel_model = SplitModel(_("Channel"), self)
        self.party_model = SplitModel(_("Other party"), self)
        self.client_table: QTableView | None = None
        self.tables: list[QTableView] = []
        self._tabs_slot = QVBoxLayout()
        self._tabs_slot.setContentsMargins(0, 0, 0, 0)
        lay.addLayout(self._tabs_slot, 2)

        self._bottom = QHBoxLayout()
        self.name_clients: QCheckBox | None = None
        self.status = QLabel()
        self.status.setWordWrap(True)
        self._bottom.addWidget(self.status, 1)
        lay.addLayout(self._bottom)

        self.range.currentIndexChanged.connect(self._range_changed)
        self.first.dateChanged.connect(lambda _d: self.refresh())
        self.last.dateChanged.connect(lambda _d: self.refresh())
        session.changed.connect(self._on_changed)
        self._range_changed()

    def _build_rest(self) -> None:
        """The indicator box and the tables (once: when first shown, or before an overview
        is shown; a page made behind Today makes them in the turn its numbers come)."""
        if self.indicator_box is not None:
            return
        self.indicator_box, self.figures = indicator_box()
        self.middle.addWidget(self.indicator_box, 1)
        self.tables = [split_table(self.client_model, _("Time by client")),
                       split_table(self.channel_model, _("Time by channel")),
                       split_table(self.party_model, _("Time by kind of other party"))]
        self.client_table = self.tables[0]
        self.tabs = QTabWidget()
        for view, text in zip(self.tables, (_("By &client"), _("By c&hannel"),
                                            _("By &kind of other party")), strict=True):
            self.tabs.addTab(view, text)
        self._tabs_slot.addWidget(self.tabs)
        # made in this order, last: the Tab key goes through them as laid out
        self.name_clients = QCheckBox(_("Name clients in my report export"))
        self.name_clients.setToolTip(_("The manager report never names clients."))
        self._bottom.insertWidget(0, self.name_clients)

    def showEvent(self, event: Any) -> None:  # noqa: N802
        self._build_rest()
        super().showEvent(event)
        if self.loading and self._op is not None and not self._op.started:
            self.refresh()  # queued behind other pages' work: now it is in front
    # -- data -------------------------------------------------------------------------------
    def period(self) -> tuple[dt.date, dt.date]:
        choice = RangeChoice(self.range.currentData())
        custom = (self.first.date().toPython(), self.last.date().toPython())
        return range_for(choice, dt.date.today(), custom)  # type: ignore[arg-type]

    def _range_changed(self, _i: int = 0) -> None:
        custom = self.range.currentData() == RangeChoice.CUSTOM.value
        self.first.setEnabled(custom)
        self.last.setEnabled(custom)
        if not custom:
            first, last = self.period()
            for edit, day in ((self.first, first), (self.last, last)):
                edit.blockSignals(True)
                edit.setDate(QDate(day.year, day.month, day.day))
                edit.blockSignals(False)
        self.refresh()

    def _on_changed(self, kinds: frozenset[str]) -> None:
        if KINDS & kinds:
            self._basis = None
            self._generation += 1
            self.refresh()

    def refresh(self) -> None:
        if self.session.vault.locked:
            return
        try:
            first, last = self.period()
            if last < first:
                raise ValueError
        except ValueError:
            self.status.setText(_("The end date is before the start date."))
            return
        self._seq += 1
        seq = self._seq
        generation = self._generation
        vaults = self.session.vaults  # own time on team clients too
        self.whose.setVisible(bool(vaults.copies))
        cached = self._basis
        self.loading = True
        self.status.setText(_("Calculating…"))
        self.totals.setText(_("Calculating…"))
        self.chart.set_loading()
        closing = self.session

        def work() -> tuple[dict[str, Basis], Overview]:
            base = cached if cached is not None else teamtime.basis(vaults)
            return base, teamtime.overview(
                vaults, first, last, base=base,
                should_stop=lambda: closing.closing or op.cancelled)

        def show(result: tuple[dict[str, Basis], Overview]) -> None:
            if generation == self._generation:
                self._basis = result[0]
            if seq == self._seq:
                self.show_overview(result[1])

        def failed(exc: BaseException) -> None:
            from counsel.errors import KnownError

            if isinstance(exc, report_query.Stopped):
                return
            if seq == self._seq and isinstance(exc, KnownError):
                self.status.setText(exc.message)
            elif seq == self._seq:
                from counsel_ui.common.errors import show_error

                show_error(self, exc)

        if self._op is not None:
            self._op.cancel()  # a range nobody looks at any more
        op = Op(self, work, write=False, long=True, priority=page_priority(self))
        self._op = op.success(show).failure(failed).run()

    def show_overview(self, o: Overview) -> None:
        self._build_rest()  # an overview quicker than one turn (a small vault)
        self.loading = False
        self.overview = o
        rep = o.report
        t = rep.total
        self.totals.setText(_("Visible {visible} · Background {background} · "
                              "Background share {share}").format(
            visible=hm(t.visible), background=hm(t.background),
            share=percent(t.background_share) or "–")
            + (" · " + _("Internal work {internal}").format(internal=hm(t.internal))
               if t.internal else ""))
        self.totals.setAccessibleName(self.totals.text())
        labels = bar_labels(rep)
        bars = [Bar(short, r.split.visible, r.split.background, title)
                for (short, title), r in zip(labels, rep.by_period, strict=True)]
        from counsel.timekeeping.overview import chart_summary

        self.chart.setAccessibleName(_("Visible and background time per week")
                                     if rep.period is Period.WEEK else
                                     _("Visible and background time per month"))
        self.chart.set_bars(bars if rep.total.total else [],
                            chart_summary(rep, [title for _s, title in labels]))
        self.client_model.set_rows([(r.name, r.split) for r in o.clients])
        self.channel_model.set_rows([(ch.label(), s) for ch, s in rep.by_channel])
        self.party_model.set_rows([(pk.label() if pk else _("No other party"), s)
                                   for pk, s in rep.by_party_kind])
        for view in self.tables:
            fit_figures(view)
        self._show_indicators(o)
        self.status.setText("")

    def _show_indicators(self, o: Overview) -> None:
        figures = o.indicators
        self.figures["early"].setText(_("{time} ({share} of client time)").format(
            time=hm(figures.early_minutes.value), share=percent(figures.early_share) or "–"))
        self.figures["circular"].setText(str(figures.circular_clients.value))
        self.figures["circular"].setToolTip(_("Clients with the same measure agreed repeatedly "
                                          "without progress"))
        self.figures["interpreter"].setText(_("{n} of {total} ({share})").format(
            n=figures.interpreted.value, total=figures.encounters.value,
            share=percent(figures.interpreted_share) or "–"))
        self.figures["field"].setText(_("{n} of {total} ({share})").format(
            n=figures.field_visits.value, total=figures.encounters.value,
            share=percent(figures.field_visit_share) or "–"))
        self.figures["new"].setText(str(figures.new_clients.value))

    # -- export -------------------------------------------------------------------------------
    def choose_export(self, kind: ExportKind, fmt: str) -> None:
        first, last = self.period()
        folder = QStandardPaths.writableLocation(
            QStandardPaths.StandardLocation.DocumentsLocation) or str(Path.home())
        name = default_filename(kind, first, last, fmt)
        filt = _("PDF files (*.pdf)") if fmt == "pdf" else _("CSV files (*.csv)")
        path, _f = QFileDialog.getSaveFileName(self, _("Save the report"),
                                               str(Path(folder) / name), filt)
        if path:
            if not path.lower().endswith("." + fmt):
                path += "." + fmt
            self.export_to(kind, fmt, Path(path))

    def export_to(self, kind: ExportKind, fmt: str, path: Path) -> None:
        first, last = self.period()
        vault = self.session.vault
        by_client = kind is ExportKind.REPORT and self.name_clients is not None \
            and self.name_clients.isChecked()
        self.status.setText(_("Writing {name}…").format(name=path.name))
        vaults = self.session.vaults

        def work() -> None:
            mine = (teamtime.overview(vaults, first, last)
                    if kind is ExportKind.REPORT and vaults.copies else None)
            write_atomic(path, export_bytes(vault, kind, fmt, first, last,
                                            by_client=by_client, computed=mine))
            vault.audit.record("export", record_kind="report",
                               detail=f"{fmt} {kind.value}{' by client' if by_client else ''}")

        def failed(exc: BaseException) -> None:
            from counsel_ui.common.errors import show_error

            if isinstance(exc, OSError):
                self.status.setText(_("Could not write {name}: {reason}").format(
                    name=path.name, reason=exc.strerror or type(exc).__name__))
            else:
                self.status.setText("")
                show_error(self, exc)

        Op(self, work, write=False).success(
            lambda _r: self.status.setText(_("Saved {path}").format(path=path))
        ).failure(failed).run()

    # -- calendar import ----------------------------------------------------------------------
    def choose_import(self) -> None:
        path, _f = QFileDialog.getOpenFileName(self, _("Import a calendar"), str(Path.home()),
                                               _("Calendar files (*.ics);;All files (*)"))
        if path:
            self.open_import(Path(path))

    def open_import(self, path: Path) -> Any:
        from counsel_ui.timekeeping.ics_review import IcsReviewDialog

        dlg = IcsReviewDialog(self.session, path, self)
        dlg.open()
        return dlg
