"""Keyboard traps of issue 14 item 3: page keys focus the page, Ctrl+L/Ctrl+T work in an
encounter editor, date and time fields take one Tab, a menu bar and a shortcuts sheet."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from counsel_ui.clients.encounter_editor import EncounterEditor
from counsel_ui.shell.shortcuts import ShortcutsSheet
from counsel_ui.timekeeping.quick_log import QuickLogDialog

CTRL = Qt.KeyboardModifier.ControlModifier


def _visible(cls):  # type: ignore[no-untyped-def]
    return [w for w in QApplication.topLevelWidgets() if isinstance(w, cls) and w.isVisible()]


def _editor(qtbot, window, client: str) -> EncounterEditor:  # type: ignore[no-untyped-def]
    window.workspace.new_encounter(client)
    ed = window.session.editors[-1]
    ed.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is ed)
    return ed


def test_ctrl_2_puts_the_cursor_into_the_page(qtbot, window):
    window.workspace.sidebar.setFocus()
    qtbot.keyClick(window.workspace.sidebar, Qt.Key.Key_2, CTRL)
    page = window.workspace.page("clients")
    focus = QApplication.focusWidget()
    assert window.workspace.stack.currentWidget() is page
    assert focus is not window.workspace.sidebar and page.isAncestorOf(focus)


def test_ctrl_l_and_ctrl_t_work_while_an_encounter_editor_has_focus(qtbot, window):
    ed = _editor(qtbot, window, "b" * 32)
    ed.situation.setFocus()
    qtbot.keyClick(ed.situation, Qt.Key.Key_T, CTRL)
    assert window.session.timer.active and window.session.timer.client_id == "b" * 32
    qtbot.keyClick(ed.situation, Qt.Key.Key_L, CTRL)
    qtbot.waitUntil(lambda: bool(_visible(QuickLogDialog)))
    dlg = _visible(QuickLogDialog)[0]
    qtbot.waitUntil(lambda: dlg.ready)
    assert dlg.selected_client() == "b" * 32
    dlg.reject()
    window.session.stop_timer()


def test_date_and_time_fields_take_one_tab_each(qtbot, window):
    ed = _editor(qtbot, window, "a" * 32)
    ed.date.setFocus()
    qtbot.keyClick(ed.date, Qt.Key.Key_Tab)
    assert QApplication.focusWidget() is ed.start
    qtbot.keyClick(ed.start, Qt.Key.Key_Tab)
    assert QApplication.focusWidget() is ed.minutes


def test_menu_bar_shows_the_keys_and_f1_lists_them(qtbot, window):
    actions = [a for m in window.menuBar().actions() if m.menu() is not None
               for a in m.menu().actions()]
    keys = {a.shortcut().toString() for a in actions}
    assert {"Ctrl+L", "Ctrl+T", "Ctrl+E", "Ctrl+2", "Ctrl+F", "F1"} <= keys
    qtbot.keyClick(window.workspace, Qt.Key.Key_F1)
    qtbot.waitUntil(lambda: bool(_visible(ShortcutsSheet)))
    sheet = _visible(ShortcutsSheet)[0]
    texts = [sheet.table.item(r, 0).text() for r in range(sheet.table.rowCount())]
    assert "Ctrl+L" in texts and "Ctrl+S" in texts
    sheet.close()
    window.lock()
    assert not [a for m in window.menuBar().actions() if m.menu() is not None
                for a in m.menu().actions()]  # nothing to act on while locked
