"""In Arabic the Sync page's values sit beside their labels: a Latin server address or
account name is drawn at the labels' (right) side, not at the far left edge."""

from __future__ import annotations

import types

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QApplication, QLabel


def _ink_columns(label: QLabel) -> tuple[int, int]:
    """The leftmost and rightmost pixel columns where the label's text is drawn."""
    image = label.grab().toImage()
    background = QColor(image.pixel(0, 0))
    xs = [x for x in range(image.width()) for y in range(0, image.height(), 2)
          if QColor(image.pixel(x, y)) != background]
    assert xs, "nothing drawn"
    return min(xs), max(xs)


@pytest.mark.parametrize("direction", [Qt.LayoutDirection.RightToLeft,
                                       Qt.LayoutDirection.LeftToRight])
def test_latin_values_sit_beside_their_labels(qtbot, direction) -> None:  # type: ignore[no-untyped-def]
    from counsel_ui.sync.page import StatusPanel

    app = QApplication.instance()
    before = app.layoutDirection()
    app.setLayoutDirection(direction)
    try:
        stub = types.SimpleNamespace(dismiss_warnings=lambda: None, sync_now=lambda: None)
        panel = StatusPanel(stub)  # type: ignore[arg-type]
        qtbot.addWidget(panel)
        panel.resize(900, 500)
        for key, text in (("server", "https://sync.example.org/counsel/"),
                          ("account", "maria.virtanen")):
            panel.fields[key].setText(text)
        panel.show()
        qtbot.waitExposed(panel)
        for key in ("server", "account"):
            value = panel.fields[key]
            left, right = _ink_columns(value)
            width = value.width()
            assert width > 3 * (right - left), "the field is wide: where the text sits matters"
            if direction == Qt.LayoutDirection.RightToLeft:
                assert right > width - 20, (key, left, right, width)  # at the label's side
            else:
                assert left < 20, (key, left, right, width)
    finally:
        app.setLayoutDirection(before)
