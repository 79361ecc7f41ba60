"""Search in note text from the app: hits marked, a hit opens its encounter."""

from __future__ import annotations

from PySide6.QtCore import Qt, QUrl
from PySide6.QtWidgets import QApplication
from uihelp import type_text

from counsel_ui.clients.encounter_editor import EncounterEditor
from counsel_ui.clients.note_search import NoteSearchDialog


def test_search_in_notes_marks_and_opens(qtbot, window):
    qtbot.keyClick(window.workspace, Qt.Key.Key_F,
                   Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    dlg = next(w for w in QApplication.topLevelWidgets()
               if isinstance(w, NoteSearchDialog) and w.isVisible())
    type_text(qtbot, dlg.query, "kauppa")
    dlg.search()
    qtbot.waitUntil(lambda: bool(dlg.hits))
    assert dlg.hits[0].encounter_id == "f" * 32
    page = dlg.results.toHtml()
    assert "kauppaan" in page and "#ffe066" in page
    dlg._open(QUrl(f"encounter:{'a' * 32}:{'f' * 32}"))
    editors = [e for e in window.session.editors if isinstance(e, EncounterEditor)]
    assert editors and editors[-1].encounter_id == "f" * 32
