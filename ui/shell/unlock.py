"""The start screen: create a vault (first run), unlock it, or recover with the code."""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QTimer, Signal
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from counsel.app.policies import UnlockThrottle
from counsel.errors import KnownError, WrongPassphrase, WrongRecoveryCode
from counsel.i18n import gettext as _
from counsel_ui.common.ops import Op
from counsel_ui.common.widgets import add_row, align_leading

if TYPE_CHECKING:
    from PySide6.QtGui import QPaintEvent

    from counsel.vault.kdf import KdfParams


class UnlockScreen(QWidget):
    """Emits ``unlocked(vault)``; after creating a vault, ``created(vault, recovery_code)``."""

    unlocked = Signal(object)
    created = Signal(object, str)

    def __init__(self, path: Path, *, kdf: KdfParams | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.path = Path(path)
        self.kdf = kdf
        self.throttle = UnlockThrottle()
        self.mode = "unlock" if self.path.exists() else "create"
        self._busy = False
        self._on_first_paint: list[Callable[[], None]] | None = []

        # Cold start (issue 13): nothing here touches PySide's ``Qt`` namespace — its first
        # use builds ~95 enums, ~15 ms of the start.  The box is centred by stretches, and
        # the labels get absolute leading alignment only in a right-to-left interface
        # (where the namespace is built anyway); left to right, Qt's default alignment is
        # the same for the interface's own texts, which are all these labels show.
        outer = QVBoxLayout(self)
        outer.addStretch(1)
        box = QWidget()
        box.setMinimumWidth(540)
        box.setMaximumWidth(820)
        centred = QHBoxLayout()
        centred.addStretch(1)
        centred.addWidget(box)
        centred.addStretch(1)
        outer.addLayout(centred)
        outer.addStretch(2)
        lay = QVBoxLayout(box)
        self.title = QLabel()
        self.title.setObjectName("unlockTitle")
        font = self.title.font()
        font.setPointSizeF(font.pointSizeF() * 1.6)
        self.title.setFont(font)
        self.title.setWordWrap(True)
        lay.addWidget(self.title)
        self.intro = QLabel()
        self.intro.setWordWrap(True)
        lay.addWidget(self.intro)

        form = QFormLayout()
        lay.addLayout(form)
        self.code = QLineEdit()
        add_row(form, _("Recovery &code:"), self.code)
        self.passphrase = QLineEdit()
        self.passphrase.setEchoMode(QLineEdit.EchoMode.Password)
        self.pass_label_row = add_row(form, _("&Passphrase:"), self.passphrase)
        self.repeat = QLineEdit()
        self.repeat.setEchoMode(QLineEdit.EchoMode.Password)
        add_row(form, _("&Repeat passphrase:"), self.repeat)
        self.meter = QProgressBar()
        self.meter.setRange(0, 4)
        self.meter.setTextVisible(True)
        add_row(form, _("Strength:"), self.meter)
        self.form = form
        # restoring on a new computer when the passphrase is forgotten too: the printed
        # code opens the backup, as `counsel restore --recovery-code` does
        self.use_code = QCheckBox(_("&I have the recovery code instead"))
        self.use_code.toggled.connect(self._restore_with_code)
        lay.addWidget(self.use_code)
        self.hints = QLabel()
        self.hints.setWordWrap(True)
        self.hints.setAccessibleName(_("Passphrase advice"))
        lay.addWidget(self.hints)

        self.message = QLabel()
        self.message.setWordWrap(True)
        self.message.setObjectName("unlockMessage")
        self.message.setAccessibleName(_("Message"))
        lay.addWidget(self.message)
        row = QHBoxLayout()
        self.switch = QPushButton()
        self.switch.setFlat(True)
        self.switch.clicked.connect(self._toggle_recovery)
        row.addWidget(self.switch)
        self.join = QPushButton(_("Copy a vault from the sync server…"))
        self.join.setFlat(True)
        named_text = self.join.text().replace("…", "")
        self.join.setAccessibleName(named_text)
        self.join.clicked.connect(self._join)
        row.addWidget(self.join)
        self.restore = QPushButton(_("Restore from a backup…"))
        self.restore.setFlat(True)
        self.restore.setAccessibleName(self.restore.text().replace("…", ""))
        self.restore.clicked.connect(self._choose_backup)
        row.addWidget(self.restore)
        self.backup_file: Path | None = None
        row.addStretch(1)
        self.go = QPushButton()
        self.go.setDefault(True)
        self.go.setAutoDefault(True)
        self.go.clicked.connect(self.submit)
        row.addWidget(self.go)
        lay.addLayout(row)

        self.passphrase.textChanged.connect(self._update_strength)
        self.passphrase.returnPressed.connect(self.submit)
        self.repeat.returnPressed.connect(self.submit)
        self.code.returnPressed.connect(self.passphrase.setFocus)
        self._countdown = QTimer(self)
        self._countdown.setInterval(250)
        self._countdown.timeout.connect(self._tick)
        self._apply_mode()

    def after_first_paint(self, call: Callable[[], None]) -> None:
        """Run ``call`` once this screen has been painted for the first time (start-up
        work nobody waits for; ``main`` uses it)."""
        if self._on_first_paint is None:
            call()
        else:
            self._on_first_paint.append(call)

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802
        super().paintEvent(event)
        if self._on_first_paint is not None:
            calls, self._on_first_paint = self._on_first_paint, None
            for call in calls:  # after this paint has reached the screen
                QTimer.singleShot(0, call)

    # -- modes ---------------------------------------------------------------------------
    def _apply_mode(self) -> None:
        if QGuiApplication.isRightToLeft():  # see __init__
            for text in (self.title, self.intro, self.hints, self.message):
                align_leading(text)
        creating = self.mode in ("create", "recover", "restore-code")  # a new passphrase
        restoring = self.mode in ("restore", "restore-code")
        titles = {"create": _("Create your vault"), "unlock": _("Unlock Counsel"),
                  "recover": _("Recover with your code"),
                  "restore": _("Restore from a backup"),
                  "restore-code": _("Restore from a backup")}
        intros = {
            "create": _("Your records are encrypted with a passphrase only you know. Choose "
                        "several words that are easy for you to remember. You will get a "
                        "recovery code to print and keep safe."),
            "unlock": _("Type your passphrase to open your records."),
            "recover": _("Type the recovery code you printed when the vault was made, then "
                         "choose a new passphrase."),
            "restore": _("Type the passphrase the backup was made with. It is restored as "
                         "a new vault here; the backup file is not changed."),
            "restore-code": _("Type the recovery code you printed when the vault was made, "
                              "then choose a new passphrase. The backup {file} is restored "
                              "as a new vault here; the backup file is not changed.").format(
                # its name (a left-to-right isolate): a wrapped folder path broke at a
                # slash in Arabic
                file=f"\u2066{self.backup_file.name if self.backup_file else ''}\u2069"),
        }
        self.title.setText(titles[self.mode])
        self.intro.setText(intros[self.mode])
        for w in (self.repeat, self.meter):
            w.setVisible(creating)
            self.form.labelForField(w).setVisible(creating)
        self.hints.setVisible(creating or restoring)
        self.use_code.setVisible(restoring)
        self.use_code.blockSignals(True)
        self.use_code.setChecked(self.mode == "restore-code")
        self.use_code.blockSignals(False)
        if self.mode == "restore":  # which file (the strength hints are not shown here)
            # the path as a left-to-right isolate: in Arabic its slashes stay in place
            self.hints.setText(_("Backup: {file}").format(
                file=f"\u2066{self.backup_file or ''}\u2069"))
        recovering = self.mode in ("recover", "restore-code")
        self.code.setVisible(recovering)
        self.form.labelForField(self.code).setVisible(recovering)
        label = self.form.labelForField(self.passphrase)
        if isinstance(label, QLabel):
            label.setText(_("New &passphrase:") if recovering else _("&Passphrase:"))
        self.go.setText({"create": _("&Create vault"), "unlock": _("&Unlock"),
                         "recover": _("&Recover"), "restore": _("&Restore"),
                         "restore-code": _("&Restore")}[self.mode])
        self.go.setAccessibleName(self.go.text().replace("&", ""))
        self.switch.setVisible(self.mode != "create")
        self.join.setVisible(self.mode == "create")
        self.restore.setVisible(self.mode == "create")
        self.switch.setText(_("Forgot your passphrase? Use the recovery code")
                            if self.mode == "unlock" else _("Back") if restoring
                            else _("Back to unlock"))
        self.switch.setAccessibleName(self.switch.text())
        self.message.clear()
        self._update_strength()
        # a wrapped label's height follows its text only with some help once the rows
        # around it were hidden (the restore intro was squeezed to a line and a half)
        self.intro.setMinimumHeight(self.intro.heightForWidth(max(self.intro.width(), 540)))
        (self.code if recovering else self.passphrase).setFocus()

    def _join(self) -> None:
        """A second computer: copy the vault from the sync server (then it is unlocked)."""
        from counsel_ui.sync.page import open_join_dialog

        open_join_dialog(self.path, self).joined.connect(self.unlocked.emit)

    def _toggle_recovery(self) -> None:
        if self.mode in ("restore", "restore-code"):
            self.mode = "create"
        else:
            self.mode = "recover" if self.mode == "unlock" else "unlock"
        self._apply_mode()

    def _choose_backup(self) -> None:
        """A new computer without a server: restore the vault from a backup file."""
        from counsel_ui.shell.backup import choose_backup

        chosen = choose_backup(self)
        if chosen is not None:
            self.backup_file = chosen
            self.mode = "restore"
            self._apply_mode()

    def _restore_with_code(self, checked: bool) -> None:
        if self.mode in ("restore", "restore-code"):
            self.mode = "restore-code" if checked else "restore"
            self._apply_mode()

    def _update_strength(self) -> None:
        if self.mode in ("unlock", "restore"):  # no meter when opening an existing one
            return
        from counsel.app.passphrase import estimate  # a dictionary: loaded when needed

        s = estimate(self.passphrase.text())
        self.meter.setValue(s.score)
        self.meter.setFormat(s.label)
        self.meter.setAccessibleDescription(s.label)
        self.hints.setText(" ".join(_(h) for h in s.hints))

    # -- actions -------------------------------------------------------------------------
    def reset(self) -> None:
        """Back to a clean unlock form (after locking)."""
        self.passphrase.clear()
        self.repeat.clear()
        self.code.clear()
        self.mode = "unlock" if self.path.exists() else "create"
        self._busy = False
        self.go.setEnabled(True)
        self._apply_mode()

    def _tick(self) -> None:
        wait = self.throttle.wait(time.monotonic())
        if wait <= 0:
            self._countdown.stop()
            self.go.setEnabled(True)
            self.message.setText(_("You can try again now."))
        else:
            self.go.setEnabled(False)
            self.message.setText(
                _("That passphrase did not open the vault. Nothing was changed. "
                  "You can try again in {n} s.").format(n=int(wait) + 1))

    def submit(self) -> None:
        if self._busy or self.throttle.wait(time.monotonic()) > 0:
            return
        phrase = self.passphrase.text()
        if self.mode in ("create", "recover", "restore-code"):
            if phrase != self.repeat.text():
                self.message.setText(_("The passphrases do not match."))
                return
            from counsel.app.passphrase import estimate

            if not estimate(phrase).acceptable:
                self.message.setText(_("Use at least 8 characters."))
                return
        self._busy = True
        self.go.setEnabled(False)
        self.message.setText(_("Opening… this takes a moment on purpose."))
        from counsel.vault.service import Vault

        path, kdf, mode, code = self.path, self.kdf, self.mode, self.code.text()
        backup_file = self.backup_file

        def opened() -> object:
            if mode in ("restore", "restore-code") and backup_file is not None:
                from counsel.records import backup_status

                _done, vault = (  # the same core function as `counsel restore`
                    backup_status.restore_and_open(backup_file, path, recovery_code=code,
                                                   new_passphrase=phrase)
                    if mode == "restore-code"
                    else backup_status.restore_and_open(backup_file, path, passphrase=phrase))
                return vault
            if mode == "create":
                return Vault.create(path, phrase, kdf=kdf)
            if mode == "recover":
                from counsel.teams.copykeys import after_new_passphrase

                recovered = Vault.recover(path, code, phrase)
                after_new_passphrase(recovered, phrase)  # team copies follow (copykeys)
                return recovered
            return Vault.unlock(path, phrase)

        def work() -> object:
            result = opened()
            if mode != "unlock":
                return result
            # this computer's team copies open with the same passphrase: their clients are
            # listed and edited beside the personal ones (counsel.teams.vaultset)
            from counsel.teams.vaultset import VaultSet

            return VaultSet.open(result, phrase)  # type: ignore[arg-type]

        # the mode the work was started in, not the screen's mode when it ends: the links
        # stay clickable meanwhile, and a recovery finished "in unlock mode" would open the
        # vault without showing the new recovery code (the used one no longer works)
        op = Op(self, work, write=False).success(lambda result: self._done(result, mode))
        op.failure(self._failed).run()
        # while the key is derived: what start-up (or the last session) left alive is
        # collected and frozen out of later full collections (common/responsive.py)
        from counsel_ui.common import responsive
        from counsel_ui.shell import pages

        QTimer.singleShot(0, responsive.freeze_startup)
        if mode != "create":  # a new vault opens on an empty workspace anyway
            pages.prefetch()

    def _done(self, result: object, mode: str) -> None:
        self._busy = False
        self.throttle.succeeded()
        self.passphrase.clear()
        self.repeat.clear()
        self.code.clear()
        self.go.setEnabled(True)
        self.message.clear()
        if mode == "create":
            assert isinstance(result, tuple)
            vault, code = result
            self.mode = "unlock"
            self._apply_mode()
            self.created.emit(vault, code)
        else:
            # recovering rotates the keys and makes a NEW recovery code: shown once, like
            # at creation (the one just used no longer works)
            issued = (result.take_recovery_code()  # type: ignore[attr-defined]
                      if mode in ("recover", "restore-code") else None)
            self.mode = "unlock"
            self._apply_mode()
            if issued:
                self.created.emit(result, issued)
            else:
                self.unlocked.emit(result)

    def _failed(self, exc: BaseException) -> None:
        self._busy = False
        self.go.setEnabled(True)
        if isinstance(exc, WrongPassphrase | WrongRecoveryCode):
            delay = self.throttle.failed(time.monotonic())
            self.passphrase.selectAll()
            self.passphrase.setFocus()
            if delay > 0:
                self._tick()
                self._countdown.start()
            else:
                self.message.setText(_("That did not open the vault. Nothing was changed. "
                                       "Check Caps Lock and the keyboard layout, then try "
                                       "again."))
        elif isinstance(exc, KnownError):
            self.message.setText(f"{exc.message}\n{exc.help()}")
        else:
            from counsel_ui.common.errors import show_error

            show_error(self, exc)


class RecoveryCodeDialog(QDialog):
    """Shows the recovery code once; the user must confirm they stored it."""

    def __init__(self, code: str, parent: QWidget | None = None) -> None:
        from PySide6.QtCore import Qt  # not at start: see UnlockScreen.__init__
        from PySide6.QtWidgets import QDialogButtonBox  # ~5 ms of enums, not at start

        super().__init__(parent)
        self.code = code
        self.setWindowTitle(_("Your recovery code"))
        lay = QVBoxLayout(self)
        text = QLabel(_("This code opens your vault if you forget the passphrase. It is shown "
                        "only now. Print it or write it down and keep it somewhere safe, away "
                        "from this computer."))
        text.setWordWrap(True)
        lay.addWidget(text)
        self.code_label = QLabel(code)
        self.code_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse
                                                | Qt.TextInteractionFlag.TextSelectableByKeyboard)
        font = self.code_label.font()
        font.setFamily("monospace")
        font.setPointSizeF(font.pointSizeF() * 1.5)
        self.code_label.setFont(font)
        self.code_label.setAccessibleName(_("Recovery code"))
        self.code_label.setLayoutDirection(Qt.LayoutDirection.LeftToRight)
        lay.addWidget(self.code_label)
        self.confirm = QCheckBox(_("I have printed or written down the recovery code"))
        lay.addWidget(self.confirm)
        buttons = QDialogButtonBox()
        self.print_button = buttons.addButton(_("&Print…"), QDialogButtonBox.ButtonRole.ActionRole)
        self.print_button.clicked.connect(self.print_code)
        self.ok = buttons.addButton(_("&Continue"), QDialogButtonBox.ButtonRole.AcceptRole)
        self.ok.setEnabled(False)
        self.confirm.toggled.connect(self.ok.setEnabled)
        buttons.accepted.connect(self.accept)
        lay.addWidget(buttons)

    def reject(self) -> None:  # the code must be acknowledged; Esc does not skip it
        if self.confirm.isChecked():
            super().accept()

    def print_code(self) -> None:
        from PySide6.QtGui import QTextDocument
        from PySide6.QtPrintSupport import QPrintDialog, QPrinter

        printer = QPrinter()
        if QPrintDialog(printer, self).exec() != QDialog.DialogCode.Accepted:
            return
        doc = QTextDocument()
        doc.setPlainText(_("Counsel recovery code") + "\n\n" + self.code + "\n\n"
                         + _("Keep this paper safe. Anyone with it and your vault file can "
                             "open your records."))
        doc.print_(printer)
