"""Recovering with the printed code rotates the keys and makes a NEW recovery code: the
app shows it once, like at creation, and the used code stops working (issue 11)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication

from counsel.errors import WrongRecoveryCode
from counsel.vault.kdf import KdfParams
from counsel.vault.service import Vault
from counsel_ui.shell.main_window import MainWindow
from counsel_ui.shell.unlock import RecoveryCodeDialog

NEW = "a brand new passphrase"


def test_recovery_in_the_app_shows_the_new_code(qtbot, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "r.vault"
    v, old_code = Vault.create(path, "correct horse battery", kdf=KdfParams.fast_for_tests())
    v.lock()
    win = MainWindow(path, kdf=KdfParams.fast_for_tests())
    qtbot.addWidget(win)
    win.show()
    screen = win.unlock_screen
    screen.switch.click()
    assert screen.mode == "recover"
    screen.code.setText(old_code)
    screen.passphrase.setText(NEW)
    screen.repeat.setText(NEW)
    screen.submit()
    qtbot.waitUntil(lambda: any(isinstance(w, RecoveryCodeDialog) and w.isVisible()
                                for w in QApplication.topLevelWidgets()), timeout=10_000)
    dlg = next(w for w in QApplication.topLevelWidgets() if isinstance(w, RecoveryCodeDialog))
    assert dlg.code != old_code and len(dlg.code.replace("-", "")) == 32
    if os.environ.get("COUNSEL_SHOTS"):
        dlg.grab().save(os.environ["COUNSEL_SHOTS"])
    dlg.confirm.setChecked(True)
    dlg.ok.click()
    qtbot.waitUntil(lambda: not win.locked)
    new_code = dlg.code
    win.lock()
    with pytest.raises(WrongRecoveryCode):
        Vault.recover(path, old_code, "another passphrase")
    Vault.recover(path, new_code, "another passphrase").lock()
