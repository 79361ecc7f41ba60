"""The one place pages are registered: the sidebar shows them in this order.

A page is ``ui/<area>/page.py`` plus one line here:
``register("time", N_("Time"), "counsel_ui.timekeeping.page:TimePage")``; the class takes
the :class:`~counsel_ui.shell.session.Session` and a parent.  Modules load lazily, so a page
that is not opened costs nothing at start; a page that fails to import is a bug and raises.
"""

from __future__ import annotations

import dataclasses
import importlib
from collections.abc import Callable
from typing import TYPE_CHECKING

from counsel.i18n import N_

if TYPE_CHECKING:
    from PySide6.QtWidgets import QWidget

    from counsel_ui.shell.session import Session


@dataclasses.dataclass(frozen=True)
class PageSpec:
    key: str
    title: str  # N_-marked; translated when shown
    target: str  # "module:Class"; the class takes (session, parent)

    def create(self, session: Session, parent: QWidget | None = None) -> QWidget:
        module_name, _sep, cls_name = self.target.partition(":")
        factory: Callable[..., QWidget] = getattr(importlib.import_module(module_name), cls_name)
        page: QWidget = factory(session, parent)
        return page


PAGES: list[PageSpec] = []

#: what the first second after unlock opens (the workspace, Today in front, the Time page
#: and quick log behind it, a search): prepared while the key is derived
#: (:func:`prefetch`), so the UI thread does not spend ~0.25 s importing them then
#: (with what the workspace and Today import when they are made: the sync indicator's and
#: the backup notice's modules were ~20 ms of imports inside the unlock's last turn)
FIRST_WAVE = ("counsel_ui.shell.workspace", "counsel_ui.sync.page", "counsel_ui.shell.backup",
              "counsel_ui.today.page", "counsel_ui.clients.page",
              "counsel_ui.timekeeping.page", "counsel_ui.timekeeping.quick_log")
#: then, when the reader threads have nothing else queued: the plan editor and its preview
#: (their first import on the UI thread was a 60-110 ms stall when a plan was first opened)
LATER = ("counsel_ui.plans.page", "counsel_ui.plans.editor", "counsel_ui.common.pdf_preview")


def prefetch(modules: tuple[str, ...] = FIRST_WAVE, later: tuple[str, ...] = LATER) -> None:
    """Make the first pages' imports cheap while the key is derived.

    A reader thread imports what those modules need that is not Qt (counsel's core,
    Babel, reportlab, HarfBuzz — most of the time); the Qt modules themselves are then
    imported on the UI thread, one per turn of its event loop. Not Qt on a worker:
    PySide6 builds its Python types lazily on first use, and importing page modules from
    a worker while the UI thread ran crashed the process (about one test run in three,
    inside a module's ``from PySide6.QtGui import …``). ``later`` waits until the reader
    threads have nothing else queued.
    """
    from PySide6.QtCore import QTimer

    from counsel_ui.common.ops import BEHIND, Op

    def one_by_one(names: list[str]) -> None:
        if names:
            importlib.import_module(names.pop(0))
            QTimer.singleShot(0, lambda: one_by_one(names))

    def core_of(names: tuple[str, ...]) -> None:
        for name in without_qt(names):
            importlib.import_module(name)
        from counsel.i18n import display

        display.warm()  # the interface language's Babel data (not Qt: any thread)

    Op(None, lambda: core_of(modules), write=False, priority=BEHIND).success(
        lambda _r: one_by_one(list(modules))).run()
    Op(None, lambda: core_of(later), write=False, priority=0).success(
        lambda _r: one_by_one(list(later))).run()


def without_qt(names: tuple[str, ...]) -> list[str]:
    """The modules ``names`` import at their top level (following counsel_ui's own
    modules) that are neither Qt nor counsel_ui: safe to import on any thread."""
    import ast
    from pathlib import Path

    import counsel_ui

    root = Path(counsel_ui.__file__).parent  # found by path: no package __init__ run here
    seen: set[str] = set()
    found: list[str] = []
    todo = list(names)
    while todo:
        name = todo.pop()
        if name in seen:
            continue
        seen.add(name)
        rel = Path(*name.split(".")[1:])
        source = root / rel.with_suffix(".py")
        if not source.is_file():
            source = root / rel / "__init__.py"
        if not source.is_file():
            continue
        tree = ast.parse(source.read_text(encoding="utf-8"))
        for node in tree.body:  # top level only: not TYPE_CHECKING blocks, not functions
            targets: list[str] = []
            if isinstance(node, ast.Import):
                targets = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
                targets = [node.module] + [f"{node.module}.{a.name}" for a in node.names]
            for target in targets:
                top = target.partition(".")[0]
                if top == "counsel_ui":
                    todo.append(target)
                elif top not in QT and target not in found and (
                        target.count(".") == 0 or _is_module(target)):
                    found.append(target)
    return found


def _is_module(name: str) -> bool:
    """``name`` is a module (not a class or function imported from one); never Qt."""
    import importlib.util

    try:
        return importlib.util.find_spec(name) is not None
    except (ImportError, ValueError):
        return False


QT = frozenset({"PySide6", "shiboken6"})


def register(key: str, title: str, target: str) -> None:
    PAGES[:] = [p for p in PAGES if p.key != key] + [PageSpec(key, title, target)]


register("today", N_("Today"), "counsel_ui.today.page:TodayPage")
register("clients", N_("Clients"), "counsel_ui.clients.page:ClientsPage")
register("contacts", N_("Contacts"), "counsel_ui.contacts.page:ContactsPage")
register("time", N_("Time"), "counsel_ui.timekeeping.page:TimePage")
register("plans", N_("Plans"), "counsel_ui.plans.page:PlanPage")
register("employers", N_("Employers"), "counsel_ui.employers.page:EmployersPage")
register("sync", N_("Sync"), "counsel_ui.sync.page:SyncPage")
# appended (not inserted): the keys Ctrl+1… of the pages before it stay as they were
register("week", N_("Week"), "counsel_ui.week.page:WeekPage")
register("retention", N_("Retention"), "counsel_ui.retention.page:RetentionPage")
register("team", N_("Team"), "counsel_ui.team.page:TeamPage")
register("audit", N_("Audit trail"), "counsel_ui.audit.page:AuditPage")
