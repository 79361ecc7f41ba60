"""Small widget helpers: every control gets an accessible name from its label."""

from __future__ import annotations

from collections.abc import Iterable
from enum import Enum
from typing import TYPE_CHECKING, TypeVar

from PySide6.QtWidgets import QComboBox, QFormLayout, QLabel, QWidget

if TYPE_CHECKING:  # the unlock window uses these helpers: no record types at start
    from counsel.domain.enums import Labelled

W = TypeVar("W", bound=QWidget)
E = TypeVar("E", bound=Enum)
L = TypeVar("L", bound=QLabel)


def add_row(form: QFormLayout, label: str, widget: W, description: str = "") -> W:
    """Add ``label: widget`` with the label as buddy and accessible name."""
    lab = QLabel(label)
    lab.setBuddy(widget)
    widget.setAccessibleName(label.replace("&", ""))
    if description:
        widget.setAccessibleDescription(description)
        widget.setToolTip(description)
    form.addRow(lab, widget)
    return widget


def enum_combo(values: Iterable[Labelled], *, empty: str | None = None) -> QComboBox:
    """A combo of enum members showing translated labels; item data is the value string
    ("" for the empty choice: a None in item data trips the binding, see qtcompat)."""
    combo = QComboBox()
    if empty is not None:
        combo.addItem(empty, "")
    for v in values:
        combo.addItem(v.label(), v.value)
    return combo


def enum_value(combo: QComboBox, enum_type: type[E]) -> E | None:
    data = combo.currentData()
    return enum_type(data) if data else None


def combo_id(combo: QComboBox) -> str | None:
    data = combo.currentData()
    return str(data) if data else None


def select_data(combo: QComboBox, value: object) -> None:
    for i in range(combo.count()):
        data = combo.itemData(i)
        if data == value or (isinstance(data, Enum) and data.value == value):
            combo.setCurrentIndex(i)
            return


def named(widget: W, name: str) -> W:
    widget.setAccessibleName(name.replace("&", ""))
    return widget


def align_leading(label: L) -> L:
    """Align to the interface's reading start, whatever script the text is in.

    Qt aligns a label by its text's own direction, so an Arabic name in a Finnish
    interface would sit at the right edge; absolute alignment follows the UI instead.
    """
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QApplication

    rtl = QApplication.layoutDirection() == Qt.LayoutDirection.RightToLeft
    side = Qt.AlignmentFlag.AlignRight if rtl else Qt.AlignmentFlag.AlignLeft
    label.setAlignment(Qt.AlignmentFlag.AlignAbsolute | side | Qt.AlignmentFlag.AlignVCenter)
    return label


def sentence(text: str) -> str:
    """A translated sentence for a label, read in the interface's direction.

    Qt gives a plain-text label the direction of its first letter, so an Arabic sentence
    that starts with a typed Latin name ("«Kela» يطابق 8 …") was laid out left to right,
    its parts in the wrong order.  A direction mark in front settles it."""
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QApplication

    if not text:
        return text
    rtl = QApplication.layoutDirection() == Qt.LayoutDirection.RightToLeft
    return ("\u200f" if rtl else "\u200e") + text
