"""The app told "this computer was revoked": a genuine revocation under a wipe policy
locks the window and deletes the vault; the server's word alone deletes nothing."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QMessageBox
from synchelp import LiveServer

from counsel.domain import Contact
from counsel.org import policy
from counsel.org.policy import OrgPolicy
from counsel.sync import credentials, enrol
from counsel.sync.client import SyncClient
from counsel.sync.devices import Devices
from counsel.vault.kdf import KdfParams
from counsel.vault.service import Vault

PASS = "correct horse battery"


def _two_devices(tmp_path: Path, server: LiveServer) -> tuple[Vault, str]:
    """Device A (returned, open) and device B's vault file (locked), wipe policy on."""
    a, _code = Vault.create(tmp_path / "a.vault", PASS, kdf=KdfParams.fast_for_tests())
    secret = server.storage.create_account("maria")
    enrol.connect(a, server.url, "maria", PASS, enrol_secret=secret, name="laptop")
    policy.pin(a, OrgPolicy("org-1", "Example Org", None, "always"), None)
    client = SyncClient.from_vault(a)
    client.sync()
    client.close()
    b = enrol.join(tmp_path / "b" / "b.vault", server.url, "maria", PASS, name="tablet")
    creds = credentials.load(b)
    assert creds is not None and policy.pinned(b) is not None
    b.lock()
    return a, creds.device_id


def _window(qtbot, path: Path):  # type: ignore[no-untyped-def]
    from uihelp import unlock

    from counsel_ui.shell.main_window import MainWindow
    from counsel_ui.sync.controller import controller_for

    win = MainWindow(path, kdf=KdfParams.fast_for_tests())
    qtbot.addWidget(win)
    win.show()
    unlock(qtbot, win, PASS)
    return win, controller_for(win.session)


def test_genuine_revocation_with_wipe_policy_locks_and_deletes(
        qtbot, tmp_path: Path, server: LiveServer) -> None:  # type: ignore[no-untyped-def]
    a, b_id = _two_devices(tmp_path, server)
    b_path = tmp_path / "b" / "b.vault"
    with Devices(a) as devices:
        devices.revoke(b_id)
    a.lock()
    win, controller = _window(qtbot, b_path)
    controller.sync_now()
    qtbot.waitUntil(lambda: getattr(win, "revoked_box", None) is not None, timeout=20_000)
    assert win.locked
    assert not b_path.exists() and not list(b_path.parent.glob("b.vault*"))
    box = win.revoked_box
    assert isinstance(box, QMessageBox) and "deleted" in box.text()
    assert win.unlock_screen.mode == "create"
    box.accept()


def test_the_servers_word_alone_deletes_nothing(
        qtbot, tmp_path: Path, server: LiveServer) -> None:  # type: ignore[no-untyped-def]
    a, b_id = _two_devices(tmp_path, server)
    a.lock()
    b_path = tmp_path / "b" / "b.vault"
    server.storage.revoke_device("maria", b_id)  # no notice: the server alone says so
    win, controller = _window(qtbot, b_path)
    win.session.vault.save(Contact(id="contact0009", name="Unsynced"))
    controller.sync_now()
    qtbot.waitUntil(lambda: getattr(win, "revoked_box", None) is not None, timeout=20_000)
    assert not win.locked and b_path.exists()
    assert win.session.vault.get("contact0009").name == "Unsynced"  # type: ignore[attr-defined]
    box = win.revoked_box
    assert isinstance(box, QMessageBox) and "Nothing was deleted" in box.text()
    box.accept()
    win.lock()
