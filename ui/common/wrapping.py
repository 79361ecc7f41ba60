"""Tree views whose lines wrap instead of being cut with "…".

QTreeView asks its delegate for a row's height without telling it the column's width,
so ``setWordWrap(True)`` alone keeps one line per row and the rest is elided (a match
reason "suomi, luetun ymmärtäminen A2.2 ≥ vaadittu A2.2 (testattu, 15.11.2026)" lost
its evidence).  Here the one column is as wide as the view, the delegate hands the
style that width (the style then wraps), and the rows are laid out again when the
width changes.

Qt's line breaker breaks a date after its "/" ("15/11/" | "2026" in an Arabic reason);
the delegate draws and measures the text with a WORD JOINER (U+2060, invisible, "no
break here" in UAX #14, which Qt honours) on both sides of a "/" between digits, so a
date stays on one line.  The item's own text (copy, accessible name) is left as it is.
"""

from __future__ import annotations

import re

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QRect, QSize, Qt
from PySide6.QtGui import QFontMetrics
from PySide6.QtWidgets import QHeaderView, QStyledItemDelegate, QStyleOptionViewItem, QTreeView

WORD_JOINER = "\u2060"
# a "/" between digits, after the direction mark an Arabic date carries (15\u200f/11)
_DATE_SLASH = re.compile(r"(?<=\d)([\u200e\u200f\u061c]?)/(?=\d)")


def keep_dates_whole(text: str) -> str:
    """``text`` with no line break allowed around a "/" between digits (a date)."""
    return _DATE_SLASH.sub(lambda m: f"{m.group(1)}{WORD_JOINER}/{WORD_JOINER}", text)


class _WrapDelegate(QStyledItemDelegate):
    def __init__(self, view: QTreeView) -> None:
        super().__init__(view)
        self.view = view

    def initStyleOption(self, option: QStyleOptionViewItem,  # noqa: N802 - Qt's name
                        index: QModelIndex | QPersistentModelIndex) -> None:
        super().initStyleOption(option, index)
        if "/" in option.text:
            option.text = keep_dates_whole(option.text)

    def sizeHint(self, option: QStyleOptionViewItem,  # noqa: N802 - Qt's name
                 index: QModelIndex | QPersistentModelIndex) -> QSize:
        depth, parent = 0, index.parent()
        while parent.isValid():
            depth, parent = depth + 1, parent.parent()
        levels = depth + (1 if self.view.rootIsDecorated() else 0)  # the branch marks' room
        room = self.view.columnWidth(index.column()) - self.view.indentation() * levels
        if room <= 0:
            return super().sizeHint(option, index)
        # the style wraps the text at the width it is given
        sized = QStyleOptionViewItem(option)
        sized.rect = QRect(0, 0, room, 1)
        hint = super().sizeHint(sized, index)
        if not self.view.isRightToLeft():
            return hint
        # Right to left, Qt draws a wrapped line in a narrower box than it measured it in:
        # the last line (with a date, "(مُختبَر، 15/11/2026)") was dropped behind "…".
        # Such rows get one line more than measured: a little air, nothing lost.
        metrics = QFontMetrics(option.font)
        one_line = super().sizeHint(option, index).height()  # no width given: one line
        if hint.height() <= one_line:
            return hint
        return QSize(hint.width(), hint.height() + metrics.lineSpacing())


def wrap_lines(view: QTreeView) -> None:
    """Let ``view`` (one column, header hidden) wrap its lines at the view's width."""
    view.setWordWrap(True)
    view.setTextElideMode(Qt.TextElideMode.ElideNone)
    view.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
    header = view.header()
    header.setStretchLastSection(True)
    header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
    view.setItemDelegate(_WrapDelegate(view))
    header.sectionResized.connect(lambda *_a: view.doItemsLayout())
