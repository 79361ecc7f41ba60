"""Audit trail: who viewed, edited, printed, exported, shared or erased what, when and on
which device; filters (client, person, kind, period), the chain's state (intact, or
broken and where) and a CSV export for the data-protection officer.  The logic is
:mod:`counsel.records.audit`.  Off the UI thread, the page reads only the entries the
filters keep, ``PAGE_SIZE`` at a time (``vault.audit.query``: filtered and sorted in SQL);
the whole chain is checked after that, in the background (``checked``)."""

from __future__ import annotations

import dataclasses
import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QDate, Signal
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from counsel.domain import AuditEntry
from counsel.i18n import display
from counsel.i18n import gettext as _
from counsel.records import audit, auditdetail
from counsel.records.auditchain import ChainState
from counsel_ui.common.datefields import DateField
from counsel_ui.common.ops import BEHIND, Op
from counsel_ui.common.widgets import named

if TYPE_CHECKING:
    from counsel_ui.shell.session import Session


#: Entries shown at a time: a decade of entries is ~100,000; a page is read and decoded alone.
PAGE_SIZE = 500


@dataclasses.dataclass(frozen=True)
class Trail:
    """One page of the entries the filters keep (newest first) and how many they keep."""

    entries: list[AuditEntry]
    total: int
    offset: int


def _qdate(day: dt.date) -> QDate:
    return QDate(day.year, day.month, day.day)


def _day(q: QDate) -> dt.date:
    return dt.date(q.year(), q.month(), q.day())


class AuditPage(QWidget):
    loaded = Signal()  # a page of entries is shown
    checked = Signal()  # the chain's state is shown

    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.trail: Trail | None = None
        self.chain: ChainState | None = None
        self.names: dict[str, str] = {}  # client id → name ("" when erased)
        self.shown: list[AuditEntry] = []
        self._query: Op | None = None
        self._checking: Op | None = None
        self._again = False
        self._stale = False
        lay = QVBoxLayout(self)
        intro = QLabel(_("Every view, edit, print, export, share and erasure, with who, when "
                         "and on which device. Entries hold ids and kinds, never case notes."))
        intro.setWordWrap(True)
        lay.addWidget(intro)
        self.state = QLabel()
        self.state.setWordWrap(True)
        lay.addWidget(self.state)
        filters = QHBoxLayout()
        self.client = named(QComboBox(), _("Client"))
        self.person = named(QComboBox(), _("Person"))
        for combo, everyone in ((self.client, _("All clients")), (self.person, _("Everyone"))):
            # the choices arrive after the page is shown: the box grows to fit them
            combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
            combo.setMaximumWidth(320)  # (a long name does not push the dates off the row)
            combo.addItem(everyone, "")
        self.kind = named(QComboBox(), _("Kind"))
        self.kind.addItem(_("All kinds"), "")
        for k in audit.KINDS:
            self.kind.addItem(audit.action_label(k), k)
        today = dt.date.today()
        self.since = named(DateField(), _("From"))
        self.until = named(DateField(), _("To"))
        self.since.setDate(_qdate(today - dt.timedelta(days=365)))
        self.until.setDate(_qdate(today))
        for label, w in ((_("Client"), self.client), (_("Person"), self.person),
                         (_("Kind"), self.kind), (_("From"), self.since),
                         (_("To"), self.until)):
            lab = QLabel(label)
            lab.setBuddy(w)
            filters.addWidget(lab)
            filters.addWidget(w)
        filters.addStretch(1)
        self.export_button = named(QPushButton(_("&Export CSV…")), _("Export CSV"))
        self.export_button.clicked.connect(self.choose_export)
        filters.addWidget(self.export_button)
        lay.addLayout(filters)
        headers = [_("When"), _("What"), _("Person"), _("Device"), _("Client"), _("Record"),
                   _("Details")]
        self.table = named(QTableWidget(0, len(headers)), _("Audit trail"))
        self.table.setHorizontalHeaderLabels(headers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.verticalHeader().setVisible(False)
        lay.addWidget(self.table, 1)
        bottom = QHBoxLayout()
        self.message = QLabel()
        bottom.addWidget(self.message, 1)
        self.newer = named(QPushButton(_("&Newer")), _("Newer entries"))
        self.older = named(QPushButton(_("&Older")), _("Older entries"))
        self.newer.clicked.connect(lambda: self.show_entries(self._offset() - PAGE_SIZE))
        self.older.clicked.connect(lambda: self.show_entries(self._offset() + PAGE_SIZE))
        bottom.addWidget(self.newer)
        bottom.addWidget(self.older)
        lay.addLayout(bottom)
        for combo in (self.client, self.person, self.kind):
            combo.currentIndexChanged.connect(lambda _i: self.show_entries())
        for edit in (self.since, self.until):
            edit.dateChanged.connect(lambda _d: self.show_entries())
        session.changed.connect(self._on_changed)
        self.refresh()

    def _on_changed(self, kinds: frozenset[str]) -> None:
        if AuditEntry.KIND in kinds or "client" in kinds:
            if self.isVisible():
                self.refresh()
            else:  # every save leaves an entry: read and check again when shown
                self._stale = True

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 - Qt's name
        super().showEvent(event)
        if self._stale:
            self._stale = False
            self.refresh()

    def refresh(self) -> None:
        """The filters' choices and the current page, then the chain's check."""
        vault = self.session.vault
        if vault.locked:
            return
        self.state.setText(_("Checking the audit trail…"))
        self.state.setStyleSheet("")

        def work() -> tuple[list[str], list[str], dict[str, str]]:
            clients, people = vault.audit.choices()
            return clients, people, vault.client_names(set(clients))

        Op(self, work, write=False).success(self._fill_choices).run()

    def _fill_choices(self, found: tuple[list[str], list[str], dict[str, str]]) -> None:
        clients, people, self.names = found
        self._choices(self.client, _("All clients"), sorted(
            clients, key=lambda c: (self._client_text(c).casefold(), c)), self._client_text)
        self._choices(self.person, _("Everyone"), people, lambda p: p or "–")
        self.show_entries(self._offset())
        self._check()

    def _check(self) -> None:
        """Check the whole chain in the background; asked again while a check runs, one
        more runs after it (a stream of new entries never keeps the state from showing)."""
        if self._checking is not None:
            self._again = True
            return
        vault = self.session.vault
        # the reader pool at low priority: Today's and the Time page's long jobs and the
        # other reader are not held up by a check of a decade of entries
        self._checking = Op(self, lambda: vault.audit.verify(), write=False,
                            priority=BEHIND).success(self._show_state).failure(
            self._check_failed).run()

    def _checked(self) -> None:
        self._checking = None
        if self._again and not self.session.vault.locked:
            self._again = False
            self._check()

    def _check_failed(self, exc: BaseException) -> None:
        from counsel.app.today import Stopped
        from counsel_ui.common.errors import show_error

        self._checking = None
        self._again = False
        if not isinstance(exc, Stopped) and not self.session.vault.locked:
            show_error(self, exc)  # (locked meanwhile: nothing to say)

    def _show_state(self, state: ChainState) -> None:
        self._checked()
        self.chain = state
        if state.intact:
            self.state.setText("✔ " + audit.state_text(state))
            self.state.setStyleSheet("color: #1b5e20; font-weight: bold;")
        else:
            self.state.setText("✖ " + audit.state_text(state))
            self.state.setStyleSheet("color: #b71c1c; font-weight: bold;")
        self.checked.emit()

    def _client_text(self, client_id: str) -> str:
        name = self.names.get(client_id, "")
        return name or _("erased or unknown ({id})").format(id=client_id[:8])

    @staticmethod
    def _choices(combo: QComboBox, everyone: str, values: list[str], text: object) -> None:
        current = combo.currentData()
        combo.blockSignals(True)
        combo.clear()
        combo.addItem(everyone, "")
        for v in values:
            combo.addItem(text(v), v)  # type: ignore[operator]
        index = combo.findData(current) if current else 0
        combo.setCurrentIndex(max(index, 0))
        combo.blockSignals(False)

    def current_filter(self) -> audit.Filter:
        return audit.Filter(client=self.client.currentData() or None,
                            person=self.person.currentData() or None,
                            kind=self.kind.currentData() or None,
                            since=_day(self.since.date()), until=_day(self.until.date()))

    def _offset(self) -> int:
        return self.trail.offset if self.trail else 0

    def show_entries(self, offset: int = 0) -> None:
        """Read the page at ``offset`` of what the filters keep (the last request wins)."""
        vault = self.session.vault
        if vault.locked:
            return
        flt, offset = self.current_filter(), max(offset, 0)

        def work() -> Trail:
            entries, total = vault.audit.query(
                client=flt.client, person=flt.person, action=flt.kind, since=flt.since,
                until=flt.until, offset=offset, limit=PAGE_SIZE)
            return Trail(entries, total, offset)

        if self._query is not None:
            self._query.cancel()
        self._query = Op(self, work, write=False).success(self._show_page).run()

    def _show_page(self, trail: Trail) -> None:
        self._query = None
        self.trail = trail
        self.shown = trail.entries
        self.table.setRowCount(len(self.shown))
        for r, e in enumerate(self.shown):
            local = e.at.astimezone()
            record = " ".join(x for x in (audit.kind_label(e.record_kind),
                                          (e.record or "")[:8]) if x)
            cells = [f"{display.date(local.date())} {local:%H:%M}", audit.action_label(e.action),
                     e.person, e.device[:8], self._client_text(e.client) if e.client else "",
                     record, auditdetail.detail_text(e.detail)]
            for c, text in enumerate(cells):
                self.table.setItem(r, c, QTableWidgetItem(text))
        self.table.resizeColumnsToContents()
        if trail.total > len(trail.entries):
            self.message.setText(_("Entries {first}–{last} of {n}.").format(
                first=display.number(trail.offset + 1),
                last=display.number(trail.offset + len(trail.entries)),
                n=display.number(trail.total)))
        else:
            self.message.setText(_("{n} entries shown.").format(n=len(self.shown)))
        self.newer.setEnabled(trail.offset > 0)
        self.older.setEnabled(trail.offset + len(trail.entries) < trail.total)
        self.loaded.emit()

    # -- export -----------------------------------------------------------------------------
    def choose_export(self) -> None:
        name, _filter = QFileDialog.getSaveFileName(
            self, _("Export the audit trail"),
            f"audit-trail-{dt.date.today().isoformat()}.csv", _("CSV files (*.csv)"))
        if name:
            self.export_to(Path(name))

    def export_to(self, path: Path) -> Op:
        from counsel.atomicfile import write_atomic

        vault, flt, state = self.session.vault, self.current_filter(), self.chain

        def work() -> None:  # every entry the filters keep, not only the page shown
            shown, _total = vault.audit.query(client=flt.client, person=flt.person,
                                              action=flt.kind, since=flt.since,
                                              until=flt.until)
            write_atomic(path, audit.to_csv(shown, state).encode("utf-8"))
            vault.audit.record("export", client_id=flt.client, record_kind="audit",
                               detail=f"csv audit trail ({len(shown)})")

        def done(_r: object) -> None:
            self.message.setText(_("Saved {file}").format(file=path.name))
            self.refresh()

        return Op(self, work, write=False).success(done).run()
