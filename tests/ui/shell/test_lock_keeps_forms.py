"""Auto-lock keeps a half-typed new-client form and quick log (issue 14 item 4)."""

from __future__ import annotations

from PySide6.QtWidgets import QApplication
from uihelp import type_text, unlock

from counsel_ui.clients.dialog import ClientDialog
from counsel_ui.common import ops
from counsel_ui.timekeeping.quick_log import QuickLogDialog


def _visible(cls):  # type: ignore[no-untyped-def]
    return [w for w in QApplication.topLevelWidgets() if isinstance(w, cls) and w.isVisible()]


def test_new_client_form_survives_auto_lock(qtbot, window):
    dlg = ClientDialog(window.session, None, window)
    dlg.open()
    type_text(qtbot, dlg.name, "Sahra Warsame")
    type_text(qtbot, dlg.municipality, "Vantaa")
    window.idle.last_activity -= window.idle.minutes * 60 + 1  # idle long enough
    window.check_idle()
    assert window.locked and not _visible(ClientDialog)
    unlock(qtbot, window)
    qtbot.waitUntil(lambda: bool(_visible(ClientDialog)))
    again = _visible(ClientDialog)[0]
    assert again.name.text() == "Sahra Warsame" and again.municipality.text() == "Vantaa"
    again.reject()  # the counsellor cancels: the draft is gone
    ops.wait_idle()
    assert window.session.vault.drafts.get(ClientDialog.NEW_DRAFT) is None


def test_quick_log_survives_a_lock(qtbot, window):
    window.workspace.open_client("a" * 32)
    window.workspace.quick_log("a" * 32)
    dlg = _visible(QuickLogDialog)[0]
    qtbot.waitUntil(lambda: dlg.ready)
    type_text(qtbot, dlg.contact.lineEdit(), "Kela Espoo")
    type_text(qtbot, dlg.what, "asumistuki, soitto")
    dlg.minutes.setValue(12)
    window.lock()
    assert not _visible(QuickLogDialog)
    unlock(qtbot, window)
    qtbot.waitUntil(lambda: bool(_visible(QuickLogDialog)))
    again = _visible(QuickLogDialog)[0]
    qtbot.waitUntil(lambda: again.ready)
    assert again.what.text() == "asumistuki, soitto" and again.minutes.value() == 12
    assert again.contact.currentText() == "Kela Espoo"
    assert again.selected_client() == "a" * 32
