"""Render the last-backup reminder and "Back up now…" to PNG per interface language, on
the demo vault whose last backup was 12 days ago.

    python -m counsel_ui.devtools.backup_shots --out docs/screenshots [--langs fi ar]

Writes ``<lang>-backup-reminder.png`` (Today with the notice), ``<lang>-backup-settings.png``
(Settings with the reminder days and the action), ``<lang>-backup-done.png`` (the
message after a backup into a file, verified) ``<lang>-backup-restore.png`` (the start
screen of a new computer restoring that file; ``-restore-code``: with the recovery code
instead) and ``<lang>-backup-restored.png`` (Today on
the restored vault, saying what a restore means for clients erased since).
"""

from __future__ import annotations

import datetime as dt
import sys
from collections.abc import Sequence
from pathlib import Path


def _twelve_days_ago(vault_path: Path) -> None:
    from counsel.records import backup_status
    from counsel.vault.service import Vault
    from counsel_ui.devtools.screenshots import DEMO_PASSPHRASE

    vault = Vault.unlock(vault_path, DEMO_PASSPHRASE)
    try:
        when = dt.datetime.now(dt.UTC) - dt.timedelta(days=12)
        vault.settings.set(backup_status.LAST_KEY, {"at": when.isoformat(), "number": 3})
    finally:
        vault.lock()


def render(out: Path, langs: Sequence[str], vault_path: Path, folder: Path) -> list[Path]:
    from PySide6.QtWidgets import QApplication, QMessageBox

    from counsel_ui.common.i18n import apply_language
    from counsel_ui.devtools.screenshots import DEMO_PASSPHRASE, Shots, _settle, unlock_window
    from counsel_ui.shell.backup import back_up
    from counsel_ui.shell.main_window import MainWindow
    from counsel_ui.shell.settings import SettingsDialog

    app = QApplication.instance() or QApplication([])
    shot = Shots(app, out, prefix="backup-", rounds=80)
    for lang in langs:
        _twelve_days_ago(vault_path)
        apply_language(app, lang)
        win = MainWindow(vault_path)
        win.resize(1280, 800)
        win.show()
        unlock_window(app, win, DEMO_PASSPHRASE)
        assert win.workspace is not None and win.session is not None
        win.workspace.show_page("today")
        shot(lang, "reminder", win, 150)
        win.open_settings()
        _settle(app, 20)
        dialog = next(w for w in QApplication.topLevelWidgets()
                      if isinstance(w, SettingsDialog) and w.isVisible())
        shot(lang, "settings", dialog)
        dialog.reject()
        notice = win.workspace.page("today").backup_notice  # type: ignore[attr-defined]
        back_up(win.session, notice, folder / f"{lang}-counsel.backup")
        for _i in range(400):
            _settle(app, 1)
            box = notice.property("backup_box")
            if isinstance(box, QMessageBox) and box.isVisible():
                break
        shot(lang, "done", notice.property("backup_box"))
        notice.property("backup_box").close()
        win.lock()
        win.close()
        _restore_screen(app, shot, lang, folder / f"{lang}-counsel.backup", folder)
    return shot.written


def _restore_screen(app: object, shot: object, lang: str, backup_file: Path,
                    folder: Path) -> None:
    from counsel_ui.devtools.screenshots import DEMO_PASSPHRASE, unlock_window
    from counsel_ui.shell import backup as ui_backup
    from counsel_ui.shell.main_window import MainWindow

    real = ui_backup.choose_backup
    ui_backup.choose_backup = lambda _parent: backup_file  # type: ignore[assignment]
    try:
        win = MainWindow(folder / f"{lang}-new-computer" / "counsel.vault")
        win.resize(1000, 560)
        win.show()
        win.unlock_screen.restore.click()
        shot(lang, "restore", win)  # type: ignore[operator]
        win.unlock_screen.use_code.setChecked(True)  # "I have the recovery code instead"
        shot(lang, "restore-code", win)  # type: ignore[operator]
        win.unlock_screen.use_code.setChecked(False)
        unlock_window(app, win, DEMO_PASSPHRASE)  # restores, then opens it
        assert win.workspace is not None
        win.workspace.show_page("today")
        shot(lang, "restored", win, 150)  # type: ignore[operator]
        win.lock()
        win.close()
    finally:
        ui_backup.choose_backup = real


def main(argv: Sequence[str] | None = None) -> int:
    from counsel_ui.devtools.screenshots import make_demo_vault, shots_parser, shots_session

    args = shots_parser("python -m counsel_ui.devtools.backup_shots").parse_args(argv)
    with shots_session() as (_app, tmp):
        vault_path = make_demo_vault(tmp)
        for path in render(args.out, args.langs, vault_path, tmp):
            print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
