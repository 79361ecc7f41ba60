"""Cold start: process start → unlock window shown, against a bare PySide6 window
measured in the same run (QUALITY.md: ≤ 1.5×).  Not part of the test suite.

    python -m counsel_ui.devtools.startbench [--runs 7]
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
    QTimer.singleShot(0, lambda: (print(f"{time.time() - t0:.4f}", flush=True), app.quit()))
    return _exec()
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


def _once(code: str, vault: str) -> float:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    t0 = time.time()
    out = subprocess.run([sys.executable, "-c", code, repr(t0), vault], capture_output=True,
                         text=True, check=True, env=env)
    return float(out.stdout.strip().splitlines()[-1])


def main() -> None:
    p = argparse.ArgumentParser()
    p.add_argument("--runs", type=int, default=7)
    args = p.parse_args()
    # as installed: compiled catalogs.  In a source checkout a .po newer than its .mo is
    # compiled at every start (babel import + parse, ~40 ms), which no user pays
    subprocess.run([sys.executable, "-m", "counsel.i18n.tools", "compile"], check=True,
                   capture_output=True)
    with tempfile.TemporaryDirectory() as tmp:
        os.environ["COUNSEL_HOME"] = tmp
        vault = os.path.join(tmp, "none.vault")  # first start: the create window
        _once(BARE, vault), _once(APP, vault)  # warm the OS file cache
        bare, app = [], []
        for _ in range(args.runs):  # interleaved, so load drifts hit both alike
            bare.append(_once(BARE, vault))
            app.append(_once(APP, vault))
    b, a = statistics.median(bare), statistics.median(app)
    print(f"bare PySide6 window   median {b * 1000:7.0f} ms")
    print(f"Counsel unlock window median {a * 1000:7.0f} ms   ratio {a / b:.2f}x (goal <= 1.5x)")


if __name__ == "__main__":
    main()
