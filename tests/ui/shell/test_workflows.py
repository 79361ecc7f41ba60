"""Search, encounter editing with autosave, timer, quick log, reminders."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from uihelp import type_text, unlock

from counsel.domain import Encounter, Reminder, WorkEntry, WorkKind
from counsel_ui.clients.encounter_editor import EncounterEditor, draft_id_for
from counsel_ui.common import ops
from counsel_ui.common.models import ID_ROLE
from counsel_ui.timekeeping.quick_log import QuickLogDialog


def _clients_page(window):
    window.workspace.show_page("clients")
    return window.workspace.page("clients")


def _ids(page) -> list[str]:
    m = page.list.model
    return [m.data(m.index(r, 0), ID_ROLE) for r in range(m.rowCount())]


def test_instant_search_any_script_and_filters(qtbot, window):
    page = _clients_page(window)
    qtbot.waitUntil(lambda: len(_ids(page)) == 2)  # active only: Olena is inactive
    page.list.search.setFocus()
    type_text(qtbot, page.list.search, "أحمد")
    qtbot.waitUntil(lambda: _ids(page) == ["b" * 32])
    page.list.search.clear()
    type_text(qtbot, page.list.search, "somali")  # language name
    qtbot.waitUntil(lambda: _ids(page) == ["a" * 32])
    page.list.search.clear()
    page.list.active.setChecked(False)
    qtbot.waitUntil(lambda: len(_ids(page)) == 3)
    page.list.interpreter.setChecked(True)
    qtbot.waitUntil(lambda: _ids(page) == ["b" * 32])
    page.list.interpreter.setChecked(False)
    page.list.due.setChecked(True)  # Amina has a reminder today and an overdue action
    qtbot.waitUntil(lambda: _ids(page) == ["a" * 32])


def test_search_enter_opens_client(qtbot, window):
    page = _clients_page(window)
    type_text(qtbot, page.list.search, "Amina")
    qtbot.waitUntil(lambda: _ids(page) == ["a" * 32])
    qtbot.keyClick(page.list.search, Qt.Key.Key_Return)
    assert window.session.current_client == "a" * 32
    qtbot.waitUntil(lambda: page.view.title.text() == "Amina Yusuf")


def _editor(window) -> EncounterEditor:
    return window.session.editors[-1]


def test_encounter_autosaves_draft_and_saves(qtbot, window):
    window.workspace.open_client("a" * 32)
    qtbot.keyClick(window.workspace, Qt.Key.Key_E, Qt.KeyboardModifier.ControlModifier)
    ed = _editor(window)
    ed.debounce.quiet = 0.05
    assert ed.windowTitle() == "Encounter"
    type_text(qtbot, ed.situation, "Hän kertoo: en osaa lukea kelloa")
    vault = window.session.vault
    qtbot.waitUntil(lambda: (d := vault.drafts.get(ed.draft_id)) is not None
                    and "kelloa" in d.data["situation"], timeout=5000)
    ed.obstacles.item(0).setCheckState(Qt.CheckState.Checked)
    ed.given[next(iter(ed.given))].setChecked(True)
    ed.action_table.add_row({"what": "Varaa aika", "who": "Amina", "due": "1.2.2030",
                             "client_step": True})
    draft_id, enc_id = ed.draft_id, ed.encounter_id
    qtbot.keyClick(ed, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: _closed(window, ed))
    ops.wait_idle()
    enc = vault.get_typed(Encounter, enc_id)
    assert "kelloa" in enc.situation and len(enc.obstacles) == 1
    assert enc.actions[0].due == dt.date(2030, 2, 1) and enc.actions[0].client_step
    assert vault.drafts.get(draft_id) is None


def _closed(window, ed) -> bool:
    return ed not in window.session.editors


def test_lock_with_open_editor_restores_text(qtbot, window):
    window.workspace.open_client("b" * 32)
    window.workspace.new_encounter("b" * 32)
    ed = _editor(window)
    type_text(qtbot, ed.situation, "يبحث عن عمل في مطبخ")
    draft_id = ed.draft_id
    window.lock()  # typed text is flushed to the encrypted draft, editor closed
    assert window.locked and not window.session
    unlock(qtbot, window)
    ed2 = _editor(window)
    assert ed2.draft_id == draft_id
    assert ed2.situation.toPlainText() == "يبحث عن عمل في مطبخ"


def test_timer_records_visible_time(qtbot, window, monkeypatch):
    import counsel_ui.shell.session as session_mod

    clock = [1000.0]
    monkeypatch.setattr(session_mod.time, "monotonic", lambda: clock[0])
    window.workspace.open_client("a" * 32)
    qtbot.keyClick(window.workspace, Qt.Key.Key_T, Qt.KeyboardModifier.ControlModifier)
    timer = window.workspace.timer
    assert window.session.timer.running and timer.isVisible()
    clock[0] += 20 * 60
    qtbot.keyClick(window.workspace, Qt.Key.Key_T, Qt.KeyboardModifier.ControlModifier)  # pause
    assert not window.session.timer.running
    clock[0] += 60 * 60  # paused time does not count
    window.lock()  # an appointment survives locking
    unlock(qtbot, window)
    timer = window.workspace.timer
    assert window.session.timer.active and timer.isVisible()
    timer.stop_button.click()
    vault = window.session.vault
    qtbot.waitUntil(lambda: any(w.kind is WorkKind.VISIBLE for w in vault.all(WorkEntry)))
    entry = next(w for w in vault.all(WorkEntry) if w.kind is WorkKind.VISIBLE)
    assert entry.minutes == 20 and entry.client == "a" * 32
    assert not timer.isVisible()


def test_quick_log_keyboard_only(qtbot, window):
    window.workspace.open_client("a" * 32)
    qtbot.keyClick(window.workspace, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier)
    dlg = next(w for w in QApplication.topLevelWidgets()
               if isinstance(w, QuickLogDialog) and w.isVisible())
    qtbot.waitUntil(lambda: dlg.ready)
    assert dlg.selected_client() == "a" * 32 and dlg.minutes.value() == 5
    # keystrokes only: the other party, Tab, one line of what, Enter
    assert QApplication.focusWidget() in (dlg.contact, dlg.contact.lineEdit())
    type_text(qtbot, dlg.contact.lineEdit(), "Kela Espoo")
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
    assert QApplication.focusWidget() is dlg.what
    type_text(qtbot, dlg.what, "asumistuki")
    qtbot.keyClick(dlg.what, Qt.Key.Key_Return)
    vault = window.session.vault
    qtbot.waitUntil(lambda: any(w.kind is WorkKind.BACKGROUND for w in vault.all(WorkEntry)))
    entry = next(w for w in vault.all(WorkEntry) if w.kind is WorkKind.BACKGROUND)
    assert entry.client == "a" * 32 and entry.contact == "d" * 32
    assert entry.minutes == 5 and entry.what == "asumistuki"
    assert entry.party_kind is not None and entry.party_kind.value == "kela"


def test_today_shows_due_items_and_mark_done(qtbot, window):
    page = window.workspace.page("today")
    tree = page.tree

    def texts() -> list[str]:
        out = []
        for i in range(tree.topLevelItemCount()):
            top = tree.topLevelItem(i)
            out += [top.child(j).text(1) for j in range(top.childCount())]
        return out

    qtbot.waitUntil(lambda: "Soita Aminalle" in texts())
    assert any("Hakee työkokeilupaikkaa" in t for t in texts())  # overdue agreed action
    item = next(tree.topLevelItem(i).child(j) for i in range(tree.topLevelItemCount())
                for j in range(tree.topLevelItem(i).childCount())
                if tree.topLevelItem(i).child(j).text(1) == "Soita Aminalle")
    tree.setCurrentItem(item)
    page.done_button.click()
    qtbot.waitUntil(lambda: "Soita Aminalle" not in texts())
    assert window.session.vault.get_typed(Reminder, "9" * 32).done


def test_draft_listed_on_today_and_reopens(qtbot, window):
    vault = window.session.vault
    draft_id = draft_id_for("a" * 32, "1" * 32)
    vault.drafts.save(draft_id, {"situation": "kesken jäänyt teksti", "id": "1" * 32})
    page = window.workspace.page("today")
    page.refresh()
    qtbot.waitUntil(lambda: page.tree.topLevelItemCount() > 0
                    and page.tree.topLevelItem(0).childCount() > 0
                    and "not saved" in page.tree.topLevelItem(0).child(0).text(1))
    page._activated(page.tree.topLevelItem(0).child(0))
    assert _editor(window).situation.toPlainText() == "kesken jäänyt teksti"


def test_closing_editor_keeps_draft_and_escape_asks(qtbot, window, monkeypatch):
    from PySide6.QtWidgets import QMessageBox

    window.workspace.new_encounter("a" * 32)
    ed = _editor(window)
    type_text(qtbot, ed.resources, "puhuu kolmea kieltä")
    draft_id = ed.draft_id
    chosen = []

    def fake_exec(box):  # choose "Keep draft" without a nested event loop
        keep = next(b for b in box.buttons()
                    if box.buttonRole(b) == QMessageBox.ButtonRole.AcceptRole)
        chosen.append(keep.text())
        box.clickedButton = lambda: keep
        return 0

    monkeypatch.setattr(QMessageBox, "exec", fake_exec)
    qtbot.keyClick(ed, Qt.Key.Key_Escape)
    assert chosen and _closed(window, ed)
    d = window.session.vault.drafts.get(draft_id)
    assert d is not None and d.data["resources"] == "puhuu kolmea kieltä"


def test_lock_stops_long_background_work(qtbot, window, monkeypatch):
    """Locking during a slow 'what is due' computation stops it between two queries."""
    import datetime as _dt
    import time as _time

    from counsel.app import today_query

    vault = window.session.vault
    real = vault.agenda._rows  # the agenda's one way to run its SQL
    calls = []
    slow_down = []

    def counted(query, params=()):
        if "FROM actions a" in query:
            calls.append(1)
            if slow_down:
                _time.sleep(0.2)
        return real(query, params)

    monkeypatch.setattr(vault.agenda, "_rows", counted)
    today_query.summary(vault, _dt.date.today())
    queries = len(calls)  # what a whole computation runs
    calls.clear()
    slow_down.append(1)
    session = window.session
    session._invalidate_due(frozenset({"client"}))
    window.workspace.page("today").refresh()
    qtbot.waitUntil(lambda: len(calls) >= 1, timeout=30_000)
    window.lock()
    assert window.locked
    assert queries > 3 and len(calls) < queries  # stopped early, not worked through


def test_replaced_pages_do_not_answer_changes(qtbot, window, recwarn):
    """Opening another client deletes the old page; a later save must not reach it."""
    import gc

    ws = window.workspace
    ws.open_client("a" * 32)
    old = ws.page("clients").view
    ws.open_client("b" * 32)
    ops.drain()
    from PySide6.QtCore import QEvent

    QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete.value)  # run deleteLater
    gc.collect()
    import shiboken6

    assert not shiboken6.isValid(old)
    calls = []
    old.refresh = lambda: calls.append(1)
    window.session.changed.emit(frozenset({"client"}))
    ops.drain()
    assert calls == []  # the deleted page was disconnected


def test_auto_lock_while_the_close_question_is_open(qtbot, window, monkeypatch):
    """The idle lock can fire inside the 'keep draft?' question; the text still survives."""
    from PySide6.QtWidgets import QMessageBox

    window.workspace.new_encounter("a" * 32)
    editor = window.session.editors[-1]
    type_text(qtbot, editor.notes, "kesken")
    draft_id = editor.draft_id

    def exec_and_lock(box):
        window.lock()  # what the idle timer would do inside the nested event loop
        return 0

    monkeypatch.setattr(QMessageBox, "exec", exec_and_lock)
    editor.reject()
    assert window.locked
    unlock(qtbot, window)
    restored = window.session.editors[-1]
    assert restored.draft_id == draft_id and restored.notes.toPlainText() == "kesken"


def test_editing_keeps_done_actions_done(qtbot, window):
    from counsel.domain import AgreedAction

    vault = window.session.vault
    enc = vault.get_typed(Encounter, "f" * 32)
    vault.save(enc.replace(actions=(AgreedAction("Hakee paikkaa", done=True),)))
    editor = EncounterEditor.open_for(window.session, "a" * 32, "f" * 32, window)
    type_text(qtbot, editor.notes, " lisäys")
    editor.save()
    qtbot.waitUntil(lambda: _closed(window, editor))
    ops.drain()
    saved = vault.get_typed(Encounter, "f" * 32)
    assert saved.actions[0].done and saved.notes.endswith("lisäys")


def test_timer_fills_the_open_encounter_and_links_the_time(qtbot, window, monkeypatch):
    import counsel_ui.shell.session as session_mod

    clock = [5000.0]
    monkeypatch.setattr(session_mod.time, "monotonic", lambda: clock[0])
    window.workspace.open_client("a" * 32)
    window.session.start_timer("a" * 32)
    window.workspace.new_encounter("a" * 32)
    editor = window.session.editors[-1]
    clock[0] += 35 * 60
    window.session.stop_timer()
    assert editor.minutes.value() == 35
    vault = window.session.vault
    qtbot.waitUntil(lambda: any(w.kind is WorkKind.VISIBLE for w in vault.all(WorkEntry)))
    entry = next(w for w in vault.all(WorkEntry) if w.kind is WorkKind.VISIBLE)
    assert entry.encounter == editor.encounter_id and entry.minutes == 35


def test_encounter_without_start_time_keeps_none(qtbot, window):
    vault = window.session.vault
    assert vault.get_typed(Encounter, "f" * 32).start is None
    editor = EncounterEditor.open_for(window.session, "a" * 32, "f" * 32, window)
    type_text(qtbot, editor.notes, "x")
    editor.save()
    qtbot.waitUntil(lambda: _closed(window, editor))
    ops.drain()
    assert vault.get_typed(Encounter, "f" * 32).start is None


def test_opening_an_agreed_action_opens_its_encounter(qtbot, window):
    page = window.workspace.page("today")
    tree = page.tree

    def find():
        for i in range(tree.topLevelItemCount()):
            top = tree.topLevelItem(i)
            for j in range(top.childCount()):
                if "Hakee työkokeilupaikkaa" in top.child(j).text(1):
                    return top.child(j)
        return None

    qtbot.waitUntil(lambda: find() is not None)
    page._activated(find())
    assert window.session.current_client == "a" * 32
    assert window.session.editors and window.session.editors[-1].encounter_id == "f" * 32
