import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from counsel.app.policies import (
    AppointmentTimer,
    DraftDebounce,
    IdlePolicy,
    Resume,
    UnlockThrottle,
    format_elapsed,
)


def test_idle_locks_after_timeout_only():
    p = IdlePolicy(minutes=5)
    p.touch(100.0)
    assert not p.should_lock(100 + 299)
    assert p.should_lock(100 + 300)
    p.touch(400.0)
    assert not p.should_lock(401)


def test_idle_zero_means_never_and_clamps():
    assert not IdlePolicy(minutes=0).should_lock(1e9)
    assert IdlePolicy(minutes=100000).minutes == 240
    assert IdlePolicy(minutes=-3).minutes == 0


def test_touch_never_goes_back_in_time():
    p = IdlePolicy(minutes=1)
    p.touch(100)
    p.touch(50)
    assert p.last_activity == 100


def test_throttle_free_attempts_then_growing_capped_delay():
    t = UnlockThrottle(free_attempts=2, base_delay=2, max_delay=10)
    assert t.failed(0) == 0 and t.failed(0) == 0
    assert t.failed(0) == 2
    assert t.wait(1) == 1
    assert t.failed(10) == 4
    assert t.failed(20) == 8
    assert t.failed(30) == 10  # capped
    t.succeeded()
    assert t.wait(30) == 0 and t.failures == 0


def test_timer_pause_resume_and_stop():
    t = AppointmentTimer()
    wall = dt.datetime(2026, 1, 5, 9, 0)
    t.start("c" * 32, 0.0, wall)
    t.pause(600.0)
    assert t.elapsed(5000.0) == 600.0
    t.start("c" * 32, 1000.0, wall)
    assert t.elapsed(1300.0) == 900.0
    assert t.stop(1300.0) == ("c" * 32, wall, 15)
    assert not t.active and t.stop(2000.0) is None


def test_timer_refuses_second_client():
    t = AppointmentTimer()
    t.start("a" * 32, 0, dt.datetime(2026, 1, 1))
    with pytest.raises(ValueError):
        t.start("b" * 32, 1, dt.datetime(2026, 1, 1))


@settings(max_examples=50)
@given(st.lists(st.floats(min_value=0, max_value=500), min_size=1, max_size=10))
def test_timer_elapsed_equals_sum_of_running_spans(spans):
    t = AppointmentTimer()
    now = 0.0
    for span in spans:
        t.start("a" * 32, now, dt.datetime(2026, 1, 1))
        now += span
        t.pause(now)
        now += 1000  # paused time never counts
    assert t.elapsed(now) == pytest.approx(sum(spans))
    assert 1 <= t.minutes(now) <= 24 * 60


def test_format_elapsed():
    assert format_elapsed(65) == "01:05"
    assert format_elapsed(3725) == "1:02:05"


def test_debounce_quiet_period_and_max_wait():
    d = DraftDebounce(quiet=1.0, max_wait=5.0)
    assert not d.due(0)
    d.changed(0.0)
    assert not d.due(0.5) and d.due(1.0)
    d.saved()
    # continuous typing every 0.5 s: saved by max_wait anyway
    t = 10.0
    d.changed(t)
    while not d.due(t):
        t += 0.5
        d.changed(t) if not d.due(t) else None
    assert t - 10.0 <= 5.0


@settings(max_examples=50)
@given(st.lists(st.floats(min_value=0.01, max_value=3), min_size=1, max_size=30))
def test_debounce_never_waits_longer_than_max_wait(gaps):
    d = DraftDebounce(quiet=1.0, max_wait=5.0)
    now, first = 0.0, None
    for gap in gaps:
        d.changed(now)
        first = now if first is None else first
        if d.due(now):
            break
        now += gap
        if d.due(now):
            break
    if d.dirty:
        assert now - d.dirty_since < 5.0 + 3 or d.due(now)
        assert d.next_check(now) <= 5.0


def test_resume_roundtrip():
    r = Resume(page="clients", client_id="a" * 32, editor_draft="x:y")
    assert Resume.from_dict(r.to_dict()) == r
    assert Resume.from_dict({}) == Resume()
