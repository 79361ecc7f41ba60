"""A clearly marked placeholder for a page another part of the project will provide."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from counsel.i18n import gettext as _
from counsel_ui.common.widgets import align_leading


class PlaceholderPage(QWidget):
    def __init__(self, title: str, text: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        lay = QVBoxLayout(self)
        head = align_leading(QLabel(_(title)))
        font = head.font()
        font.setPointSizeF(font.pointSizeF() * 1.4)
        head.setFont(font)
        lay.addWidget(head)
        badge = QLabel(_("Placeholder — not built yet"))
        badge.setObjectName("placeholderBadge")
        badge.setStyleSheet("QLabel#placeholderBadge { border: 1px dashed palette(mid); "
                            "padding: 4px; }")
        lay.addWidget(badge, 0, Qt.AlignmentFlag.AlignLeading)
        body = align_leading(QLabel(_(text)))
        body.setWordWrap(True)
        body.setAccessibleName(_(title))
        lay.addWidget(body)
        lay.addStretch(1)
