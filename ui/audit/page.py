"""Audit trail: who viewed, edited, printed, exported, shared or erased what, when and on
which device; filters (client, person, kind, period), the chain's state (intact, or
broken and where) and a CSV export for the data-protection officer.  The logic is
:mod:`counsel.records.audit`; entries are read and verified off the UI thread."""

from __future__ import annotations

import dataclasses
import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QDate, Signal
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
from counsel_ui.common.ops import Op
from counsel_ui.common.widgets import named

if TYPE_CHECKING:
    from counsel_ui.shell.session import Session


@dataclasses.dataclass(frozen=True)
class Trail:
    entries: list[AuditEntry]
    state: ChainState
    names: dict[str, str]  # client id → name ("" when erased)


def _qdate(day: dt.date) -> QDate:
    return QDate(day.year, day.month, day.day)


def _day(q: QDate) -> dt.date:
    return dt.date(q.year(), q.month(), q.day())


class AuditPage(QWidget):
    loaded = Signal()

    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.trail: Trail | None = None
        self.shown: list[AuditEntry] = []
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
        self.message = QLabel()
        lay.addWidget(self.message)
        for combo in (self.client, self.person, self.kind):
            combo.currentIndexChanged.connect(self.show_entries)
        for edit in (self.since, self.until):
            edit.dateChanged.connect(self.show_entries)
        session.changed.connect(self._on_changed)
        self.refresh()

    def _on_changed(self, kinds: frozenset[str]) -> None:
        if AuditEntry.KIND in kinds or "client" in kinds:
            self.refresh()

    def refresh(self) -> None:
        vault = self.session.vault
        if vault.locked:
            return

        def work() -> Trail:
            entries = vault.audit.entries()
            state = vault.audit.verify(entries)
            ids = {e.client for e in entries if e.client}
            return Trail(entries, state, vault.client_names(ids))

        Op(self, work, write=False).success(self._fill).run()

    def _fill(self, trail: Trail) -> None:
        self.trail = trail
        if trail.state.intact:
            self.state.setText("✔ " + audit.state_text(trail.state))
            self.state.setStyleSheet("color: #1b5e20; font-weight: bold;")
        else:
            self.state.setText("✖ " + audit.state_text(trail.state))
            self.state.setStyleSheet("color: #b71c1c; font-weight: bold;")
        self._choices(self.client, _("All clients"), sorted(
            {e.client for e in trail.entries if e.client},
            key=lambda c: (self._client_text(c).casefold(), c)), self._client_text)
        self._choices(self.person, _("Everyone"),
                      sorted({e.person for e in trail.entries}), lambda p: p or "–")
        self.show_entries()
        self.loaded.emit()

    def _client_text(self, client_id: str) -> str:
        name = self.trail.names.get(client_id, "") if self.trail else ""
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

    def show_entries(self) -> None:
        if self.trail is None:
            return
        self.shown = audit.select(self.trail.entries, self.current_filter())
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
        self.message.setText(_("{n} entries shown.").format(n=len(self.shown)))

    # -- export -----------------------------------------------------------------------------
    def choose_export(self) -> None:
        name, _filter = QFileDialog.getSaveFileName(
            self, _("Export the audit trail"),
            f"audit-trail-{dt.date.today().isoformat()}.csv", _("CSV files (*.csv)"))
        if name:
            self.export_to(Path(name))

    def export_to(self, path: Path) -> Op:
        from counsel.atomicfile import write_atomic

        vault, shown, flt = self.session.vault, list(self.shown), self.current_filter()
        state = self.trail.state if self.trail else None

        def work() -> None:
            write_atomic(path, audit.to_csv(shown, state).encode("utf-8"))
            vault.audit.record("export", client_id=flt.client, record_kind="audit",
                               detail=f"csv audit trail ({len(shown)})")

        def done(_r: object) -> None:
            self.message.setText(_("Saved {file}").format(file=path.name))
            self.refresh()

        return Op(self, work, write=False).success(done).run()
