"""The Sync page: set up, status, "Sync now", sign out, and the conflicts to look at.

Also exports :class:`SyncIndicator`, a small status-bar widget for the shell, and
:func:`open_join_dialog` for a computer that has no vault yet.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeySequence, QMouseEvent, QShortcut
from PySide6.QtWidgets import (
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QProgressBar,
    QPushButton,
    QStackedWidget,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from counsel.i18n import display, ngettext
from counsel.i18n import gettext as _
from counsel.sync import status as sync_status
from counsel.sync.scheduler import State
from counsel_ui.common.ops import Op
from counsel_ui.common.widgets import align_leading, named
from counsel_ui.sync.conflicts import ConflictView
from counsel_ui.sync.controller import Snapshot, SyncController, controller_for
from counsel_ui.sync.setup import JoinDialog, SyncSetupForm, progress_words

if TYPE_CHECKING:
    from counsel_ui.shell.session import Session

__all__ = ["JoinDialog", "SyncIndicator", "SyncPage", "install_sync_shortcut",
           "open_join_dialog", "state_words"]

SYNC_NOW_KEY = "Ctrl+Shift+S"
_SHORTCUT_ATTR = "_counsel_sync_shortcut"


def install_sync_shortcut(host: QWidget, session: Session) -> QShortcut:
    """Ctrl+Shift+S anywhere in ``host`` (e.g. the workspace). Call before the Sync page
    is made; the page then leaves the key to this one (two would be ambiguous)."""
    setattr(session, _SHORTCUT_ATTR, True)
    return QShortcut(QKeySequence(SYNC_NOW_KEY), host,
                     lambda: controller_for(session).sync_now())


def state_words(snap: Snapshot, now: dt.datetime | None = None) -> str:
    """One line: where sync stands (used by the page and the indicator)."""
    if not snap.signed_in:
        return _("Not set up")
    if snap.state is State.SYNCING:
        return _("Syncing…")
    if snap.state is State.OFFLINE:
        return _("Offline, {retry}").format(retry=sync_status.retry_text(snap.seconds_to_retry))
    if snap.state is State.ERROR:
        return _("Sync stopped: {reason}").format(reason=snap.message or _("unknown error"))
    if snap.last is None:
        return _("Online, not synced yet")
    now = now or dt.datetime.now(dt.UTC)
    return _("Online, synced {ago}").format(ago=sync_status.ago_text(snap.last.at, now))


def _local_time(at: dt.datetime) -> str:
    from counsel.i18n import display

    local = at.astimezone()
    return f"{display.date(local.date(), 'short')} {display.time(local.time())}"


class SyncIndicator(QLabel):
    """A small sync status for the status bar; a click asks to open the Sync page."""

    open_requested = Signal()

    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.controller = controller_for(session)
        align_leading(self)
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        self.setToolTip(_("Sync status; click to open the Sync page"))
        self.controller.changed.connect(self.update_text)
        self.update_text()

    def update_text(self) -> None:
        snap = self.controller.snapshot()
        dot = {State.SYNCING: "◐", State.OFFLINE: "○", State.ERROR: "⚠"}.get(snap.state, "●")
        text = f"{dot} {state_words(snap)}" if snap.signed_in else _("Sync: not set up")
        extra = snap.conflicts + snap.restored
        if extra:
            text += "  ⚠ " + ngettext("{n} to review", "{n} to review", extra).format(n=extra)
        self.setText(text)
        self.setAccessibleName(_("Sync status") + ": " + text)

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:  # noqa: N802
        self.open_requested.emit()
        super().mouseReleaseEvent(event)


class StatusPanel(QWidget):
    def __init__(self, controller: SyncController, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.controller = controller
        lay = QVBoxLayout(self)
        form = QFormLayout()
        self.fields: dict[str, QLabel] = {}
        for key, label in (("state", _("Status:")), ("server", _("Server:")),
                           ("account", _("Account:")), ("last", _("Last sync:")),
                           ("moved", _("What moved:")), ("unsynced", _("Waiting to be sent:")),
                           ("review", _("To review:")), ("warnings", _("Warnings:"))):
            # beside its label in Arabic too: a Latin address or account name would
            # otherwise sit at the far (left) edge, by its own text's direction
            value = align_leading(QLabel())
            value.setWordWrap(True)
            value.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            value.setAccessibleName(label.rstrip(":"))
            form.addRow(QLabel(label), value)
            self.fields[key] = value
        lay.addLayout(form)
        self.dismiss_button = named(QPushButton(_("&Dismiss warnings")), _("Dismiss warnings"))
        self.dismiss_button.clicked.connect(controller.dismiss_warnings)
        self.dismiss_button.hide()
        lay.addWidget(self.dismiss_button, 0, Qt.AlignmentFlag.AlignLeft)
        self.progress = QProgressBar()
        named(self.progress, _("Sync progress"))
        self.progress.hide()
        self.progress_text = QLabel()
        lay.addWidget(self.progress)
        lay.addWidget(self.progress_text)
        row = QHBoxLayout()
        self.sync_button = named(QPushButton(_("Sync &now")), _("Sync now"))
        self.sync_button.setToolTip(_("Sync now ({key})").format(key=SYNC_NOW_KEY))
        self.sync_button.clicked.connect(controller.sync_now)
        self.review_button = named(QPushButton(_("&Review…")), _("Review conflicts"))
        self.sign_out_button = named(QPushButton(_("Sign &out this computer…")),
                                     _("Sign out this computer"))
        row.addWidget(self.sync_button)
        row.addWidget(self.review_button)
        row.addStretch(1)
        row.addWidget(self.sign_out_button)
        lay.addLayout(row)
        lay.addStretch(1)

    def show_snapshot(self, snap: Snapshot) -> None:
        f = self.fields
        f["state"].setText(state_words(snap))
        if snap.creds is not None:
            f["server"].setText(snap.creds.url)
            f["account"].setText(snap.creds.account)
        if snap.last is not None:
            f["last"].setText(_local_time(snap.last.at))
            f["moved"].setText(sync_status.moved_text(snap.last))
        else:
            f["last"].setText(_("never"))
            f["moved"].setText("—")
        f["unsynced"].setText(ngettext("{n} change", "{n} changes", snap.unsynced)
                              .format(n=snap.unsynced))
        parts = []
        if snap.conflicts:
            parts.append(ngettext("{n} record with conflicting edits",
                                  "{n} records with conflicting edits", snap.conflicts)
                         .format(n=snap.conflicts))
        if snap.restored:
            parts.append(ngettext("{n} deleted record came back",
                                  "{n} deleted records came back", snap.restored)
                         .format(n=snap.restored))
        f["review"].setText(display.join(parts) or _("nothing"))
        f["warnings"].setText("\n".join("⚠ " + w for w in snap.warnings) or _("none"))
        f["warnings"].setStyleSheet("color: #a00000;" if snap.warnings else "")
        self.dismiss_button.setVisible(bool(snap.warnings))
        self.review_button.setEnabled(bool(parts))
        busy = snap.state is State.SYNCING
        self.sync_button.setEnabled(not busy)
        self.progress.setVisible(busy)
        if busy and snap.progress is not None and snap.progress.total:
            self.progress.setRange(0, snap.progress.total)
            self.progress.setValue(min(snap.progress.done, snap.progress.total))
        elif busy:
            self.progress.setRange(0, 0)  # a first download has no known total
        self.progress_text.setText(progress_words(snap.progress)
                                   if busy and snap.progress is not None else "")


class SyncPage(QWidget):
    def __init__(self, session: Session, parent: QWidget | None = None,
                 controller: SyncController | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.controller = controller or controller_for(session)
        lay = QVBoxLayout(self)
        heading = QLabel(_("Sync"))
        font = heading.font()
        font.setPointSizeF(font.pointSizeF() * 1.4)
        heading.setFont(font)
        lay.addWidget(heading)
        self.tabs = QTabWidget()
        named(self.tabs, _("Sync"))
        self.stack = QStackedWidget()
        self.setup = SyncSetupForm(session)
        self.setup.connected.connect(self._connected)
        self.status = StatusPanel(self.controller)
        self.status.sign_out_button.clicked.connect(self.ask_sign_out)
        self.status.review_button.clicked.connect(lambda: self.tabs.setCurrentIndex(1))
        self.stack.addWidget(self.setup)
        self.stack.addWidget(self.status)
        self.tabs.addTab(self.stack, _("Status"))
        self.conflicts = ConflictView(session, self.controller)
        self.tabs.addTab(self.conflicts, _("Conflicts"))
        lay.addWidget(self.tabs, 1)
        self.confirm: QMessageBox | None = None
        if not getattr(session, _SHORTCUT_ATTR, False):
            QShortcut(QKeySequence(SYNC_NOW_KEY), self, self.controller.sync_now)
        self.controller.changed.connect(self.refresh)
        self.refresh()

    def refresh(self) -> None:
        snap = self.controller.snapshot()
        self.stack.setCurrentWidget(self.status if snap.signed_in else self.setup)
        self.status.show_snapshot(snap)
        n = snap.conflicts + snap.restored
        self.tabs.setTabText(1, _("Conflicts ({n})").format(n=n) if n else _("Conflicts"))

    def _connected(self, creds: Any) -> None:
        self.controller.signed_in_as(creds)

    def ask_sign_out(self) -> None:
        """Warn with the unsynced count before anything that could strand local work."""
        vault = self.session.vault
        Op(self, lambda: sync_status.unsynced_count(vault), write=False).success(
            self._confirm_sign_out).run()

    def _confirm_sign_out(self, waiting: int) -> None:
        box = QMessageBox(self)
        box.setWindowTitle(_("Sign out this computer"))
        if waiting:
            box.setIcon(QMessageBox.Icon.Warning)
            box.setText(ngettext(
                "{n} change on this computer has not reached the server yet.",
                "{n} changes on this computer have not reached the server yet.",
                waiting).format(n=waiting))
            box.setInformativeText(_("Sync first. If you sign out now, the changes stay in "
                                     "this vault file, but no other computer will see them "
                                     "until this one signs in again."))
            sync_first = box.addButton(_("Sync first"), QMessageBox.ButtonRole.AcceptRole)
            sync_first.clicked.connect(self.controller.sync_now)
        else:
            box.setIcon(QMessageBox.Icon.Question)
            box.setText(_("Everything on this computer has reached the server."))
            box.setInformativeText(_("After signing out, this computer stops syncing until "
                                     "it signs in again. The vault file stays here."))
        out = box.addButton(_("Sign out"), QMessageBox.ButtonRole.DestructiveRole)
        out.clicked.connect(self.sign_out)
        box.addButton(QMessageBox.StandardButton.Cancel)
        self.confirm = box
        box.open()

    def sign_out(self) -> None:
        vault = self.session.vault
        Op(self, lambda: sync_status.sign_out(vault), write=False).success(
            lambda _r: self.controller.signed_in_as(None)).run()


def open_join_dialog(vault_path: Path, parent: QWidget | None = None) -> JoinDialog:
    """For the unlock screen of a computer with no vault: copy one from the server.
    Connect ``joined(vault)`` to what an unlock does (e.g. ``MainWindow.on_unlocked``)."""
    dialog = JoinDialog(vault_path, parent)
    dialog.open()
    return dialog
