"""Time page: indicator names are shown whole in every interface language (issue 14 item
6: "يومً" in Arabic; in Finnish "Aika asiakkuuksien ensimmäisinä 90 päivänä" ran past the
box's edge)."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QFontMetrics
from PySide6.QtWidgets import QApplication, QFormLayout, QLabel

from counsel_ui.common.i18n import apply_language


@pytest.mark.parametrize("lang", ["ar", "fi", "sv", "en"])
def test_indicator_names_fit_their_labels(qtbot, window, lang):
    app = QApplication.instance()
    try:
        apply_language(app, lang)
        window.switch_language(lang)
        window.resize(1100, 720)
        window.workspace.show_page("time")
        page = window.workspace.page("time")
        qtbot.wait(50)
        form = page.indicator_box.layout()
        assert isinstance(form, QFormLayout)
        labels = [form.labelForField(w) for w in page.figures.values()]
        assert all(isinstance(lab, QLabel) for lab in labels)
        for lab in labels:
            room = lab.contentsRect()
            flags = int(Qt.TextFlag.TextWordWrap) if lab.wordWrap() else 0
            need = QFontMetrics(lab.font()).boundingRect(0, 0, room.width(), 10_000, flags,
                                                         lab.text())
            assert need.width() <= room.width() and need.height() <= room.height(), lab.text()
            assert lab.geometry().right() <= page.indicator_box.contentsRect().right()
    finally:
        window.switch_language("en")
        apply_language(app, "en")
