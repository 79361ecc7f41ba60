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


def test_a_finnish_passage_reads_whole_in_the_arabic_interface(qtbot, window):
    import datetime as dt

    from bidi import get_display

    from counsel.domain import Encounter
    from counsel_ui.common.i18n import apply_language

    words = "Asiakas kertoo perheestään ja kodistaan pitkästi. " * 4
    window.session.vault.save_many([Encounter(
        client="a" * 32, date=dt.date.today(),
        situation=f"Soittaa Kelaan asumistuesta. {words}")])
    app = QApplication.instance()
    try:
        apply_language(app, "ar")
        dlg = NoteSearchDialog(window.session, window)
        dlg.show()
        type_text(qtbot, dlg.query, "asumistuesta")
        dlg.search()
        qtbot.waitUntil(lambda: bool(dlg.hits))
        line = next(ln for ln in dlg.results.toPlainText().splitlines() if "Kelaan" in ln)
        shown = "".join(c for c in get_display(line, base_dir="R")
                        if c not in "\u2066\u2067\u2068\u2069\u200e\u200f").strip()
        # cut at its end only: the mark stays there, not before the first word
        assert shown.startswith("Soittaa Kelaan asumistuesta") and shown.endswith("…"), shown
        dlg.close()
    finally:
        apply_language(app, "en")


def test_a_search_while_notes_are_still_indexed_says_so_and_finds_them(qtbot, window,
                                                                       monkeypatch):
    """A first unlock on a device leaves note text for a second pass: the dialog says the
    notes are still being prepared, then shows the hits (the search waits for the pass)."""
    from counsel.vault import rebuild
    from counsel.vault.workingset import WorkingSet

    vault = window.session.vault
    monkeypatch.setattr(rebuild, "DEFER_MIN", 0)
    with vault.store.lock:
        cur = vault._current
        cur.ws.close()
        cur.ws = WorkingSet()
        cur._rebuild()
    assert vault.notes_to_index > 0
    dlg = NoteSearchDialog(window.session, window)
    qtbot.addWidget(dlg)
    dlg.show()
    dlg.query.setText("kauppa")
    dlg.search()
    assert "Still preparing the notes" in dlg.count.text()
    import os

    if os.environ.get("COUNSEL_SHOTS"):
        dlg.grab().save(os.path.join(os.environ["COUNSEL_SHOTS"], "note_search_indexing.png"))
    qtbot.waitUntil(lambda: bool(dlg.hits))
    assert dlg.hits[0].encounter_id == "f" * 32
    assert "Still preparing" not in dlg.count.text() and vault.notes_to_index == 0
