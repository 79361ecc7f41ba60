"""Time page in Arabic: indicator names are shown whole (issue 14 item 6: "يومً")."""

from __future__ import annotations

from PySide6.QtGui import QFontMetrics
from PySide6.QtWidgets import QApplication, QFormLayout, QLabel

from counsel_ui.common.i18n import apply_language


def test_indicator_names_fit_their_labels_in_arabic(qtbot, window):
    app = QApplication.instance()
    try:
        apply_language(app, "ar")
        window.switch_language("ar")
        window.workspace.show_page("time")
        page = window.workspace.page("time")
        qtbot.wait(50)
        form = page.indicator_box.layout()
        assert isinstance(form, QFormLayout)
        labels = [form.labelForField(w) for w in page.figures.values()]
        assert all(isinstance(lab, QLabel) for lab in labels)
        for lab in labels:
            advance = QFontMetrics(lab.font()).horizontalAdvance(lab.text())
            assert advance <= lab.contentsRect().width(), lab.text()  # one whole line
    finally:
        window.switch_language("en")
        apply_language(app, "en")
