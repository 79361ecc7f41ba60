"""Settings the counsellor changes in the app.

Auto-lock minutes are a vault setting (encrypted, synced); the interface language is a
device preference (``counsel.app.prefs``) because the unlock screen needs it.
"""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QPushButton,
    QWidget,
)

from counsel.app.policies import MAX_IDLE_MINUTES
from counsel.i18n import gettext as _
from counsel_ui.common.datefields import NumberField
from counsel_ui.common.widgets import add_row

#: Each language named in itself, so anyone can find their own.
LANGUAGE_NAMES = (("fi", "suomi"), ("sv", "svenska"), ("en", "English"), ("ar", "العربية"))


class SettingsDialog(QDialog):
    #: the person asked for a new recovery code (the main window confirms and makes it)
    new_recovery_code = Signal()
    #: "Back up now…" (the main window asks where and backs up)
    back_up_now = Signal()

    def __init__(self, idle_minutes: int, parent: QWidget | None = None,
                 language: str = "en", backup_days: int = 7) -> None:
        super().__init__(parent)
        self.setWindowTitle(_("Settings"))
        form = QFormLayout(self)
        self.idle = add_row(form, _("&Lock after idle (minutes):"), NumberField(),
                            _("0 means never lock automatically"))
        self.idle.setRange(0, MAX_IDLE_MINUTES)
        self.idle.setSpecialValueText(_("never"))
        self.idle.setValue(idle_minutes)
        self.language = add_row(form, _("Interface &language:"), QComboBox())
        for code, name in LANGUAGE_NAMES:
            self.language.addItem(name, code)
        self.language.addItem(_("Pseudo (layout test)"), "pseudo")
        index = self.language.findData(language)
        self.language.setCurrentIndex(max(index, 0))
        self.recovery = add_row(form, _("Recovery code:"),
                                QPushButton(_("&New recovery code…")),
                                _("The printed code stops working; print the new one"))
        self.recovery.clicked.connect(self.new_recovery_code.emit)
        self.backup_days = add_row(form, _("&Remind to back up after (days):"), NumberField(),
                                   _("0 means never remind"))
        self.backup_days.setRange(0, 365)
        self.backup_days.setSpecialValueText(_("never"))
        self.backup_days.setValue(backup_days)
        self.backup = add_row(form, _("Backup:"), QPushButton(_("&Back up now…")),
                              _("Encrypted, to a USB stick or another disk"))
        self.backup.clicked.connect(self.back_up_now.emit)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                   | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)

    def chosen_language(self) -> str:
        return str(self.language.currentData())
