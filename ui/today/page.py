"""Today: what is due or overdue, and unsaved drafts to continue."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

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

from counsel.app import today as today_items
from counsel.domain import Client, Reminder
from counsel.errors import RecordNotFound
from counsel.i18n import display
from counsel.i18n import gettext as _
from counsel_ui.common.ops import Op
from counsel_ui.common.widgets import align_leading, named

if TYPE_CHECKING:
    from counsel_ui.shell.session import Session

ITEM_ROLE = Qt.ItemDataRole.UserRole + 1


#: Rows shown per group: a long backlog is summarised, not built into thousands of rows.
MAX_ROWS = 200


def _shown(items: list[today_items.TodayItem], today: dt.date) -> list[today_items.TodayItem]:
    counts: dict[str, int] = {}
    out = []
    for item in items:
        bucket = item.bucket(today)
        counts[bucket] = counts.get(bucket, 0) + 1
        if counts[bucket] <= MAX_ROWS:
            out.append(item)
    return out


class TodayPage(QWidget):
    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        lay = QVBoxLayout(self)
        self.heading = align_leading(QLabel())
        font = self.heading.font()
        font.setPointSizeF(font.pointSizeF() * 1.4)
        self.heading.setFont(font)
        lay.addWidget(self.heading)
        self.tree = QTreeWidget()
        self.tree.setColumnCount(3)
        self.tree.setHeaderLabels([_("Due"), _("What"), _("Client")])
        self.tree.setRootIsDecorated(True)
        self.tree.setUniformRowHeights(True)
        named(self.tree, _("Due and overdue"))
        self.tree.itemActivated.connect(self._activated)
        lay.addWidget(self.tree, 1)
        row = QHBoxLayout()
        self.open_button = QPushButton(_("&Open"))
        self.open_button.clicked.connect(lambda: self._activated(self.tree.currentItem(), 0))
        self.done_button = QPushButton(_("Mark &done"))
        self.done_button.clicked.connect(self.mark_done)
        row.addWidget(self.open_button)
        row.addWidget(self.done_button)
        row.addStretch(1)
        lay.addLayout(row)
        session.changed.connect(self._on_changed)
        self.refresh()

    def _on_changed(self, _kinds: frozenset[str]) -> None:
        self.refresh()

    def refresh(self) -> None:
        if self.session.vault.locked:
            return
        vault = self.session.vault
        session = self.session
        today = dt.date.today()

        def work() -> Any:
            items = session.due_items()
            names: dict[str, str] = {}
            for it in _shown(items, today):
                if it.client_id and it.client_id not in names:
                    try:
                        names[it.client_id] = vault.get_typed(Client, it.client_id).display_name
                    except RecordNotFound:
                        names[it.client_id] = ""
            drafts = [d for d in vault.drafts() if ":encounter:" in d.draft_id]
            for d in drafts:
                cid = d.draft_id.split(":", 1)[0]
                if cid not in names:
                    try:
                        names[cid] = vault.get_typed(Client, cid).display_name
                    except RecordNotFound:
                        names[cid] = ""
            return items, names, drafts

        Op(self, work, write=False).success(lambda r: self._show(today, *r)).run()

    def _show(self, today: dt.date, items: list[today_items.TodayItem], names: dict[str, str],
              drafts: list[Any]) -> None:
        self.tree.clear()
        self.heading.setText(_("Today, {date}").format(date=display.date(today, "full")))
        groups = {"drafts": _("Unsaved drafts"), "overdue": _("Overdue"),
                  "today": _("Due today"), "upcoming": _("Coming up (two weeks)")}
        heads: dict[str, QTreeWidgetItem] = {}

        def head(key: str) -> QTreeWidgetItem:
            if key not in heads:
                h = QTreeWidgetItem([groups[key]])
                f = h.font(0)
                f.setBold(True)
                h.setFont(0, f)
                h.setFirstColumnSpanned(True)
                h.setData(0, ITEM_ROLE, ("head", key))
                self.tree.addTopLevelItem(h)
                heads[key] = h
            return heads[key]

        for d in sorted(drafts, key=lambda d: d.updated, reverse=True):
            cid = d.draft_id.split(":", 1)[0]
            it = QTreeWidgetItem([display.date(d.updated.date(), "short"),
                                  _("Encounter not saved yet"), names.get(cid, "")])
            it.setData(0, ITEM_ROLE, ("draft", d.draft_id))
            head("drafts").addChild(it)
        for item in _shown(items, today):
            when = display.days_from(today, item.due)
            row = QTreeWidgetItem([f"{display.date(item.due, 'short')} ({when})", item.text,
                                   names.get(item.client_id or "", "")])
            row.setData(0, ITEM_ROLE, ("item", item))
            head(item.bucket(today)).addChild(row)
        totals: dict[str, int] = {}
        for item in items:
            totals[item.bucket(today)] = totals.get(item.bucket(today), 0) + 1
        for key, h in heads.items():
            total = totals.get(key, h.childCount())
            if total > h.childCount():
                more = QTreeWidgetItem(["", _("… and {n} more").format(n=total - h.childCount())])
                more.setData(0, ITEM_ROLE, ("none", ""))
                h.addChild(more)
            h.setText(0, f"{groups[key]} ({total})")
            # a long overdue backlog should not push today's items off the screen
            h.setExpanded(key != "overdue" or h.childCount() <= 15)
        if not items and not drafts:
            empty = QTreeWidgetItem([_("Nothing due. Well done.")])
            empty.setData(0, ITEM_ROLE, ("none", ""))
            self.tree.addTopLevelItem(empty)
        for c in range(3):
            self.tree.resizeColumnToContents(c)
        first = next((h for h in heads.values() if h.isExpanded() and h.childCount()), None)
        child = first.child(0) if first is not None else None
        if child is not None:
            self.tree.setCurrentItem(child)

    def _activated(self, item: QTreeWidgetItem | None, _col: int = 0) -> None:
        data = item.data(0, ITEM_ROLE) if item else None
        if not data:
            return
        kind, value = data
        if kind == "head":
            item.setExpanded(not item.isExpanded())  # type: ignore[union-attr]
        elif kind == "draft":
            from counsel_ui.clients.encounter_editor import EncounterEditor

            cid, _enc, enc_id = value.split(":", 2)
            EncounterEditor.open_for(self.session, cid, enc_id, self.window())
        elif kind == "item" and value.client_id:
            self.session.open_client.emit(value.client_id)
            if value.source.startswith("action:"):  # the encounter where it was agreed
                from counsel_ui.clients.encounter_editor import EncounterEditor

                encounter_id = value.source.split(":")[1]
                EncounterEditor.open_for(self.session, value.client_id, encounter_id,
                                         self.window())

    def mark_done(self) -> None:
        item = self.tree.currentItem()
        data = item.data(0, ITEM_ROLE) if item else None
        if not data or data[0] != "item":
            return
        ti: today_items.TodayItem = data[1]
        stored = None
        if ti.reminder_id:
            try:
                stored = self.session.vault.get_typed(Reminder, ti.reminder_id)
            except RecordNotFound:
                stored = None
        self.session.save([today_items.mark_done(ti, stored)], parent=self)
