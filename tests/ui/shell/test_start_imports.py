"""Cold start: the unlock window imports only what it needs (issue 13: cold start
≤ 1.5× a bare PySide6 window; the numbers are in docs/performance.md "Cold start").
Everything heavy is imported after the passphrase is typed, or in the background."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

#: not needed to show the unlock window; each was once imported at start
HEAVY = ("counsel_ui.shell.workspace", "counsel_ui.today", "counsel_ui.timekeeping",
         "counsel_ui.plans", "counsel_ui.clients", "reportlab", "platform",
         "counsel.vault.service", "counsel.vault.store", "sqlite3", "cryptography",
         "argon2", "counsel.domain", "counsel.plans", "counsel.sync")

_CHILD = """
import json, sys
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication
_exec = QApplication.exec
def _shown(*_a):
    QTimer.singleShot(0, QApplication.instance().quit)  # the window is up: stop here
    return _exec()
QApplication.exec = _shown
from counsel_ui.shell.main import main
main(["--vault", sys.argv[1], "--lang", "fi"])
print(json.dumps(sorted(sys.modules)))
"""


def test_the_unlock_window_does_not_import_the_workspace_or_the_vault(tmp_path: Path) -> None:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "COUNSEL_HOME": str(tmp_path)}
    run = subprocess.run([sys.executable, "-c", _CHILD, str(tmp_path / "none.vault")],
                         capture_output=True, text=True, env=env, timeout=120)
    assert run.returncode == 0, run.stderr[-2000:]
    loaded = json.loads(run.stdout.strip().splitlines()[-1])
    assert "counsel_ui.shell.unlock" in loaded  # the window was made
    heavy = sorted(m for m in loaded for h in HEAVY if m == h or m.startswith(h + "."))
    assert heavy == []
