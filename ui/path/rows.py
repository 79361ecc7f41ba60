"""A table of small records (education, certificates, language evidence…) edited in place.

Each column is a :class:`Column`: a field of the dataclass and how to edit it (text,
number, date, a vocabulary, an occupation code, yes/no).  ``values()`` builds the records
and raises the domain's ``ValidationError`` naming the row, so nothing half-valid is saved.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from typing import Any

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QTableWidget,
    QVBoxLayout,
    QWidget,
)

from counsel.errors import ValidationError
from counsel.i18n import display
from counsel.i18n import gettext as _
from counsel_ui.common.datefields import NumberField
from counsel_ui.common.widgets import enum_combo, named, select_data


@dataclasses.dataclass(frozen=True)
class Column:
    field: str
    title: str
    kind: str  # "text", "int", "date", "enum", "choice", "bool"
    enum: Any = None  # the Labelled enum of an "enum" column
    choices: Sequence[tuple[str, str]] = ()  # (value, label) of a "choice" column
    optional: bool = True  # an enum/choice column may be left empty
    width: int = 0


def occupation_choices() -> list[tuple[str, str]]:
    from counsel.path import occupations

    return [(c, occupations.label(c)) for c in occupations.codes() if len(c) >= 2]


def language_choices() -> list[tuple[str, str]]:
    return [(c, display.language(c)) for c in ("fi", "sv", "en")]


class RowTable(QWidget):
    def __init__(self, cls: type, columns: Sequence[Column], name: str,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.cls = cls
        self.columns = list(columns)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        self.table = named(QTableWidget(0, len(self.columns)), name)
        self.table.setHorizontalHeaderLabels([c.title for c in self.columns])
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)
        lay.addWidget(self.table, 1)
        buttons = QHBoxLayout()
        self.add_button = QPushButton(_("&Add row"))
        self.add_button.clicked.connect(lambda: self.add(None))
        self.remove_button = QPushButton(_("&Remove row"))
        self.remove_button.clicked.connect(self.remove_current)
        for b in (self.add_button, self.remove_button):
            named(b, f"{b.text()} ({name})")
            buttons.addWidget(b)
        buttons.addStretch(1)
        lay.addLayout(buttons)

    def _editor(self, col: Column, value: Any) -> QWidget:
        if col.kind == "enum":
            combo = enum_combo(col.enum, empty="—" if col.optional else None)
            if value is not None:
                select_data(combo, value.value)
            return named(combo, col.title)
        if col.kind == "choice":
            combo = QComboBox()
            if col.optional:
                combo.addItem("—", "")
            for v, label in col.choices:
                combo.addItem(label, v)
            select_data(combo, value or "")
            return named(combo, col.title)
        if col.kind == "int":
            spin = NumberField()
            spin.setRange(0, 1000)
            spin.setValue(int(value or 0))
            return named(spin, col.title)
        if col.kind == "bool":
            box = QCheckBox()
            box.setChecked(bool(value))
            return named(box, col.title)
        edit = QLineEdit(value.isoformat() if col.kind == "date" and value
                         else str(value or ""))
        if col.kind == "date":
            edit.setPlaceholderText(_("YYYY-MM-DD"))
        return named(edit, col.title)

    def add(self, record: Any) -> None:
        row = self.table.rowCount()
        self.table.insertRow(row)
        for c, col in enumerate(self.columns):
            value = getattr(record, col.field) if record is not None else None
            self.table.setCellWidget(row, c, self._editor(col, value))

    def set_records(self, records: Sequence[Any]) -> None:
        self.table.setRowCount(0)
        for r in records:
            self.add(r)

    def remove_current(self) -> None:
        row = self.table.currentRow()
        if row < 0:
            row = self.table.rowCount() - 1
        if row >= 0:
            self.table.removeRow(row)

    def _value(self, col: Column, w: QWidget, row: int) -> Any:
        if isinstance(w, QComboBox):
            data = w.currentData()
            if not data:
                return None
            return col.enum(data) if col.kind == "enum" else str(data)
        if isinstance(w, QSpinBox):
            return w.value()
        if isinstance(w, QCheckBox):
            return w.isChecked()
        assert isinstance(w, QLineEdit)
        text = w.text().strip()
        if col.kind != "date":
            return text
        if not text:
            return None
        try:
            day = display.parse_date(text)
        except ValueError:
            day = None
        if day is None:
            raise ValidationError(f"{col.title} ({row + 1})", _("must be a date"))
        return day

    def values(self) -> tuple[Any, ...]:
        out = []
        for row in range(self.table.rowCount()):
            kwargs = {}
            for c, col in enumerate(self.columns):
                value = self._value(col, self.table.cellWidget(row, c), row)
                if value is None and col.kind in ("text", "choice") and not col.optional:
                    value = ""
                if value is not None:
                    kwargs[col.field] = value
            try:
                out.append(self.cls(**kwargs))
            except TypeError as exc:
                raise ValidationError(str(row + 1), _("is incomplete")) from exc
        return tuple(out)

