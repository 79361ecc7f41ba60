"""Quick log: the other party is never guessed nor dropped (issue 14, item 1)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from uihelp import type_text

from counsel.domain import Contact, PartyKind, WorkEntry, WorkKind
from counsel_ui.common import ops
from counsel_ui.common.widgets import enum_value
from counsel_ui.timekeeping.quick_log import QuickLogDialog


def _open(qtbot, window):  # type: ignore[no-untyped-def]
    window.session.vault.save_many([Contact(name="Anne Hämäläinen", organisation="Turku Kela",
                                            party_kind=PartyKind.KELA)])
    window.workspace.open_client("a" * 32)
    qtbot.keyClick(window.workspace, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier)
    dlg = next(w for w in QApplication.topLevelWidgets()
               if isinstance(w, QuickLogDialog) and w.isVisible())
    qtbot.waitUntil(lambda: dlg.ready)
    return dlg


def _background(window) -> list[WorkEntry]:  # type: ignore[no-untyped-def]
    ops.wait_idle()
    return [w for w in window.session.vault.all(WorkEntry) if w.kind is WorkKind.BACKGROUND]


def test_a_name_matching_several_contacts_asks(qtbot, window):
    dlg = _open(qtbot, window)
    type_text(qtbot, dlg.contact.lineEdit(), "Kela")
    assert enum_value(dlg.party_kind, PartyKind) is PartyKind.KELA  # derived, visibly
    assert "2" in dlg.party_note.text()
    qtbot.keyClick(dlg.contact.lineEdit(), Qt.Key.Key_Tab)
    type_text(qtbot, dlg.what, "asumistuki")
    qtbot.keyClick(dlg.what, Qt.Key.Key_Return)
    qtbot.wait(50)
    assert dlg.isVisible() and "Kela" in dlg.message.text()
    assert _background(window) == []


def test_an_unknown_party_is_confirmed_and_kept(qtbot, window):
    dlg = _open(qtbot, window)
    type_text(qtbot, dlg.contact.lineEdit(), "kela tamp")
    qtbot.keyClick(dlg.contact.lineEdit(), Qt.Key.Key_Tab)
    type_text(qtbot, dlg.what, "asumistuki")
    assert enum_value(dlg.party_kind, PartyKind) is PartyKind.KELA  # before saving
    qtbot.keyClick(dlg.what, Qt.Key.Key_Return)
    qtbot.wait(50)
    assert dlg.isVisible() and "kela tamp" in dlg.message.text()
    assert _background(window) == []
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: _background(window) != [])
    entry = _background(window)[0]
    assert entry.contact is None and entry.party_kind is PartyKind.KELA
    assert entry.what == "kela tamp: asumistuki"


def test_party_kind_is_required(qtbot, window):
    dlg = _open(qtbot, window)
    qtbot.keyClick(dlg.contact.lineEdit(), Qt.Key.Key_Tab)
    type_text(qtbot, dlg.what, "luki lakia")
    qtbot.keyClick(dlg.what, Qt.Key.Key_Return)
    qtbot.wait(50)
    assert dlg.isVisible() and QApplication.focusWidget() is dlg.party_kind
    assert _background(window) == []


def test_internal_work_is_logged_for_no_client(qtbot, window):
    dlg = _open(qtbot, window)
    dlg.work_kind.setCurrentIndex(dlg.work_kind.findData(WorkKind.INTERNAL.value))
    assert not dlg.contact.isEnabled() and not dlg.client.isEnabled()
    type_text(qtbot, dlg.what, "tiimipalaveri")
    dlg.minutes.setValue(60)
    qtbot.keyClick(dlg.what, Qt.Key.Key_Return)
    vault = window.session.vault
    qtbot.waitUntil(lambda: any(w.kind is WorkKind.INTERNAL for w in vault.all(WorkEntry)))
    entry = next(w for w in vault.all(WorkEntry) if w.kind is WorkKind.INTERNAL)
    assert entry.client is None and entry.contact is None and entry.minutes == 60
    assert _background(window) == []


def test_the_walkthrough_keystrokes_save_nothing_guessed(qtbot, window):
    # issue 14 item 1 as typed: Ctrl+L, "kela tamp", Tab, "asumistuki", Tab Tab, "10",
    # Enter — among 50 Kela contacts, none in Tampere
    window.session.vault.save_many([
        Contact(name=f"Virkailija {i}", organisation=f"{city} Kela", party_kind=PartyKind.KELA)
        for i, city in enumerate(["Turku", "Espoo", "Oulu", "Vantaa", "Lahti"] * 10)])
    dlg = _open(qtbot, window)

    # the dialog's own focus widget: offscreen, the contact completer's popup stays the
    # active window, so QApplication.focusWidget() lags behind the Tabs
    def keys(text: str) -> None:
        type_text(qtbot, dlg.focusWidget(), text)

    def press(key: Qt.Key) -> None:
        qtbot.keyClick(dlg.focusWidget(), key)

    keys("kela tamp")
    dlg.activateWindow()  # no contact matches: the completer's list is gone
    qtbot.waitUntil(lambda: QApplication.activeWindow() is dlg)
    press(Qt.Key.Key_Tab)
    keys("asumistuki")
    press(Qt.Key.Key_Tab)
    press(Qt.Key.Key_Tab)
    assert dlg.focusWidget() is dlg.minutes
    keys("10")
    assert enum_value(dlg.party_kind, PartyKind) is PartyKind.KELA  # shown before saving
    press(Qt.Key.Key_Return)
    qtbot.wait(50)
    assert dlg.isVisible() and "kela tamp" in dlg.message.text()  # asked, not guessed
    assert _background(window) == []
    press(Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: _background(window) != [])
    [entry] = _background(window)
    assert (entry.contact, entry.party_kind, entry.minutes) == (None, PartyKind.KELA, 10)
    assert entry.what == "kela tamp: asumistuki"


def test_the_question_reads_right_to_left_in_arabic(qtbot, window):
    # "«Kela» يطابق 2 من جهات الاتصال…" started with a Latin name, so the label laid the
    # Arabic sentence out left to right
    from bidi import get_display

    from counsel_ui.common.i18n import apply_language

    app = QApplication.instance()
    try:
        apply_language(app, "ar")
        window.switch_language("ar")
        dlg = _open(qtbot, window)
        type_text(qtbot, dlg.contact.lineEdit(), "Kela")
        type_text(qtbot, dlg.what, "asumistuki")
        qtbot.keyClick(dlg.what, Qt.Key.Key_Return)
        qtbot.wait(50)
        for text in (dlg.message.text(), dlg.party_note.text()):
            assert text
            # as a label lays it out (direction of its first strong letter) = right to left
            assert get_display(text) == get_display(text, base_dir="R"), text
        dlg.reject()
    finally:
        window.switch_language("en")
        apply_language(app, "en")
