"""The measures of a plan: a table the counsellor edits, and a picker over the catalogue.

Titles and plain-language descriptions come from the catalogue in the counsellor's
language (``counsel.plans.editing.measure_options``); who, start, due, status, provider
and note are typed.  Dates are typed as ISO (2026-03-31) or day first (31.3.2026).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from counsel.domain import MeasureStatus
from counsel.i18n import gettext as _
from counsel.plans.editing import MeasureOption
from counsel_ui.common.widgets import named

CODE_ROLE = Qt.ItemDataRole.UserRole + 1
# column → state key; column 0 is the measure itself, column 4 the status combo
COLUMNS = ("code", "who", "start", "due", "status", "provider", "note")


class MeasurePicker(QDialog):
    """Choose a measure: filter as you type; the description shows under the list."""

    def __init__(self, options: Sequence[MeasureOption], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(_("Add a measure"))
        self.options = {o.code: o for o in options}
        lay = QVBoxLayout(self)
        self.filter = QLineEdit()
        self.filter.setPlaceholderText(_("Filter measures…"))
        self.filter.setClearButtonEnabled(True)
        named(self.filter, _("Filter measures"))
        lay.addWidget(self.filter)
        self.list = QListWidget()
        named(self.list, _("Measures in the catalogue"))
        category = None
        for o in options:
            if o.category != category:
                category = o.category
                head = QListWidgetItem(category)
                font = head.font()
                font.setBold(True)
                head.setFont(font)
                head.setFlags(Qt.ItemFlag.ItemIsEnabled)  # a heading: shown, not chosen
                self.list.addItem(head)
            code = f" [{o.service_code}]" if o.service_code else ""
            item = QListWidgetItem(f"{o.title}{code}")
            item.setData(CODE_ROLE, o.code)
            item.setToolTip(o.description)
            self.list.addItem(item)
        lay.addWidget(self.list, 1)
        self.description = QLabel()
        self.description.setWordWrap(True)
        self.description.setMinimumHeight(60)
        self.description.setAccessibleName(_("Description"))
        lay.addWidget(self.description)
        box = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                               | QDialogButtonBox.StandardButton.Cancel)
        box.accepted.connect(self.accept)
        box.rejected.connect(self.reject)
        lay.addWidget(box)
        self.list.currentItemChanged.connect(self._current)
        self.list.itemActivated.connect(lambda _i: self.accept())
        self.filter.textChanged.connect(self._filter)
        self.filter.returnPressed.connect(self._first_visible)
        first = next((i for i in range(self.list.count()) if self.list.item(i).data(CODE_ROLE)),
                     None)
        if first is not None:
            self.list.setCurrentRow(first)
        self.resize(560, 520)

    def _current(self, item: QListWidgetItem | None, _prev: Any = None) -> None:
        code = item.data(CODE_ROLE) if item is not None else None
        self.description.setText(self.options[code].description if code else "")

    def _filter(self, text: str) -> None:
        needle = text.casefold().strip()
        for i in range(self.list.count()):
            item = self.list.item(i)
            code = item.data(CODE_ROLE)
            if code:
                o = self.options[code]
                hay = f"{o.title} {o.description} {o.service_code or ''} {o.code}".casefold()
                item.setHidden(bool(needle) and needle not in hay)
        for i in range(self.list.count()):  # a category heading shows while any of it does
            item = self.list.item(i)
            if not item.data(CODE_ROLE):
                j = i + 1
                visible = False
                while j < self.list.count() and self.list.item(j).data(CODE_ROLE):
                    visible |= not self.list.item(j).isHidden()
                    j += 1
                item.setHidden(not visible)

    def _first_visible(self) -> None:
        for i in range(self.list.count()):
            item = self.list.item(i)
            if item.data(CODE_ROLE) and not item.isHidden():
                self.list.setCurrentItem(item)
                self.accept()
                return

    def chosen(self) -> str | None:
        item = self.list.currentItem()
        code = item.data(CODE_ROLE) if item is not None else None
        return str(code) if code else None


class MeasureTable(QWidget):
    """The plan's measures; ``changed`` fires on any edit."""

    changed = Signal()

    def __init__(self, options: Sequence[MeasureOption], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.options = {o.code: o for o in options}
        self._option_list = list(options)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        self.table = QTableWidget(0, len(COLUMNS))
        self.table.setHorizontalHeaderLabels([_("Measure"), _("Who"), _("Start"), _("Due"),
                                              _("Status"), _("Provider"), _("Note")])
        for col in (COLUMNS.index("start"), COLUMNS.index("due")):
            head = self.table.horizontalHeaderItem(col)
            if head is not None:
                head.setToolTip(_("A date, e.g. 2026-03-31 or 31.3.2026"))
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        self.table.setColumnWidth(0, 200)
        self.table.setTabKeyNavigation(True)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setMinimumHeight(190)
        self.table.verticalHeader().hide()
        named(self.table, _("Measures"))
        lay.addWidget(self.table)
        self.description = QLabel()
        self.description.setWordWrap(True)
        self.description.setAccessibleName(_("Description of the selected measure"))
        lay.addWidget(self.description)
        row = QHBoxLayout()
        self.add_button = QPushButton(_("&Add measure…"))
        named(self.add_button, _("Add measure"))
        self.add_button.clicked.connect(self.pick)
        self.remove_button = QPushButton(_("Remove measure"))
        named(self.remove_button, _("Remove measure"))
        self.remove_button.clicked.connect(self.remove_current)
        row.addWidget(self.add_button)
        row.addWidget(self.remove_button)
        row.addStretch(1)
        lay.addLayout(row)
        self.table.itemChanged.connect(lambda _i: self.changed.emit())
        self.table.currentCellChanged.connect(lambda r, _c, _r2, _c2: self._describe(r))

    def _describe(self, row: int) -> None:
        item = self.table.item(row, 0) if row >= 0 else None
        code = item.data(CODE_ROLE) if item is not None else None
        option = self.options.get(code) if code else None
        self.description.setText(option.description if option else "")

    def pick(self) -> None:
        picker = MeasurePicker(self._option_list, self)
        if picker.exec() == QDialog.DialogCode.Accepted and picker.chosen():
            self.add({"code": picker.chosen()}, focus=True)

    def add(self, m: dict[str, Any], *, focus: bool = False) -> None:
        r = self.table.rowCount()
        self.table.blockSignals(True)
        self.table.insertRow(r)
        code = str(m.get("code", ""))
        option = self.options.get(code)
        title = QTableWidgetItem(option.title if option else code)
        title.setData(CODE_ROLE, code)
        title.setFlags(title.flags() & ~Qt.ItemFlag.ItemIsEditable)
        if option:
            title.setToolTip(option.description)
        self.table.setItem(r, 0, title)
        for c, key in enumerate(COLUMNS):
            if key not in ("code", "status"):
                self.table.setItem(r, c, QTableWidgetItem(str(m.get(key, "") or "")))
        status = QComboBox()
        for s in MeasureStatus:
            status.addItem(s.label(), s.value)
        named(status, _("Status"))
        i = status.findData(str(m.get("status") or MeasureStatus.PLANNED.value))
        status.setCurrentIndex(max(0, i))
        status.currentIndexChanged.connect(lambda _i: self.changed.emit())
        self.table.setCellWidget(r, COLUMNS.index("status"), status)
        self.table.blockSignals(False)
        if focus:
            self.table.setFocus()
            self.table.setCurrentCell(r, 1)
            who = self.table.item(r, 1)
            if who is not None:
                self.table.editItem(who)
        self.changed.emit()

    def remove_current(self) -> None:
        r = self.table.currentRow()
        if r >= 0:
            self.table.removeRow(r)
            self._describe(self.table.currentRow())
            self.changed.emit()

    def set_measures(self, measures: Sequence[dict[str, Any]]) -> None:
        self.table.setRowCount(0)
        for m in measures:
            self.add(m)

    def measures(self) -> list[dict[str, Any]]:
        out = []
        for r in range(self.table.rowCount()):
            data: dict[str, Any] = {}
            for c, key in enumerate(COLUMNS):
                if key == "status":
                    combo = self.table.cellWidget(r, c)
                    data[key] = combo.currentData() if isinstance(combo, QComboBox) else ""
                elif key == "code":
                    item = self.table.item(r, c)
                    data[key] = item.data(CODE_ROLE) if item is not None else ""
                else:
                    item = self.table.item(r, c)
                    data[key] = item.text() if item is not None else ""
            out.append(data)
        return out
