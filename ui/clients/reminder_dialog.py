"""A reminder of the counsellor's own for one client ("call back on Friday")."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from PySide6.QtCore import QDate
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QFormLayout, QLabel, QLineEdit, QWidget

from counsel.domain import Reminder, ReminderKind
from counsel.errors import KnownError
from counsel.i18n import gettext as _
from counsel_ui.common.datefields import DateField
from counsel_ui.common.widgets import add_row

if TYPE_CHECKING:
    from counsel_ui.shell.session import Session

DEFAULT_DAYS = 7


class ReminderDialog(QDialog):
    def __init__(self, session: Session, client_id: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.client_id = client_id
        self.setWindowTitle(_("New reminder"))
        form = QFormLayout(self)
        self.due = add_row(form, _("&Date:"), DateField())
        self.due.setDate(QDate.currentDate().addDays(DEFAULT_DAYS))
        self.text = add_row(form, _("&What:"), QLineEdit())
        self.text.setPlaceholderText(_("e.g. call back about the course place"))
        self.message = QLabel()
        self.message.setWordWrap(True)
        form.addRow(self.message)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save
                                   | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)
        self.text.setFocus()

    def reminder(self) -> Reminder:
        d = self.due.date()
        return Reminder(due=dt.date(d.year(), d.month(), d.day()), text=self.text.text().strip(),
                        kind=ReminderKind.CUSTOM, client=self.client_id)

    def save(self) -> None:
        try:
            reminder = self.reminder()
        except KnownError as exc:
            self.message.setText(f"{exc.message} — {exc.help()}")
            return
        self.session.save([reminder], parent=self, then=lambda _r: self.accept())
