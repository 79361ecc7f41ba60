"""The table model of the calendar import review: one row per event, column 0 the
"save" tick box (Qt-free state in :mod:`counsel.timekeeping.import_review`)."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QApplication

from counsel.i18n import display
from counsel.i18n import gettext as _
from counsel.timekeeping.import_review import ImportReview, ReviewRow
from counsel.timekeeping.matching import Action

Index = QModelIndex | QPersistentModelIndex


def action_label(action: Action) -> str:
    return {Action.VISIBLE: _("Appointment"), Action.BACKGROUND: _("Background work"),
            Action.SKIP: _("Skip")}[action]


class ReviewModel(QAbstractTableModel):
    """The review rows; column 0 is the "save" tick box."""

    counts_changed = Signal()

    def __init__(self, review: ImportReview, parent: Any = None) -> None:
        super().__init__(parent)
        self.review = review

    def titles(self) -> tuple[str, ...]:
        return (_("Save"), _("Date"), _("Time"), _("Length"), _("Title"), _("Decision"),
                _("Client"), _("Other party"), _("Why"))

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self.review.rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self.titles())

    def _cell(self, row: ReviewRow, col: int) -> str:
        p = row.proposal
        ev = p.event
        if col == 0:
            return _("save") if row.accepted else ""
        if col == 1:
            return display.date(ev.day, "short")
        if col == 2:
            return display.time(ev.start) if ev.start else _("all day")
        if col == 3:
            return display.minutes(ev.minutes) if ev.minutes else ""
        if col == 4:
            return ev.summary
        if col == 5:
            text = action_label(p.action)
            return text if p.confirmed else _("{decision}?").format(decision=text)
        if col == 6:
            return self.review.client_label(p.client) if p.client else ""
        if col == 7:
            return p.party_kind.label() if p.party_kind else ""
        return p.reason

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        row = self.review.rows[index.row()]
        col = index.column()
        if role == Qt.ItemDataRole.CheckStateRole and col == 0:
            return Qt.CheckState.Checked if row.accepted else Qt.CheckState.Unchecked
        if role == Qt.ItemDataRole.DisplayRole and col != 0:
            return self._cell(row, col)
        if role == Qt.ItemDataRole.AccessibleTextRole:
            return self._cell(row, col) or (_("not saved") if col == 0 else "")
        if role == Qt.ItemDataRole.ForegroundRole and row.already:
            return QApplication.palette().color(QPalette.ColorGroup.Disabled,
                                                QPalette.ColorRole.Text)
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        base = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        if index.column() == 0 and self.review.rows[index.row()].editable:
            base |= Qt.ItemFlag.ItemIsUserCheckable
        return base

    def setData(self, index: Index, value: Any,  # noqa: N802
                role: int = Qt.ItemDataRole.EditRole) -> bool:
        if role != Qt.ItemDataRole.CheckStateRole or index.column() != 0:
            return False
        checked = value in (Qt.CheckState.Checked, Qt.CheckState.Checked.value, 2, True)
        if not self.review.set_accepted(index.row(), checked):
            return False
        self.rows_changed([index.row()])
        return True

    def rows_changed(self, rows: list[int]) -> None:
        if rows:
            self.dataChanged.emit(self.index(min(rows), 0),
                                  self.index(max(rows), self.columnCount() - 1))
        self.counts_changed.emit()

    def headerData(self, section: int, orientation: Qt.Orientation,  # noqa: N802
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return self.titles()[section]
        return None
