"""Settings the counsellor changes in the app (stored encrypted in the vault)."""

from __future__ import annotations

from counsel_ui.widgets import add_row
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QFormLayout, QSpinBox, QWidget

from counsel.appstate import MAX_IDLE_MINUTES
from counsel.i18n import gettext as _


class SettingsDialog(QDialog):
    def __init__(self, idle_minutes: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(_("Settings"))
        form = QFormLayout(self)
        self.idle = add_row(form, _("&Lock after idle (minutes):"), QSpinBox(),
                            _("0 means never lock automatically"))
        self.idle.setRange(0, MAX_IDLE_MINUTES)
        self.idle.setSpecialValueText(_("never"))
        self.idle.setValue(idle_minutes)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                   | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)
