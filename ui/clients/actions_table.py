"""The editor's table of agreed actions: what, who, by when, the client's own step.

Rows travel as the plain dicts of ``counsel.app.encounter_draft`` ("done" is kept in the
row, not shown, so editing an encounter does not undo an action marked done).
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableWidget, QTableWidgetItem

from counsel.i18n import gettext as _

DONE_ROLE = Qt.ItemDataRole.UserRole + 2


class ActionsTable(QTableWidget):
    def __init__(self) -> None:
        super().__init__(0, 4)
        self.setHorizontalHeaderLabels([_("What"), _("Who"), _("By when"),
                                         _("Client's own step")])
        header = self.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for col in (1, 2, 3):
            header.setSectionResizeMode(col, QHeaderView.ResizeMode.ResizeToContents)
        self.setTabKeyNavigation(True)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setMinimumHeight(110)
        self.setAccessibleName(_("Agreed actions"))

    def add_row(self, row: dict[str, Any] | None = None, *, focus: bool = False) -> None:
        row = row or {}
        r = self.rowCount()
        self.insertRow(r)
        what = QTableWidgetItem(str(row.get("what", "")))
        what.setData(DONE_ROLE, bool(row.get("done")))
        self.setItem(r, 0, what)
        self.setItem(r, 1, QTableWidgetItem(str(row.get("who", ""))))
        self.setItem(r, 2, QTableWidgetItem(str(row.get("due", ""))))
        step = QTableWidgetItem()
        step.setFlags(Qt.ItemFlag.ItemIsUserCheckable | Qt.ItemFlag.ItemIsEnabled
                      | Qt.ItemFlag.ItemIsSelectable)
        step.setCheckState(Qt.CheckState.Checked if row.get("client_step")
                           else Qt.CheckState.Unchecked)
        self.setItem(r, 3, step)
        if focus:
            self.setFocus()
            self.setCurrentCell(r, 0)
            self.editItem(what)

    def remove_current(self) -> bool:
        r = self.currentRow()
        if r < 0:
            return False
        self.removeRow(r)
        return True

    def rows(self) -> list[dict[str, Any]]:
        return [self._row(r) for r in range(self.rowCount())]

    def set_rows(self, rows: list[dict[str, Any]]) -> None:
        self.setRowCount(0)
        for row in rows:
            self.add_row(row)

    def _row(self, r: int) -> dict[str, Any]:
        def text(c: int) -> str:
            item = self.item(r, c)
            return item.text() if item else ""

        step, first = self.item(r, 3), self.item(r, 0)
        return {"what": text(0), "who": text(1), "due": text(2),
                "client_step": bool(step and step.checkState() == Qt.CheckState.Checked),
                "done": bool(first and first.data(DONE_ROLE))}
