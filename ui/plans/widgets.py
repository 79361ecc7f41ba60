"""Small pieces of the plan editor: fixed-height text boxes, date fields with four-digit
years, and the stand-in that lets the shell flush a plan editor's draft (and stop the renderer
process) on lock."""

from __future__ import annotations

from typing import Any, Protocol

from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import QDateEdit, QPlainTextEdit

from counsel_ui.common.datefields import DateField


class _Flushable(Protocol):
    draft_id: str
    session: Any

    def flush(self) -> None: ...


def text_box(height: int) -> QPlainTextEdit:
    box = QPlainTextEdit()
    box.setTabChangesFocus(True)
    # a fixed height: the default size hint (~190 px) would make a dozen boxes a long scroll
    box.setFixedHeight(height)
    return box


def qdate(value: str) -> QDate:
    return QDate.fromString(value, Qt.DateFormat.ISODate) if value else QDate()


def date_edit() -> QDateEdit:
    """A date field in the interface's short format, but always with a four-digit year
    (validity and review dates are read years later)."""
    return DateField()


class LockHook:
    """Stands in ``session.editors`` for a plan editor: the shell flushes it on lock.

    ``client_id`` is None on purpose: ``EncounterEditor.open_for`` reuses any editor in
    that list with the client's id, and must never take a plan editor for an encounter.
    """

    client_id = None

    def __init__(self, editor: _Flushable) -> None:
        self.editor = editor
        self.draft_id = editor.draft_id

    def close_for_lock(self) -> None:
        from counsel_ui.plans import renderer

        self.editor.flush()
        renderer.stop(self.editor.session)  # the renderer process holds plans in memory
