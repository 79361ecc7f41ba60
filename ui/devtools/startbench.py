"""Cold start: process start → unlock window painted, passphrase field focused and taking
keys, against a bare PySide6 window (a label) painted, measured in the same run
(QUALITY.md: ≤ 1.5×).  Not part of the test suite.

Both stop at the second turn of the event loop (the first comes before the window's first
paint); after the measure each run checks that no window was still waiting for its first
paint and, for Counsel, that the focus is in a line edit that takes a typed key — or the
run fails.

    python -m counsel_ui.devtools.startbench [--runs 7] [--also CHECKOUT] [--unlock]

By default the first start (no vault yet: the create window); ``--unlock`` starts on an
existing vault file, the everyday start (the unlock window reads nothing from the file
before Enter, so an empty file stands in for it).

``--also`` measures another source checkout of Counsel (an older commit, say) in the same
run, interleaved with the other two: a before/after on one machine at one load.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time

_HOOK = """
import sys, time
t0 = float(sys.argv[1])
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication
_exec = QApplication.exec
def _shown_then_quit(*_args):
    app = QApplication.instance()
    def measure():
        took = time.time() - t0
        print(f"{took:.4f} {_painted_before(app)} {_typing_works(app)}", flush=True)
        app.quit()
    # the event loop's first turn comes before the window's first paint, the second after
    # it (checked below, after the measure, so the check costs neither side anything)
    QTimer.singleShot(0, lambda: QTimer.singleShot(0, measure))
    return _exec()
def _painted_before(app):  # was a window still waiting for its first paint?
    from PySide6.QtCore import QEvent, QObject
    late = []
    class Late(QObject):
        def eventFilter(self, obj, event):
            if event.type() == QEvent.Type.Paint and obj.isWidgetType() and obj.isWindow():
                late.append(obj)
            return False
    spy = Late(app)
    app.installEventFilter(spy)
    app.processEvents()
    app.removeEventFilter(spy)
    return "painted" if not late else "not-painted"
def _typing_works(app):  # is the passphrase field focused and does it take a key?
    from PySide6.QtCore import QEvent, Qt
    from PySide6.QtGui import QKeyEvent
    from PySide6.QtWidgets import QLineEdit
    field = app.focusWidget()
    if not isinstance(field, QLineEdit):
        return "no-field"
    for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
        app.sendEvent(field, QKeyEvent(kind, Qt.Key.Key_K, Qt.KeyboardModifier.NoModifier, "k"))
    return "typed" if field.text() == "k" else "not-typed"
QApplication.exec = _shown_then_quit
"""

BARE = _HOOK + """
from PySide6.QtWidgets import QLabel
app = QApplication(sys.argv[:1])
w = QLabel("Counsel")
w.resize(900, 600)
w.show()
app.exec()
"""

APP = _HOOK + """
from counsel_ui.shell.main import main
main(["--vault", sys.argv[2], "--lang", "fi"])
"""

#: run first in a child measuring ``--also``: its packages instead of the installed ones
#: (a few file look-ups; the installed app's child pays the same through its import hook)
_ELSEWHERE = """
import importlib.util, sys
def _from(root):
    for name, folder in (("counsel", "counsel"), ("counsel_ui", "ui")):
        spec = importlib.util.spec_from_file_location(
            name, f"{root}/{folder}/__init__.py", submodule_search_locations=[f"{root}/{folder}"])
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module
        spec.loader.exec_module(module)
_from(%r)
"""


def _once(code: str, vault: str, *, typed: bool = False) -> float:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    t0 = time.time()
    out = subprocess.run([sys.executable, "-c", code, repr(t0), vault], capture_output=True,
                         text=True, check=True, env=env)
    took, painted, typing = out.stdout.strip().splitlines()[-1].split()
    if painted != "painted" or (typed and typing != "typed"):  # a window one can type in
        raise SystemExit(f"the measure ended too early: {painted}, {typing}")
    return float(took)


def _compile_as_installed(checkout: str | None = None) -> None:
    """Byte-code for counsel's own modules, as an installed copy has (pip and the
    packaged build compile them; PYTHONDONTWRITEBYTECODE, set in some shells, would
    otherwise have every start compile ~60 modules from source, ~20 ms), and compiled
    catalogs (in a source checkout a .po newer than its .mo is compiled at every start,
    babel import + parse, ~40 ms, which no user pays)."""
    import compileall

    prelude = _ELSEWHERE % checkout if checkout else ""
    subprocess.run([sys.executable, "-c", prelude + "from counsel.i18n.tools import main\n"
                    "main(['compile'])"], check=True, capture_output=True)
    if checkout:
        folders = [os.path.join(checkout, "counsel"), os.path.join(checkout, "ui")]
    else:
        import counsel
        import counsel_ui

        folders = [os.path.dirname(str(p.__file__)) for p in (counsel, counsel_ui)]
    for folder in folders:
        compileall.compile_dir(folder, quiet=1)


def main() -> None:
    p = argparse.ArgumentParser()
    p.add_argument("--runs", type=int, default=7)
    p.add_argument("--unlock", action="store_true",
                   help="start on an existing vault (the unlock window, not the create one)")
    p.add_argument("--also", metavar="CHECKOUT",
                   help="another source checkout of Counsel to measure in the same run")
    args = p.parse_args()
    _compile_as_installed()
    load_before = os.getloadavg()[0]
    other = ""
    if args.also:
        _compile_as_installed(os.path.abspath(args.also))
        other = APP.replace("from counsel_ui.shell.main import main",
                            _ELSEWHERE % os.path.abspath(args.also)
                            + "from counsel_ui.shell.main import main")
    with tempfile.TemporaryDirectory() as tmp:
        os.environ["COUNSEL_HOME"] = tmp
        vault = os.path.join(tmp, "none.vault")  # first start: the create window
        if args.unlock:
            vault = os.path.join(tmp, "existing.vault")
            open(vault, "wb").close()
        _once(BARE, vault), _once(APP, vault)  # warm the OS file cache
        if other:
            _once(other, vault)
        bare, app, also = [], [], []
        for _ in range(args.runs):  # interleaved, so load drifts hit all alike
            bare.append(_once(BARE, vault))
            app.append(_once(APP, vault, typed=True))
            if other:
                also.append(_once(other, vault, typed=True))
    b, a = statistics.median(bare), statistics.median(app)
    print(f"{args.runs} runs each, load average {load_before:.2f} -> {os.getloadavg()[0]:.2f}"
          " (only ratios from one run compare)")
    print(f"bare PySide6 window   median {b * 1000:7.0f} ms")
    print(f"Counsel unlock window median {a * 1000:7.0f} ms   ratio {a / b:.2f}x (goal <= 1.5x)")
    if also:
        o = statistics.median(also)
        print(f"  {args.also}: median {o * 1000:7.0f} ms   ratio {o / b:.2f}x")


if __name__ == "__main__":
    main()
