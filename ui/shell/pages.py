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
#: and quick log behind it, a search): imported on a reader thread while the key is
#: derived (:func:`prefetch`), so the UI thread does not spend ~0.25 s importing them then
FIRST_WAVE = ("counsel_ui.shell.workspace", "counsel_ui.today.page", "counsel_ui.clients.page",
              "counsel_ui.timekeeping.page", "counsel_ui.timekeeping.quick_log")
#: then, when the reader threads have nothing else queued: the plan editor and its preview
#: (their first import on the UI thread was a 60-110 ms stall when a plan was first opened)
LATER = ("counsel_ui.plans.page", "counsel_ui.plans.editor", "counsel_ui.common.pdf_preview")


def prefetch(modules: tuple[str, ...] = FIRST_WAVE, later: tuple[str, ...] = LATER) -> None:
    """Import ``modules`` in the background (no widget is made: class definitions only),
    and ``later`` after everything else queued on the reader pool."""
    from counsel_ui.common.ops import BEHIND, Op

    def work(names: tuple[str, ...]) -> None:
        for name in names:
            importlib.import_module(name)

    Op(None, lambda: work(modules), write=False, priority=BEHIND).run()
    Op(None, lambda: work(later), write=False, priority=0).run()


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
