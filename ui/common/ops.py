"""Background operations, Anki style: ``Op(parent, fn).success(cb).failure(cb).run()``.

``fn`` runs off the UI thread; ``success(result)`` or ``failure(exc)`` runs back on the
UI thread (delivered by a queued signal).  Storage writes (``write=True``, the default)
go through one single-thread pool so they are serialised in submission order.  Reads
are scheduled by what the person is waiting for:

* short reads (search, quick log lists, a client page, previews) use the reader pool;
  ``priority`` orders its queue (``INTERACTIVE`` before ``FRONT``);
* long jobs (``long=True``: Today, the Time page, reports) use their own one-thread
  pool, so they never hold up a search or the quick log; its queue is ordered by
  priority too (the page in front first, then Today before Time: ``TODAY``, ``BEHIND``).
  Long jobs work in short steps (each holds the vault for milliseconds) and stop early
  when :meth:`Op.cancel` was called (``op.cancelled`` is checked between steps).

If ``parent`` is deleted before the result arrives, the callbacks are skipped.  A
failure without a callback goes to the error display (known errors with their help
text, anything else to the crash dialog).
"""

from __future__ import annotations

import collections
import logging
from collections.abc import Callable
from typing import Any

import shiboken6
from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal

log = logging.getLogger("counsel.ui.ops")

_pools: dict[str, QThreadPool] = {}
_pending: set[_Relay] = set()

#: Queue priorities (higher runs first): what the person just asked for, the page in
#: front, Today when it is behind, any other page's work while it is behind.
INTERACTIVE = 30
FRONT = 20
TODAY = 12
BEHIND = 10
PAGE_PRIORITY = FRONT


def page_priority(widget: Any, behind: int = BEHIND) -> int:
    """``FRONT`` while ``widget`` is on screen, else ``behind``."""
    return FRONT if widget.isVisible() else behind


def _pool(kind: str) -> QThreadPool:
    pool = _pools.get(kind)
    if pool is None:
        pool = QThreadPool()
        pool.setMaxThreadCount(2 if kind == "read" else 1)
        pool.setExpiryTimeout(-1)
        _pools[kind] = pool
    return pool


def wait_idle(timeout_ms: int = 30_000) -> bool:
    """Block until queued work has run (shutdown, lock, tests). Callbacks still queue."""
    return all(p.waitForDone(timeout_ms) for p in _pools.values())


def busy() -> bool:
    """Background work is queued or running (its callback not delivered yet)."""
    return bool(_pending)


def drain(timeout_ms: int = 30_000) -> None:
    """Finish queued work and deliver its callbacks now (before the vault locks)."""
    from PySide6.QtCore import QCoreApplication, QEvent

    for _round in range(10):
        wait_idle(timeout_ms)
        if not _pending:
            return
        QCoreApplication.sendPostedEvents(None, QEvent.Type.MetaCall)


class _Relay(QObject):
    done = Signal(bool, object)


class Cancelled(Exception):
    """The job was cancelled before it ran, or stopped early on purpose."""


#: writes in submission order.  QThreadPool, even with one thread, sometimes runs a
#: runnable started while its thread goes idle after later ones (seen: one of 20 quick
#: writes out of place in ~1 round of 6); so a write's runnable runs the oldest write.
_writes: collections.deque[tuple[Callable[[], Any], _Relay, Op]] = collections.deque()


class _Job(QRunnable):
    def __init__(self, fn: Callable[[], Any] | None, relay: _Relay | None, op: Op | None
                 ) -> None:
        super().__init__()
        self.fn = fn  # None: the oldest queued write
        self.relay = relay
        self.op = op
        self.setAutoDelete(True)

    def run(self) -> None:
        if self.fn is None:
            self.fn, self.relay, self.op = _writes.popleft()  # one runnable per write
        assert self.op is not None and self.relay is not None
        self.op.started = True
        if self.op.cancelled:
            self._emit(False, Cancelled())
            return
        try:
            result = self.fn()
        except BaseException as exc:  # noqa: BLE001 - handed to the UI thread
            self._emit(False, exc)
        else:
            self._emit(True, result)

    def _emit(self, ok: bool, value: Any) -> None:
        assert self.relay is not None
        try:
            self.relay.done.emit(ok, (value,))
        except RuntimeError:
            pass  # the application is shutting down: nobody is left to tell


class Op:
    def __init__(self, parent: QObject | None, fn: Callable[[], Any], *, write: bool = True,
                 priority: int = FRONT, long: bool = False) -> None:
        self._parent = parent
        self._fn = fn
        self._write = write
        self._priority = priority
        self._long = long
        self.cancelled = False
        self.started = False
        self._success: Callable[[Any], None] | None = None
        self._failure: Callable[[BaseException], None] | None = None

    def success(self, cb: Callable[[Any], None]) -> Op:
        self._success = cb
        return self

    def failure(self, cb: Callable[[BaseException], None]) -> Op:
        self._failure = cb
        return self

    def cancel(self) -> None:
        """Skip the job if it has not started; a long job stops at its next step.
        No callback runs for a cancelled job."""
        self.cancelled = True

    def run(self) -> Op:
        relay = _Relay()  # lives on the UI thread: the signal is delivered there
        _pending.add(relay)

        def finished(ok: bool, boxed: Any) -> None:
            # values travel boxed in a tuple: PySide6 mis-counts a bare None in Signal(object)
            value = boxed[0]
            _pending.discard(relay)
            relay.deleteLater()
            if self._parent is not None and not shiboken6.isValid(self._parent):
                return
            if self.cancelled or isinstance(value, Cancelled):
                return
            if ok:
                if self._success is not None:
                    self._success(value)
            elif self._failure is not None:
                self._failure(value)
            elif _cancelled(value):
                return
            else:
                from counsel_ui.common.errors import show_error

                show_error(self._parent if isinstance(self._parent, _widget_type()) else None,
                           value)

        relay.done.connect(finished)
        kind = "write" if self._write else "long" if self._long else "read"
        if kind == "write":
            _writes.append((self._fn, relay, self))
            _pool(kind).start(_Job(None, None, None), self._priority)
        else:
            _pool(kind).start(_Job(self._fn, relay, self), self._priority)
        return self


def _cancelled(exc: BaseException) -> bool:
    """Work stopped on purpose (locking) is not an error to show."""
    from counsel.app.today import Stopped

    return isinstance(exc, Stopped | Cancelled)


def _widget_type() -> type:
    from PySide6.QtWidgets import QWidget

    return QWidget
