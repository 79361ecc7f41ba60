"""The main window: the unlock screen or the workspace, auto-lock, lock shortcut.

Locking flushes open editors' drafts (encrypted), remembers where the user was (ids
only), destroys every page and drops the vault's keys.  Unlocking builds a fresh
workspace and returns there, reopening an editor from its draft.
"""

from __future__ import annotations

import logging
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QByteArray, QEvent, QObject, QSettings, QTimer
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import QApplication, QDialog, QMainWindow, QStackedWidget

from counsel.app.policies import DEFAULT_IDLE_MINUTES, AppointmentTimer, IdlePolicy, Resume
from counsel.i18n import gettext as _
from counsel_ui.common import ops, responsive
from counsel_ui.shell.unlock import RecoveryCodeDialog, UnlockScreen

if TYPE_CHECKING:  # the workspace is imported on unlock, not at start
    from counsel.vault.kdf import KdfParams
    from counsel_ui.shell.session import Session
    from counsel_ui.shell.workspace import Workspace

log = logging.getLogger("counsel.ui")
IDLE_SETTING = "ui.autolock_minutes"
_INPUT_EVENTS = {QEvent.Type.KeyPress, QEvent.Type.MouseButtonPress, QEvent.Type.MouseMove,
                 QEvent.Type.Wheel, QEvent.Type.TouchBegin}


def _window_settings() -> QSettings:
    """Window geometry only (STYLE.md), in Counsel's config folder so COUNSEL_HOME and
    the portable mode keep it beside everything else."""
    from counsel import paths

    return QSettings(str(paths.config_dir() / "window.ini"), QSettings.Format.IniFormat)


class _ActivityFilter(QObject):
    def __init__(self, policy: IdlePolicy, parent: QObject) -> None:
        super().__init__(parent)
        self.policy = policy

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:  # noqa: N802
        if event.type() in _INPUT_EVENTS:
            self.policy.touch(time.monotonic())
        return False


class MainWindow(QMainWindow):
    def __init__(self, vault_path: Path, *, kdf: KdfParams | None = None,
                 idle_check_ms: int = 5000) -> None:
        super().__init__()
        responsive.apply()
        self.setWindowTitle(_("Counsel"))  # never client data in the title
        self.setObjectName("counselMain")
        self.vault_path = Path(vault_path)
        self.session: Session | None = None
        self.workspace: Workspace | None = None
        self.resume = Resume()
        self.timer = AppointmentTimer()
        self.idle = IdlePolicy(DEFAULT_IDLE_MINUTES, time.monotonic())
        self.stack = QStackedWidget()
        self.setCentralWidget(self.stack)
        self.kdf = kdf
        self.unlock_screen = self._make_unlock_screen()
        self.stack.addWidget(self.unlock_screen)
        self._filter = _ActivityFilter(self.idle, self)
        # once the window is painted: the first event PySide hands a Python filter for one
        # of Qt's internal objects makes it build every Qt class's Python type (~160 enums,
        # ~25 ms) — not before the first paint (cold start, issue 13); nobody types earlier
        self.unlock_screen.after_first_paint(self._watch_activity)
        self._idle_timer = QTimer(self)
        self._idle_timer.setInterval(idle_check_ms)
        self._idle_timer.timeout.connect(self.check_idle)
        self._idle_timer.start()
        self.resize(1100, 720)
        geometry = _window_settings().value("main/geometry")
        if isinstance(geometry, QByteArray):
            self.restoreGeometry(geometry)

    def _watch_activity(self) -> None:
        """Input anywhere in the app counts as activity (installing twice is harmless:
        Qt keeps one)."""
        app = QApplication.instance()
        if app is not None:
            app.installEventFilter(self._filter)

    def _make_unlock_screen(self) -> UnlockScreen:
        screen = UnlockScreen(self.vault_path, kdf=self.kdf)
        screen.unlocked.connect(self.on_unlocked)
        screen.created.connect(self.on_created)
        return screen

    def _make_workspace(self, session: Session) -> Workspace:
        from counsel_ui.shell.workspace import Workspace

        workspace = Workspace(session)
        workspace.lock_button.clicked.connect(self.lock)
        workspace.settings_button.clicked.connect(self.open_settings)
        self.stack.addWidget(workspace)
        self.stack.setCurrentWidget(workspace)
        workspace.shortcuts.fill(self.menuBar())
        from counsel_ui.sync.controller import controller_for

        controller_for(session).revoked.connect(self.on_revoked)
        return workspace

    def on_revoked(self, outcome: Any) -> None:
        """The server refused this computer (``counsel.sync.revocation``): say what the
        checked notice and the organisation policy decided; a wipe locks first."""
        from PySide6.QtWidgets import QMessageBox

        from counsel import paths
        from counsel.app.prefs import prefs_path
        from counsel.sync import revocation

        if outcome.kind == "wipe" and self.session is not None:
            vault = self.session.vault
            self.lock()
            outcome = revocation.finish(vault, outcome, [prefs_path(paths.config_dir()),
                                                         paths.config_dir() / "window.ini"])
            self.unlock_screen.reset()
        icon = (QMessageBox.Icon.Warning if outcome.kind in ("forged", "unsynced")
                else QMessageBox.Icon.Information)
        box = QMessageBox(icon, _("This computer and the sync server"), outcome.message,
                          QMessageBox.StandardButton.Ok, self)
        self.revoked_box: QMessageBox | None = box
        box.open()

    @property
    def locked(self) -> bool:
        return self.session is None

    # -- unlock ------------------------------------------------------------------------------
    def on_created(self, vault: object, code: str) -> None:
        dlg = RecoveryCodeDialog(code, self)
        dlg.finished.connect(lambda _r: self.on_unlocked(vault))
        dlg.open()

    def on_unlocked(self, vault: object) -> None:
        from counsel.teams.vaultset import VaultSet
        from counsel.vault.service import Vault

        vaults = vault if isinstance(vault, VaultSet) else None
        if vaults is not None:  # the personal vault with this computer's team copies
            vault = vaults.personal
        assert isinstance(vault, Vault)
        responsive.freeze_unlocked()
        from counsel_ui.shell.session import Session

        self.session = Session(vault, self, self.timer, vaults)
        minutes = vault.settings.get(IDLE_SETTING, DEFAULT_IDLE_MINUTES)
        self.idle.minutes = IdlePolicy.clamp(int(minutes))
        self._watch_activity()  # already, unless the unlock screen was never painted
        self.idle.touch(time.monotonic())
        self.workspace = self._make_workspace(self.session)
        self.workspace.restore(self.resume)
        self.workspace.restore_forms()
        log.info("vault unlocked")
        self._tell_damage(vault)

    def _tell_damage(self, vault: Any) -> None:
        """Damage found in the vault file (issue 11) is said at every unlock, with what to
        do, until the file is restored; the Sync page lists it too.  Read on the reader
        pool: at unlock the vault is busy with Today's first reads, and asked from the UI
        thread this waited for them (~75 ms in the unlock's last turn, large vault)."""
        from counsel.sync import status as sync_status

        def work() -> tuple[dict[str, str], str]:
            damaged = vault.damaged()
            return damaged, sync_status.warnings(vault)[-1] if damaged else ""

        def failed(exc: BaseException) -> None:
            if self._unlocked_on(vault):  # locked meanwhile: nothing to say any more
                from counsel_ui.common.errors import show_error

                show_error(self, exc)

        # behind the search and the quick log in the readers' queue: it may wait for the lock
        ops.Op(self, work, write=False, priority=ops.BEHIND).success(
            lambda r: self._show_damage(vault, *r)).failure(failed).run()

    def _show_damage(self, vault: Any, damaged: dict[str, str], warning: str) -> None:
        if not damaged or not self._unlocked_on(vault):
            return
        from PySide6.QtWidgets import QMessageBox

        box = QMessageBox(QMessageBox.Icon.Warning, _("Damaged records"), warning,
                          QMessageBox.StandardButton.Ok, self)
        box.setDetailedText("\n".join(f"{r}: {why}" for r, why in sorted(damaged.items())))
        box.open()
        self.damage_box = box

    def _unlocked_on(self, vault: Any) -> bool:
        return self.session is not None and self.session.vault is vault \
            and not self.session.closing

    # -- lock ----------------------------------------------------------------------------------
    def check_idle(self) -> None:
        if not self.locked and self.idle.should_lock(time.monotonic()):
            log.info("auto-lock after idle time")
            self.lock()
        responsive.collect_if_idle(self.idle.last_activity, ops.busy())

    def set_idle_minutes(self, minutes: int) -> None:
        self.idle.minutes = IdlePolicy.clamp(minutes)
        if self.session is not None:
            self.session.vault.settings.set(IDLE_SETTING, self.idle.minutes)

    def open_settings(self) -> None:
        from counsel.i18n import current_language
        from counsel.records import backup_status
        from counsel_ui.shell.settings import SettingsDialog

        days = (backup_status.remind_days(self.session.vault) if self.session is not None
                else backup_status.DEFAULT_DAYS)
        dlg = SettingsDialog(self.idle.minutes, self, current_language(), days)

        def apply() -> None:
            self.set_idle_minutes(dlg.idle.value())
            if self.session is not None and dlg.backup_days.value() != days:
                vault = self.session.vault
                backup_status.set_remind_days(vault, dlg.backup_days.value())
                self.session.changed.emit(frozenset({"setting"}))
            if dlg.chosen_language() != current_language():
                self.switch_language(dlg.chosen_language())

        dlg.accepted.connect(apply)
        dlg.new_recovery_code.connect(self.new_recovery_code)
        dlg.back_up_now.connect(self.back_up)
        dlg.open()

    def back_up(self) -> None:
        """Back up now… (Settings, the File menu, the Today notice): asks where."""
        if self.workspace is not None:
            self.workspace.back_up()

    def new_recovery_code(self) -> None:
        """Replace the recovery code after asking; show the new one once (issue 11).

        The old code stops working here at once, and on the sync server (for devices that
        join later) as soon as the new keyring is uploaded — now if online."""
        from PySide6.QtWidgets import QMessageBox

        from counsel.sync import enrol
        from counsel_ui.common.ops import Op

        if self.session is None:
            return
        answer = QMessageBox.question(
            self, _("New recovery code"),
            _("Make a new recovery code? The one you printed stops working. You will see "
              "the new one once: print it or write it down."))
        if answer != QMessageBox.StandardButton.Yes:
            return
        vault = self.session.vault

        def shown(result: tuple[str, bool]) -> None:
            RecoveryCodeDialog(result[0], self).open()

        Op(self, lambda: enrol.replace_recovery_code(vault)).success(shown).run()

    def switch_language(self, lang: str) -> None:
        """Redraw everything in ``lang``: the pages are rebuilt where the user was, open
        editors reopen from their drafts.  The choice is kept for the next start."""
        from counsel import paths
        from counsel.app.prefs import save_language
        from counsel_ui.common.i18n import apply_language

        app = QApplication.instance()
        assert isinstance(app, QApplication)
        apply_language(app, lang)
        try:
            save_language(paths.config_dir(), lang)
        except OSError:
            log.warning("could not store the interface language")
        self.setWindowTitle(_("Counsel"))
        old_screen = self.unlock_screen
        self.unlock_screen = self._make_unlock_screen()
        self.stack.insertWidget(0, self.unlock_screen)
        self.stack.removeWidget(old_screen)
        old_screen.deleteLater()
        if self.session is None or self.workspace is None:
            self.stack.setCurrentWidget(self.unlock_screen)
            return
        old = self.workspace
        self.resume = old.resume_state()
        ops.drain()
        old.close_editors()  # drafts written; reopened below in the new language
        ops.drain()
        self.stack.removeWidget(old)
        old.deleteLater()
        self.workspace = self._make_workspace(self.session)
        self.workspace.restore(self.resume)

    def lock(self) -> None:
        if self.session is None or self.workspace is None:
            return
        session, workspace = self.session, self.workspace
        session.closing = True
        self.resume = workspace.resume_state()
        ops.drain()
        workspace.close_editors()
        for dialog in self.findChildren(QDialog):
            # quick log, client form, message boxes: nothing stays on screen once locked
            if dialog.isVisible():
                dialog.close()
        self.stack.removeWidget(workspace)
        self.menuBar().clear()  # its actions belong to the workspace
        workspace.deleteLater()
        self.workspace = None
        self.session = None
        workspace.setEnabled(False)
        ops.drain()  # drafts written, callbacks delivered while the keys are still here
        session.vaults.lock()  # the team copies
        session.vault.lock()
        session.deleteLater()
        self.unlock_screen.reset()
        self.stack.setCurrentWidget(self.unlock_screen)
        log.info("vault locked")

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802
        _window_settings().setValue("main/geometry", self.saveGeometry())
        self.lock()
        super().closeEvent(event)
