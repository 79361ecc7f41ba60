"""The UI thread's share of the GIL: switch interval and garbage collection policy
(counsel_ui.common.responsive; the numbers are in docs/performance.md "UI stalls")."""

from __future__ import annotations

import gc
import sys
import weakref
from collections.abc import Iterator

import pytest

from counsel_ui.common import responsive


class _Cycle:
    def __init__(self) -> None:
        self.me = self


@pytest.fixture
def no_auto_gc() -> Iterator[None]:
    was = gc.isenabled()
    gc.disable()  # only the collections the policy runs itself
    saved = dict(responsive._state)
    try:
        yield
    finally:
        gc.unfreeze()
        responsive._state.update(saved)
        if was:
            gc.enable()


def test_the_main_window_sets_a_short_switch_interval_and_no_automatic_full_collections(
        window) -> None:
    assert sys.getswitchinterval() == pytest.approx(responsive.SWITCH_INTERVAL_S)
    young0, young1, full = gc.get_threshold()
    assert (young0, young1) == responsive.YOUNG
    assert full == responsive.NO_AUTO_FULL


def test_cyclic_garbage_is_collected_when_idle_and_nothing_runs(no_auto_gc) -> None:
    responsive._state["last_full"] = 0.0
    obj = _Cycle()
    ref = weakref.ref(obj)
    del obj
    now = 1000.0
    # the person typed a moment ago: not now
    assert not responsive.collect_if_idle(last_input=now - 1, busy=False, now=now)
    # background work queued: not now either
    assert not responsive.collect_if_idle(last_input=now - 60, busy=True, now=now)
    assert ref() is not None
    survivor = _Cycle()
    assert responsive.collect_if_idle(last_input=now - 60, busy=False, now=now)
    assert ref() is None
    # what survived is frozen: the next idle collection does not look at it again
    assert not any(o is survivor for o in gc.get_objects())
    # and not again within EVERY_S, even when idle
    assert not responsive.collect_if_idle(last_input=now - 60, busy=False, now=now + 1)
    assert responsive.collect_if_idle(last_input=now - 60, busy=False,
                                      now=now + responsive.EVERY_S + 1)


def test_enter_on_the_unlock_window_frees_what_earlier_freezes_kept(no_auto_gc) -> None:
    # a cycle alive when frozen (a page's model at an idle collection) that dies later...
    page = _Cycle()
    ref = weakref.ref(page)
    gc.freeze()
    del page
    gc.collect()
    assert ref() is not None  # ...is not found while frozen
    alive = _Cycle()
    responsive.freeze_startup()  # Enter: unfreeze, collect, freeze again
    assert ref() is None
    assert gc.get_freeze_count() > 0
    assert not any(o is alive for o in gc.get_objects())


def test_the_unlock_freezes_without_collecting(no_auto_gc) -> None:
    garbage = _Cycle()
    ref = weakref.ref(garbage)
    del garbage
    responsive.freeze_unlocked()
    assert ref() is not None  # no collection (a stall) at that moment
    assert not any(o is ref() for o in gc.get_objects())


def test_garbage_is_collected_on_the_ui_thread_only_while_workers_allocate(
        qtbot, vault_path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """A collection that starts on a worker frees the cycles it finds there — Qt objects in
    them are then destroyed off the UI thread, and the process dies (a CI run did: a young
    collection inside the page prefetch's reader thread)."""
    import threading

    from uihelp import unlock

    from counsel.vault.kdf import KdfParams
    from counsel_ui.common import ops
    from counsel_ui.shell.main_window import MainWindow

    gc.enable()  # a fresh process: Python collects automatically on any thread
    main = threading.get_ident()
    started_on: list[int] = []

    def note(phase: str, _info: dict) -> None:
        if phase == "start":
            started_on.append(threading.get_ident())

    def make_garbage() -> int:  # what a worker building a page's rows leaves behind
        for _ in range(200_000):
            _Cycle()
        return 0

    monkeypatch.setenv("COUNSEL_HOME", str(vault_path.parent / "home"))
    gc.callbacks.append(note)
    try:
        win = MainWindow(vault_path, kdf=KdfParams.fast_for_tests())
        qtbot.addWidget(win)
        win.show()
        unlock(qtbot, win)  # the unlock and the first pages' work run on reader threads
        done: list[int] = []
        ops.Op(win, make_garbage, write=False).success(done.append).run()
        qtbot.waitUntil(lambda: bool(done), timeout=20_000)
        qtbot.waitUntil(lambda: gc.get_count()[0] < responsive.YOUNG[0], timeout=5_000)
        win.lock()
        ops.wait_idle()
    finally:
        gc.callbacks.remove(note)
    assert started_on, "no young collection ran at all: the cyclic garbage was never freed"
    assert set(started_on) == {main}


def test_while_work_is_queued_only_the_youngest_generation_is_collected(no_auto_gc) -> None:
    gc.collect(1)
    for _ in range(responsive.YOUNG[1]):
        gc.collect(0)  # generation 1 is due by the thresholds
    made = [_Cycle() for _ in range(responsive.YOUNG[0])]
    assert responsive.collect_young(busy=True) == 0  # not the larger generation 1
    assert responsive.collect_young(busy=True) is None  # nothing young left
    assert responsive.collect_young(busy=False) == 1  # nothing queued: now generation 1
    assert responsive.collect_young(busy=False) is None
    assert len(made) == responsive.YOUNG[0]
