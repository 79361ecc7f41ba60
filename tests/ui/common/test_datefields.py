"""Date fields in the Arabic interface use the same (Latin) digits as the rest of the
screen (issue 14 item 6), and keep the interface's date order."""

from __future__ import annotations

import datetime as dt

import pytest
from bidi import get_display
from PySide6.QtCore import QDate, QDateTime, QLocale, QTime
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QApplication, QDateEdit, QFormLayout, QLineEdit, QWidget

from counsel.i18n import display
from counsel_ui.common.datefields import DateField, DateTimeField, NumberField, TimeField
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


def _seen(text: str) -> str:
    """What a right-to-left line shows, left to right, without the invisible marks."""
    return get_display(text, base_dir="R").replace("\u200f", "").replace("\u200e", "")


def test_arabic_fields_read_like_the_dates_and_times_beside_them(qtbot):
    # Qt writes a right-to-left date or time field's sections in reverse; with Latin
    # digits the start time 05:52 then showed as "52:05" and dates ran year-first
    # ("3/12/2026" beside Babel's "2026/12/03" on the same screen)
    app = QApplication.instance()
    try:
        apply_language(app, "ar")
        day, at = dt.date(2026, 12, 3), dt.time(5, 52)
        babel_day = [int(p) for p in _seen(display.date(day)).split("/")]
        time = TimeField()
        time.setTime(QTime(5, 52))
        date = DateField()
        date.setDate(QDate(2026, 12, 3))
        both = DateTimeField()
        both.setDateTime(QDateTime(QDate(2026, 12, 3), QTime(13, 15)))
        for w in (time, date, both):
            qtbot.addWidget(w)
        assert _seen(time.text()) == at.strftime("%H:%M")
        assert [int(p) for p in _seen(date.text()).split("/")] == babel_day
        shown_time, shown_day = _seen(both.text()).split(" ")  # read from the right: date first
        assert [int(p) for p in shown_day.split("/")] == babel_day and shown_time == "13:15"
        assert (date.date(), time.time()) == (QDate(2026, 12, 3), QTime(5, 52))
    finally:
        apply_language(app, "en")
        QLocale.setDefault(QLocale("en"))


def test_finnish_fields_keep_their_order(qtbot):
    app = QApplication.instance()
    try:
        apply_language(app, "fi")
        time, date = TimeField(), DateField()
        qtbot.addWidget(time)
        qtbot.addWidget(date)
        time.setTime(QTime(5, 52))
        date.setDate(QDate(2026, 12, 3))
        assert (time.text(), date.text()) == ("05:52", "3.12.2026")
    finally:
        apply_language(app, "en")
        QLocale.setDefault(QLocale("en"))


def _ink_centre(widget: QWidget) -> float:
    """Where the text is drawn in the field's text box, 0 (left) … 1 (right)."""
    edit = widget.findChild(QLineEdit)
    assert edit is not None and edit.width() > 150
    img = edit.grab().toImage()
    xs = [x for x in range(3, img.width() - 3) for y in range(3, img.height() - 3)
          if QColor(img.pixel(x, y)).lightness() < 100]
    assert xs, "no text drawn"
    return sum(xs) / len(xs) / img.width()


@pytest.mark.parametrize("lang", ["ar", "fi"])
def test_dates_times_and_numbers_start_at_one_edge(qtbot, lang: str):
    # in Arabic Qt drew a date and a number at the left of their fields and a time at
    # the right, one under the other in the encounter's details
    app = QApplication.instance()
    try:
        apply_language(app, lang)
        top = QWidget()
        form = QFormLayout(top)
        date, time, number = DateField(), TimeField(), NumberField()
        date.setDate(QDate(2026, 12, 3))
        time.setTime(QTime(6, 10))
        number.setValue(45)
        for w in (date, time, number):
            form.addRow("x", w)
        qtbot.addWidget(top)
        top.resize(400, 120)
        top.show()
        qtbot.waitExposed(top)
        centres = [_ink_centre(w) for w in (date, time, number)]
        if lang == "ar":
            assert all(c > 0.6 for c in centres), centres
        else:
            assert all(c < 0.4 for c in centres), centres
    finally:
        apply_language(app, "en")
        QLocale.setDefault(QLocale("en"))
