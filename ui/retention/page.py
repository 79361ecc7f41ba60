"""Retention review: the organisation's schedules, what is due (whole clients and single
kinds of records), legal holds, and erasure from the queue in one step with the printed
destruction record.  The logic is :mod:`counsel.records.retention`; the queue is counted
in SQL over the working set, off the UI thread."""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QMessageBox,
    QPushButton,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from counsel.i18n import display
from counsel.i18n import gettext as _
from counsel.records import retention
from counsel_ui.common.datefields import NumberField
from counsel_ui.common.ops import Op
from counsel_ui.common.widgets import named

if TYPE_CHECKING:
    from counsel_ui.shell.session import Session

KINDS = frozenset({"client", "setting", "encounter", "work", "plan", "reminder"})


@dataclasses.dataclass(frozen=True)
class Review:
    schedules: dict[str, int]
    due: list[retention.Due]
    holds: dict[str, retention.Hold]
    names: dict[str, str]
    fixed: dict[str, int] = dataclasses.field(default_factory=dict)  # set by the organisation
    organisation: str = ""


class RetentionPage(QWidget):
    loaded = Signal()

    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.review: Review | None = None
        lay = QVBoxLayout(self)
        intro = QLabel(_("Records are kept for the years below after the client relationship "
                         "ends, then listed here for erasure. A client on legal hold is never "
                         "due."))
        intro.setWordWrap(True)
        lay.addWidget(intro)
        row = QHBoxLayout()
        box = QGroupBox(_("Retention schedules (years after the relationship ends)"))
        form = QFormLayout(box)
        self.years: dict[str, QSpinBox] = {}
        for kind in retention.DEFAULT_YEARS:
            spin = NumberField()
            spin.setRange(0, retention.MAX_YEARS)
            self.years[kind] = spin
            form.addRow(retention.kind_label(kind), named(spin, retention.kind_label(kind)))
        self.fixed_note = QLabel()
        self.fixed_note.setWordWrap(True)
        self.fixed_note.hide()
        form.addRow(self.fixed_note)
        self.save_button = QPushButton(_("&Save schedules"))
        self.save_button.clicked.connect(self.save_schedules)
        form.addRow(self.save_button)
        row.addWidget(box)
        right = QVBoxLayout()
        right.addWidget(QLabel(_("Due for erasure")))
        self.table = self._table([_("Client"), _("Name"), _("Relationship ended"), _("What"),
                                  _("Records")])
        right.addWidget(self.table, 2)
        buttons = QHBoxLayout()
        self.erase_button = QPushButton(_("&Erase and print the destruction record…"))
        self.erase_button.clicked.connect(self.ask_erase)
        self.hold_button = QPushButton(_("Put on legal &hold…"))
        self.hold_button.clicked.connect(self.ask_hold)
        for b in (self.erase_button, self.hold_button):
            buttons.addWidget(named(b, b.text()))
        buttons.addStretch(1)
        right.addLayout(buttons)
        right.addWidget(QLabel(_("On legal hold")))
        self.holds = self._table([_("Client"), _("Name"), _("Reason"), _("By"), _("Since")])
        right.addWidget(self.holds, 1)
        self.release_button = QPushButton(_("&Release hold"))
        self.release_button.clicked.connect(self.release_selected)
        right.addWidget(named(self.release_button, self.release_button.text()), 0,
                        Qt.AlignmentFlag.AlignLeading)
        self.message = QLabel()
        right.addWidget(self.message)
        row.addLayout(right, 1)
        lay.addLayout(row, 1)
        session.changed.connect(self._on_changed)
        self.refresh()

    @staticmethod
    def _table(headers: list[str]) -> QTableWidget:
        t = QTableWidget(0, len(headers))
        t.setHorizontalHeaderLabels(headers)
        t.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        t.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        t.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        t.horizontalHeader().setStretchLastSection(True)
        t.verticalHeader().setVisible(False)
        named(t, headers[0])
        return t

    def _on_changed(self, kinds: frozenset[str]) -> None:
        if kinds & KINDS:
            self.refresh()

    def refresh(self) -> None:
        vault = self.session.vault
        if vault.locked:
            return

        def work() -> Review:
            items = retention.due(vault)
            holds = retention.holds(vault)
            names = vault.client_names([d.client_id for d in items] + list(holds))
            from counsel.org.policy import pinned

            held = pinned(vault)
            return Review(retention.schedules(vault), items, holds, names,
                          retention.organisation_years(vault), held.name if held else "")

        Op(self, work, write=False).success(self._fill).run()

    def _fill(self, review: Review) -> None:
        self.review = review
        for kind, spin in self.years.items():
            spin.setValue(review.schedules[kind])
            spin.setEnabled(kind not in review.fixed)
        self.fixed_note.setVisible(bool(review.fixed))
        self.fixed_note.setText(_("Greyed schedules are set by the policy of {organisation}.")
                                .format(organisation=review.organisation))
        self.save_button.setEnabled(len(review.fixed) < len(self.years))
        self.table.setRowCount(len(review.due))
        for r, d in enumerate(review.due):
            what = _("The whole client") if d.whole else _("Some records")
            counts = ", ".join(f"{retention.kind_label(k)} {n}" for k, n in sorted(d.due.items()))
            self._row(self.table, r, d.client_id, [d.pseudonym, review.names.get(d.client_id, ""),
                                                   display.date(d.ended), what, counts])
        holds = sorted(review.holds.values(), key=lambda h: h.at)
        self.holds.setRowCount(len(holds))
        for r, h in enumerate(holds):
            self._row(self.holds, r, h.client_id, [retention.pseudonym(h.client_id),
                                                   review.names.get(h.client_id, ""), h.reason,
                                                   h.by, display.date(h.at.date())])
        for t in (self.table, self.holds):
            t.resizeColumnsToContents()
        if not review.due:
            self.message.setText(_("Nothing is due."))
        self.loaded.emit()

    @staticmethod
    def _row(table: QTableWidget, r: int, client_id: str, cells: list[str]) -> None:
        for c, text in enumerate(cells):
            item = QTableWidgetItem(text)
            item.setData(Qt.ItemDataRole.UserRole, client_id)
            table.setItem(r, c, item)

    @staticmethod
    def _selected(table: QTableWidget) -> str | None:
        items = table.selectedItems()
        return str(items[0].data(Qt.ItemDataRole.UserRole)) if items else None

    # -- actions --------------------------------------------------------------------------
    def save_schedules(self) -> None:
        vault = self.session.vault
        years = {k: s.value() for k, s in self.years.items() if s.isEnabled()}
        def saved(_r: object) -> None:
            self.message.setText(_("Schedules saved."))
            self.refresh()

        Op(self, lambda: retention.set_schedules(vault, years)).success(saved).run()

    def ask_erase(self) -> None:
        client_id = self._selected(self.table)
        if client_id is None:
            return
        sure = QMessageBox.question(
            self, _("Erase"), _("Erase what is due of client {id}? This cannot be undone.")
            .format(id=retention.pseudonym(client_id)))
        if sure != QMessageBox.StandardButton.Yes:
            return
        name, _filter = QFileDialog.getSaveFileName(
            self, _("Save the destruction record"),
            f"destruction-{retention.pseudonym(client_id)}.pdf", _("PDF files (*.pdf)"))
        if name:
            self.erase(client_id, Path(name))

    def erase(self, client_id: str, record: Path) -> Op:
        from counsel.atomicfile import write_atomic
        from counsel.records.retention_pdf import organisation_of, render_destruction

        vault = self.session.vault
        organisation = organisation_of(vault)

        def keep(d: retention.Destruction) -> None:
            write_atomic(record, render_destruction(d, organisation))

        def work() -> retention.Destruction:
            return retention.erase_due(vault, client_id, keep_record=keep)

        def done(d: retention.Destruction) -> None:
            self.message.setText(_("Erased; the destruction record is in {file}.").format(
                file=str(record)))
            self.session.changed.emit(frozenset(d.counts) | {"client"})

        return Op(self, work).success(done).run()

    def ask_hold(self) -> None:
        client_id = self._selected(self.table)
        if client_id is None:
            return
        reason, ok = QInputDialog.getText(self, _("Legal hold"), _("Why must nothing of this "
                                                                    "client be erased?"))
        if ok and reason.strip():
            self.hold(client_id, reason)

    def hold(self, client_id: str, reason: str) -> Op:
        vault = self.session.vault
        return Op(self, lambda: retention.place_hold(vault, client_id, reason)).success(
            lambda _h: self.refresh()).run()

    def release_selected(self) -> None:
        client_id = self._selected(self.holds)
        if client_id is not None:
            vault = self.session.vault
            Op(self, lambda: retention.release_hold(vault, client_id)).success(
                lambda _r: self.refresh()).run()
