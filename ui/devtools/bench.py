"""What a person waits for in the desktop app, on a real vault (not part of the test suite).

    python -m counsel_ui.devtools.bench --vault PATH          # passphrase from COUNSEL_PASSPHRASE
    python -m counsel_ui.devtools.bench --size small          # makes a demo vault first (slow)

Drives the real window offscreen.  The clock starts when Enter is pressed on the unlock
window; then, the moment the workspace appears, everything a counsellor starts in the
first second is started at once, as in real use: Today is in front and computing, the
Time page is opened behind it, the quick log dialog is opened, and the first search
keystroke is typed.  Each row is the time from Enter (and from the end of the
deliberately slow key derivation, "after unlock") until that screen is filled:

* Today filled: its heading and items are shown (not a loading row);
* first search answered: the client list shows the rows for the typed letter;
* quick log usable: its client and contact lists are loaded (Save enabled);
* Time page filled: chart, tables and indicators shown for the default period;
* then, one after the other: a period change on the Time page, a second search
  keystroke, and a plan preview (Plans page → new plan → first page rendered);
* the longest stall of the UI thread (a 5 ms heartbeat's largest gap) after unlock, in
  each phase (until the Time page is filled, the period change, the keystroke, the plan
  preview with 0.3 s after it) and over the whole run; `--watch MS` also prints where the
  UI thread and the other threads were whenever the heartbeat was late by more than MS
  (devtools/stallwatch.py).  `--preview-in-process` renders the preview in the app's own
  process, as before the renderer process (counsel/plans/render_worker.py), to compare.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any


def _wait(app: Any, done: Callable[[], bool], limit: float = 300.0) -> float:
    start = time.perf_counter()
    while not done():
        app.processEvents()
        time.sleep(0.0005)
        if time.perf_counter() - start > limit:
            raise TimeoutError
    return time.perf_counter()


class _Heartbeat:
    """A 5 ms timer on the UI thread; a long gap between ticks is a stall.

    On Linux each tick also reads the UI thread's scheduler counters
    (``/proc/thread-self/schedstat``: time on a CPU, time runnable but waiting for one),
    so the longest gap is split into the UI thread's own work (Python and Qt's C++), the
    wait for a CPU (other processes and threads using both cores) and the rest, blocked:
    mostly waiting for the GIL that a worker thread keeps."""

    def __init__(self) -> None:
        from PySide6.QtCore import Qt, QTimer

        self.longest = 0.0
        self.parts = (0.0, 0.0)  # (on a CPU, waiting for a CPU) during the longest gap
        self.last = time.perf_counter()
        try:
            self._sched: int | None = os.open("/proc/thread-self/schedstat", os.O_RDONLY)
        except OSError:
            self._sched = None
        self.last_sched = self._counters()
        self.timer = QTimer()
        self.timer.setTimerType(Qt.TimerType.PreciseTimer)
        self.timer.setInterval(5)
        self.timer.timeout.connect(self.tick)

    def _counters(self) -> tuple[float, float]:
        if self._sched is None:
            return (0.0, 0.0)
        on_cpu, waiting, _slices = os.pread(self._sched, 128, 0).split()
        return int(on_cpu) / 1e9, int(waiting) / 1e9

    def tick(self) -> None:
        now, counters = time.perf_counter(), self._counters()
        if now - self.last > self.longest:
            self.longest = now - self.last
            self.parts = (counters[0] - self.last_sched[0], counters[1] - self.last_sched[1])
        self.last, self.last_sched = now, counters

    def restart(self) -> None:
        self.longest = 0.0
        self.last, self.last_sched = time.perf_counter(), self._counters()
        self.timer.start()

    def phase(self) -> tuple[float, float, float]:
        """The longest gap since the last call (or the start) and its time on a CPU and
        waiting for one; then start over."""
        self.tick()
        result = (self.longest, *self.parts)
        self.longest, self.parts = 0.0, (0.0, 0.0)
        return result


def run(vault_path: Path, passphrase: str, out: Callable[[str], None] = print,
        watch: float = 0.0, preview_in_process: bool = False) -> dict[str, float]:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from counsel_ui.common.qtcompat import guard_none_refcount

    guard_none_refcount()
    from PySide6.QtCore import Qt
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QApplication

    from counsel_ui.shell.main_window import MainWindow

    app = QApplication.instance() or QApplication([])
    win = MainWindow(vault_path)
    win.show()
    _wait(app, lambda: win.isVisible())
    beat = _Heartbeat()
    at: dict[str, float] = {}
    win.unlock_screen.passphrase.setText(passphrase)
    win.unlock_screen.passphrase.setFocus()
    t0 = time.perf_counter()
    QTest.keyClick(win.unlock_screen.passphrase, Qt.Key.Key_Return)
    at["unlock (key derivation + working set)"] = _wait(app, lambda: not win.locked)
    unlocked = time.perf_counter()
    beat.restart()
    watcher = None
    if watch:
        from counsel_ui.devtools.stallwatch import StallWatch

        watcher = StallWatch(lambda: beat.last, threshold=watch).start()
    ws = win.workspace
    assert ws is not None
    today = ws.page("today")
    # everything the first second brings, started at once
    time_page: Any = ws.page("time")  # opened once, then back to Today in front
    ws.quick_log("")
    from counsel_ui.timekeeping.quick_log import QuickLogDialog

    dialog = win.findChildren(QuickLogDialog)[-1]
    dialog.reject()  # closed again; it keeps loading, which is what we wait for
    ws.show_page("clients")
    clients: Any = ws.page("clients").list  # type: ignore[attr-defined]
    resets: list[float] = []
    clients.model.modelReset.connect(lambda: resets.append(time.perf_counter()))
    clients.search.setFocus()
    QTest.keyClick(clients.search, "a")
    typed = time.perf_counter()
    ws.show_page("today")

    def search_done() -> bool:
        return bool(resets) and resets[-1] > typed and not clients._timer.isActive() \
            and clients.search.text() == "a"

    waits: dict[str, Callable[[], bool]] = {
        "Today filled": lambda: _today_filled(today),
        "first search answered": search_done,
        "quick log usable": lambda: bool(dialog.ready),
        "Time page filled": lambda: _time_filled(time_page),
    }
    pending = dict(waits)
    while pending:
        for name, done in list(pending.items()):
            if done():
                at[name] = time.perf_counter()
                del pending[name]
        app.processEvents()
        time.sleep(0.0005)
        if time.perf_counter() - t0 > 600:
            raise TimeoutError(", ".join(pending))
    stalls = {"unlock until Time filled": beat.phase()}
    # one after the other, once the first wave is done
    ws.show_page("time")
    old = time_page.overview
    start = time.perf_counter()
    time_page.range.setCurrentIndex(1)  # last 3 months
    end = _wait(app, lambda: time_page.overview is not old and _time_filled(time_page))
    extra = {"Time page period change": end - start}
    stalls["Time page period change"] = beat.phase()
    ws.show_page("clients")
    n = len(resets)
    start = time.perf_counter()
    QTest.keyClick(clients.search, "m")
    end = _wait(app, lambda: len(resets) > n and not clients._timer.isActive())
    extra["search keystroke -> rows (incl. 60 ms typing pause)"] = end - start
    stalls["search keystroke"] = beat.phase()
    cid = clients.model.data(clients.model.index(0, 0), _id_role())
    start = time.perf_counter()
    from counsel_ui.plans.page import open_plans_for

    if preview_in_process:  # as before the renderer process: to compare in one sitting
        from counsel.plans.render_worker import RenderWorker
        from counsel_ui.plans import renderer

        renderer.for_session = lambda _session: RenderWorker(command=lambda: None)

    plans = open_plans_for(ws, cid, new=True)
    _wait(app, lambda: plans.editor is not None)  # opens once the client is read
    editor: Any = plans.editor
    done_pages: list[int] = []
    editor.preview.rendered.connect(done_pages.append)
    end = _wait(app, lambda: bool(done_pages) or bool(editor.preview.pages))
    extra["plan preview (first in this process)"] = end - start
    _wait(app, lambda: time.perf_counter() - end > 0.3)  # the pages shown, painted
    stalls["plan preview (and 0.3 s after)"] = beat.phase()
    beat.timer.stop()
    stall = max(stalls.values())[0]
    import gc

    start = time.perf_counter()
    gc.collect()  # what the idle-time full collection costs with every page open
    extra["full collection, run when idle (common/responsive.py)"] = time.perf_counter() - start
    if watcher is not None:
        watcher.stop()
    win.lock()
    results: dict[str, float] = {}
    out(f"{'moment':52s} {'from Enter':>11s} {'after unlock':>13s}")
    for name, when in at.items():
        results[name] = when - t0
        after = when - unlocked if when >= unlocked else 0.0
        out(f"{name:52s} {(when - t0) * 1000:9.0f} ms {after * 1000:10.0f} ms")
        results[f"{name} after unlock"] = after
    for name, seconds in extra.items():
        results[name] = seconds
        out(f"{name:52s} {seconds * 1000:9.0f} ms")
    for name, (seconds, on_cpu, waiting) in stalls.items():
        results[f"longest UI stall, {name}"] = seconds
        blocked = max(0.0, seconds - on_cpu - waiting)
        out(f"{'longest UI stall, ' + name:52s} {seconds * 1000:9.0f} ms   (UI thread on a "
            f"CPU {on_cpu * 1000:.0f}, waiting for a CPU {waiting * 1000:.0f}, blocked "
            f"{blocked * 1000:.0f})")
    results["longest UI stall"] = stall
    out(f"{'longest UI stall, whole run':52s} {stall * 1000:9.0f} ms")
    if watcher is not None:
        watcher.report(out)
    return results


def _id_role() -> int:
    from counsel_ui.common.models import ID_ROLE

    return int(ID_ROLE)


def _today_filled(page: Any) -> bool:
    return bool(page.heading.text()) and not getattr(page, "loading", False) \
        and page.tree.topLevelItemCount() > 0


def _time_filled(page: Any) -> bool:
    return page.overview is not None and not page.status.text() \
        and not getattr(page, "loading", False)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m counsel_ui.devtools.bench")
    parser.add_argument("--vault", type=Path)
    parser.add_argument("--size", choices=("small", "large"), default="small")
    parser.add_argument("--watch", type=float, default=0.0, metavar="MS",
                        help="print where the UI thread was whenever the heartbeat is late by MS")
    parser.add_argument("--preview-in-process", action="store_true",
                        help="render the plan preview in this process, not the renderer "
                             "process (to compare)")
    args = parser.parse_args(argv)
    watch = args.watch / 1000
    # byte-code and catalogs as an installed copy has them: with PYTHONDONTWRITEBYTECODE
    # every page module imported after unlock was compiled from source on the UI thread
    # (up to 100 ms stalls that no user of an installed copy has)
    from counsel_ui.devtools.startbench import _compile_as_installed

    _compile_as_installed()
    if args.vault:
        run(args.vault, os.environ.get("COUNSEL_PASSPHRASE", ""), watch=watch,
            preview_in_process=args.preview_in_process)
        return 0
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
        vault.write_snapshot()
        vault.lock()
        print(f"demo vault: {n} records in {time.perf_counter() - start:.0f} s")
        run(path, phrase, watch=watch, preview_in_process=args.preview_in_process)
    return 0


if __name__ == "__main__":
    sys.exit(main())
