"""The one place pages are registered: the sidebar shows them in this order.

A page factory takes the :class:`~counsel_ui.shell.session.Session` and returns a widget.
Other areas add a page by replacing its placeholder entry here with their module:
``register("time", N_("Time"), "counsel_ui.timekeeping.page:TimePage")``.  Modules load
lazily, so a page that is not opened costs nothing at start.
"""

from __future__ import annotations

import dataclasses
import importlib
import importlib.util
import logging
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
    placeholder: str = ""  # N_-marked: shown while the real page is still to come

    def create(self, session: Session, parent: QWidget | None = None) -> QWidget:
        module_name, _sep, cls_name = self.target.partition(":")
        try:
            module = importlib.import_module(module_name)
            factory: Callable[..., QWidget] = getattr(module, cls_name)
        except (ImportError, AttributeError):
            if not self.placeholder:
                raise
            # a page that exists but fails to import is a bug: say so in the log
            log.warning("page %s not available; showing its placeholder", self.key,
                        exc_info=importlib.util.find_spec(module_name) is not None)
            from counsel_ui.shell.placeholder import PlaceholderPage

            return PlaceholderPage(self.title, self.placeholder, parent)
        page: QWidget = factory(session, parent)
        return page


log = logging.getLogger("counsel.ui.pages")
PAGES: list[PageSpec] = []


def register(key: str, title: str, target: str, placeholder: str = "") -> None:
    PAGES[:] = [p for p in PAGES if p.key != key] + [PageSpec(key, title, target, placeholder)]


register("today", N_("Today"), "counsel_ui.today.page:TodayPage")
register("clients", N_("Clients"), "counsel_ui.clients.page:ClientsPage")
register("contacts", N_("Contacts"), "counsel_ui.contacts.page:ContactsPage")
register("time", N_("Time"), "counsel_ui.timekeeping.page:TimePage",
         N_("Coming with the time page: the visible/background split as a chart and the "
            "calendar import review. Until then, log time with the appointment timer and "
            "the quick log (Ctrl+L)."))
register("plans", N_("Plans"), "counsel_ui.plans.page:PlanPage",
         N_("Coming with the plan editor: integration plans with measures and a PDF "
            "preview in the client's language."))
register("employers", N_("Employers"), "counsel_ui.employers.page:EmployersPage")
register("sync", N_("Sync"), "counsel_ui.sync.page:SyncPage",
         N_("Coming with sync: status of the encrypted sync and a view of conflicts to "
            "resolve."))
# appended (not inserted): the keys Ctrl+1… of the pages before it stay as they were
register("week", N_("Week"), "counsel_ui.today.week:WeekPage")
