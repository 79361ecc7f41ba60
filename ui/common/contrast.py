"""Help high-contrast themes: visible frames around inputs.

Qt's Fusion style derives input frames from the window colour, so with white-on-black
system colours text boxes lose their outline and a form turns into floating labels.
When the palette is high-contrast, draw input frames in the text colour.
"""

from __future__ import annotations

from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QApplication

FRAMES = (
    "QLineEdit, QPlainTextEdit, QTextEdit, QComboBox, QAbstractSpinBox, QListView, "
    "QTreeView, QTableView { border: 1px solid palette(text); }"
    "QLineEdit:focus, QPlainTextEdit:focus, QComboBox:focus, QAbstractSpinBox:focus "
    "{ border: 2px solid palette(highlight); }"
    # check boxes: outlined when off, filled with the highlight colour when on
    "QCheckBox::indicator, QAbstractItemView::indicator { width: 0.9em; height: 0.9em; "
    "border: 1px solid palette(text); background: palette(base); }"
    "QCheckBox::indicator:checked, QAbstractItemView::indicator:checked "
    "{ background: palette(highlight); }"
)


def is_high_contrast(palette: QPalette) -> bool:
    window = palette.color(QPalette.ColorRole.Window).lightness()
    text = palette.color(QPalette.ColorRole.WindowText).lightness()
    # ordinary light themes use an off-white window (#efefef, #f0f0f0); the
    # accessibility themes are pure black on white or white on black
    return min(window, text) <= 10 and max(window, text) >= 250


def apply_contrast_aids(app: QApplication) -> bool:
    if not is_high_contrast(app.palette()):
        return False
    app.setStyleSheet(app.styleSheet() + FRAMES)
    return True
