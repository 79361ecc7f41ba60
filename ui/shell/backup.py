"""Back up now… and the reminder when the last backup is old (counsel.records.backup).

``BackupNotice`` sits on the Today page: hidden while the last backup is recent, else it
says how old it is (or that there is none) with a "Back up now…" button.  The same
action is in the File menu and in Settings.  The backup runs on the storage-writer pool
(it copies the vault under its lock, then seals and writes off the UI thread); when it
is verified, the audit entry and the last-backup time are saved and the notice hides.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QFileDialog,
    QFrame,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QWidget,
)

from counsel.i18n import display
from counsel.i18n import gettext as _
from counsel.records import backup_status
from counsel_ui.common.ops import Op
from counsel_ui.common.widgets import align_leading, named

if TYPE_CHECKING:
    from counsel.records.backup import BackupResult
    from counsel_ui.shell.session import Session

#: the kind announced on ``session.changed`` after a backup (the notice listens)
CHANGED = "backup"


def reminder_text(reminder: backup_status.Reminder) -> str:
    if reminder.last is None:
        return _("This vault has never been backed up. Back it up to a USB stick or another "
                 "disk.")
    last = reminder.last.astimezone().date()
    return _("The last backup was made on {date}, more than {n} days ago.").format(
        date=display.date(last), n=reminder.days)


def choose_file(parent: QWidget) -> Path | None:
    """Ask where to back up; choosing an earlier backup file adds only what changed."""
    name, _filter = QFileDialog.getSaveFileName(
        parent, _("Back up the vault"), str(Path.home() / "counsel.backup"),
        _("Counsel backups (*.backup);;All files (*)"),
        options=QFileDialog.Option.DontConfirmOverwrite)
    return Path(name) if name else None


def choose_backup(parent: QWidget) -> Path | None:
    """Ask which backup file to restore."""
    name, _filter = QFileDialog.getOpenFileName(
        parent, _("Restore from a backup"), str(Path.home()),
        _("Counsel backups (*.backup);;All files (*)"))
    return Path(name) if name else None


def back_up(session: Session, parent: QWidget, path: Path | None = None) -> Op | None:
    """Back up into ``path`` (asked for when None) on the writer pool; tell the result."""
    path = path or choose_file(parent)
    if path is None:
        return None
    vault = session.vault

    def work() -> BackupResult:
        from counsel.records import backup

        result = backup.backup(vault.backup_port, path)
        backup_status.record_done(vault, result)
        return result

    def done(result: BackupResult) -> None:
        session.changed.emit(frozenset({CHANGED, "setting"}))
        if result.rewritten:
            text = _("Backup {n} written to {path} and verified: {size}.").format(
                n=result.number, path=result.path, size=_size(result.file_size))
        else:
            text = _("Backup {n} added to {path} and verified: {added} added, {size} in "
                     "all.").format(n=result.number, path=result.path,
                                    added=_size(result.added), size=_size(result.file_size))
        box = QMessageBox(QMessageBox.Icon.Information, _("Backup made"), text,
                          QMessageBox.StandardButton.Ok, parent)
        box.open()
        parent.setProperty("backup_box", box)

    return Op(parent, work, write=True).success(done).run()


def _size(n: int) -> str:
    return f"{n / 1_000_000:.1f} MB" if n >= 100_000 else f"{n / 1000:.1f} kB"


class BackupNotice(QFrame):
    """The last-backup reminder with its "Back up now…" button (hidden when recent)."""

    refreshed = Signal()

    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setObjectName("backupNotice")
        lay = QHBoxLayout(self)
        self.label = align_leading(QLabel())
        self.label.setWordWrap(True)
        lay.addWidget(self.label, 1)
        self.button = QPushButton(_("&Back up now…"))
        named(self.button, _("Back up now"))
        self.button.clicked.connect(lambda: back_up(self.session, self))
        lay.addWidget(self.button)
        self.read_button = QPushButton(_("&Understood"))
        self.read_button.clicked.connect(self._read)
        lay.addWidget(self.read_button)
        self.restored: backup_status.Restored | None = None
        self.hide()
        session.changed.connect(self._on_changed)
        self.refresh()

    def _on_changed(self, kinds: frozenset[str]) -> None:
        if CHANGED in kinds or "setting" in kinds:
            self.refresh()

    def refresh(self) -> None:
        if self.session.vault.locked:
            return
        vault = self.session.vault
        Op(self, lambda: (backup_status.restored(vault), backup_status.reminder(vault)),
           write=False).success(lambda found: self._show(*found)).run()

    def _show(self, restored: backup_status.Restored | None, reminder: Any) -> None:
        self.restored = restored
        texts = []
        if restored is not None:
            texts.append(restored_text(restored))
        if reminder is not None:
            texts.append(reminder_text(reminder))
        self.read_button.setVisible(restored is not None)
        self.button.setVisible(reminder is not None)
        if texts:
            self.label.setText("\n".join(texts))
            named(self, self.label.text())
            self.show()
        else:
            self.hide()
        self.refreshed.emit()

    def _read(self) -> None:
        vault = self.session.vault
        Op(self, lambda: backup_status.mark_restored_read(vault)).success(
            lambda _r: self.session.changed.emit(frozenset({CHANGED, "setting"}))).run()


def restored_text(restored: backup_status.Restored) -> str:
    made = display.date(restored.backup_made.astimezone().date())
    return _("This vault was restored from a backup made on {date}. Clients erased after "
             "that date are in it again: erase them again.").format(date=made)
