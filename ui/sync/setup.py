"""Setting up sync: this computer with its vault (SyncSetupForm), or a new computer
that has no vault yet and copies the account's vault from the server (JoinDialog).

Network and key derivation run on the non-write pool; errors are shown inline with
what to do (offline, wrong secret or passphrase, plain http to another machine).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QButtonGroup,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from counsel.errors import KnownError
from counsel.i18n import gettext as _
from counsel.i18n import ngettext
from counsel_ui.common.ops import Op
from counsel_ui.common.widgets import add_row, named

if TYPE_CHECKING:
    from counsel.sync.client import Progress
    from counsel_ui.shell.session import Session

PLACEHOLDER_URL = "https://sync.example.org"


def error_text(exc: KnownError) -> str:
    help_text = exc.help()
    return f"{exc.message}\n{help_text}" if help_text else exc.message


def _error_label() -> QLabel:
    label = QLabel()
    label.setWordWrap(True)
    label.setObjectName("syncError")
    label.setStyleSheet("QLabel#syncError { color: #a40000; }")
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    label.hide()
    return label


def _password() -> QLineEdit:
    edit = QLineEdit()
    edit.setEchoMode(QLineEdit.EchoMode.Password)
    return edit


class SyncSetupForm(QWidget):
    """Connect this computer's vault to the sync server (first computer or another one)."""

    connected = Signal(object)  # Credentials

    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        lay = QVBoxLayout(self)
        intro = QLabel(_("Sync keeps this vault the same on your computers. Records are "
                         "encrypted here before they leave; the server cannot read them."))
        intro.setWordWrap(True)
        lay.addWidget(intro)
        form = QFormLayout()
        self.url = add_row(form, _("Server &address:"), QLineEdit())
        self.url.setPlaceholderText(PLACEHOLDER_URL)
        self.account = add_row(form, _("A&ccount:"), QLineEdit())
        self.passphrase = add_row(form, _("Vault &passphrase:"), _password(),
                                  _("The passphrase you unlock this vault with."))
        self.first = named(QRadioButton(_("This is the &first computer on this account")),
                           _("This is the first computer on this account"))
        self.other = named(QRadioButton(_("Another computer already &syncs this account")),
                           _("Another computer already syncs this account"))
        self.first.setChecked(True)
        group = QButtonGroup(self)
        group.addButton(self.first)
        group.addButton(self.other)
        form.addRow(self.first)
        form.addRow(self.other)
        self.secret = add_row(form, _("&Enrolment secret:"), _password(),
                              _("The one-time secret from your administrator."))
        self.first.toggled.connect(self.secret.setEnabled)
        lay.addLayout(form)
        self.error = _error_label()
        lay.addWidget(self.error)
        self.busy = QLabel(_("Connecting…"))
        self.busy.hide()
        lay.addWidget(self.busy)
        self.connect_button = named(QPushButton(_("C&onnect")), _("Connect to the sync server"))
        self.connect_button.clicked.connect(self.submit)
        lay.addWidget(self.connect_button, 0, Qt.AlignmentFlag.AlignLeading)
        lay.addStretch(1)

    def submit(self) -> None:
        from counsel.sync import status as sync_status

        vault = self.session.vault
        url, account, passphrase = self.url.text(), self.account.text(), self.passphrase.text()
        secret = self.secret.text() if self.first.isChecked() else None
        if secret is not None and not secret.strip():
            self.error.setText(_("Type the enrolment secret from your administrator, or choose "
                                 "\u201cAnother computer already syncs this account\u201d."))
            self.error.show()
            return
        self.error.hide()
        self.busy.show()
        self.connect_button.setEnabled(False)
        Op(self, lambda: sync_status.set_up(vault, url, account, passphrase,
                                            enrol_secret=secret),
           write=False).success(self._done).failure(self._failed).run()

    def _done(self, creds: Any) -> None:
        self.busy.hide()
        self.connect_button.setEnabled(True)
        self.passphrase.clear()
        self.secret.clear()
        self.connected.emit(creds)

    def _failed(self, exc: BaseException) -> None:
        self.busy.hide()
        self.connect_button.setEnabled(True)
        if not isinstance(exc, KnownError):
            from counsel_ui.common.errors import show_error

            show_error(self, exc)
            return
        self.error.setText(error_text(exc))
        self.error.show()


class JoinDialog(QDialog):
    """A new computer: copy the account's vault from the server and download it.

    The keyring comes from the server (all of it wrapped); the vault passphrase unwraps
    it here.  ``joined`` carries the unlocked vault once the download finished.
    """

    joined = Signal(object)  # Vault

    def __init__(self, vault_path: Path, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.vault_path = Path(vault_path)
        self.setWindowTitle(_("Copy your vault to this computer"))
        lay = QVBoxLayout(self)
        intro = QLabel(_("Your vault is already synced from another computer. Sign in to "
                         "copy it here; your passphrase opens it on this computer."))
        intro.setWordWrap(True)
        lay.addWidget(intro)
        form = QFormLayout()
        self.url = add_row(form, _("Server &address:"), QLineEdit())
        self.url.setPlaceholderText(PLACEHOLDER_URL)
        self.account = add_row(form, _("A&ccount:"), QLineEdit())
        self.passphrase = add_row(form, _("Vault &passphrase:"), _password())
        self.secret = add_row(form, _("&Enrolment secret (if you were given one):"),
                              _password())
        lay.addLayout(form)
        self.progress = QProgressBar()
        named(self.progress, _("Download progress"))
        self.progress.setRange(0, 0)
        self.progress.hide()
        self.progress_text = QLabel()
        lay.addWidget(self.progress)
        lay.addWidget(self.progress_text)
        self.error = _error_label()
        lay.addWidget(self.error)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.join_button = named(QPushButton(_("&Copy vault")), _("Copy vault"))
        self.buttons.addButton(self.join_button, QDialogButtonBox.ButtonRole.AcceptRole)
        self.join_button.clicked.connect(self.submit)
        self.buttons.rejected.connect(self.reject)
        lay.addWidget(self.buttons)
        from counsel_ui.sync.controller import _Bridge

        self._bridge = _Bridge(self)
        self._bridge.progress.connect(self._on_progress)
        self.resize(520, 0)

    def submit(self) -> None:
        from counsel.sync import enrol
        from counsel.sync.transport import check_url

        path, account, passphrase = self.vault_path, self.account.text().strip(), \
            self.passphrase.text()
        secret = self.secret.text().strip() or None
        raw_url = self.url.text()
        emit = self._bridge.progress.emit

        def work() -> Any:
            url = check_url(raw_url)
            return enrol.join(path, url, account, passphrase, enrol_secret=secret,
                              progress=emit)

        self.error.hide()
        self.progress.show()
        self.progress_text.setText(_("Signing in…"))
        self.join_button.setEnabled(False)
        Op(self, work, write=False).success(self._done).failure(self._failed).run()

    def _on_progress(self, progress: Progress) -> None:
        self.progress_text.setText(progress_words(progress))

    def _done(self, vault: Any) -> None:
        self.progress.hide()
        self.passphrase.clear()
        self.joined.emit(vault)
        self.accept()

    def _failed(self, exc: BaseException) -> None:
        self.progress.hide()
        self.progress_text.clear()
        self.join_button.setEnabled(True)
        if not isinstance(exc, KnownError):
            from counsel_ui.common.errors import show_error

            show_error(self, exc)
            return
        self.error.setText(error_text(exc))
        self.error.show()


def progress_words(progress: Progress) -> str:
    if progress.phase == "pull":
        return ngettext("Downloading: {n} change received", "Downloading: {n} changes received",
                        progress.done).format(n=progress.done)
    if progress.phase == "push":
        if progress.total:
            return _("Sending: {done} of {total} changes").format(done=progress.done,
                                                                   total=progress.total)
        return ngettext("Sending: {n} change", "Sending: {n} changes",
                        progress.done).format(n=progress.done)
    return _("Merging edits from other devices…")
