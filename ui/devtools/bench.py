"""Responsiveness of the desktop app on a real vault (not part of the test suite).

    python -m counsel_ui.devtools.bench --size large          # makes a demo vault first (slow)
    python -m counsel_ui.devtools.bench --vault PATH          # passphrase from COUNSEL_PASSPHRASE

Measures, with the offscreen platform: unlock → client list shown; search latency per
query (typing to rows shown, including the 60 ms typing pause) while the today view is
being computed in the background; opening a client page and the quick log; and the
longest stall of the UI thread (a 10 ms timer's largest gap) over the whole run.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path

QUERIES = ("a", "am", "ami", "amina", "أحمد", "somali", "Espoo")


def _wait(app: object, done: Callable[[], bool], limit: float = 120.0) -> float:
    start = time.perf_counter()
    while not done():
        app.processEvents()  # type: ignore[attr-defined]
        time.sleep(0.001)
        if time.perf_counter() - start > limit:
            raise TimeoutError
    return time.perf_counter() - start


def run(vault_path: Path, passphrase: str, out: Callable[[str], None] = print) -> dict[str, float]:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from counsel_ui.common.qtcompat import guard_none_refcount

    guard_none_refcount()
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    from counsel_ui.common.models import ID_ROLE
    from counsel_ui.shell.main_window import MainWindow
    from counsel_ui.timekeeping.quick_log import QuickLogDialog

    app = QApplication.instance() or QApplication([])
    gaps: list[float] = []
    last = [time.perf_counter()]

    def tick() -> None:
        now = time.perf_counter()
        gaps.append(now - last[0])
        last[0] = now

    timer = QTimer()
    timer.setInterval(10)
    timer.timeout.connect(tick)
    timer.start()
    results: dict[str, float] = {}
    win = MainWindow(vault_path)
    win.show()
    win.unlock_screen.passphrase.setText(passphrase)
    win.unlock_screen.submit()
    results["unlock (incl. key derivation)"] = _wait(app, lambda: not win.locked)
    ws = win.workspace
    assert ws is not None
    ws.show_page("clients")
    page = ws.page("clients")
    results["client list shown after unlock"] = _wait(
        app, lambda: page.list.model.rowCount() > 0)  # type: ignore[attr-defined]
    gaps.clear()
    last[0] = time.perf_counter()
    resets: list[float] = []
    page.list.model.modelReset.connect(lambda: resets.append(time.perf_counter()))  # type: ignore[attr-defined]
    for query in QUERIES:
        n = len(resets)
        start = time.perf_counter()
        page.list.search.setText(query)  # type: ignore[attr-defined]
        _wait(app, lambda n=n: len(resets) > n and not page.list._timer.isActive())  # type: ignore[attr-defined]
        results[f"search {query!r}"] = resets[-1] - start
    cid = page.list.model.data(page.list.model.index(0, 0), ID_ROLE)  # type: ignore[attr-defined]
    start = time.perf_counter()
    ws.open_client(cid)
    _wait(app, lambda: bool(page.view.title.text()))  # type: ignore[attr-defined]
    results["client page filled"] = time.perf_counter() - start
    start = time.perf_counter()
    ws.quick_log(cid)
    dialog = win.findChildren(QuickLogDialog)[-1]
    results["quick log shown"] = time.perf_counter() - start
    _wait(app, lambda: dialog.ready)
    results["quick log lists loaded"] = time.perf_counter() - start
    dialog.reject()
    results["longest UI stall"] = max(gaps) if gaps else 0.0
    win.lock()
    for name, seconds in results.items():
        out(f"{name:40s} {seconds * 1000:9.0f} ms")
    return results


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m counsel_ui.devtools.bench")
    parser.add_argument("--vault", type=Path)
    parser.add_argument("--size", choices=("small", "large"), default="small")
    args = parser.parse_args(argv)
    if args.vault:
        return 0 if run(args.vault, os.environ.get("COUNSEL_PASSPHRASE", "")) else 1
    from counsel.demo.caseload import generate
    from counsel.vault.kdf import KdfParams
    from counsel.vault.service import Vault

    with tempfile.TemporaryDirectory(prefix="counsel-bench-") as tmp:
        os.environ["COUNSEL_HOME"] = tmp
        path = Path(tmp) / "bench.vault"
        phrase = "bench vault passphrase"
        vault, _code = Vault.create(path, phrase, kdf=KdfParams.fast_for_tests())
        start = time.perf_counter()
        n = generate(vault, size=args.size)
        vault.lock()
        print(f"demo vault: {n} records in {time.perf_counter() - start:.0f} s")
        run(path, phrase)
    return 0


if __name__ == "__main__":
    sys.exit(main())
