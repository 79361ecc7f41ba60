"""Cold start: the unlock window imports and builds only what it needs before its first
paint (issue 13: cold start ≤ 1.5× a bare PySide6 window; the numbers are in
docs/performance.md "Cold start", measured by ``counsel_ui.devtools.startbench``).

The real ``main()`` runs in a subprocess and is looked at twice: at the point the
startbench stops (the event loop's second turn, after the first paint) and once the work
deferred past the first paint has run (log file, crash dialog, activity filter).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

#: not needed to show the unlock window; each was once imported at start
HEAVY = ("counsel_ui.shell.workspace", "counsel_ui.today", "counsel_ui.timekeeping",
         "counsel_ui.plans", "counsel_ui.clients", "reportlab", "platform",
         "counsel.vault.service", "counsel.vault.store", "sqlite3", "cryptography",
         "argon2", "counsel.domain", "counsel.plans", "counsel.sync",
         # after the first paint (counsel_ui.shell.main.after_first_paint): ~7 ms and ~5 ms
         "logging.handlers", "counsel_ui.common.errors")

_CHILD = r"""
import gc, json, logging, sys, time
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication
import PySide6.QtCore, PySide6.QtWidgets
report = {}
_exec = QApplication.exec
def _run(*_a):
    app = QApplication.instance()
    # logged before the first paint: kept in memory, written once the file is open; the
    # free-text argument must be scrubbed there like any other
    logging.getLogger("counsel.ui").warning("before paint %s %s", 7, "Ahmad, Äänekoski")
    def painted():  # where the startbench stops
        report["painted"] = {
            "modules": sorted(sys.modules),
            # PySide builds a type's enums on first use: the Qt namespace has ~95 of them;
            # QWizard is built only when every Qt class is (an app-wide Python event
            # filter meeting one of Qt's internal objects did that, ~25 ms)
            "qt_namespace": "Qt" in vars(PySide6.QtCore),
            "all_types": "QWizard" in vars(PySide6.QtWidgets),
            "button_box": "QDialogButtonBox" in vars(PySide6.QtWidgets),
            "focus": type(app.focusWidget()).__name__,
            "gc_automatic": gc.isenabled(),
        }
        QTimer.singleShot(0, later)
    turns = {"n": 0}
    def later():  # the deferred start-up work has run by now (or never will)
        turns["n"] += 1
        if "logging.handlers" not in sys.modules and turns["n"] < 200:
            QTimer.singleShot(10, later)
            return
        from PySide6.QtCore import QEvent, Qt
        from PySide6.QtGui import QKeyEvent
        window = next(w for w in app.topLevelWidgets() if type(w).__name__ == "MainWindow")
        window.idle.last_activity = 0.0
        field = app.focusWidget()
        for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
            QApplication.sendEvent(field, QKeyEvent(kind, Qt.Key.Key_K,
                                                    Qt.KeyboardModifier.NoModifier, "k"))
        report["later"] = {"modules": sorted(sys.modules),
                           "typed": field.text(),
                           "activity_seen": window.idle.last_activity > 0.0,
                           "excepthook": sys.excepthook.__module__}
        app.quit()
    QTimer.singleShot(0, lambda: QTimer.singleShot(0, painted))
    return _exec()
QApplication.exec = _run
from counsel_ui.shell.main import main
main(["--vault", sys.argv[1], "--lang", "fi"])
print(json.dumps(report))
"""


@pytest.fixture(scope="module")
def started(tmp_path_factory: pytest.TempPathFactory) -> tuple[dict[str, Any], Path]:
    home = tmp_path_factory.mktemp("home")
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "COUNSEL_HOME": str(home)}
    run = subprocess.run([sys.executable, "-c", _CHILD, str(home / "none.vault")],
                         capture_output=True, text=True, env=env, timeout=120)
    assert run.returncode == 0, run.stderr[-2000:]
    return json.loads(run.stdout.strip().splitlines()[-1]), home


def _heavy(modules: list[str]) -> list[str]:
    return sorted(m for m in modules for h in HEAVY if m == h or m.startswith(h + "."))


def test_the_painted_unlock_window_has_not_imported_the_workspace_the_vault_or_more(
        started: tuple[dict[str, Any], Path]) -> None:
    painted = started[0]["painted"]
    assert "counsel_ui.shell.unlock" in painted["modules"]  # the window was made
    assert _heavy(painted["modules"]) == []
    assert painted["focus"] == "QLineEdit"  # the passphrase field, ready for typing
    assert not painted["gc_automatic"]  # collections only from the UI thread's timer


def test_the_painted_unlock_window_has_not_built_pysides_big_enum_sets(
        started: tuple[dict[str, Any], Path]) -> None:
    painted = started[0]["painted"]
    assert not painted["qt_namespace"], "Qt.* used before the first paint (~15 ms)"
    assert not painted["all_types"], "every Qt class built before the first paint (~25 ms)"
    assert not painted["button_box"], "QDialogButtonBox built before the first paint (~5 ms)"


def test_after_the_first_paint_the_log_file_crash_dialog_and_idle_watch_are_set_up(
        started: tuple[dict[str, Any], Path]) -> None:
    report, home = started
    later = report["later"]
    assert "logging.handlers" in later["modules"]
    assert later["excepthook"] == "counsel_ui.common.errors"  # the crash dialog's hook
    assert later["typed"] == "k"
    assert later["activity_seen"]  # the auto-lock's input watch is installed
    log = (home / "log" / "counsel.log").read_text(encoding="utf-8")
    assert "before paint 7 <redacted>" in log  # held until the file opened, then scrubbed
    assert "Äänekoski" not in log


_FAILING = r"""
import logging, sys
import counsel_ui.shell.main_window as main_window
class Broken(main_window.MainWindow):
    def __init__(self, *args, **kwargs):
        logging.getLogger("counsel.ui").error("before the window %s", 5)
        raise RuntimeError("window")
main_window.MainWindow = Broken
from counsel_ui.shell.main import main
try:
    main(["--vault", sys.argv[1], "--lang", "fi"])
except RuntimeError:
    print("raised")
"""


def test_what_was_logged_reaches_the_file_when_start_up_fails_before_the_paint(
        tmp_path: Path) -> None:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "COUNSEL_HOME": str(tmp_path)}
    run = subprocess.run([sys.executable, "-c", _FAILING, str(tmp_path / "none.vault")],
                         capture_output=True, text=True, env=env, timeout=120)
    assert run.stdout.strip().splitlines()[-1] == "raised", run.stderr[-2000:]
    log = (tmp_path / "log" / "counsel.log").read_text(encoding="utf-8")
    assert "before the window 5" in log
