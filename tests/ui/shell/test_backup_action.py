"""The last-backup reminder on Today and "Back up now…" (notice, File menu, Settings):
the backup is made in the background, restorable, audited, and the reminder goes away."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication
from uihelp import PASSPHRASE

from counsel.records import backup, backup_status
from counsel.vault.service import Vault


def _today(window):  # type: ignore[no-untyped-def]
    from counsel_ui.today.page import TodayPage

    page = window.workspace.page("today")
    assert isinstance(page, TodayPage)
    return page


def _shows(qtbot, notice, text: str) -> None:  # type: ignore[no-untyped-def]
    """Ask the notice to look again and wait until it says ``text`` (a refresh queued
    earlier may still answer first with what it saw then)."""
    notice.refresh()
    qtbot.waitUntil(lambda: notice.isVisible() and text in notice.label.text(), timeout=10_000)


def _hidden(qtbot, notice) -> None:  # type: ignore[no-untyped-def]
    notice.refresh()
    qtbot.waitUntil(lambda: not notice.isVisible(), timeout=10_000)


def _chosen(monkeypatch: pytest.MonkeyPatch, path: Path) -> list[Path]:
    from counsel_ui.shell import backup as ui_backup

    asked: list[Path] = []

    def choose(_parent: object) -> Path:
        asked.append(path)
        return path

    monkeypatch.setattr(ui_backup, "choose_file", choose)
    return asked


def test_the_reminder_and_back_up_now(qtbot, window, vault_path: Path,  # type: ignore[no-untyped-def]
                                      tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    notice = _today(window).backup_notice
    _shows(qtbot, notice, "never been backed up")

    out = tmp_path / "usb" / "counsel.backup"
    asked = _chosen(monkeypatch, out)
    notice.button.click()
    qtbot.waitUntil(lambda: notice.property("backup_box") is not None, timeout=10_000)
    assert asked == [out] and out.is_file()
    _hidden(qtbot, notice)
    vault = window.session.vault
    assert [e.action for e in vault.audit.entries() if e.record_kind == "backup"] == ["export"]
    box = notice.property("backup_box")
    assert box is not None and "verified" in box.text()
    box.close()

    # the backup restores on "another machine" with the passphrase
    restored = tmp_path / "other" / "restored.vault"
    backup.restore(out, restored, passphrase=PASSPHRASE)
    again = Vault.unlock(restored, PASSPHRASE)
    try:
        assert again.check().ok and again.count() == vault.count() - 2  # + entry, + time
    finally:
        again.lock()

    # ten days later the reminder is back; a 30-day setting hides it again
    old = dt.datetime.now(dt.UTC) - dt.timedelta(days=10)
    vault.settings.set(backup_status.LAST_KEY, {"at": old.isoformat(), "number": 1})
    _shows(qtbot, notice, "more than 7 days ago")
    backup_status.set_remind_days(vault, 30)
    _hidden(qtbot, notice)


def test_file_menu_and_settings_back_up(qtbot, window, tmp_path: Path,  # type: ignore[no-untyped-def]
                                        monkeypatch: pytest.MonkeyPatch) -> None:
    from counsel_ui.common import ops
    from counsel_ui.shell.settings import SettingsDialog

    out = tmp_path / "menu.backup"
    asked = _chosen(monkeypatch, out)
    actions = [a for m in window.menuBar().actions() if m.menu() is not None
               for a in m.menu().actions() if a.text() == "Back up now…"]
    assert len(actions) == 1
    actions[0].trigger()
    ops.drain()
    qtbot.waitUntil(lambda: out.is_file(), timeout=10_000)
    ops.drain()
    first = out.stat().st_size

    window.open_settings()
    dialog = next(w for w in QApplication.topLevelWidgets()
                  if isinstance(w, SettingsDialog) and w.isVisible())
    assert dialog.backup_days.value() == 7
    dialog.backup.click()  # the same file: only what changed is added
    ops.drain()
    qtbot.waitUntil(lambda: out.stat().st_size > first, timeout=10_000)
    ops.drain()
    assert asked == [out, out]
    assert backup.inspect(out, passphrase=PASSPHRASE).number == 2
    dialog.backup_days.setValue(0)
    dialog.accept()
    assert backup_status.reminder(window.session.vault) is None
    assert backup_status.remind_days(window.session.vault) == 0



def _new_computer(qtbot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,  # type: ignore[no-untyped-def]
                  out: Path):
    """A computer with no vault whose file dialog picks the backup ``out``: (window,
    where the vault will be)."""
    from counsel.vault.kdf import KdfParams
    from counsel_ui.shell import backup as ui_backup
    from counsel_ui.shell.main_window import MainWindow

    monkeypatch.setenv("COUNSEL_HOME", str(tmp_path / "new-home"))
    monkeypatch.setattr(ui_backup, "choose_backup", lambda _parent: out)
    target = tmp_path / "new-computer" / "counsel.vault"
    win = MainWindow(target, kdf=KdfParams.fast_for_tests())
    qtbot.addWidget(win)
    win.show()
    return win, target


def test_restore_from_a_backup_on_a_new_computer(qtbot, vault_path: Path,  # type: ignore[no-untyped-def]
                                                 tmp_path: Path,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:

    vault = Vault.unlock(vault_path, PASSPHRASE)
    clients = sorted(c.name for c in vault.clients())
    out = tmp_path / "stick" / "counsel.backup"
    backup.backup(vault.backup_port, out)
    vault.lock()
    win, target = _new_computer(qtbot, tmp_path, monkeypatch, out)
    screen = win.unlock_screen
    assert screen.mode == "create" and screen.restore.isVisible()
    screen.restore.click()
    assert screen.mode == "restore" and not screen.repeat.isVisible()
    assert str(out) in screen.hints.text()

    screen.passphrase.setText("not the passphrase")
    screen.submit()
    qtbot.waitUntil(lambda: not screen._busy, timeout=10_000)  # noqa: SLF001
    assert not target.exists() and win.locked
    assert "did not open" in screen.message.text()

    screen.passphrase.setText(PASSPHRASE)
    screen.submit()
    qtbot.waitUntil(lambda: not win.locked, timeout=10_000)
    assert sorted(c.name for c in win.session.vault.clients()) == clients
    assert win.session.vault.check().ok
    # Today says where the vault came from and what that means for erased clients
    notice = _today(win).backup_notice
    _shows(qtbot, notice, "restored from a backup")
    assert "erase them again" in notice.label.text()
    assert "more than" not in notice.label.text()  # the backup counts as the last one
    notice.read_button.click()
    _hidden(qtbot, notice)
    assert backup_status.restored(win.session.vault) is None
    win.lock()
    assert screen.mode == "unlock"


def test_restore_with_the_recovery_code_instead(qtbot, tmp_path: Path,  # type: ignore[no-untyped-def]
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    """Passphrase forgotten and the computer gone: the app restores the backup with the
    printed code (as `counsel restore --recovery-code`), sets a new passphrase and shows
    the NEW recovery code once; a wrong code writes nothing."""
    from counsel.domain import Client
    from counsel.vault.kdf import KdfParams
    from counsel_ui.shell.unlock import RecoveryCodeDialog

    old, code = Vault.create(tmp_path / "old.vault", PASSPHRASE, kdf=KdfParams.fast_for_tests())
    old.save(Client(name="Hodan Ali"))
    out = tmp_path / "stick" / "counsel.backup"
    backup.backup(old.backup_port, out)
    old.lock()
    win, target = _new_computer(qtbot, tmp_path, monkeypatch, out)
    screen = win.unlock_screen
    screen.restore.click()
    assert screen.mode == "restore" and screen.use_code.isVisible()
    assert not screen.code.isVisible()
    screen.use_code.setChecked(True)
    assert screen.mode == "restore-code"
    assert screen.code.isVisible() and screen.repeat.isVisible()
    assert out.name in screen.intro.text()

    new = "a brand new passphrase"
    screen.code.setText("AAAA-BBBB-CCCC-DDDD-EEEE-FFFF-GGGG-HHHH")
    screen.passphrase.setText(new)
    screen.repeat.setText(new)
    screen.submit()
    qtbot.waitUntil(lambda: not screen._busy, timeout=10_000)  # noqa: SLF001
    assert not target.exists() and win.locked
    assert "did not open" in screen.message.text()

    screen.passphrase.setText(new)
    screen.repeat.setText("something else entirely")
    screen.submit()
    assert "do not match" in screen.message.text() and not target.exists()

    screen.code.setText(code.lower().replace("-", " "))  # as people type it
    screen.passphrase.setText(new)
    screen.repeat.setText(new)
    screen.submit()
    qtbot.waitUntil(lambda: any(isinstance(w, RecoveryCodeDialog) and w.isVisible()
                                for w in QApplication.topLevelWidgets()), timeout=10_000)
    dlg = next(w for w in QApplication.topLevelWidgets()
               if isinstance(w, RecoveryCodeDialog) and w.isVisible())
    assert dlg.code != code
    dlg.confirm.setChecked(True)
    dlg.ok.click()
    qtbot.waitUntil(lambda: not win.locked, timeout=10_000)
    assert [c.name for c in win.session.vault.clients()] == ["Hodan Ali"]
    assert backup_status.restored(win.session.vault) is not None  # Today says so
    win.lock()
    Vault.unlock(target, new).lock()  # the new passphrase opens it
