"""Kill -9 the app while an encounter is being typed; a new process finds the text."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

from uihelp import PASSPHRASE, unlock

from counsel.vault.service import Vault

TEXT = "Ei osaa lukea kelloa — يبحث عن عمل"


def test_killed_process_leaves_recoverable_draft(qtbot, vault_path: Path, tmp_path: Path):
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "COUNSEL_HOME": str(tmp_path / "h")}
    child = subprocess.Popen(
        [sys.executable, str(Path(__file__).with_name("crash_child.py")), str(vault_path),
         PASSPHRASE, "a" * 32, TEXT],
        stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, env=env, text=True)
    with child:
        try:
            line = child.stdout.readline()
            assert line.startswith("AUTOSAVED"), line
            draft_id = line.split()[1]
        finally:
            child.send_signal(signal.SIGKILL)
            child.wait(30)
    assert child.returncode == -signal.SIGKILL
    # the typed text is not on disk in plaintext
    for f in vault_path.parent.iterdir():
        if f.is_file():
            assert b"kelloa" not in f.read_bytes()

    vault = Vault.unlock(vault_path, PASSPHRASE)
    try:
        draft = vault.drafts.get(draft_id)
        assert draft is not None and draft.data["situation"] == TEXT
    finally:
        vault.lock()

    from counsel.vault.kdf import KdfParams
    from counsel_ui.shell.main_window import MainWindow

    win = MainWindow(vault_path, kdf=KdfParams.fast_for_tests())
    qtbot.addWidget(win)
    win.show()
    unlock(qtbot, win)
    page = win.workspace.page("today")
    qtbot.waitUntil(lambda: page.tree.topLevelItemCount() > 0
                    and page.tree.topLevelItem(0).childCount() > 0)
    page._activated(page.tree.topLevelItem(0).child(0))
    editor = win.session.editors[-1]
    assert editor.situation.toPlainText() == TEXT
    assert "Restored" in editor.status.text()
    win.lock()
