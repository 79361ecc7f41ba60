"""Column widths for the list tables: every column as wide as its content (up to a cap),
and the room left goes to the column whose text runs longest — not to the last one,
which made a short date column ("Permit") wide while "persia (Afganistan)" was cut."""

from __future__ import annotations

from PySide6.QtWidgets import QHeaderView, QTableView

MAX_COLUMN = 220  # px: one long cell must not push the other columns out of sight
#: rows (beyond the visible ones) whose text decides a column's width.  Qt's default, 1000,
#: asked a Python model's data() ~10k times for the 10k-client list: 80–160 ms on the UI
#: thread.  A wider cell further down is still readable in its tooltip or by resizing.
SAMPLE_ROWS = 20


def fit_columns(table: QTableView, stretch: int, cap: int = MAX_COLUMN) -> None:
    header = table.horizontalHeader()
    header.setResizeContentsPrecision(SAMPLE_ROWS)
    table.verticalHeader().setResizeContentsPrecision(SAMPLE_ROWS)
    header.setStretchLastSection(False)
    header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
    table.resizeColumnsToContents()
    shown = [c for c in range(header.count()) if not header.isSectionHidden(c)]
    for col in shown:
        if col != stretch and header.sectionSize(col) > cap:
            header.resizeSection(col, cap)
    # the chosen column takes what is left, as the window is resized: the others keep
    # their content's width
    header.setSectionResizeMode(stretch, QHeaderView.ResizeMode.Stretch)
