"""Qt-free state and policies the desktop app runs on (tested without a QApplication).

* :class:`IdlePolicy` — when to auto-lock after no input.
* :class:`UnlockThrottle` — rate-limited passphrase retries (never locks the file out).
* :class:`AppointmentTimer` — the running timer for visible appointment time.
* :class:`DraftDebounce` — when an editor writes its encrypted draft.
* :class:`Resume` — where the user was when the vault locked.

Clocks are passed in (``now`` in seconds, monotonic) so the policies are testable.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import Any

DEFAULT_IDLE_MINUTES = 10
MIN_IDLE_MINUTES = 1
MAX_IDLE_MINUTES = 240


@dataclasses.dataclass
class IdlePolicy:
    """Auto-lock after ``minutes`` without keyboard or mouse input (0 = never)."""

    minutes: int = DEFAULT_IDLE_MINUTES
    last_activity: float = 0.0

    def __post_init__(self) -> None:
        self.minutes = self.clamp(self.minutes)

    @staticmethod
    def clamp(minutes: int) -> int:
        if minutes <= 0:
            return 0
        return max(MIN_IDLE_MINUTES, min(MAX_IDLE_MINUTES, int(minutes)))

    def touch(self, now: float) -> None:
        self.last_activity = max(self.last_activity, now)

    def should_lock(self, now: float) -> bool:
        return self.minutes > 0 and now - self.last_activity >= self.minutes * 60

    def seconds_left(self, now: float) -> float:
        if self.minutes == 0:
            return float("inf")
        return max(0.0, self.minutes * 60 - (now - self.last_activity))


@dataclasses.dataclass
class UnlockThrottle:
    """After a few wrong passphrases, make the person wait a little longer each time.

    Nothing is written to disk and the vault is never locked out: the delay lives in
    this process only, and caps at ``max_delay`` seconds.
    """

    free_attempts: int = 3
    base_delay: float = 2.0
    max_delay: float = 30.0
    failures: int = 0
    not_before: float = 0.0

    def wait(self, now: float) -> float:
        """Seconds until the next attempt is allowed (0 = now)."""
        return max(0.0, self.not_before - now)

    def failed(self, now: float) -> float:
        self.failures += 1
        over = self.failures - self.free_attempts - 1
        delay = 0.0 if over < 0 else min(self.max_delay, self.base_delay * 2 ** over)
        self.not_before = now + delay
        return delay

    def succeeded(self) -> None:
        self.failures = 0
        self.not_before = 0.0


@dataclasses.dataclass
class AppointmentTimer:
    """A pausable stopwatch for one client's appointment (visible time)."""

    client_id: str | None = None
    started_at: dt.datetime | None = None  # wall clock of the first start (for the record)
    _accumulated: float = 0.0
    _running_since: float | None = None

    @property
    def running(self) -> bool:
        return self._running_since is not None

    @property
    def active(self) -> bool:
        return self.client_id is not None

    def start(self, client_id: str, now: float, wall: dt.datetime) -> None:
        if self.active and client_id != self.client_id:
            raise ValueError("another client's timer is active")
        if self.client_id is None:
            self.client_id = client_id
            self.started_at = wall
            self._accumulated = 0.0
        if self._running_since is None:
            self._running_since = now

    def pause(self, now: float) -> None:
        if self._running_since is not None:
            self._accumulated += max(0.0, now - self._running_since)
            self._running_since = None

    def elapsed(self, now: float) -> float:
        running = max(0.0, now - self._running_since) if self._running_since is not None else 0.0
        return self._accumulated + running

    def minutes(self, now: float) -> int:
        """Whole minutes to record: rounded, never below one for a real appointment."""
        secs = self.elapsed(now)
        return max(1, min(24 * 60, round(secs / 60)))

    def stop(self, now: float) -> tuple[str, dt.datetime, int] | None:
        """End the appointment: (client id, start, minutes) — or None if none was active."""
        if not self.active:
            return None
        assert self.client_id is not None and self.started_at is not None
        result = (self.client_id, self.started_at, self.minutes(now))
        self.reset()
        return result

    def reset(self) -> None:
        self.client_id = None
        self.started_at = None
        self._accumulated = 0.0
        self._running_since = None


def format_elapsed(seconds: float) -> str:
    seconds = int(max(0, seconds))
    h, rest = divmod(seconds, 3600)
    m, s = divmod(rest, 60)
    return f"{h}:{m:02d}:{s:02d}" if h else f"{m:02d}:{s:02d}"


@dataclasses.dataclass
class DraftDebounce:
    """Save a draft ``quiet`` seconds after the last keystroke, and at least every
    ``max_wait`` seconds while typing goes on, so a crash loses at most a few seconds."""

    quiet: float = 1.0
    max_wait: float = 5.0
    dirty_since: float | None = None
    last_change: float = 0.0

    def changed(self, now: float) -> None:
        if self.dirty_since is None:
            self.dirty_since = now
        self.last_change = now

    @property
    def dirty(self) -> bool:
        return self.dirty_since is not None

    def due(self, now: float) -> bool:
        if self.dirty_since is None:
            return False
        return now - self.last_change >= self.quiet or now - self.dirty_since >= self.max_wait

    def next_check(self, now: float) -> float:
        """Seconds from ``now`` until :meth:`due` can become true."""
        if self.dirty_since is None:
            return self.quiet
        return max(0.0, min(self.last_change + self.quiet, self.dirty_since + self.max_wait) - now)

    def saved(self) -> None:
        self.dirty_since = None


@dataclasses.dataclass(frozen=True)
class Resume:
    """Where the user was when the vault locked: page and open record (ids only)."""

    page: str = "today"
    client_id: str | None = None
    editor_draft: str | None = None  # draft id of an open editor

    def to_dict(self) -> dict[str, Any]:
        return dataclasses.asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Resume:
        return cls(page=str(data.get("page", "today")), client_id=data.get("client_id"),
                   editor_draft=data.get("editor_draft"))
