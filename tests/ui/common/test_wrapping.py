"""One-column trees wrap their lines: every line of a long reason is drawn, in both
directions (in Arabic the line holding the date was dropped behind "…")."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QFont, QImage, QTextLayout, QTextOption
from PySide6.QtWidgets import QApplication, QStyleOptionViewItem, QTreeWidget, QTreeWidgetItem

from counsel_ui.common.fonts import register_script_fonts
from counsel_ui.common.i18n import apply_language
from counsel_ui.common.wrapping import keep_dates_whole, wrap_lines

TEXTS = {"ar": "✓ الفنلندية، التحدث A2.2 ≥ المطلوب A2.2 (مُختبَر، 15\u200f/11\u200f/2026)",
         "fi": "✓ suomi, luetun ymmärtäminen A2.2 ≥ vaadittu A2.2 (testattu, 15.11.2026)"}


def _ink_rows(img: QImage) -> list[int]:
    return [y for y in range(img.height())
            if any(QColor(img.pixel(x, y)).lightness() < 110 for x in range(img.width()))]


@pytest.mark.parametrize("width", [240, 300, 340])
@pytest.mark.parametrize("lang", ["ar", "fi"])
def test_every_line_of_a_wrapped_row_is_drawn(qtbot, lang: str, width: int):
    app = QApplication.instance()
    try:
        apply_language(app, lang)
        register_script_fonts()  # as the app draws Arabic
        tree = QTreeWidget()
        tree.setHeaderHidden(True)
        wrap_lines(tree)
        qtbot.addWidget(tree)
        top = QTreeWidgetItem(["Kokki, Ravintola Aura"])
        tree.addTopLevelItem(top)
        for _ in range(12):  # enough rows for a scroll bar
            top.addChild(QTreeWidgetItem([TEXTS[lang]]))
        top.setExpanded(True)
        tree.resize(width, 300)
        tree.show()
        qtbot.waitExposed(tree)
        qtbot.wait(20)
        child = top.child(0)
        rect = tree.visualItemRect(child)
        assert rect.height() > tree.fontMetrics().height() * 1.5  # wrapped
        ink = _ink_rows(tree.viewport().grab(rect).toImage())
        # a row as tall as two lines draws two lines: the last one is not lost
        lines = sum(1 for i, y in enumerate(ink) if i == 0 or y - ink[i - 1] > 1)
        assert lines >= 2, (lang, width, ink)
    finally:
        apply_language(app, "en")


DATE = "15\u200f/11\u200f/2026"


def _drawn_lines(text: str, font: QFont, width: int) -> list[str]:
    """The lines Qt's line breaker makes of ``text`` at ``width``, right to left and word
    wrapped as the item view's style lays out a wrapped row."""
    layout = QTextLayout(text, font)
    option = QTextOption()
    option.setWrapMode(QTextOption.WrapMode.WordWrap)
    option.setTextDirection(Qt.LayoutDirection.RightToLeft)
    layout.setTextOption(option)
    layout.beginLayout()
    lines = []
    while (line := layout.createLine()).isValid():
        line.setLineWidth(width)
        lines.append(text[line.textStart():line.textStart() + line.textLength()])
    layout.endLayout()
    return lines


def _date_split_at(text: str, font: QFont) -> list[int]:
    """Widths at which no drawn line holds the whole date (day ... year)."""
    split = []
    for width in range(60, 400, 4):
        lines = [line.replace("\u2060", "") for line in _drawn_lines(text, font, width)]
        if not any(DATE in line for line in lines):
            split.append(width)
    return split


def test_a_date_in_a_wrapped_arabic_reason_stays_on_one_line(qtbot):
    """"(مُختبَر، 15/11/" | "2026)": Qt breaks after a "/" unless told not to."""
    app = QApplication.instance()
    try:
        apply_language(app, "ar")
        register_script_fonts()
        font = QApplication.font()
        assert _date_split_at(TEXTS["ar"], font), "Qt no longer splits the plain date"
        assert _date_split_at(keep_dates_whole(TEXTS["ar"]), font) == []
        # the delegate draws and measures that text; the item keeps its own
        tree = QTreeWidget()
        tree.setHeaderHidden(True)
        wrap_lines(tree)
        qtbot.addWidget(tree)
        tree.addTopLevelItem(QTreeWidgetItem([TEXTS["ar"]]))
        option = QStyleOptionViewItem()
        tree.itemDelegate().initStyleOption(option, tree.model().index(0, 0))
        assert option.text == keep_dates_whole(TEXTS["ar"]) != TEXTS["ar"]
        assert tree.topLevelItem(0).text(0) == TEXTS["ar"]
    finally:
        apply_language(app, "en")


def test_keep_dates_whole_joins_only_slashes_between_digits():
    assert keep_dates_whole("15\u200f/11\u200f/2026") == (
        "15\u200f\u2060/\u206011\u200f\u2060/\u20602026")
    assert keep_dates_whole("3/4/1990 ja/tai 1 / 2") == (
        "3\u2060/\u20604\u2060/\u20601990 ja/tai 1 / 2")
    assert keep_dates_whole("15.11.2026") == "15.11.2026"
