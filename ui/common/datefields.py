"""Date, time and number fields that take one Tab each and show Latin digits in every
language.

Qt's date edits move between their day, month and year sections on Tab, so a form
with a date and a time needs five Tabs to get past them; here Tab leaves the field
(typing the separator or the arrow keys still move between sections).  In the Arabic
interface Qt draws Arabic-Indic digits in these fields (and in spin boxes) while every
other date on the same screen (Babel, the plan and card texts) uses Latin digits: the
fields keep the interface language's date order but take their digits from the C
locale, so one screen uses one kind of digit.

In a right-to-left field Qt writes the sections in reverse order (for Arabic-Indic
digits, which the bidi algorithm reorders).  Latin digits joined by ``/`` or ``:``
form one left-to-right number instead, so the time 05:52 read "52:05".  A
right-to-left field therefore gets a date format without direction marks (the
reversed sections read as Babel's dates do beside it, day on the right) and a time
format with a right-to-left mark between hours and minutes (the two runs come back
into hour-first order).
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QLocale, Qt
from PySide6.QtWidgets import (
    QAbstractSpinBox,
    QDateEdit,
    QDateTimeEdit,
    QSpinBox,
    QTimeEdit,
    QWidget,
)

RLM, LRM = "\u200f", "\u200e"


def short_date_format() -> str:
    """The interface locale's short date, always with a four-digit year."""
    fmt = QLocale().dateFormat(QLocale.FormatType.ShortFormat)
    return fmt if "yyyy" in fmt else fmt.replace("yy", "yyyy")


def _date_format(rtl: bool) -> str:
    fmt = short_date_format()
    return fmt.replace(RLM, "").replace(LRM, "") if rtl else fmt


def _time_format(rtl: bool) -> str:
    return f"HH{RLM}:mm" if rtl else "HH:mm"


def _align(edit: QAbstractSpinBox) -> None:
    """Digits have no direction of their own: Qt put a date or a number at the left of a
    right-to-left field and a time (with its mark) at the right, in one form.  They all
    start where the field's direction starts."""
    edge = (Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignAbsolute if edit.isRightToLeft()
            else Qt.AlignmentFlag.AlignLeft)
    edit.setAlignment(edge | Qt.AlignmentFlag.AlignVCenter)


class _Field:
    """Latin digits, one Tab, and a display format that follows the field's direction."""

    def _setup(self, edit: QDateTimeEdit) -> None:
        edit.setLocale(QLocale.c())
        self._apply_format()

    def _format(self, rtl: bool) -> str:
        raise NotImplementedError

    def _apply_format(self) -> None:
        edit = self
        assert isinstance(edit, QDateTimeEdit)
        value = edit.dateTime()
        edit.setDisplayFormat(self._format(edit.isRightToLeft()))
        edit.setDateTime(value)
        _align(edit)

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 - Qt's name
        super().changeEvent(event)  # type: ignore[misc]
        if event.type() == QEvent.Type.LayoutDirectionChange:
            self._apply_format()

    def focusNextPrevChild(self, next: bool) -> bool:  # noqa: N802, A002 - Qt's names
        assert isinstance(self, QWidget)
        return QWidget.focusNextPrevChild(self, next)


class DateField(_Field, QDateEdit):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setCalendarPopup(True)
        self._setup(self)

    def _format(self, rtl: bool) -> str:
        return _date_format(rtl)


class TimeField(_Field, QTimeEdit):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._setup(self)

    def _format(self, rtl: bool) -> str:
        return _time_format(rtl)


class DateTimeField(_Field, QDateTimeEdit):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setCalendarPopup(True)
        self._setup(self)

    def _format(self, rtl: bool) -> str:
        # reversed by Qt in a right-to-left field: the date then reads first, on the right
        if rtl:
            return f"{_time_format(rtl)} {_date_format(rtl)}"
        return f"{_date_format(rtl)} {_time_format(rtl)}"


class NumberField(QSpinBox):
    """A spin box with Latin digits beside the date and time fields (minutes, years)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setLocale(QLocale.c())
        _align(self)

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 - Qt's name
        super().changeEvent(event)
        if event.type() == QEvent.Type.LayoutDirectionChange:
            _align(self)
