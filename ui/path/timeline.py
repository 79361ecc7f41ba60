"""The follow-up timeline as a list: every dated fact once, in order; what is due after
a heading.  Rows come from :func:`counsel.path.timeline_text.rows`."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QListWidget, QListWidgetItem, QWidget

from counsel.i18n import gettext as _
from counsel.path.timeline import Fact
from counsel.path.timeline_text import rows
from counsel_ui.common.widgets import named

KEY_ROLE = Qt.ItemDataRole.UserRole + 1


class TimelineList(QListWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        named(self, _("Timeline"))
        self.setWordWrap(True)
        self.setAlternatingRowColors(True)

    def show_facts(self, facts: Sequence[Fact], today: dt.date,
                   employer_names: Mapping[str, str] | None = None) -> None:
        self.clear()
        due_heading = False
        for row in rows(facts, today, employer_names):
            if row.upcoming and not due_heading:
                head = QListWidgetItem(_("What is due"))
                font = head.font()
                font.setBold(True)
                head.setFont(font)
                head.setFlags(Qt.ItemFlag.ItemIsEnabled)  # a heading: not selectable
                head.setData(KEY_ROLE, "")
                self.addItem(head)
                due_heading = True
            item = QListWidgetItem(f"{row.date}  ·  {row.text}")
            item.setData(KEY_ROLE, row.key)
            if row.upcoming:
                font = item.font()
                font.setItalic(True)
                item.setFont(font)
            self.addItem(item)
        if not facts:
            empty = QListWidgetItem(_("Nothing on the path yet: add language levels, cards "
                                      "or steps in the competence profile."))
            empty.setData(KEY_ROLE, "")
            self.addItem(empty)

    def fact_keys(self) -> list[str]:
        return [k for i in range(self.count()) if (k := self.item(i).data(KEY_ROLE))]
