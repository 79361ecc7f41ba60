"""Date fields in the Arabic interface use the same (Latin) digits as the rest of the
screen (issue 14 item 6), and keep the interface's date order."""

from __future__ import annotations

from PySide6.QtCore import QDate, QLocale
from PySide6.QtWidgets import QApplication, QDateEdit

from counsel_ui.common.datefields import DateField, DateTimeField, TimeField
from counsel_ui.common.i18n import apply_language


def test_arabic_interface_dates_have_latin_digits(qtbot):
    app = QApplication.instance()
    try:
        apply_language(app, "ar")
        plain = QDateEdit(QDate(2026, 12, 2))
        qtbot.addWidget(plain)
        assert "2026" not in plain.text()  # Qt's own field: Arabic-Indic digits
        field = DateField()
        qtbot.addWidget(field)
        field.setDate(QDate(2026, 12, 2))
        assert "2026" in field.text() and "12" in field.text()
        assert all(not ("\u0660" <= ch <= "\u0669") for ch in field.text())
        assert field.displayFormat() == DateField().displayFormat()
        for other in (TimeField(), DateTimeField()):
            qtbot.addWidget(other)
            assert all(not ("\u0660" <= ch <= "\u0669") for ch in other.text())
    finally:
        apply_language(app, "en")
        QLocale.setDefault(QLocale("en"))
