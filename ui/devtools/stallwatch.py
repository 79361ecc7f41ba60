"""Which code holds the UI thread when the heartbeat is late (not part of the test suite).

A daemon thread looks at the bench's heartbeat every few milliseconds; while the last
tick is older than a threshold it grabs the UI thread's Python stack
(`sys._current_frames`) and counts where it is, keeping only this project's frames
(`counsel/`, `ui/`) and the innermost library frame below them.  A stall inside Qt's
C++ shows as the Python line that called into Qt (`setCurrentWidget`, `processEvents`)
or the Python override Qt called back (`data`, `paintEvent`).

    python -m counsel_ui.devtools.bench --vault PATH --watch 30
"""

from __future__ import annotations

import collections
import os
import sys
import threading
import time
import traceback
from collections.abc import Callable
from pathlib import Path
from typing import Any

_ROOTS = tuple(str(Path(__file__).resolve().parents[i]) for i in (1, 2))  # ui/, repo/


def _short(filename: str) -> str:
    for root in _ROOTS[::-1]:
        if filename.startswith(root + os.sep):
            return os.path.relpath(filename, root)
    return "…/" + "/".join(Path(filename).parts[-2:])


class StallWatch:
    """Samples the UI thread's stack while `last()` is more than `threshold` s ago."""

    def __init__(self, last: Callable[[], float], threshold: float = 0.03,
                 every: float = 0.002, depth: int = 5) -> None:
        self.last = last
        self.threshold = threshold
        self.every = every
        self.depth = depth
        self.ui = threading.get_ident()
        self.samples: collections.Counter[str] = collections.Counter()
        self.background: collections.Counter[str] = collections.Counter()  # other threads
        self.stalls: list[tuple[float, str, str]] = []  # (length, UI place, others) per stall
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True, name="stallwatch")

    def start(self) -> StallWatch:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(1.0)

    def _where(self, frame: Any, depth: int = 0) -> str:
        # no source lines: reading them here would take the GIL for file I/O
        depth = depth or self.depth
        stack = traceback.StackSummary.extract(traceback.walk_stack(frame), lookup_lines=False)
        stack.reverse()
        ours = [i for i, f in enumerate(stack)
                if f.filename.startswith(_ROOTS) and "/devtools/" not in f.filename]
        if not ours:
            return _short(stack[-1].filename) + f":{stack[-1].lineno}:{stack[-1].name}"
        keep = stack[ours[0]:] if len(stack) - ours[0] <= depth else stack[-depth:]
        if ours[-1] < len(stack) - depth:  # deep in a library: say who called it
            keep = [*stack[-2:], stack[ours[-1]]]
        return " <- ".join(f"{_short(f.filename)}:{f.lineno}:{f.name}" for f in reversed(keep))

    def _others(self, frames: dict[int, Any]) -> list[str]:
        """Where the other threads are (a worker keeping the GIL shows here: the UI thread
        waits in whatever Python line it was, often the bench's own wait loop)."""
        me = threading.get_ident()
        names = {t.ident: t.name for t in threading.enumerate()}
        found = []
        for ident, frame in frames.items():
            if ident in (self.ui, me):
                continue
            where = self._where(frame, depth=3)
            if "threading.py" in where.split(" <- ")[0]:
                continue  # a Python thread waiting on a lock or event
            found.append(f"[{names.get(ident, ident)}] {where}")
        return found

    def _run(self) -> None:
        in_stall: collections.Counter[str] | None = None
        others: collections.Counter[str] = collections.Counter()
        began = 0.0
        while not self._stop.wait(self.every):
            last = self.last()
            gap = time.perf_counter() - last
            if gap > self.threshold:
                frames = sys._current_frames()
                frame = frames.get(self.ui)
                if frame is None:
                    continue
                where = self._where(frame)
                if in_stall is None:
                    in_stall, began = collections.Counter(), last
                    others = collections.Counter()
                in_stall[where] += 1
                self.samples[where] += 1
                for other in self._others(frames):
                    others[other] += 1
                    self.background[other] += 1
            elif in_stall is not None:
                beside = "; ".join(f"{n}x {w}" for w, n in others.most_common(2))
                self.stalls.append((self.last() - began, in_stall.most_common(1)[0][0], beside))
                in_stall = None

    def report(self, out: Callable[[str], None] = print, top: int = 15) -> None:
        out(f"stalls > {self.threshold * 1000:.0f} ms: {len(self.stalls)}; longest:")
        for length, where, beside in sorted(self.stalls, reverse=True)[:top]:
            out(f"  {length * 1000:6.0f} ms  mostly {where}")
            if beside:
                out(f"            meanwhile {beside}")
        out(f"where the UI thread was while late (samples x {self.every * 1000:.0f} ms):")
        for where, n in self.samples.most_common(top):
            out(f"  {n * self.every * 1000:6.0f} ms  {where}")
        out("where the other threads were meanwhile (samples):")
        for where, n in self.background.most_common(top):
            out(f"  {n:6d}  {where}")
