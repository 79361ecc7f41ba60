"""The unlock's last turn on the UI thread makes the workspace, and reads nothing from the
vault there: right after unlock the vault is busy with Today's first reads, and a read
from the UI thread waited for them (docs/performance.md, "UI stalls (session 6)")."""

from __future__ import annotations

import threading
from pathlib import Path

from PySide6.QtWidgets import QMessageBox
from uihelp import unlock

from counsel.vault.kdf import KdfParams
from counsel.vault.service import Vault


def test_damage_is_read_off_the_ui_thread_and_still_told(qtbot, vault_path: Path,  # type: ignore[no-untyped-def]
                                                          monkeypatch) -> None:
    from counsel.sync import status as sync_status
    from counsel_ui.shell.main_window import MainWindow

    threads: list[threading.Thread] = []

    def damaged(self: Vault) -> dict[str, str]:
        threads.append(threading.current_thread())
        return {"contact1": "unreadable"}

    monkeypatch.setattr(Vault, "damaged", damaged)
    monkeypatch.setattr(sync_status, "warnings", lambda _vault: ["Some records are damaged."])
    monkeypatch.setenv("COUNSEL_HOME", str(vault_path.parent / "home"))
    win = MainWindow(vault_path, kdf=KdfParams.fast_for_tests())
    qtbot.addWidget(win)
    win.show()
    unlock(qtbot, win)
    qtbot.waitUntil(lambda: getattr(win, "damage_box", None) is not None, timeout=5000)
    assert threads and all(t is not threading.main_thread() for t in threads)
    box = win.damage_box
    assert isinstance(box, QMessageBox) and box.isVisible()
    assert box.text() == "Some records are damaged."
    assert "contact1: unreadable" in box.detailedText()
    box.accept()
    win.lock()


def test_damage_read_after_the_lock_says_nothing(qtbot, vault_path: Path,  # type: ignore[no-untyped-def]
                                                 monkeypatch) -> None:
    """Locked before the read came back: no box over the unlock window, no error."""
    from counsel_ui.common import ops
    from counsel_ui.shell.main_window import MainWindow

    release = threading.Event()

    def damaged(self: Vault) -> dict[str, str]:
        release.wait(10)
        return {"contact1": "unreadable"}

    monkeypatch.setattr(Vault, "damaged", damaged)
    monkeypatch.setenv("COUNSEL_HOME", str(vault_path.parent / "home"))
    win = MainWindow(vault_path, kdf=KdfParams.fast_for_tests())
    qtbot.addWidget(win)
    win.show()
    unlock(qtbot, win)
    release.set()
    win.lock()
    ops.drain()
    qtbot.wait(50)
    assert getattr(win, "damage_box", None) is None
    assert not [w for w in win.findChildren(QMessageBox) if w.isVisible()]
