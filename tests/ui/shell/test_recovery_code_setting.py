"""Settings → New recovery code: asks first, shows the new code once, the old one stops
working (issue 11, finding 6)."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication, QMessageBox

from counsel.vault.service import Vault


def _dialog(cls: type) -> object:
    return next((w for w in QApplication.topLevelWidgets()
                 if isinstance(w, cls) and w.isVisible()), None)


def test_new_recovery_code_from_settings(qtbot, window, vault_path: Path,  # type: ignore[no-untyped-def]
                                         monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    from counsel_ui.common import ops
    from counsel_ui.shell.settings import SettingsDialog
    from counsel_ui.shell.unlock import RecoveryCodeDialog

    window.open_settings()
    settings = _dialog(SettingsDialog)
    assert isinstance(settings, SettingsDialog)
    settings.grab().save(str(tmp_path / "settings.png"))
    asked: list[str] = []

    def yes(parent: object, title: str, text: str, *a: object) -> QMessageBox.StandardButton:
        asked.append(text)
        return QMessageBox.StandardButton.Yes

    monkeypatch.setattr(QMessageBox, "question", yes)
    settings.recovery.click()
    ops.wait_idle()
    qtbot.waitUntil(lambda: _dialog(RecoveryCodeDialog) is not None, timeout=5000)
    shown = _dialog(RecoveryCodeDialog)
    assert isinstance(shown, RecoveryCodeDialog)
    assert asked and "stops working" in asked[0]
    new_code = shown.code
    shown.grab().save(str(tmp_path / "new-code.png"))
    shown.confirm.setChecked(True)
    shown.accept()
    settings.reject()
    window.lock()
    v = Vault.recover(vault_path, new_code, "another passphrase 1")
    v.lock()


def test_refusing_keeps_the_old_code(qtbot, window, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    from counsel_ui.shell.settings import SettingsDialog

    before = window.session.vault.export_keyring()["umk_by_recovery"]
    window.open_settings()
    settings = _dialog(SettingsDialog)
    assert isinstance(settings, SettingsDialog)
    monkeypatch.setattr(QMessageBox, "question",
                        lambda *a: QMessageBox.StandardButton.No)
    settings.recovery.click()
    assert window.session.vault.export_keyring()["umk_by_recovery"] == before
    settings.reject()
