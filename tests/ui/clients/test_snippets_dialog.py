"""Snippets inserted into the encounter being written (issue 14, features)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from uihelp import type_text

from counsel_ui.clients.snippets_dialog import SnippetDialog


def test_ctrl_shift_i_inserts_a_snippet_at_the_cursor(qtbot, window):
    window.workspace.new_encounter("a" * 32)
    ed = window.session.editors[-1]
    ed.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is ed)
    ed.situation.setFocus()
    type_text(qtbot, ed.situation, "Neuvottu: ")
    qtbot.keyClick(ed.situation, Qt.Key.Key_I,
                   Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    dlg = next(w for w in QApplication.topLevelWidgets()
               if isinstance(w, SnippetDialog) and w.isVisible())
    type_text(qtbot, dlg.filter, "kela")
    assert dlg.list.count() == 1
    qtbot.keyClick(dlg.filter, Qt.Key.Key_Return)
    text = ed.situation.toPlainText()
    assert text.startswith("Neuvottu: ") and "Kela" in text
    # the counsellor's own: from a selection
    ed.situation.selectAll()
    mine = SnippetDialog(window.session, ed.situation, ed)
    mine.filter.setText("oma")
    mine.save_selected_text()
    again = SnippetDialog(window.session, ed.situation, ed)
    assert any(s.title == "oma" and s.text.startswith("Neuvottu") for s in again.all)


def test_snippets_are_shown_whole(qtbot, window):
    # the starters are a sentence or two: they were cut at the list's edge
    from PySide6.QtGui import QFontMetrics

    window.workspace.new_encounter("a" * 32)
    ed = window.session.editors[-1]
    dlg = SnippetDialog(window.session, ed.situation, ed)
    dlg.show()
    qtbot.waitExposed(dlg)
    view = dlg.list
    width = view.viewport().width()
    metrics = QFontMetrics(view.font())
    long_ones = [view.item(i) for i in range(view.count())
                 if metrics.horizontalAdvance(view.item(i).text()) > width]
    assert long_ones  # the starters do not fit on one line
    for item in long_ones:
        rect = view.visualItemRect(item)
        assert rect.width() <= width and rect.height() > metrics.height() * 1.5, item.text()
    dlg.close()
