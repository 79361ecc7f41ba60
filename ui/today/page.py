"""Today: what is due or overdue, and unsaved drafts to continue."""

from __future__ import annotations

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
from counsel.app import today_query
from counsel.domain import Reminder
from counsel.errors import RecordNotFound
from counsel.i18n import display
from counsel.i18n import gettext as _
from counsel.teams.vaultset import TeamUnavailable
from counsel_ui.common.ops import TODAY, Op, page_priority
from counsel_ui.common.widgets import align_leading, named

if TYPE_CHECKING:
    from counsel_ui.shell.session import Session

ITEM_ROLE = Qt.ItemDataRole.UserRole + 1


#: Rows shown per group: a long backlog is summarised, not built into thousands of rows.
MAX_ROWS = today_query.SHOWN_PER_GROUP


def _when_texts(summary: today_query.TodaySummary) -> list[str]:
    """"3.12.2026 (in 2 days)" for each shown item (on the worker)."""
    today = summary.day
    return [f"{display.date(item.due, 'short')} ({display.days_from(today, item.due)})"
            for item in summary.shown]


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
        from counsel_ui.shell.backup import BackupNotice

        self.backup_notice = BackupNotice(session)
        lay.addWidget(self.backup_notice)
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
        self.loading = False
        self._seq = 0
        self._op: Op | None = None
        self.refresh()

    def _on_changed(self, _kinds: frozenset[str]) -> None:
        self.refresh()

    def refresh(self) -> None:
        if self.session.vault.locked:
            return
        vault = self.session.vault
        session = self.session
        self._seq += 1
        seq = self._seq
        if not self.heading.text():  # the first fill: say so (never "nothing due" yet)
            self._show_loading()

        def work() -> Any:
            summary = session.due_summary()
            drafts = [d for d in vault.drafts.list() if ":encounter:" in d.draft_id]
            wanted = [it.client_id for it in summary.shown if it.client_id]
            wanted += [d.draft_id.split(":", 1)[0] for d in drafts]
            names = (session.vaults.client_names(wanted) if session.vaults.copies
                     else today_query.client_names(vault, wanted))  # team clients too
            return summary, names, drafts, _when_texts(summary)

        def show(result: Any) -> None:
            if seq == self._seq:
                self._show(*result)

        if self._op is not None:
            self._op.cancel()  # an older request not started yet is skipped
        self._op = Op(self, work, write=False, long=True,
                      priority=page_priority(self, TODAY)).success(show).run()

    def _show_loading(self) -> None:
        self.loading = True
        self.tree.clear()
        row = QTreeWidgetItem([_("Calculating what is due…")])
        row.setData(0, ITEM_ROLE, ("none", ""))
        self.tree.addTopLevelItem(row)
        self.tree.setAccessibleDescription(_("Calculating what is due…"))

    def _show(self, summary: today_query.TodaySummary, names: dict[str, str],
              drafts: list[Any], when: list[str] | None = None) -> None:
        today = summary.day
        self.loading = False
        self.tree.setAccessibleDescription("")
        self.tree.clear()
        self.heading.setText(_("Today, {date}").format(date=display.date(today, "full")))
        groups = {"drafts": _("Unsaved drafts"), "overdue": _("Overdue"),
                  "today": _("Due today"), "upcoming": _("Coming up (two weeks)")}
        # the rows are made apart from the tree and go in one call per group (hundreds of
        # them: one insert each made the view update its layout hundreds of times)
        rows: dict[str, list[QTreeWidgetItem]] = {}

        def group(key: str) -> list[QTreeWidgetItem]:
            return rows.setdefault(key, [])

        for d in sorted(drafts, key=lambda d: d.updated, reverse=True):
            cid = d.draft_id.split(":", 1)[0]
            it = QTreeWidgetItem([display.date(d.updated.date(), "short"),
                                  _("Encounter not saved yet"), names.get(cid, "")])
            it.setData(0, ITEM_ROLE, ("draft", d.draft_id))
            group("drafts").append(it)
        # the dates' texts come made from the worker (hundreds of them: ~25 ms here)
        when = when if when is not None else _when_texts(summary)
        for item, due in zip(summary.shown, when, strict=True):
            row = QTreeWidgetItem([due, item.text, names.get(item.client_id or "", "")])
            row.setData(0, ITEM_ROLE, ("item", item))
            group(item.bucket(today)).append(row)
        totals = summary.totals
        heads: dict[str, QTreeWidgetItem] = {}
        for key, children in rows.items():
            total = totals.get(key, len(children))
            if total > len(children):
                more = QTreeWidgetItem(["", _("… and {n} more").format(n=total - len(children))])
                more.setData(0, ITEM_ROLE, ("none", ""))
                children.append(more)
            h = QTreeWidgetItem([f"{groups[key]} ({total})"])
            f = h.font(0)
            f.setBold(True)
            h.setFont(0, f)
            h.setData(0, ITEM_ROLE, ("head", key))
            h.addChildren(children)
            heads[key] = h
        self.tree.addTopLevelItems(list(heads.values()))
        for key, h in heads.items():
            h.setFirstColumnSpanned(True)  # (once in the tree)
            # a long overdue backlog should not push today's items off the screen
            h.setExpanded(key != "overdue" or h.childCount() <= 15)
        if summary.empty and not drafts:
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
                stored = self.session.vault_for(ti.client_id).get_typed(
                    Reminder, ti.reminder_id)
            except (RecordNotFound, TeamUnavailable):
                stored = None
        self.session.save([today_items.mark_done(ti, stored)], parent=self)
