"""Crash reports carry no client data; known errors say what to do; ops run off-thread."""

from __future__ import annotations

import threading

from PySide6.QtCore import QObject
from PySide6.QtGui import QGuiApplication

from counsel.errors import WrongPassphrase
from counsel_ui.common import ops
from counsel_ui.common.errors import CrashDialog, crash_report, known_error_box


def _raise_with_secret() -> None:
    secret = "Amina Yusuf, HIV-positiivinen"
    raise ValueError(f"bad value {secret}")


def test_crash_report_has_stack_but_no_message():
    try:
        _raise_with_secret()
    except ValueError as exc:
        report = crash_report(exc)
    assert "builtins.ValueError" in report and "_raise_with_secret" in report
    assert "Amina" not in report and "HIV" not in report


def test_crash_dialog_copies_report(qtbot):
    try:
        _raise_with_secret()
    except ValueError as exc:
        dlg = CrashDialog(exc)
    qtbot.addWidget(dlg)
    from PySide6.QtWidgets import QPushButton

    button = next(b for b in dlg.findChildren(QPushButton) if b.text() == "Copy report")
    button.click()
    assert QGuiApplication.clipboard().text() == dlg.report
    assert "Amina" not in dlg.report


def test_known_error_shows_help(qtbot):
    box = known_error_box(WrongPassphrase("The passphrase is wrong."))
    qtbot.addWidget(box)
    assert box.text() == "The passphrase is wrong."
    assert "Caps Lock" in box.informativeText()


def test_writes_run_in_order_on_one_background_thread(qtbot):
    # QThreadPool alone reordered about one round in six of these (a runnable started
    # while the thread went idle ran after later ones): many rounds, so that shows
    main = threading.current_thread().name
    for _round in range(60):
        parent = QObject()
        seen: list[tuple[int, str]] = []
        results: list[int] = []

        def job(i: int, seen=seen):  # type: ignore[no-untyped-def]
            def fn() -> int:
                seen.append((i, threading.current_thread().name))
                return i
            return fn

        for i in range(20):
            ops.Op(parent, job(i)).success(results.append).run()
        qtbot.waitUntil(lambda results=results: len(results) == 20)
        assert [i for i, _t in seen] == list(range(20)) == results, (seen, results)
        assert len({t for _i, t in seen}) == 1 and seen[0][1] != main


def test_failure_callback_and_dead_parent_skipped(qtbot):
    parent = QObject()
    errors: list[BaseException] = []
    ops.Op(parent, lambda: 1 / 0, write=False).failure(errors.append).run()
    qtbot.waitUntil(lambda: len(errors) == 1)
    assert isinstance(errors[0], ZeroDivisionError)
    gone = QObject()
    called: list[object] = []
    ops.Op(gone, lambda: None).success(called.append).run()
    import shiboken6

    shiboken6.delete(gone)
    ops.drain()
    assert called == []


def test_excepthook_routes_bugs_to_crash_dialog_and_known_errors_to_help(qtbot, monkeypatch):
    import sys

    from PySide6.QtWidgets import QMessageBox

    from counsel_ui.common import errors

    shown: list[str] = []
    monkeypatch.setattr(errors.CrashDialog, "exec", lambda self: shown.append(self.report))
    monkeypatch.setattr(QMessageBox, "exec", lambda self: shown.append(self.informativeText()))
    monkeypatch.setattr(sys, "excepthook", sys.excepthook)
    errors.install_excepthook()
    try:
        _raise_with_secret()
    except ValueError as exc:
        sys.excepthook(type(exc), exc, exc.__traceback__)
    exc2 = WrongPassphrase("wrong")
    sys.excepthook(type(exc2), exc2, None)
    assert len(shown) == 2
    assert "ValueError" in shown[0] and "Amina" not in shown[0]
    assert "Caps Lock" in shown[1]


def test_thousands_of_ops_do_not_end_in_deallocating_true(tmp_path):
    """PySide6 6.12 drops a reference to True with every queued signal from a worker
    (every Op's result): without qtcompat's guard for bools the process aborted after
    ~600 jobs ("deallocating True or False")."""
    import os
    import subprocess
    import sys

    script = tmp_path / "many_ops.py"
    script.write_text(
        "from counsel_ui.common.qtcompat import guard_none_refcount\n"
        "guard_none_refcount()\n"
        "from PySide6.QtCore import QObject\n"
        "from PySide6.QtWidgets import QApplication\n"
        "from counsel_ui.common import ops\n"
        "app = QApplication([])\n"
        "parent, done = QObject(), []\n"
        "n = 3000  # True has ~600 references at start\n"
        "for i in range(n):\n"
        "    ops.Op(parent, lambda: 1, write=False).success(done.append).run()\n"
        "while len(done) < n:\n"
        "    app.processEvents()\n"
        "print('ok', n)\n".replace("from counsel_ui.common.qtcompat", "import sys\nfrom "
                                     "counsel_ui.common.qtcompat", 1))
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    run = subprocess.run([sys.executable, str(script)], capture_output=True, text=True,
                         env=env, timeout=120)
    assert run.returncode == 0, run.stderr[-2000:]
    assert run.stdout.startswith("ok")
