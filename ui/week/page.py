"""The Week page: appointments of a week day by day — encounters (planned ones
included) and time imported from calendars.  Enter on an encounter opens it (its
appointment card is printed from there); on imported time, the client."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from counsel.app.week import WeekItem, monday_of
from counsel.domain import Place
from counsel.i18n import display
from counsel.i18n import gettext as _
from counsel.teams import teamtime
from counsel_ui.common.ops import Op
from counsel_ui.common.widgets import named

if TYPE_CHECKING:
    from counsel_ui.shell.session import Session

ITEM_ROLE = Qt.ItemDataRole.UserRole


def item_line(i: WeekItem) -> str:
    parts = [display.time(i.start) if i.start else "–", display.minutes(i.minutes),
             "\u2068" + (i.client_name or _("No client")) + "\u2069"]
    if i.encounter_id is None:
        parts.append(_("from the calendar") + (f": {i.what}" if i.what else ""))
    else:
        if i.place:
            parts.append(Place(i.place).label())
        if i.interpreter_language:
            parts.append(_("interpreter: {language}").format(
                language=display.language(i.interpreter_language)))
        elif i.interpreter_missing:
            parts.append(_("needs an interpreter: none booked"))
    return " · ".join(parts)


class WeekPage(QWidget):
    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.monday = monday_of(dt.date.today())
        self._seq = 0
        lay = QVBoxLayout(self)
        top = QHBoxLayout()
        self.prev_button = QPushButton(_("&Previous week"))
        self.next_button = QPushButton(_("&Next week"))
        self.this_button = QPushButton(_("This &week"))
        self.title = QLabel()
        font = self.title.font()
        font.setPointSizeF(font.pointSizeF() * 1.3)
        self.title.setFont(font)
        top.addWidget(self.title, 1)
        for b in (self.prev_button, self.this_button, self.next_button):
            top.addWidget(b)
        lay.addLayout(top)
        self.tree = QTreeWidget()
        self.tree.setHeaderHidden(True)
        named(self.tree, _("Appointments of the week"))
        self.tree.itemActivated.connect(self._open)
        lay.addWidget(self.tree, 1)
        self.prev_button.clicked.connect(lambda: self.show_week(self.monday - dt.timedelta(7)))
        self.next_button.clicked.connect(lambda: self.show_week(self.monday + dt.timedelta(7)))
        self.this_button.clicked.connect(lambda: self.show_week(monday_of(dt.date.today())))
        session.changed.connect(self._changed)
        self.show_week(self.monday)

    def focus_first(self) -> None:
        self.tree.setFocus(Qt.FocusReason.ShortcutFocusReason)

    def _changed(self, kinds: frozenset[str]) -> None:
        if kinds & {"encounter", "work", "client"}:
            self.show_week(self.monday)

    def show_week(self, monday: dt.date) -> None:
        self.monday = monday
        vaults = self.session.vaults  # own appointments with team clients too
        if vaults.personal.locked:
            return
        self.title.setText(_("Week {n}: {first} – {last}").format(
            n=monday.isocalendar()[1], first=display.date(monday),
            last=display.date(monday + dt.timedelta(days=6))))
        self._seq += 1
        seq = self._seq

        def show(items: list[WeekItem]) -> None:
            if seq == self._seq:  # only the week asked for last
                self._fill(items)

        Op(self, lambda: teamtime.week(vaults, monday), write=False).success(show).run()

    def _fill(self, items: list[WeekItem]) -> None:
        self.tree.clear()
        for offset in range(7):
            day = self.monday + dt.timedelta(days=offset)
            todays = [i for i in items if i.day == day]
            head = QTreeWidgetItem([f"{display.date(day, 'full')}"
                                    + ("" if todays else " — " + _("no appointments"))])
            self.tree.addTopLevelItem(head)
            for i in todays:
                child = QTreeWidgetItem([item_line(i)])
                child.setData(0, ITEM_ROLE, i)
                head.addChild(child)
            head.setExpanded(True)
        first = next((self.tree.topLevelItem(n).child(0) for n in range(7)
                      if self.tree.topLevelItem(n).childCount()), None)
        if first is not None:
            self.tree.setCurrentItem(first)

    def _open(self, item: QTreeWidgetItem, _col: int = 0) -> None:
        i = item.data(0, ITEM_ROLE)
        if not isinstance(i, WeekItem) or not i.client_id:
            return
        if i.encounter_id is None:
            self.session.open_client.emit(i.client_id)
            return
        from counsel_ui.clients.encounter_editor import EncounterEditor

        EncounterEditor.open_for(self.session, i.client_id, i.encounter_id, self.window())
