"""Date and time fields that take one Tab each and show Latin digits in every language.

Qt's date edits move between their day, month and year sections on Tab, so a form
with a date and a time needs five Tabs to get past them; here Tab leaves the field
(typing the separator or the arrow keys still move between sections).  In the Arabic
interface Qt draws Arabic-Indic digits in these fields while every other date on the
same screen (Babel, the plan and card texts) uses Latin digits: the fields keep the
interface language's date order but take their digits from the C locale, so one
screen uses one kind of digit.
"""

from __future__ import annotations

from PySide6.QtCore import QLocale
from PySide6.QtWidgets import QDateEdit, QDateTimeEdit, QTimeEdit, QWidget


def short_date_format() -> str:
    """The interface locale's short date, always with a four-digit year."""
    fmt = QLocale().dateFormat(QLocale.FormatType.ShortFormat)
    return fmt if "yyyy" in fmt else fmt.replace("yy", "yyyy")


def _latin_digits(edit: QDateTimeEdit) -> None:
    edit.setLocale(QLocale.c())


class DateField(QDateEdit):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setCalendarPopup(True)
        self.setDisplayFormat(short_date_format())
        _latin_digits(self)

    def focusNextPrevChild(self, next: bool) -> bool:  # noqa: N802, A002 - Qt's names
        return QWidget.focusNextPrevChild(self, next)


class TimeField(QTimeEdit):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setDisplayFormat("HH:mm")
        _latin_digits(self)

    def focusNextPrevChild(self, next: bool) -> bool:  # noqa: N802, A002
        return QWidget.focusNextPrevChild(self, next)


class DateTimeField(QDateTimeEdit):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setCalendarPopup(True)
        self.setDisplayFormat(f"{short_date_format()} HH:mm")
        _latin_digits(self)

    def focusNextPrevChild(self, next: bool) -> bool:  # noqa: N802, A002
        return QWidget.focusNextPrevChild(self, next)
