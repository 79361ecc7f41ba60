"""Create, unlock, wrong passphrase, lock, auto-lock, resume."""

from __future__ import annotations

import time

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QLabel, QLineEdit, QWidget
from uihelp import PASSPHRASE, unlock

from counsel.vault.kdf import KdfParams
from counsel_ui.shell.main_window import MainWindow
from counsel_ui.shell.unlock import RecoveryCodeDialog


def _visible_texts(root: QWidget) -> str:
    texts = []
    for w in [root, *root.findChildren(QWidget)]:
        if isinstance(w, QLabel | QLineEdit):
            texts.append(w.text())
    for w in QApplication.topLevelWidgets():
        if w.isVisible():
            texts.append(w.windowTitle())
    return "\n".join(texts)


def test_first_run_creates_vault_and_requires_recovery_confirmation(qtbot, tmp_path):
    path = tmp_path / "new.vault"
    win = MainWindow(path, kdf=KdfParams.fast_for_tests())
    qtbot.addWidget(win)
    win.show()
    screen = win.unlock_screen
    assert screen.mode == "create" and screen.repeat.isVisible()
    screen.passphrase.setText("short")
    assert screen.meter.value() <= 1
    screen.repeat.setText("short")
    screen.submit()
    assert "8" in screen.message.text() and not path.exists()
    screen.passphrase.setText(PASSPHRASE)
    screen.repeat.setText(PASSPHRASE + "x")
    screen.submit()
    assert "match" in screen.message.text() and not path.exists()
    screen.repeat.setText(PASSPHRASE)
    screen.submit()
    qtbot.waitUntil(lambda: any(isinstance(w, RecoveryCodeDialog) and w.isVisible()
                                for w in QApplication.topLevelWidgets()), timeout=10_000)
    dlg = next(w for w in QApplication.topLevelWidgets() if isinstance(w, RecoveryCodeDialog))
    assert len(dlg.code) >= 20 and path.exists()
    assert not dlg.ok.isEnabled()
    dlg.reject()  # Esc does not skip the code
    assert dlg.isVisible() and win.locked
    dlg.confirm.setChecked(True)
    dlg.ok.click()
    qtbot.waitUntil(lambda: not win.locked)
    assert win.workspace is not None
    win.lock()


def test_wrong_passphrase_is_calm_changes_nothing_and_throttles(qtbot, vault_path):
    before = vault_path.read_bytes()
    win = MainWindow(vault_path, kdf=KdfParams.fast_for_tests())
    qtbot.addWidget(win)
    win.show()
    screen = win.unlock_screen
    assert screen.mode == "unlock" and not screen.repeat.isVisible()
    for _i in range(screen.throttle.free_attempts):
        screen.passphrase.setText("not the passphrase")
        screen.submit()
        qtbot.waitUntil(lambda: not screen._busy, timeout=10_000)
        assert "Nothing was changed" in screen.message.text()
    assert screen.throttle.wait(time.monotonic()) == 0
    screen.passphrase.setText("still wrong")
    screen.submit()
    qtbot.waitUntil(lambda: not screen._busy, timeout=10_000)
    assert screen.throttle.wait(time.monotonic()) > 0
    assert not screen.go.isEnabled() and "try again in" in screen.message.text()
    screen.passphrase.setText(PASSPHRASE)
    screen.submit()  # refused while throttled
    assert win.locked
    assert vault_path.read_bytes() == before


def test_lock_clears_views_and_unlock_returns_to_client(qtbot, window):
    ws = window.workspace
    ws.open_client("a" * 32)
    qtbot.waitUntil(lambda: "Amina Yusuf" in _visible_texts(window))
    vault = window.session.vault
    qtbot.keyClick(window, Qt.Key.Key_L,
                   Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    assert window.locked and vault.locked
    qtbot.waitUntil(lambda: window.workspace is None)
    QApplication.sendPostedEvents(None, 0)  # deleteLater
    assert "Amina" not in _visible_texts(window)
    assert window.resume.client_id == "a" * 32
    unlock(qtbot, window)
    assert window.session.current_client == "a" * 32
    qtbot.waitUntil(lambda: "Amina Yusuf" in _visible_texts(window))


def test_auto_lock_after_idle(qtbot, window, monkeypatch):
    window.set_idle_minutes(1)
    assert window.session.vault.settings.get("ui.autolock_minutes") == 1
    window.check_idle()
    assert not window.locked
    real = time.monotonic
    monkeypatch.setattr(time, "monotonic", lambda: real() + 61)
    window.check_idle()
    assert window.locked


def test_window_title_never_names_a_client(qtbot, window):
    window.workspace.open_client("b" * 32)
    window.workspace.new_encounter("b" * 32)
    titles = [w.windowTitle() for w in QApplication.topLevelWidgets() if w.isVisible()]
    assert titles and not any("أحمد" in t or "Ahmad" in t for t in titles)
