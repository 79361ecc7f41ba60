"""Creating a probable duplicate warns first (issue 14 item 5)."""

from __future__ import annotations

from counsel.domain import Client
from counsel_ui.clients.dialog import ClientDialog
from counsel_ui.common import ops


def _amina_count(window) -> int:  # type: ignore[no-untyped-def]
    ops.wait_idle()
    return sum(1 for c in window.session.vault.all(Client) if c.name == "Amina Yusuf")


def test_a_probable_duplicate_is_named_before_it_is_created(qtbot, window):
    dlg = ClientDialog(window.session, None, window)
    dlg.open()
    dlg.name.setText("amina yusuf")
    dlg.save()
    qtbot.waitUntil(lambda: "Amina Yusuf" in dlg.error.text())
    assert dlg.isVisible() and _amina_count(window) == 1
    dlg.name.setText("Amina Yusuf")
    dlg.error.setText("")
    dlg.save()  # the name changed: asked again
    qtbot.waitUntil(lambda: dlg.error.text() != "")
    dlg.save()  # the counsellor insists
    qtbot.waitUntil(lambda: _amina_count(window) == 2)


def test_a_new_name_is_saved_at_once(qtbot, window):
    dlg = ClientDialog(window.session, None, window)
    dlg.open()
    dlg.name.setText("Farid Ahmadi")
    dlg.save()
    qtbot.waitUntil(lambda: any(c.name == "Farid Ahmadi"
                                for c in window.session.vault.all(Client)))


def test_latin_spelling_of_official_papers_is_kept(qtbot, window):
    dlg = ClientDialog(window.session, None, window)
    dlg.open()
    dlg.name.setText("أحمد حسن")
    dlg.official.setText("Ahmed Hasan")
    dlg.save()
    qtbot.waitUntil(lambda: any(c.official_name == "Ahmed Hasan"
                                for c in window.session.vault.all(Client)))
    saved = next(c for c in window.session.vault.all(Client) if c.official_name)
    assert saved.name == "أحمد حسن"
    again = ClientDialog(window.session, saved, window)
    assert again.official.text() == "Ahmed Hasan"
