"""Child process for the crash-recovery test: type into the editor, wait for the
autosave, report, then wait to be killed (SIGKILL) without any chance to clean up."""

from __future__ import annotations

import os
import sys
import time

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from counsel_ui.common.qtcompat import guard_none_refcount  # noqa: E402

guard_none_refcount()

from PySide6.QtCore import QEvent, Qt  # noqa: E402
from PySide6.QtGui import QKeyEvent  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402


def main() -> None:
    path, passphrase, client_id, text = sys.argv[1:5]
    from counsel.vault import kdf

    kdf.allow_fast_for_tests()  # the parent made the vault with fast test settings
    app = QApplication([])
    from counsel_ui.shell.main_window import MainWindow

    win = MainWindow(path)
    win.show()
    win.unlock_screen.passphrase.setText(passphrase)
    win.unlock_screen.submit()
    deadline = time.monotonic() + 30
    while win.locked and time.monotonic() < deadline:
        app.processEvents()
        time.sleep(0.01)
    win.workspace.new_encounter(client_id)
    editor = win.session.editors[-1]
    editor.situation.setFocus()
    for ch in text:
        for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
            QApplication.sendEvent(editor.situation,
                                   QKeyEvent(kind, 0, Qt.KeyboardModifier.NoModifier, ch))
        app.processEvents()
    vault = win.session.vault
    while time.monotonic() < deadline:
        app.processEvents()
        draft = vault.drafts.get(editor.draft_id)
        if draft is not None and draft.data.get("situation") == text:
            print("AUTOSAVED", editor.draft_id, flush=True)
            break
        time.sleep(0.05)
    while True:  # keep typing state "open" until killed
        app.processEvents()
        time.sleep(0.05)


if __name__ == "__main__":
    main()
