"""The sync scheduler: a pure state machine driven with a fake clock."""

from __future__ import annotations

import pytest

from counsel.errors import KnownError, OfflineError
from counsel.sync.scheduler import Action, Scheduler, State, Status


class Clock:
    def __init__(self) -> None:
        self.t = 1000.0

    def __call__(self) -> float:
        return self.t


def _make(outcomes: list[object], online: list[bool]) -> tuple[Scheduler, Clock, list[Status]]:
    clock = Clock()

    def sync() -> object:
        out = outcomes.pop(0)
        if isinstance(out, Exception):
            raise out
        return out

    sched = Scheduler(sync, lambda: online.pop(0), interval=300, debounce=3, min_backoff=2,
                      max_backoff=60, clock=clock, rng=lambda: 1.0)
    seen: list[Status] = []
    sched.listeners.append(seen.append)
    return sched, clock, seen


def test_syncs_at_start_then_periodically() -> None:
    sched, clock, seen = _make(["ok", "ok"], [])
    action = sched.next_action()
    assert action is Action.SYNC
    assert sched.next_action() is Action.NONE  # claimed: never two at once
    sched.run(action)
    assert sched.state is State.IDLE and sched.last_result == "ok"
    assert [s.state for s in seen] == [State.SYNCING, State.IDLE]
    assert sched.next_action() is Action.NONE
    clock.t += 299
    assert sched.next_action() is Action.NONE
    clock.t += 1
    assert sched.next_action() is Action.SYNC


def test_offline_backs_off_probes_then_syncs_when_back() -> None:
    sched, clock, _ = _make([OfflineError("down"), "ok"], [False, False, True])
    sched.run(sched.next_action())
    assert sched.state is State.OFFLINE
    delays = []
    for _ in range(2):
        delays.append(sched.seconds_until_due())
        clock.t += sched.seconds_until_due()
        action = sched.next_action()
        assert action is Action.CHECK  # only a cheap probe while offline
        sched.run(action)
    assert delays == [2.0, 4.0]  # exponential
    assert sched.seconds_until_due() == 8.0
    clock.t += 8
    sched.run(sched.next_action())  # probe succeeds ...
    assert sched.state is State.IDLE and sched.seconds_until_due() == 0
    assert sched.next_action() is Action.SYNC  # ... and a real sync follows at once


def test_backoff_is_capped_and_jittered() -> None:
    sched = Scheduler(lambda: None, lambda: True, min_backoff=2, max_backoff=60,
                      rng=lambda: 0.0)
    assert sched.backoff(20) == 30.0  # half of the cap at the lowest jitter
    sched.rng = lambda: 1.0
    assert sched.backoff(20) == 60.0


def test_sync_now_skips_the_backoff_and_local_change_debounces() -> None:
    sched, clock, _ = _make([OfflineError("down"), "ok", "ok"], [])
    sched.run(sched.next_action())
    assert sched.next_action() is Action.NONE
    sched.request_now()
    assert sched.next_action() is Action.SYNC  # a real sync, not a probe
    sched.run(Action.SYNC)
    sched.local_change()
    sched.local_change()
    assert sched.seconds_until_due() == 3
    clock.t += 3
    assert sched.next_action() is Action.SYNC


def test_refusal_is_an_error_state_retried_slowly() -> None:
    sched, _, seen = _make([KnownError("no")], [])
    sched.run(sched.next_action())
    assert sched.state is State.ERROR and seen[-1].message == "no"
    assert sched.seconds_until_due() >= 300


def test_a_bug_is_raised_but_the_scheduler_stays_usable() -> None:
    sched, _, _ = _make([RuntimeError("bug")], [])
    with pytest.raises(RuntimeError):
        sched.run(sched.next_action())
    assert sched.state is State.ERROR and not sched.running
