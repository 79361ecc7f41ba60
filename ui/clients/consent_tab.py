"""The client card's Consents tab: consents (party, scope, basis, dates) and what was shared
with whom.  Sharing checks the consent's scope first and says what is missing; the logic is
:mod:`counsel.records.disclosure`."""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import TYPE_CHECKING

from PySide6.QtCore import QDate, Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from counsel.domain import Consent, PartyKind
from counsel.domain.audit import BASES, SCOPES
from counsel.errors import KnownError
from counsel.i18n import display
from counsel.i18n import gettext as _
from counsel.records import disclosure
from counsel_ui.common.datefields import DateField
from counsel_ui.common.ops import Op
from counsel_ui.common.widgets import add_row, enum_combo, enum_value, named

if TYPE_CHECKING:
    from counsel_ui.shell.session import Session

ID_ROLE = Qt.ItemDataRole.UserRole + 1


@dataclasses.dataclass(frozen=True)
class Loaded:
    consents: list[Consent]
    shared: list[disclosure.Shared]


def consent_line(c: Consent) -> str:
    scope = ", ".join(disclosure.scope_label(s) for s in c.scope)
    basis = _(BASES[c.basis]) + (f" ({c.reference})" if c.reference else "")
    until = (_(" – withdrawn {date}").format(date=display.date(c.withdrawn))
             if c.withdrawn else "")
    return f"{c.party.label()}: {scope} · {basis} · {display.date(c.given)}{until}"


class ConsentTab(QWidget):
    loaded = Signal()

    def __init__(self, session: Session, client_id: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.client_id = client_id
        self.data: Loaded | None = None
        lay = QVBoxLayout(self)
        lay.addWidget(QLabel(_("Consents and legal bases for sharing")))
        self.consents = named(QListWidget(), _("Consents"))
        lay.addWidget(self.consents, 1)
        row = QHBoxLayout()
        self.add_button = named(QPushButton(_("Add &consent…")), _("Add consent"))
        self.add_button.clicked.connect(self.add_consent)
        self.withdraw_button = named(QPushButton(_("&Withdraw")), _("Withdraw"))
        self.withdraw_button.clicked.connect(self.withdraw_selected)
        for b in (self.add_button, self.withdraw_button):
            row.addWidget(b)
        row.addStretch(1)
        lay.addLayout(row)
        lay.addWidget(QLabel(_("Shared with others")))
        self.shared = named(QListWidget(), _("Shared with others"))
        lay.addWidget(self.shared, 1)
        self.share_button = named(QPushButton(_("Record &sharing…")), _("Record sharing"))
        self.share_button.clicked.connect(self.ask_share)
        lay.addWidget(self.share_button, 0, Qt.AlignmentFlag.AlignLeading)
        self.message = QLabel()
        self.message.setWordWrap(True)
        lay.addWidget(self.message)

    def refresh(self) -> None:
        session, client_id = self.session, self.client_id
        if session.vault.locked:
            return

        def work() -> Loaded:
            vault = session.vault_for(client_id)  # a team client: the team's copy
            return Loaded(disclosure.consents(vault, client_id), disclosure.log(vault, client_id))

        Op(self, work, write=False).success(self._fill).run()

    def _fill(self, data: Loaded) -> None:
        self.data = data
        self.consents.clear()
        for c in data.consents:
            item = QListWidgetItem(consent_line(c))
            item.setData(ID_ROLE, c.id)
            self.consents.addItem(item)
        if not data.consents:
            self.consents.addItem(_("No consent recorded."))
        self.shared.clear()
        for s in data.shared:
            what = disclosure.scope_label(s.what)
            to = f" — {s.recipient}" if s.recipient else ""
            self.shared.addItem(f"{display.date(s.at.date())} · {s.party.label()}: {what}{to}")
        self.loaded.emit()

    # -- actions -------------------------------------------------------------------------------
    def add_consent(self) -> None:
        dlg = ConsentDialog(self.client_id, self)
        if dlg.exec() == QDialog.DialogCode.Accepted and dlg.consent is not None:
            self.save_consent(dlg.consent)

    def save_consent(self, consent: Consent) -> None:
        self.session.save([consent], parent=self, then=lambda _r: self.refresh())

    def withdraw_selected(self) -> None:
        item = self.consents.currentItem()
        if self.data is None or item is None or not item.data(ID_ROLE):
            return
        consent = next(c for c in self.data.consents if c.id == item.data(ID_ROLE))
        vault = self.session.vault_for(self.client_id)
        Op(self, lambda: disclosure.withdraw(vault, consent)).success(
            lambda _r: self.refresh()).run()

    def ask_share(self) -> None:
        dlg = ShareDialog(self)
        if dlg.exec() == QDialog.DialogCode.Accepted:
            self.share(dlg.party(), dlg.what(), dlg.recipient.text().strip())

    def share(self, party: PartyKind, what: str, recipient: str = "") -> None:
        vault, client_id = self.session.vault_for(self.client_id), self.client_id

        def failed(exc: BaseException) -> None:
            if isinstance(exc, KnownError):
                self.message.setText(f"{exc.message} {exc.help()}")
            else:
                raise exc

        def done(_r: object) -> None:
            self.message.setText(_("Recorded in the disclosure log."))
            self.refresh()

        Op(self, lambda: disclosure.share(vault, client_id, party, what, recipient=recipient)
           ).success(done).failure(failed).run()


class ConsentDialog(QDialog):
    def __init__(self, client_id: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(_("Add consent"))
        self.client_id = client_id
        self.consent: Consent | None = None
        form = QFormLayout(self)
        self.party = add_row(form, _("Party"), enum_combo(PartyKind))
        self.scope: dict[str, QCheckBox] = {}
        box = QWidget()
        box_lay = QVBoxLayout(box)
        box_lay.setContentsMargins(0, 0, 0, 0)
        for key, label in SCOPES.items():
            self.scope[key] = QCheckBox(_(label))
            box_lay.addWidget(self.scope[key])
        form.addRow(QLabel(_("What may be shared")), box)
        self.basis = add_row(form, _("Basis"), QComboBox())
        for key, label in BASES.items():
            self.basis.addItem(_(label), key)
        self.reference = add_row(form, _("Reference"), QLineEdit(), _(
            "The law's section, or where the signed consent is kept"))
        self.given = add_row(form, _("Given"), DateField())
        today = dt.date.today()
        self.given.setDate(QDate(today.year, today.month, today.day))
        self.error = QLabel()
        self.error.setWordWrap(True)
        form.addRow(self.error)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save
                                   | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)

    def build(self) -> Consent:
        q = self.given.date()
        party = enum_value(self.party, PartyKind) or PartyKind.OTHER
        return Consent(client=self.client_id, party=party,
                       scope=tuple(k for k, box in self.scope.items() if box.isChecked()),
                       basis=str(self.basis.currentData()), reference=self.reference.text(),
                       given=dt.date(q.year(), q.month(), q.day()))

    def accept(self) -> None:
        try:
            consent = self.build()
        except KnownError as exc:
            self.error.setText(f"{exc.message} — {exc.help()}")
            return
        if not consent.scope:
            self.error.setText(_("Choose what may be shared."))
            return
        self.consent = consent
        super().accept()


class ShareDialog(QDialog):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(_("Record sharing"))
        form = QFormLayout(self)
        self.party_combo = add_row(form, _("Party"), enum_combo(PartyKind))
        self.what_combo = add_row(form, _("What was shared"), QComboBox())
        for key, label in SCOPES.items():
            self.what_combo.addItem(_(label), key)
        self.recipient = add_row(form, _("Recipient"), QLineEdit(),
                                 _("The organisation or office, e.g. Espoo TE office"))
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                   | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)

    def party(self) -> PartyKind:
        return enum_value(self.party_combo, PartyKind) or PartyKind.OTHER

    def what(self) -> str:
        return str(self.what_combo.currentData())
