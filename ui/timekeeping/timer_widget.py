"""The running appointment timer (visible time), shown at the foot of the sidebar."""

from __future__ import annotations

import time
from typing import TYPE_CHECKING

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from counsel.app.policies import format_elapsed
from counsel.domain import Client
from counsel.errors import RecordNotFound
from counsel.i18n import gettext as _
from counsel_ui.common.widgets import align_leading, named

if TYPE_CHECKING:
    from counsel_ui.shell.session import Session


class TimerWidget(QWidget):
    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        lay = QVBoxLayout(self)
        lay.setContentsMargins(4, 4, 4, 4)
        self.caption = align_leading(QLabel())
        self.caption.setWordWrap(True)
        lay.addWidget(self.caption)
        self.clock = QLabel()
        font = self.clock.font()
        font.setPointSizeF(font.pointSizeF() * 1.5)
        font.setBold(True)
        self.clock.setFont(font)
        named(self.clock, _("Appointment time"))
        lay.addWidget(self.clock)
        row = QHBoxLayout()
        self.pause_button = QPushButton()
        self.pause_button.clicked.connect(self._pause_resume)
        self.stop_button = QPushButton(_("Stop and save"))
        named(self.stop_button, _("Stop the timer and save the appointment time"))
        self.stop_button.clicked.connect(session.stop_timer)
        row.addWidget(self.pause_button)
        row.addWidget(self.stop_button)
        lay.addLayout(row)
        self._named: str | None = None
        self._name = ""
        self._tick = QTimer(self)
        self._tick.setInterval(1000)
        self._tick.timeout.connect(self.update_view)
        session.timer_changed.connect(self.update_view)
        self.update_view()

    def _pause_resume(self) -> None:
        t = self.session.timer
        if t.running:
            self.session.pause_timer()
        elif t.client_id:
            self.session.start_timer(t.client_id)

    def update_view(self) -> None:
        t = self.session.timer
        if self.session.vault.locked:
            self._tick.stop()
            return
        self.setVisible(t.active)
        if not t.active:
            self._tick.stop()
            return
        if not self._tick.isActive():
            self._tick.start()
        if self._named != t.client_id:  # look the name up once, not every second
            try:
                self._name = self.session.vault.get_typed(Client, t.client_id or "").display_name
            except RecordNotFound:
                self._name = ""
            self._named = t.client_id
        name = self._name
        self.caption.setText(_("Appointment: {name}").format(name=name))
        self.clock.setText(format_elapsed(t.elapsed(time.monotonic())))
        self.pause_button.setText(_("Pause") if t.running else _("Resume"))
        self.pause_button.setAccessibleName(self.pause_button.text())
