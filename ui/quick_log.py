"""Quick background-work log, reachable from anywhere (Ctrl+L).

Client, other party (a contact, or just its kind), channel, minutes, one line of
what.  Built for speed: the current client is filled in, minutes default to 5, Enter
saves from any field — a 5-minute call is logged in a few keystrokes.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from counsel_ui.widgets import add_row, enum_combo, enum_value, select_data
from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QCompleter,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from counsel.domain import Channel, Contact, PartyKind, WorkEntry, WorkKind
from counsel.errors import KnownError
from counsel.i18n import gettext as _

if TYPE_CHECKING:
    from counsel_ui.session import Session

DEFAULT_MINUTES = 5


def _searchable(combo: QComboBox) -> None:
    combo.setEditable(True)
    combo.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
    completer = combo.completer()
    completer.setFilterMode(Qt.MatchFlag.MatchContains)
    completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
    completer.setCompletionMode(QCompleter.CompletionMode.PopupCompletion)


def _chosen(combo: QComboBox) -> str | None:
    """The id of the item whose text is in the box (the completer may have left the index)."""
    text = combo.currentText().strip()
    if not text:
        return None
    i = combo.findText(text, Qt.MatchFlag.MatchFixedString)
    if i < 0:
        i = next((j for j in range(combo.count())
                  if text.casefold() in combo.itemText(j).casefold()), -1)
    return str(combo.itemData(i)) or None if i >= 0 else None


class QuickLogDialog(QDialog):
    def __init__(self, session: Session, client_id: str | None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.setWindowTitle(_("Log background work"))
        lay = QVBoxLayout(self)
        form = QFormLayout()
        lay.addLayout(form)
        self.client = add_row(form, _("&Client:"), QComboBox())
        _searchable(self.client)
        self.client.addItem("", "")
        for c in session.vault.clients(""):
            label = c.name + (f" · {c.municipality}" if c.municipality else "")
            self.client.addItem(label, c.id)
        self.contact = add_row(form, _("&Other party:"), QComboBox(),
                               _("A contact from your network"))
        _searchable(self.contact)
        self.contact.addItem("", "")
        self._contacts = {c.id: c for c in session.vault.all(Contact)}
        for c in sorted(self._contacts.values(), key=lambda c: c.name.casefold()):
            self.contact.addItem(c.display_name, c.id)
        self.party_kind = add_row(form, _("Party &kind:"), enum_combo(PartyKind, empty=""))
        self.channel = add_row(form, _("C&hannel:"), enum_combo(Channel))
        select_data(self.channel, Channel.PHONE)
        self.minutes = add_row(form, _("&Minutes:"), QSpinBox())
        self.minutes.setRange(1, 24 * 60)
        self.minutes.setValue(DEFAULT_MINUTES)
        self.what = add_row(form, _("&What:"), QLineEdit())
        self.what.setPlaceholderText(_("One line, e.g. called the social worker about housing"))
        self.message = QLabel()
        self.message.setWordWrap(True)
        lay.addWidget(self.message)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save
                                   | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        buttons.button(QDialogButtonBox.StandardButton.Save).setDefault(True)
        lay.addWidget(buttons)
        self.contact.currentIndexChanged.connect(self._contact_chosen)
        if client_id is not None:
            select_data(self.client, client_id)
            self.contact.setFocus()
        else:
            self.client.setFocus()
        self.resize(480, 0)

    def _contact_chosen(self, _i: int) -> None:
        c = self._contacts.get(self.contact.currentData() or "")
        if c is not None:
            select_data(self.party_kind, c.party_kind)

    def entry(self) -> WorkEntry:
        contact_id = _chosen(self.contact)
        kind = enum_value(self.party_kind, PartyKind)
        if contact_id and kind is None:
            kind = self._contacts[contact_id].party_kind
        now = dt.datetime.now()
        return WorkEntry(kind=WorkKind.BACKGROUND, date=now.date(),
                         start=dt.time(now.hour, now.minute), minutes=self.minutes.value(),
                         client=_chosen(self.client), contact=contact_id, party_kind=kind,
                         channel=enum_value(self.channel, Channel) or Channel.OTHER,
                         what=self.what.text().strip())

    def save(self) -> None:
        try:
            entry = self.entry()
        except KnownError as exc:
            self.message.setText(f"{exc.message} — {exc.help()}")
            return
        self.session.save([entry], parent=self, then=lambda _r: self.accept())
