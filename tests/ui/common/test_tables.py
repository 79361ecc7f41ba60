"""Column widths of the list tables (counsel_ui.common.tables)."""

from __future__ import annotations

from PySide6.QtCore import QAbstractTableModel, QModelIndex, Qt
from PySide6.QtWidgets import QTableView

from counsel_ui.common.tables import MAX_COLUMN, SAMPLE_ROWS, fit_columns


class _Counting(QAbstractTableModel):
    def __init__(self, rows: int) -> None:
        super().__init__()
        self.rows = rows
        self.asked: set[int] = set()

    def rowCount(self, parent=QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else self.rows

    def columnCount(self, parent=QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else 3

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):  # type: ignore[no-untyped-def]
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        self.asked.add(index.row())
        return "x" * (5 + index.column() * 40) if index.row() < 3 else "short"


def test_widths_come_from_the_first_rows_not_all_ten_thousand(qtbot) -> None:
    model = _Counting(10_000)
    table = QTableView()
    qtbot.addWidget(table)
    table.setModel(model)
    table.resize(600, 300)
    table.show()
    model.asked.clear()
    fit_columns(table, stretch=2)
    # the rows on screen and SAMPLE_ROWS more, not every row (a UI-thread stall)
    assert model.asked and len(model.asked) <= SAMPLE_ROWS + 40
    header = table.horizontalHeader()
    # the long texts in the first rows still decide the widths, capped
    assert header.sectionSize(1) > header.sectionSize(0)
    assert header.sectionSize(1) <= MAX_COLUMN
