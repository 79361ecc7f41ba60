"""Quick background-work log, reachable from anywhere (Ctrl+L).

Client, other party (a contact, or just its kind), channel, minutes, one line of
what.  Built for speed: the current client is filled in, minutes default to 5, Enter
saves from any field — a 5-minute call is logged in a few keystrokes.  The client and
contact lists load on the reader pool (a large caseload has ten thousand names), and
ids are kept beside the combo entries rather than as item data, which keeps filling a
long list a single call.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QStringListModel, Qt
from PySide6.QtWidgets import (
    QComboBox,
    QCompleter,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from counsel.app import party
from counsel.app.birthdates import birth_dates
from counsel.app.labels import client_labels
from counsel.domain import Channel, Contact, PartyKind, WorkEntry, WorkKind
from counsel.errors import KnownError
from counsel.i18n import gettext as _
from counsel_ui.common.autosave import FormDraft, set_widget_values
from counsel_ui.common.datefields import NumberField
from counsel_ui.common.ops import INTERACTIVE, Op
from counsel_ui.common.widgets import add_row, enum_combo, enum_value, select_data, sentence

if TYPE_CHECKING:
    from counsel_ui.shell.session import Session

DEFAULT_MINUTES = 5
QUICK_LOG_DRAFT = "quick-log"


def _searchable(combo: QComboBox) -> None:
    combo.setEditable(True)
    combo.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
    completer = combo.completer()
    assert completer is not None  # an editable combo always has one
    completer.setFilterMode(Qt.MatchFlag.MatchContains)
    completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
    completer.setCompletionMode(QCompleter.CompletionMode.PopupCompletion)


def chosen_id(combo: QComboBox, ids: list[str]) -> str | None:
    """The id of the entry whose text is in the box ("" and unknown text: none)."""
    text = combo.currentText().strip()
    if not text:
        return None
    i = combo.findText(text, Qt.MatchFlag.MatchFixedString)
    if i < 0:
        i = next((j for j in range(combo.count())
                  if text.casefold() in combo.itemText(j).casefold()), -1)
    return ids[i] or None if 0 <= i < len(ids) else None


class QuickLogDialog(FormDraft, QDialog):
    FIELDS = ("client", "contact", "what", "channel", "minutes", "party_kind", "work_kind")

    def __init__(self, session: Session, client_id: str | None,
                 parent: QWidget | None = None, draft: dict[str, Any] | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.preset_client = client_id
        self.client_ids: list[str] = [""]
        self.contact_ids: list[str] = [""]
        self._contacts: dict[str, Contact] = {}
        self.setWindowTitle(_("Log background work"))
        lay = QVBoxLayout(self)
        form = QFormLayout()
        lay.addLayout(form)
        self.client = add_row(form, _("&Client:"), QComboBox())
        _searchable(self.client)
        self.client.addItem("")
        self.contact = add_row(form, _("&Other party:"), QComboBox(),
                               _("A contact from your network"))
        _searchable(self.contact)
        self.contact.addItem("")
        # what the typed party resolves to, said in words: never a silent guess
        self.party_note = QLabel()
        self.party_note.setWordWrap(True)
        form.addRow("", self.party_note)
        # what was done comes right after who: Tab, type, Enter (channel and minutes
        # have the usual values already)
        self.what = add_row(form, _("&What:"), QLineEdit())
        self.what.setPlaceholderText(_("One line, e.g. called the social worker about housing"))
        self.channel = add_row(form, _("C&hannel:"), enum_combo(Channel))
        select_data(self.channel, Channel.PHONE)
        self.minutes = add_row(form, _("&Minutes:"), NumberField())
        self.minutes.setRange(1, 24 * 60)
        self.minutes.setValue(DEFAULT_MINUTES)
        self.party_kind = add_row(form, _("Party &kind:"), enum_combo(PartyKind, empty=""))
        self._kind_by_hand = False
        self._confirmed_text: str | None = None  # "save as written" was asked for this text
        self._kind_labels = party.kind_labels()
        # the counsellor's own time (team meeting, training, admin) is no client's work
        self.work_kind = add_row(form, _("Ki&nd of work:"),
                                 enum_combo((WorkKind.BACKGROUND, WorkKind.INTERNAL)))
        self.work_kind.currentIndexChanged.connect(self._work_kind_changed)
        self.message = QLabel()
        self.message.setWordWrap(True)
        lay.addWidget(self.message)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save
                                   | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        self.save_button = buttons.button(QDialogButtonBox.StandardButton.Save)
        self.save_button.setDefault(True)
        self.save_button.setEnabled(False)
        lay.addWidget(buttons)
        self.contact.editTextChanged.connect(self._party_typed)
        self.party_kind.activated.connect(self._kind_chosen)
        (self.contact if client_id is not None else self.client).setFocus()
        self.resize(480, 0)
        self.ready = False
        # a half-typed entry survives locking as an encrypted draft
        self.register_form()
        if draft:
            set_widget_values(self, {k: v for k, v in draft.items() if k != "draft_id"})
            self._restored_ids = (str(draft.get("draft_id", "")),)
        self._load()

    def form_draft_id(self) -> str:
        client = self.selected_client() if self.ready else self.preset_client
        return f"{client}:{QUICK_LOG_DRAFT}" if client else QUICK_LOG_DRAFT

    def has_input(self) -> bool:
        return bool(self.contact.currentText().strip() or self.what.text().strip())

    def done(self, result: int) -> None:
        self.form_done()
        super().done(result)

    def _load(self) -> None:
        vault, vaults = self.session.vault, self.session.vaults

        def work() -> tuple[list[Any], list[Contact], list[str]]:
            clients = [r.client for r in vaults.clients("")]  # team clients too
            births = birth_dates(vault)
            for found in vaults.read_copies(birth_dates):
                births.update(found)
            # the labels (a formatted birth date each) are made here, not on the UI thread:
            # 10k of them froze the window for ~0.1 s
            labels = client_labels((c.name, births.get(c.id), c.municipality) for c in clients)
            return clients, sorted(vault.all(Contact), key=lambda c: c.name.casefold()), labels

        Op(self, work, write=False, priority=INTERACTIVE).success(lambda r: self._fill(*r)).run()

    def _fill(self, clients: list[Any], contacts: list[Contact], labels: list[str]) -> None:
        typed_client = self.client.currentText()
        typed_contact = self.contact.currentText()
        self.client_ids += [c.id for c in clients]
        # one string list model, not 10k QStandardItems (~40 ms on the UI thread)
        self.client.blockSignals(True)
        self.client.setModel(QStringListModel(["", *labels], self.client))
        self.client.blockSignals(False)
        self._contacts = {c.id: c for c in contacts}
        self.contact_ids += [c.id for c in contacts]
        self.contact.addItems([c.display_name for c in contacts])
        if self.preset_client in self.client_ids and not typed_client:
            self.client.setCurrentIndex(self.client_ids.index(self.preset_client))
        else:
            self.client.setEditText(typed_client)
        self.contact.setEditText(typed_contact)
        self._party_typed(typed_contact)
        self.ready = True
        self.save_button.setEnabled(True)

    def _kind_chosen(self, _index: int) -> None:
        self._kind_by_hand = enum_value(self.party_kind, PartyKind) is not None

    def resolution(self) -> party.PartyResolution:
        return party.resolve(self.contact.currentText(), self._contacts.values(),
                             self._kind_labels)

    def _party_typed(self, _text: str) -> None:
        r = self.resolution()
        if not self._kind_by_hand:
            select_data(self.party_kind, r.kind)
        if r.match is party.Match.CONTACT and r.contact is not None:
            note = _("Contact: {name}").format(name=r.contact.display_name)
        elif r.match is party.Match.AMBIGUOUS:
            note = _("Matches {n} contacts: choose one from the list.").format(n=r.candidates)
        elif r.match is party.Match.UNKNOWN:
            note = _("Not in your contacts: saved as written.")
        else:
            note = ""
        self.party_note.setText(sentence(note))

    def selected_client(self) -> str | None:
        return chosen_id(self.client, self.client_ids)

    def internal(self) -> bool:
        return enum_value(self.work_kind, WorkKind) is WorkKind.INTERNAL

    def _work_kind_changed(self, _index: int) -> None:
        for w in (self.client, self.contact, self.party_kind):
            w.setEnabled(not self.internal())

    def entry(self) -> WorkEntry:
        r = self.resolution()
        if self.internal():
            now = dt.datetime.now()
            return WorkEntry(kind=WorkKind.INTERNAL, date=now.date(),
                             start=dt.time(now.hour, now.minute),
                             minutes=self.minutes.value(),
                             channel=enum_value(self.channel, Channel) or Channel.OTHER,
                             what=party.what_with_party(self.what.text().strip(), r))
        contact_id = r.contact.id if r.contact is not None else None
        kind = enum_value(self.party_kind, PartyKind) or r.kind
        now = dt.datetime.now()
        return WorkEntry(kind=WorkKind.BACKGROUND, date=now.date(),
                         start=dt.time(now.hour, now.minute), minutes=self.minutes.value(),
                         client=self.selected_client(), contact=contact_id, party_kind=kind,
                         channel=enum_value(self.channel, Channel) or Channel.OTHER,
                         what=party.what_with_party(self.what.text().strip(), r))

    def _ask(self, text: str, focus: QWidget | None) -> None:
        self.message.setText(sentence(text))
        if focus is not None:
            focus.setFocus()

    def problem(self) -> bool:
        """Say what stops a save (and put the cursor there); False when it may go ahead."""
        if self.internal():
            return False
        r = self.resolution()
        if r.match is party.Match.AMBIGUOUS:
            self._ask(_("“{text}” matches {n} contacts. Choose one from the list, or type "
                        "more of the name.").format(text=r.text, n=r.candidates), self.contact)
            return True
        kind = enum_value(self.party_kind, PartyKind) or r.kind
        if r.match is party.Match.UNKNOWN and self._confirmed_text != r.text:
            self._confirmed_text = r.text
            self._ask(_("No contact is called “{text}”. Press Enter again to save it as "
                        "written, or choose a contact.").format(text=r.text),
                      None if kind is not None else self.party_kind)
            return True
        if kind is None:
            self._ask(_("Choose the kind of the other party (“Other” if there was none)."),
                      self.party_kind)
            return True
        return False

    def save(self) -> None:
        if not self.ready or self.problem():
            return
        try:
            entry = self.entry()
        except KnownError as exc:
            self.message.setText(sentence(f"{exc.message} — {exc.help()}"))
            return
        self.session.save([entry], parent=self, then=lambda _r: self.accept())
