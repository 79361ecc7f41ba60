"""The plan renderer process of one unlocked session (counsel.plans.render_worker).

One helper process per session, started by the first preview, print or PDF export of a
plan; stopped when the session ends: at lock (the plan editors' lock hook, and the
session's ``destroyed`` for a lock with no plan open) and when the app quits.
"""

from __future__ import annotations

import weakref
from typing import Any

from counsel.plans.render_worker import RenderWorker

_workers: weakref.WeakKeyDictionary[Any, RenderWorker] = weakref.WeakKeyDictionary()
_quit_hooked: list[bool] = []


def for_session(session: Any) -> RenderWorker:
    """The session's renderer (not started until it first renders)."""
    worker = _workers.get(session)
    if worker is None:
        worker = _workers[session] = RenderWorker()
        session.destroyed.connect(worker.stop)
        _hook_quit()
    return worker


def stop(session: Any) -> None:
    """Kill the session's renderer process, if it has one (at lock)."""
    worker = _workers.pop(session, None)
    if worker is not None:
        worker.stop()


def stop_all() -> None:
    for worker in list(_workers.values()):
        worker.stop()
    _workers.clear()


def _hook_quit() -> None:
    if _quit_hooked:
        return
    import atexit

    from PySide6.QtCore import QCoreApplication

    _quit_hooked.append(True)
    atexit.register(stop_all)
    app = QCoreApplication.instance()
    if app is not None:
        app.aboutToQuit.connect(stop_all)
