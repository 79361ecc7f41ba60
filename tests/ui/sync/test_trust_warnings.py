"""What the sync server was caught doing, and damage found in the vault file, are shown
in the app with what to do — and stay until dismissed or restored (issue 11)."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from PySide6.QtWidgets import QMessageBox

from counsel.domain import Contact
from counsel.vault import history
from counsel.vault.kdf import KdfParams
from counsel.vault.service import Vault

PASS = "correct horse battery"


def test_sync_page_lists_warnings_until_dismissed(qtbot, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from counsel_ui.common import ops
    from counsel_ui.shell.session import Session
    from counsel_ui.sync.controller import controller_for
    from counsel_ui.sync.page import SyncPage

    v, _ = Vault.create(tmp_path / "a.vault", PASS, kdf=KdfParams.fast_for_tests())
    v.trust.remember([history.erasure_alarm("c" * 32), history.gap_alarm("d" * 32, 7)])
    session = Session(v)
    controller_for(session, autostart=False)
    page = SyncPage(session)
    qtbot.addWidget(page)
    page.show()
    page.status.show_snapshot(page.controller.snapshot())
    ops.drain()
    qtbot.waitUntil(lambda: "erasure record" in page.status.fields["warnings"].text(),
                    timeout=5000)
    text = page.status.fields["warnings"].text()
    assert "change #7" in text
    assert not page.status.dismiss_button.isHidden()
    page.status.resize(700, 480)
    page.status.grab().save(str(tmp_path / "sync-warnings.png"))
    page.status.dismiss_button.click()
    ops.drain()
    qtbot.waitUntil(lambda: page.status.dismiss_button.isHidden(), timeout=5000)
    assert v.trust.alarms() == []
    page.controller.timer.stop()
    v.lock()


def test_unlock_says_the_vault_file_was_rolled_back(qtbot, tmp_path: Path,  # type: ignore[no-untyped-def]
                                                    monkeypatch) -> None:
    from uihelp import unlock

    from counsel_ui.shell.main_window import MainWindow

    path = tmp_path / "v.vault"
    v, _ = Vault.create(path, PASS, kdf=KdfParams.fast_for_tests())
    v.save(Contact(id="contact1", name="First"))
    v.save(v.get("contact1").replace(name="Second"))  # type: ignore[attr-defined]
    v.lock()
    conn = sqlite3.connect(path)
    first = conn.execute("SELECT rev_id FROM revisions ORDER BY local_seq LIMIT 1").fetchone()[0]
    conn.execute("UPDATE heads SET rev_id=?", (first,))
    conn.commit()
    conn.close()
    monkeypatch.setenv("COUNSEL_HOME", str(tmp_path / "home"))
    win = MainWindow(path, kdf=KdfParams.fast_for_tests())
    qtbot.addWidget(win)
    win.show()
    unlock(qtbot, win, PASS)
    qtbot.waitUntil(lambda: getattr(win, "damage_box", None) is not None, timeout=5000)
    box = win.damage_box
    assert isinstance(box, QMessageBox) and box.isVisible()
    assert "rolled back" in box.text() and "backup" in box.text()
    box.grab().save(str(tmp_path / "damage.png"))
    assert win.session.vault.get("contact1").name == "Second"  # repaired from the history
    box.accept()
    win.lock()
