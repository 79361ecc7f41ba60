"""One-column trees wrap their lines: every line of a long reason is drawn, in both
directions (in Arabic the line holding the date was dropped behind "…")."""

from __future__ import annotations

import pytest
from PySide6.QtGui import QColor, QImage
from PySide6.QtWidgets import QApplication, QTreeWidget, QTreeWidgetItem

from counsel_ui.common.fonts import register_script_fonts
from counsel_ui.common.i18n import apply_language
from counsel_ui.common.wrapping import wrap_lines

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
