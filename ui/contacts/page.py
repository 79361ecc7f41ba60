"""Contacts: the counsellor's network (social workers, schools, Kela, employers …)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QItemSelection, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from counsel.domain import Channel, Contact, PartyKind
from counsel.errors import KnownError
from counsel.i18n import display
from counsel.i18n import gettext as _
from counsel.vault.views import ContactWork
from counsel_ui.common.models import ContactTableModel
from counsel_ui.common.ops import Op
from counsel_ui.common.tables import fit_columns
from counsel_ui.common.widgets import add_row, enum_combo, enum_value, named, select_data

if TYPE_CHECKING:
    from counsel_ui.shell.session import Session


KIND_COLUMN, ROLE_COLUMN, EMAIL_COLUMN = 1, 3, 5  # in ContactTableModel.columns


class ContactsPage(QWidget):
    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.current: Contact | None = None
        lay = QVBoxLayout(self)
        top = QHBoxLayout()
        self.filter = QLineEdit()
        self.filter.setPlaceholderText(_("Filter contacts…"))
        self.filter.setClearButtonEnabled(True)
        named(self.filter, _("Filter contacts"))
        self.filter.textChanged.connect(lambda _t: self.refresh())
        top.addWidget(self.filter, 1)
        self.new_button = QPushButton(_("&New contact"))
        self.new_button.clicked.connect(self.new_contact)
        top.addWidget(self.new_button)
        lay.addLayout(top)
        split = QSplitter(Qt.Orientation.Horizontal)
        lay.addWidget(split, 1)
        self.model = ContactTableModel(parent=self)
        self.table = QTableView()
        self.table.setModel(self.model)
        named(self.table, _("Contacts"))
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        self.table.setWordWrap(False)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.setTabKeyNavigation(False)
        # a cut-off address keeps its domain in sight
        self.table.setTextElideMode(Qt.TextElideMode.ElideMiddle)
        self.table.selectionModel().selectionChanged.connect(self._selected)
        split.addWidget(self.table)
        form_box = QWidget()
        form = QFormLayout(form_box)
        self.name = add_row(form, _("&Name:"), QLineEdit())
        self.kind = add_row(form, _("&Kind:"), enum_combo(PartyKind))
        self.org = add_row(form, _("&Organisation:"), QLineEdit())
        self.role = add_row(form, _("&Role:"), QLineEdit())
        self.phone = add_row(form, _("&Phone:"), QLineEdit())
        self.email = add_row(form, _("&Email:"), QLineEdit())
        self.notes = add_row(form, _("No&tes:"), QPlainTextEdit())
        self.notes.setTabChangesFocus(True)
        self.save_button = QPushButton(_("&Save contact"))
        self.save_button.clicked.connect(self.save)
        form.addRow("", self.save_button)
        self.message = QLabel()
        self.message.setWordWrap(True)
        form.addRow("", self.message)
        self.history = add_row(form, _("Recent work:"), QListWidget(),
                               _("Background work logged with this contact"))
        split.addWidget(form_box)
        split.setStretchFactor(0, 2)
        split.setStretchFactor(1, 1)
        split.setSizes([700, 300])  # the table most of the width, from the start
        session.changed.connect(self._on_changed)
        self.refresh()

    def _on_changed(self, kinds: frozenset[str]) -> None:
        if "contact" in kinds:
            self.refresh()

    def refresh(self) -> None:
        if self.session.vault.locked:
            return
        text = self.filter.text().casefold().strip()
        rows = sorted(self.session.vault.all(Contact), key=lambda c: c.name.casefold())
        if text:
            rows = [c for c in rows if text in f"{c.name} {c.organisation} {c.role} "
                    f"{c.party_kind.label()}".casefold()]
        self.model.set_rows(rows)
        if rows:  # a few hundred contacts at most: fitted on every refresh
            # kind and role are in the form beside the table (and the filter finds them):
            # without them, whole names and the e-mail address fit in sight
            for col in (KIND_COLUMN, ROLE_COLUMN):
                self.table.setColumnHidden(col, True)
            fit_columns(self.table, stretch=EMAIL_COLUMN, cap=200)

    def _selected(self, _sel: QItemSelection, _old: QItemSelection) -> None:
        idx = self.table.currentIndex()
        if idx.isValid():
            self._load(self.model.row_value(idx.row()))

    def _load(self, c: Contact | None) -> None:
        self.current = c
        self._load_history(c.id if c else None)
        self.name.setText(c.name if c else "")
        select_data(self.kind, c.party_kind if c else PartyKind.OTHER)
        self.org.setText(c.organisation if c else "")
        self.role.setText(c.role if c else "")
        self.phone.setText(c.phone if c else "")
        self.email.setText(c.email if c else "")
        self.notes.setPlainText(c.notes if c else "")
        self.message.clear()

    def _load_history(self, contact_id: str | None) -> None:
        self.history.clear()
        if contact_id is None:
            return
        vault = self.session.vault

        def work() -> list[ContactWork]:
            return vault.work_with_contact(contact_id, limit=50)

        def show(rows: list[ContactWork]) -> None:
            if self.current is None or self.current.id != contact_id:
                return  # another contact was chosen meanwhile
            for row in rows:
                parts = [display.date(row.date, "short"), display.minutes(row.minutes),
                         Channel(row.channel).label()]
                parts += [x for x in (row.client_name, row.what) if x]
                self.history.addItem(" · ".join(parts))
            if not rows:
                self.history.addItem(_("No work logged with this contact yet."))

        Op(self, work, write=False).success(show).run()

    def new_contact(self) -> None:
        self.table.clearSelection()
        self._load(None)
        self.name.setFocus()

    def save(self) -> None:
        fields = dict(name=self.name.text().strip(),
                      party_kind=enum_value(self.kind, PartyKind) or PartyKind.OTHER,
                      organisation=self.org.text().strip(), role=self.role.text().strip(),
                      phone=self.phone.text().strip(), email=self.email.text().strip(),
                      notes=self.notes.toPlainText())
        try:
            contact = self.current.replace(**fields) if self.current else Contact(**fields)
        except KnownError as exc:
            self.message.setText(f"{exc.message} — {exc.help()}")
            return
        self.current = contact
        self.session.save([contact], parent=self,
                          then=lambda _r: self.message.setText(_("Saved.")))
