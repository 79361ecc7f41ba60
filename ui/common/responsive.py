"""Short turns for the UI thread while background work runs (docs/performance.md "UI stalls").

Today, the Time page, search and the quick log compute in worker threads (``ops``), but
all of them share the GIL with the UI thread.  Two process-wide settings decide how long
the UI thread can be kept waiting by them; :func:`apply` sets both, once, when the main
window is made:

* **GIL switch interval 1 ms** (Python's default is 5 ms).  Every call from Qt into
  Python — a timer, a slot, a model's ``data()`` during a paint — first has to get the
  GIL back from a worker; a paint of a table calls ``data()`` hundreds of times, each
  waiting up to one switch interval.
* **Garbage collected on the UI thread only.**  Python runs an automatic collection on
  whichever thread happens to allocate, and a collection on a worker that frees a cycle
  holding a Qt object destroys that object on the wrong thread: the process died with a
  segmentation fault (a test run, a collection inside a page prefetch on a reader thread).
  So automatic collection is off (``gc.disable``) and a timer on the UI thread
  (:func:`collect_young`, every ``TICK_MS``, ``BUSY_TICK_MS`` while work is queued) runs
  the young collections the thresholds would have run — the recipe Anki, Spyder and
  OpenCue use for the same crash.
* **No automatic full garbage collections.**  A full (generation 2) collection holds the
  GIL while it looks at every object in the heap: 70–160 ms each on the large demo vault,
  and they came exactly in the first second after unlock, when the workers build their
  results and the heap grows by a quarter.  Young collections keep their thresholds
  (``YOUNG``, run by the UI thread's timer: cyclic garbage that dies young, most of it,
  is still found within a tick).  The
  full ones are moved to moments nobody waits on:

  - Enter on the unlock window (:func:`freeze_startup`, while the key is derived):
    everything is unfrozen and collected — this is where the last session's pages go —
    and what is left is frozen (``gc.freeze``: later collections skip it);
  - the unlock done (:func:`freeze_unlocked`): what the unlock made is frozen, no
    collection;
  - the person idle for ``IDLE_S`` with nothing queued (:func:`collect_if_idle`, from
    the main window's idle check, at most every ``EVERY_S``): a full collection, and its
    survivors frozen, so the next one looks only at what came after.

  The cost: a cycle that was alive when frozen and dies later is freed at the next
  unlock, not before (kept for one session at most).
"""

from __future__ import annotations

import gc
import sys
import time
from typing import Any

SWITCH_INTERVAL_S = 0.001
#: gen0 allocations before a young collection; gen0 collections per gen1 one; gen1
#: collections before an automatic full one (so many that it never comes first: the idle
#: collection does it).
YOUNG = (5000, 20)
NO_AUTO_FULL = 1_000_000
IDLE_S = 10.0
#: at most this long between idle full collections while there is garbage to find.
EVERY_S = 60.0
#: how often the UI thread looks whether a young collection is due: while background work
#: allocates (short, so each collection stays small) and otherwise (few wake-ups).
BUSY_TICK_MS = 20
TICK_MS = 500

_state: dict[str, Any] = {"applied": False, "last_full": 0.0, "timer": None}


def apply() -> None:
    """Set the switch interval, the collection thresholds and collection on the UI thread
    (idempotent; call it on the UI thread once the QApplication exists)."""
    if not _state["applied"]:
        _state["applied"] = True
        sys.setswitchinterval(SWITCH_INTERVAL_S)
        gc.set_threshold(YOUNG[0], YOUNG[1], NO_AUTO_FULL)
        _state["last_full"] = time.monotonic()
    collect_on_ui_thread()


def collect_on_ui_thread() -> None:
    """Turn automatic collection off and run the young collections from a timer on this
    (the UI) thread instead.  Without a QApplication nothing changes: no event loop would
    run the timer, and without Qt objects a collection on any thread is harmless."""
    from PySide6.QtCore import QCoreApplication, QTimer

    app = QCoreApplication.instance()
    if app is None:
        return
    gc.disable()
    if _state["timer"] is not None:
        return
    timer = QTimer(app)
    timer.setInterval(BUSY_TICK_MS)

    def tick() -> None:
        from counsel_ui.common import ops

        busy = ops.busy()
        collect_young(busy)
        timer.setInterval(BUSY_TICK_MS if busy else TICK_MS)

    timer.timeout.connect(tick)
    timer.start()
    _state["timer"] = timer


def collect_young(busy: bool = False) -> int | None:
    """The young collection the ``YOUNG`` thresholds call for, if one is due (generation 1
    every ``YOUNG[1]``-th time); returns the generation collected.  While background work
    is queued (``busy``) only generation 0: generation 1 then holds what the workers built
    in the last second, and looking through it on the UI thread was a 56 ms stall right
    after unlock; it is collected at the first tick with nothing queued."""
    allocated, young_runs, _old = gc.get_count()
    if allocated < YOUNG[0] and (busy or young_runs < YOUNG[1]):
        return None
    generation = 1 if young_runs >= YOUNG[1] and not busy else 0
    gc.collect(generation)
    return generation


def freeze_startup() -> None:
    """Unfreeze, collect everything and freeze what is alive (when Enter is pressed on the
    unlock window: the key derivation takes a second on purpose, nobody waits on the UI)."""
    gc.unfreeze()
    gc.collect()
    gc.freeze()


def freeze_unlocked() -> None:
    """Freeze what the unlock left alive (the opened vault's state) without collecting:
    moving the tracked objects aside is cheap, a collection now would be a stall."""
    gc.freeze()


def collect_if_idle(last_input: float, busy: bool, now: float | None = None) -> bool:
    """Run a full collection if the person has been idle for ``IDLE_S`` and nothing runs in
    the background, at most every ``EVERY_S``.  Returns whether it collected."""
    now = time.monotonic() if now is None else now
    if busy or now - last_input < IDLE_S or now - _state["last_full"] < EVERY_S:
        return False
    _state["last_full"] = now
    gc.collect()
    gc.freeze()  # the survivors are the open pages' data: the next collection skips them
    return True
