"""Showing errors: known ones with what to do, bugs in a crash dialog.

The crash report holds the exception type, the stack (files, lines, functions) and
versions — never the exception message or local values, which may contain client data.
"""

from __future__ import annotations

import logging
import sys
import traceback
from types import TracebackType

from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from counsel.errors import KnownError
from counsel.i18n import gettext as _
from counsel.logs import Scrubbed

log = logging.getLogger("counsel.ui.errors")


def crash_report(exc: BaseException) -> str:
    """A report safe to copy into a support ticket: no messages, no values."""
    import platform  # 6 ms at start otherwise; only a crash report needs it

    from PySide6 import __version__ as pyside_version

    from counsel import __version__

    lines = [f"Counsel {__version__}", f"Python {platform.python_version()}",
             f"PySide6 {pyside_version}", f"{platform.system()} {platform.release()}",
             "", f"{type(exc).__module__}.{type(exc).__qualname__}"]
    for frame in traceback.extract_tb(exc.__traceback__):
        short = frame.filename.replace("\\", "/")
        for marker in ("/counsel/", "/counsel_ui/", "/ui/", "/site-packages/"):
            if marker in short:
                short = short[short.rindex(marker) + 1:]
                break
        lines.append(f"  {short}:{frame.lineno} in {frame.name}")
    cause = exc.__cause__ or exc.__context__
    if cause is not None:
        lines.append(f"caused by {type(cause).__module__}.{type(cause).__qualname__}")
    return "\n".join(lines)


class CrashDialog(QDialog):
    def __init__(self, exc: BaseException, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(_("Counsel: something went wrong"))
        self.report = crash_report(exc)
        layout = QVBoxLayout(self)
        intro = QLabel(_("Counsel hit an error it did not expect. Your saved records are safe, "
                         "and typed text is kept as an encrypted draft. Please send the report "
                         "below to your IT support; it contains no client data."))
        intro.setWordWrap(True)
        layout.addWidget(intro)
        text = QPlainTextEdit(self.report)
        text.setReadOnly(True)
        text.setAccessibleName(_("Error report"))
        layout.addWidget(text)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        copy = QPushButton(_("Copy report"))
        copy.setAccessibleName(_("Copy report"))
        copy.clicked.connect(lambda: QGuiApplication.clipboard().setText(self.report))
        buttons.addButton(copy, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.resize(560, 360)


def known_error_box(exc: KnownError, parent: QWidget | None = None) -> QMessageBox:
    box = QMessageBox(parent)
    box.setIcon(QMessageBox.Icon.Warning)
    box.setWindowTitle(_("Counsel"))
    box.setText(exc.message)
    box.setInformativeText(exc.help())
    return box


def show_error(parent: QWidget | None, exc: BaseException) -> None:
    if isinstance(exc, KnownError):
        log.info("known error shown: %s", type(exc).__name__)
        known_error_box(exc, parent).exec()
        return
    log.error("unexpected error: %s", Scrubbed(crash_report(exc)))
    CrashDialog(exc, parent).exec()


def install_excepthook() -> None:
    """Bugs escaping a Qt slot go to the crash dialog instead of killing the app."""

    def hook(tp: type[BaseException], exc: BaseException, tb: TracebackType | None) -> None:
        if issubclass(tp, KeyboardInterrupt):
            sys.__excepthook__(tp, exc, tb)
            return
        try:
            show_error(None, exc)
        except Exception:  # noqa: BLE001 - last resort
            sys.__excepthook__(tp, exc, tb)

    sys.excepthook = hook
