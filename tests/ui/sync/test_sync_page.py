"""The Sync page against a real sync server on 127.0.0.1: set up, join, conflict, resolve."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox, QPushButton
from synchelp import LiveServer

from counsel.domain import Contact  # noqa: E402
from counsel.vault.kdf import KdfParams  # noqa: E402
from counsel.vault.service import Vault  # noqa: E402

PASS = "correct horse battery"
CID = "contact0001"


def _page(qtbot, vault: Vault):  # type: ignore[no-untyped-def]
    from counsel_ui.shell.session import Session
    from counsel_ui.sync.controller import controller_for
    from counsel_ui.sync.page import SyncPage

    session = Session(vault)
    # no timer: the test decides when each device syncs
    controller_for(session, autostart=False)
    page = SyncPage(session)
    qtbot.addWidget(page)
    page.show()
    return page


def _sync(qtbot, page) -> None:  # type: ignore[no-untyped-def]
    with qtbot.waitSignal(page.controller.synced, timeout=20_000):
        qtbot.mouseClick(page.status.sync_button, Qt.MouseButton.LeftButton)


def _close(*pages) -> None:  # type: ignore[no-untyped-def]
    from counsel_ui.common import ops

    ops.drain()
    for page in pages:
        page.controller.timer.stop()
        page.session.vault.lock()


def test_two_devices_conflict_resolved_with_combined_text(qtbot, tmp_path: Path,
                                                          server: LiveServer) -> None:
    from counsel_ui.common import ops
    from counsel_ui.sync.conflicts import COMBINED, ConflictEditor
    from counsel_ui.sync.setup import JoinDialog

    a, _code = Vault.create(tmp_path / "a.vault", PASS, kdf=KdfParams.fast_for_tests())
    a.save(Contact(id=CID, name="Jobcentre", phone="111", notes="line 1\nline 2\n"))
    page_a = _page(qtbot, a)
    assert page_a.stack.currentWidget() is page_a.setup
    page_a.setup.url.setText(server.url)
    page_a.setup.account.setText("maria")
    page_a.setup.passphrase.setText(PASS)
    page_a.setup.secret.setText(server.storage.create_account("maria"))
    with qtbot.waitSignal(page_a.controller.synced, timeout=20_000):
        qtbot.mouseClick(page_a.setup.connect_button, Qt.MouseButton.LeftButton)
    assert page_a.stack.currentWidget() is page_a.status
    assert page_a.controller.snapshot().unsynced == 0

    # a second computer copies the vault with the passphrase (no enrolment secret)
    join = JoinDialog(tmp_path / "b.vault")
    qtbot.addWidget(join)
    join.url.setText(server.url)
    join.account.setText("maria")
    join.passphrase.setText(PASS)
    shown: list[str] = []  # the dialog's progress line after each step
    join._bridge.progress.connect(lambda _p: shown.append(join.progress_text.text()))
    with qtbot.waitSignal(join.joined, timeout=20_000) as joined:
        qtbot.mouseClick(join.join_button, Qt.MouseButton.LeftButton)
    b: Vault = joined.args[0]
    assert "Downloading: 1 change received" in shown  # the download is shown
    assert b.get(CID).notes == "line 1\nline 2\n"  # type: ignore[attr-defined]
    page_b = _page(qtbot, b)
    assert page_b.stack.currentWidget() is page_b.status

    # the same fields edited differently on both, offline
    a.save(a.get(CID).replace(phone="222", notes="line 1\nfrom A\n"))  # type: ignore[attr-defined]
    b.save(b.get(CID).replace(phone="333", notes="line 1\nfrom B\n"))  # type: ignore[attr-defined]
    _sync(qtbot, page_b)
    _sync(qtbot, page_a)

    view = page_a.conflicts
    qtbot.waitUntil(lambda: view.tree.topLevelItemCount() == 1, timeout=10_000)
    item = view.tree.topLevelItem(0)
    assert "Jobcentre" in item.text(0)
    assert item.text(2) == "Notes, Phone"
    qtbot.waitUntil(lambda: page_a.controller.snapshot().conflicts == 1, timeout=10_000)
    editor = view.editor
    assert isinstance(editor, ConflictEditor)
    notes, phone = editor.choosers  # fields in name order
    texts = {v.text for v in notes.field_view.versions}
    assert texts == {"line 1\nfrom A\n", "line 1\nfrom B\n"}
    assert notes.field_view.base_text == "line 1\nline 2\n"
    assert not editor.resolve_button.isEnabled()  # nothing is chosen for the person
    other = next(r for r, v in zip(phone.radios, phone.field_view.versions, strict=True)
                 if not v.this_device)
    other.setChecked(True)
    assert not editor.resolve_button.isEnabled()
    notes.group.button(COMBINED).setChecked(True)
    assert notes.combined is not None
    assert notes.combined.toPlainText() == "line 1\nfrom A\nfrom B\n"  # proposal holds both
    notes.combined.setPlainText("line 1\nfrom A and B\n")
    assert editor.resolve_button.isEnabled()
    view.refresh()  # e.g. a background sync finished: the choices being made stay
    ops.drain()
    assert view.editor is editor and editor.resolve_button.isEnabled()
    qtbot.mouseClick(editor.resolve_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: view.tree.topLevelItemCount() == 0, timeout=10_000)
    assert a.conflicts() == []

    _sync(qtbot, page_a)
    _sync(qtbot, page_b)
    for vault in (a, b):
        contact = vault.get(CID)
        assert contact.notes == "line 1\nfrom A and B\n"  # type: ignore[attr-defined]
        assert contact.phone == "333"  # type: ignore[attr-defined]
        assert vault.conflicts() == []
    assert page_b.controller.snapshot().conflicts == 0
    _close(page_a, page_b)


def test_deleted_here_edited_there_comes_back_and_can_be_deleted_again(
        qtbot, tmp_path: Path, server: LiveServer) -> None:
    from counsel.sync import enrol
    from counsel_ui.sync.conflicts import RestoredPanel

    a, _code = Vault.create(tmp_path / "a.vault", PASS, kdf=KdfParams.fast_for_tests())
    a.save(Contact(id=CID, name="Jobcentre"))
    enrol.connect(a, server.url, "maria", PASS,
                  enrol_secret=server.storage.create_account("maria"))
    page_a = _page(qtbot, a)
    _sync(qtbot, page_a)
    b = enrol.join(tmp_path / "b.vault", server.url, "maria", PASS)
    page_b = _page(qtbot, b)
    a.delete(CID)
    b.save(b.get(CID).replace(notes="typed on b"))  # type: ignore[attr-defined]
    _sync(qtbot, page_b)
    _sync(qtbot, page_a)
    assert a.get(CID).notes == "typed on b"  # type: ignore[attr-defined]  # the edit won
    view = page_a.conflicts
    qtbot.waitUntil(lambda: view.tree.topLevelItemCount() == 1, timeout=10_000)
    assert "came back" in view.tree.topLevelItem(0).text(2)
    panel = view.editor
    assert isinstance(panel, RestoredPanel)
    panel.delete_button.click()
    assert view.confirm is not None and view.confirm.isVisible()
    delete = next(b for b in view.confirm.findChildren(QPushButton) if b.text() == "Delete")
    delete.click()
    qtbot.waitUntil(lambda: view.tree.topLevelItemCount() == 0, timeout=10_000)
    assert not a.exists(CID)
    _sync(qtbot, page_a)
    _sync(qtbot, page_b)
    assert not b.exists(CID)
    _close(page_a, page_b)


def test_sign_out_warns_with_the_unsynced_count(qtbot, tmp_path: Path,
                                                server: LiveServer) -> None:
    from counsel.sync import enrol

    a, _code = Vault.create(tmp_path / "a.vault", PASS, kdf=KdfParams.fast_for_tests())
    enrol.connect(a, server.url, "maria", PASS,
                  enrol_secret=server.storage.create_account("maria"))
    page = _page(qtbot, a)
    page.activateWindow()
    qtbot.waitUntil(page.isActiveWindow)  # a window shortcut needs the active window
    with qtbot.waitSignal(page.controller.synced, timeout=20_000):  # "Sync now" by keyboard
        qtbot.keyClick(page, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier
                       | Qt.KeyboardModifier.ShiftModifier)
    a.save_many([Contact(name="Kela"), Contact(name="TE-palvelut")])
    page.status.sign_out_button.click()
    qtbot.waitUntil(lambda: page.confirm is not None and page.confirm.isVisible())
    assert page.confirm is not None
    assert "2 changes" in page.confirm.text()
    page.confirm.button(QMessageBox.StandardButton.Cancel).click()
    assert page.stack.currentWidget() is page.status  # still signed in
    _close(page)


def test_setup_refuses_plain_http_to_another_machine(qtbot, tmp_path: Path) -> None:
    a, _code = Vault.create(tmp_path / "a.vault", PASS, kdf=KdfParams.fast_for_tests())
    page = _page(qtbot, a)
    form = page.setup
    form.url.setText("http://10.20.30.40:8080")
    form.account.setText("maria")
    form.passphrase.setText(PASS)
    form.secret.setText("whatever")
    qtbot.mouseClick(form.connect_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(form.error.isVisible)
    assert "unencrypted HTTP to 10.20.30.40" in form.error.text()
    form.secret.clear()
    qtbot.mouseClick(form.connect_button, Qt.MouseButton.LeftButton)
    assert "enrolment secret" in form.error.text()  # asked before any network
    form.secret.setText("whatever")
    form.url.setText("https://127.0.0.1:9")  # nothing listens there
    form.passphrase.setText("not the passphrase")
    qtbot.mouseClick(form.connect_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "passphrase" in form.error.text())
    assert page.stack.currentWidget() is form
    _close(page)


def test_offline_shows_backoff_on_page_and_indicator(qtbot, tmp_path: Path,
                                                     server: LiveServer) -> None:
    from counsel.sync import enrol
    from counsel.sync.scheduler import State
    from counsel_ui.sync.page import SyncIndicator

    a, _code = Vault.create(tmp_path / "a.vault", PASS, kdf=KdfParams.fast_for_tests())
    enrol.connect(a, server.url, "maria", PASS,
                  enrol_secret=server.storage.create_account("maria"))
    page = _page(qtbot, a)
    indicator = SyncIndicator(page.session)
    qtbot.addWidget(indicator)
    _sync(qtbot, page)
    assert "Online, synced just now" in indicator.text()
    server.stop()  # the network goes away
    page.controller.sync_now()
    qtbot.waitUntil(lambda: page.controller.snapshot().state is State.OFFLINE, timeout=20_000)
    assert page.status.fields["state"].text().startswith("Offline, trying again in")
    assert "Offline" in indicator.text()
    assert page.controller.scheduler.failures == 1
    assert page.status.sync_button.isEnabled()  # "Sync now" still tries at once
    _close(page)


def test_setup_errors_offline_and_wrong_secret(qtbot, tmp_path: Path, server: LiveServer) -> None:
    a, _code = Vault.create(tmp_path / "a.vault", PASS, kdf=KdfParams.fast_for_tests())
    page = _page(qtbot, a)
    form = page.setup
    server.storage.create_account("maria")
    form.url.setText("https://127.0.0.1:9")  # nothing listens there
    form.account.setText("maria")
    form.passphrase.setText(PASS)
    form.secret.setText("not the secret")
    qtbot.mouseClick(form.connect_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(form.error.isVisible, timeout=20_000)
    assert "cannot be reached" in form.error.text()
    form.url.setText(server.url)
    form.passphrase.setText(PASS)
    qtbot.mouseClick(form.connect_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "enrolment secret is not correct" in form.error.text(),
                    timeout=20_000)
    assert page.controller.snapshot().creds is None
    assert page.stack.currentWidget() is form
    _close(page)
