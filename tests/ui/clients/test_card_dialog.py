"""Issue 14 item 2 in the app: a new encounter for a client who needs an interpreter
books one, and the appointment card made from it shows (no "no interpreter" warning)."""

from __future__ import annotations

from counsel.domain import InterpreterMode
from counsel_ui.clients.card_dialog import CardDialog
from counsel_ui.common.widgets import enum_value


def test_new_encounter_follows_the_profile_and_prints_a_card(qtbot, window):
    window.workspace.new_encounter("b" * 32)  # Ahmad: interpreter needed, Arabic
    ed = window.session.editors[-1]
    assert enum_value(ed.interp_mode, InterpreterMode) is not InterpreterMode.NONE
    dlg = ed.open_card()
    assert isinstance(dlg, CardDialog) and not dlg.warning.isVisible()
    qtbot.waitUntil(lambda: bool(dlg.pages), timeout=20_000)
    assert dlg.page.pixmap() is not None and not dlg.page.pixmap().isNull()
    ed.interp_mode.setCurrentIndex(ed.interp_mode.findData(InterpreterMode.NONE.value))
    dlg2 = ed.open_card()
    assert dlg2 is not None and "interpreter" in dlg2.warning.text()
    qtbot.waitUntil(lambda: bool(dlg2.pages), timeout=20_000)
