"""When to sync: a pure-Python state machine the UI drives (no threads, no Qt).

The UI asks ``next_action(now)`` from a timer on its own thread — instant, never
blocks — and runs the returned job (``run_sync`` or ``run_check``) on a worker thread.
The scheduler decides:

* periodically while online, and soon after a local change (debounced);
* "sync now" (``request_now``) runs at the next poll and resets the backoff;
* after a network failure it goes offline and only probes connectivity (a cheap health
  call) with exponential backoff plus jitter; when the probe succeeds it syncs at once.

Status changes go to ``on_status`` listeners (the UI shows them; thread-agnostic).
"""

from __future__ import annotations

import dataclasses
import enum
import random
import threading
import time
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from counsel.errors import KnownError, OfflineError

if TYPE_CHECKING:
    from counsel.vault.service import Vault


class State(enum.Enum):
    IDLE = "idle"
    SYNCING = "syncing"
    OFFLINE = "offline"
    ERROR = "error"  # the server refused something: needs a person, retried slowly


class Action(enum.Enum):
    NONE = "none"
    SYNC = "sync"
    CHECK = "check"  # probe connectivity only


@dataclasses.dataclass(frozen=True)
class Status:
    state: State
    message: str = ""
    next_at: float = 0.0
    failures: int = 0


class Scheduler:
    def __init__(self, sync: Callable[[], object], check: Callable[[], bool], *,
                 interval: float = 300.0, debounce: float = 3.0, min_backoff: float = 2.0,
                 max_backoff: float = 300.0, clock: Callable[[], float] = time.monotonic,
                 rng: Callable[[], float] = random.random) -> None:
        self._sync, self._check = sync, check
        self.interval, self.debounce = interval, debounce
        self.min_backoff, self.max_backoff = min_backoff, max_backoff
        self.clock, self.rng = clock, rng
        self._lock = threading.Lock()
        self.state = State.IDLE
        self.failures = 0
        self.next_at = clock()  # sync once at start
        self.running = False
        self.last_result: object = None
        self.listeners: list[Callable[[Status], None]] = []

    # -- inputs from the UI ---------------------------------------------------------
    def request_now(self) -> None:
        """"Sync now": run at the next poll, whatever the backoff says."""
        with self._lock:
            self.failures = 0
            self.next_at = self.clock()
            if self.state is State.OFFLINE:
                self.state = State.IDLE  # try a real sync, not only a probe

    def local_change(self) -> None:
        """Something was saved: sync soon (several saves in a row make one sync)."""
        with self._lock:
            if self.state is State.IDLE:
                self.next_at = min(self.next_at, self.clock() + self.debounce)

    def network_changed(self) -> None:
        """The OS says the network came back: probe now instead of waiting out the backoff."""
        with self._lock:
            self.next_at = self.clock()

    # -- polling --------------------------------------------------------------------
    def next_action(self, now: float | None = None) -> Action:
        """What the UI should start now (cheap; call from a timer). Claims the job."""
        now = self.clock() if now is None else now
        with self._lock:
            if self.running or now < self.next_at:
                return Action.NONE
            self.running = True
            return Action.CHECK if self.state is State.OFFLINE else Action.SYNC

    def seconds_until_due(self, now: float | None = None) -> float:
        now = self.clock() if now is None else now
        return max(0.0, self.next_at - now)

    def run(self, action: Action) -> None:
        """Run a claimed job (blocking: call on a worker thread)."""
        if action is Action.CHECK:
            self.run_check()
        elif action is Action.SYNC:
            self.run_sync()

    def run_check(self) -> None:
        try:
            ok = self._check()
        except Exception:
            ok = False
        if ok:
            self._set(State.IDLE, next_at=self.clock(), done=True)
            return
        self._fail(State.OFFLINE, "")

    def run_sync(self) -> None:
        self._set(State.SYNCING, next_at=self.next_at, done=False)
        try:
            self.last_result = self._sync()
        except OfflineError as exc:
            self._fail(State.OFFLINE, exc.message)
            return
        except KnownError as exc:
            self._fail(State.ERROR, exc.message)
            return
        except Exception as exc:  # a bug: keep the app alive, retry slowly, report it
            self._fail(State.ERROR, type(exc).__name__)
            raise
        with self._lock:
            self.failures = 0
        self._set(State.IDLE, next_at=self.clock() + self.interval, done=True)

    # -- internals ------------------------------------------------------------------
    def backoff(self, failures: int) -> float:
        base = min(self.max_backoff, self.min_backoff * 2.0 ** max(0, failures - 1))
        return base * (0.5 + self.rng() / 2)  # jitter: many laptops must not retry in step

    def _fail(self, state: State, message: str) -> None:
        with self._lock:
            self.failures += 1
            delay = self.backoff(self.failures)
            if state is State.ERROR:
                delay = max(delay, self.interval)
        self._set(state, next_at=self.clock() + delay, done=True, message=message)

    def _set(self, state: State, *, next_at: float, done: bool, message: str = "") -> None:
        with self._lock:
            self.state, self.next_at = state, next_at
            if done:
                self.running = False
            status = Status(state, message, next_at, self.failures)
        for listener in list(self.listeners):
            listener(status)


def for_vault(vault: Vault, **kwargs: Any) -> Scheduler:
    """A scheduler wired to a signed-in vault: sync = ``SyncClient.sync``, check = health."""
    from counsel.sync import credentials
    from counsel.sync.client import SyncClient
    from counsel.sync.transport import Transport

    def sync() -> object:
        client = SyncClient.from_vault(vault)
        try:
            return client.sync()
        finally:
            client.close()

    def check() -> bool:
        creds = credentials.load(vault)
        if creds is None:
            return False
        with Transport(creds.url, timeout=5) as transport:
            return transport.health()

    return Scheduler(sync, check, **kwargs)
