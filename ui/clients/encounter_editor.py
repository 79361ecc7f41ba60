"""The encounter editor, shaped by the encounter-based method (DOMAIN.md).

Sections follow the conversation: the client's situation in their own words;
resources and possibilities; obstacles (taxonomy + free text); what was given
(information / advice / guidance); what was agreed, by whom, by when; practical
details.  Every change is autosaved as an encrypted draft (``DraftDebounce``: 1 s
after the last keystroke, at least every 5 s while typing), so closing, locking or a
crash never loses typed text.  Keyboard only: Tab moves between fields (also out of
text boxes), Ctrl+S saves, Esc closes and keeps the draft.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QDate, Qt, QTime, QTimer, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from counsel.app import encounter_draft
from counsel.app.policies import DraftDebounce
from counsel.domain import Client, Encounter, Given, InterpreterMode, Obstacle, Place, new_id
from counsel.errors import KnownError, RecordNotFound
from counsel.i18n import gettext as _
from counsel.teams.vaultset import TeamUnavailable
from counsel_ui.clients.actions_table import ActionsTable
from counsel_ui.clients.dialog import combo_language, language_combo, set_language
from counsel_ui.common.autosave import DraftAutosave
from counsel_ui.common.datefields import DateField, NumberField, TimeField
from counsel_ui.common.ops import Op
from counsel_ui.common.widgets import add_row, align_leading, enum_combo, select_data

if TYPE_CHECKING:
    from counsel_ui.shell.session import Session

TEXT_FIELDS = encounter_draft.TEXT_FIELDS


def draft_id_for(client_id: str, encounter_id: str) -> str:
    return f"{client_id}:encounter:{encounter_id}"


def _text_box(height: int = 80) -> QPlainTextEdit:
    box = QPlainTextEdit()
    box.setTabChangesFocus(True)
    box.setMinimumHeight(height)
    return box


class EncounterEditor(DraftAutosave, QDialog):
    saved = Signal(str)

    def __init__(self, session: Session, client_id: str, encounter: Encounter | None = None,
                 draft: dict[str, Any] | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.client_id = client_id
        self.original = encounter
        self.encounter_id = encounter.id if encounter else str((draft or {}).get("id") or new_id())
        self.draft_id = draft_id_for(client_id, self.encounter_id)
        self.debounce = DraftDebounce()
        self._loading = True
        self._closing = False
        self.setWindowTitle(_("Encounter"))  # no client data in window titles
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.setModal(False)
        self._build()
        self._load(encounter, draft)
        self._loading = False
        self._autosave_timer = QTimer(self)
        self._autosave_timer.setSingleShot(True)
        self._autosave_timer.timeout.connect(self._autosave_check)
        session.editors.append(self)
        self.resize(760, 820)
        self.situation.setFocus()

    # -- layout ---------------------------------------------------------------------------
    def _build(self) -> None:
        outer = QVBoxLayout(self)
        try:
            name = self.session.vault_for(self.client_id).get_typed(
                Client, self.client_id).display_name
        except (RecordNotFound, TeamUnavailable):
            name = ""
        head = align_leading(QLabel(name))
        font = head.font()
        font.setPointSizeF(font.pointSizeF() * 1.3)
        head.setFont(font)
        outer.addWidget(head)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        body = QWidget()
        lay = QVBoxLayout(body)
        scroll.setWidget(body)
        outer.addWidget(scroll, 1)

        g = QGroupBox(_("The client's situation"))
        f = QFormLayout(g)
        self.situation = add_row(f, _("In their own &words:"), _text_box(110),
                                 _("Start from where the client is, in their own words."))
        self.experiential = add_row(f, _("Their own e&xperience:"), _text_box(60))
        lay.addWidget(g)

        g = QGroupBox(_("Resources and possibilities"))
        f = QFormLayout(g)
        self.resources = add_row(f, _("&Resources:"), _text_box())
        self.possibilities = add_row(f, _("&Possibilities:"), _text_box())
        lay.addWidget(g)

        g = QGroupBox(_("Obstacles to progress"))
        f = QFormLayout(g)
        self.obstacles = QListWidget()
        for ob in Obstacle:
            item = QListWidgetItem(ob.label())
            item.setData(Qt.ItemDataRole.UserRole, ob.value)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Unchecked)
            self.obstacles.addItem(item)
        self.obstacles.setMinimumHeight(120)
        add_row(f, _("&Obstacles:"), self.obstacles,
                _("Space ticks the selected obstacle."))
        self.obstacles_text = add_row(f, _("In &detail:"), _text_box(60))
        lay.addWidget(g)

        g = QGroupBox(_("What was given"))
        row = QHBoxLayout(g)
        self.given: dict[Given, QCheckBox] = {}
        for gv in Given:
            box = QCheckBox(gv.label())
            self.given[gv] = box
            row.addWidget(box)
        row.addStretch(1)
        lay.addWidget(g)

        g = QGroupBox(_("What was agreed"))
        v = QVBoxLayout(g)
        self.action_table = ActionsTable()
        v.addWidget(self.action_table)
        buttons = QHBoxLayout()
        self.add_action = QPushButton(_("&Add action"))
        self.add_action.clicked.connect(self._add_action_row)
        self.remove_action = QPushButton(_("Remove action"))
        self.remove_action.clicked.connect(self._remove_action_row)
        buttons.addWidget(self.add_action)
        buttons.addWidget(self.remove_action)
        buttons.addStretch(1)
        v.addLayout(buttons)
        f = QFormLayout()
        self.next_step = add_row(f, _("Client's &next step:"), _text_box(50))
        v.addLayout(f)
        lay.addWidget(g)

        g = QGroupBox(_("Details"))
        f = QFormLayout(g)
        self.date = add_row(f, _("Da&te:"), DateField())
        self.start = add_row(f, _("&Start:"), TimeField())
        self._start_empty = False  # an encounter saved without a time keeps having none
        self.minutes = add_row(f, _("D&uration (minutes):"), NumberField())
        self.minutes.setRange(0, 24 * 60)
        self.minutes.setSingleStep(5)
        self.place = add_row(f, _("P&lace:"), enum_combo(Place))
        self.interp_mode = add_row(f, _("&Interpreter:"), enum_combo(InterpreterMode))
        self.interp_lang = add_row(f, _("Interpreter lan&guage:"), language_combo())
        self.others = add_row(f, _("Others &present:"), QLineEdit())
        self.notes = add_row(f, _("Other n&otes:"), _text_box(60))
        lay.addWidget(g)

        self.status = align_leading(QLabel())
        self.status.setAccessibleName(_("Autosave status"))
        outer.addWidget(self.status)
        self.error = align_leading(QLabel())
        self.error.setWordWrap(True)
        outer.addWidget(self.error)
        button_box = QDialogButtonBox(QDialogButtonBox.StandardButton.Save
                                      | QDialogButtonBox.StandardButton.Close)
        button_box.accepted.connect(self.save)
        button_box.rejected.connect(self.close)
        self.card_button = button_box.addButton(_("Appointment &card…"),
                                                QDialogButtonBox.ButtonRole.ActionRole)
        self.card_button.clicked.connect(self.open_card)
        outer.addWidget(button_box)
        QShortcut(QKeySequence.StandardKey.Save, self).activated.connect(self.save)
        from counsel_ui.clients.snippets_dialog import install_snippet_key

        install_snippet_key(self, self.session)

        for w in (self.situation, self.experiential, self.resources, self.possibilities,
                  self.obstacles_text, self.next_step, self.notes):
            w.textChanged.connect(self._changed)
        self.others.textChanged.connect(self._changed)
        self.obstacles.itemChanged.connect(self._changed)
        self.action_table.itemChanged.connect(self._changed)
        for b in self.given.values():
            b.toggled.connect(self._changed)
        self.date.dateChanged.connect(self._changed)
        self.start.timeChanged.connect(self._start_changed)
        self.minutes.valueChanged.connect(self._changed)
        for c in (self.place, self.interp_mode, self.interp_lang):
            c.currentIndexChanged.connect(self._changed)
        self.interp_lang.editTextChanged.connect(self._changed)

    def _add_action_row(self) -> None:
        self.action_table.add_row(focus=True)
        self._changed()

    def _remove_action_row(self) -> None:
        if self.action_table.remove_current():
            self._changed()

    # -- state ↔ fields ---------------------------------------------------------------------
    def state(self) -> dict[str, Any]:
        """Everything typed, as JSON-able values (what the encrypted draft holds)."""
        data: dict[str, Any] = {f: getattr(self, f).toPlainText() for f in TEXT_FIELDS}
        data.update(
            id=self.encounter_id, client=self.client_id,
            date=self.date.date().toString(Qt.DateFormat.ISODate),
            start="" if self._start_empty else self.start.time().toString("HH:mm"),
            minutes=self.minutes.value(),
            place=str(self.place.currentData()),
            interpreter_mode=str(self.interp_mode.currentData()),
            interpreter_language=combo_language(self.interp_lang),
            others_present=self.others.text(),
            given=[g.value for g, b in self.given.items() if b.isChecked()],
            obstacles=[self.obstacles.item(i).data(Qt.ItemDataRole.UserRole)
                       for i in range(self.obstacles.count())
                       if self.obstacles.item(i).checkState() == Qt.CheckState.Checked],
            actions=self.action_table.rows(),
        )
        return data

    def _load(self, enc: Encounter | None, draft: dict[str, Any] | None) -> None:
        if enc is not None:
            data = encounter_draft.from_encounter(enc)
        else:
            try:
                client: Client | None = self.session.vault_for(self.client_id).get_typed(
                    Client, self.client_id)
            except (RecordNotFound, TeamUnavailable):
                client = None
            data = encounter_draft.fresh(client, dt.datetime.now())
        if draft:
            data.update(draft)
            self.status.setText(_("Restored unsaved text from the encrypted draft."))
        for f in TEXT_FIELDS:
            getattr(self, f).setPlainText(str(data.get(f, "")))
        self.date.setDate(QDate.fromString(str(data.get("date", "")), Qt.DateFormat.ISODate))
        self._start_empty = not data.get("start")
        if data.get("start"):
            self.start.setTime(QTime.fromString(str(data["start"]), "HH:mm"))
        self.minutes.setValue(int(data.get("minutes", encounter_draft.DEFAULT_MINUTES)))
        select_data(self.place, data.get("place", Place.OFFICE.value))
        select_data(self.interp_mode, data.get("interpreter_mode", InterpreterMode.NONE.value))
        set_language(self.interp_lang, str(data.get("interpreter_language", "")))
        self.others.setText(str(data.get("others_present", "")))
        given = set(data.get("given", ()))
        for g, b in self.given.items():
            b.setChecked(g.value in given)
        obstacles = set(data.get("obstacles", ()))
        for i in range(self.obstacles.count()):
            item = self.obstacles.item(i)
            item.setCheckState(Qt.CheckState.Checked
                               if item.data(Qt.ItemDataRole.UserRole) in obstacles
                               else Qt.CheckState.Unchecked)
        self.action_table.set_rows(list(data.get("actions", ())))
        self.debounce.saved()

    def build(self) -> Encounter:
        return encounter_draft.to_encounter(self.state(), encounter_id=self.encounter_id,
                                            client_id=self.client_id)

    def open_card(self) -> QDialog | None:
        """The appointment card of this encounter as typed now (also before saving)."""
        from counsel_ui.clients.card_dialog import open_card

        return open_card(self)

    def _start_changed(self) -> None:
        if not self._loading:
            self._start_empty = False
        self._changed()

    # -- autosave -------------------------------------------------------------------------
    def _changed(self, *_args: object) -> None:
        if self._loading:
            return
        self._mark_changed()

    # -- save / close -----------------------------------------------------------------------
    def save(self) -> None:
        try:
            enc = self.build()
        except KnownError as exc:
            self.error.setText(f"{exc.message} — {exc.help()}")
            return
        self._autosave_timer.stop()
        self.debounce.saved()
        # the encounter goes to the vault holding the client (a team client: the team's
        # copy); the draft is the personal vault's (local, never synced)
        session, personal, draft_id = self.session, self.session.vault, self.draft_id
        typed = self.state()

        def work() -> None:
            try:
                session.vault_for(enc.client).save_many([enc], audited=True)
            except BaseException:
                personal.drafts.save(draft_id, typed)  # what was typed is kept
                raise
            personal.drafts.discard(draft_id)

        def done(_r: object) -> None:
            self.session.changed.emit(frozenset({Encounter.KIND}))
            self.saved.emit(enc.id)
            self._closing = True
            self.close()

        Op(self, work).success(done).failure(self._save_failed).run()

    def _save_failed(self, exc: BaseException) -> None:
        if isinstance(exc, KnownError):
            self.error.setText(f"{exc.message} — {exc.help()}")
            self.status.setText(_("Not saved; your text is kept as an encrypted draft."))
        else:
            from counsel_ui.common.errors import show_error

            show_error(self, exc)

    def discard(self) -> None:
        self._autosave_timer.stop()
        self.debounce.saved()
        self.session.vault.drafts.discard(self.draft_id)
        self._closing = True
        self.close()

    def close_for_lock(self) -> None:
        self.flush()
        self._closing = True
        self.close()

    def reject(self) -> None:
        """Esc, the Close button and closing the window all end here (QDialog's
        closeEvent calls reject): unsaved text is kept as a draft unless discarded."""
        if not self._closing and self._has_unsaved():
            box = QMessageBox(self)
            box.setWindowTitle(_("Encounter"))
            box.setText(_("This encounter is not saved yet."))
            box.setInformativeText(_("Your text is kept as an encrypted draft; you can "
                                     "continue it later from Today."))
            keep = box.addButton(_("&Keep draft"), QMessageBox.ButtonRole.AcceptRole)
            throw = box.addButton(_("&Discard"), QMessageBox.ButtonRole.DestructiveRole)
            box.addButton(QMessageBox.StandardButton.Cancel)
            box.setDefaultButton(keep)
            box.exec()
            if self._closing:
                return  # locked while the question was open: the draft is already written
            clicked = box.clickedButton()
            if clicked is throw:
                self.session.vault.drafts.discard(self.draft_id)
            elif clicked is keep:
                self.flush()
            else:
                return
        elif not self._closing:
            self.flush()
        self._autosave_timer.stop()
        if self in self.session.editors:
            self.session.editors.remove(self)
        self.session.changed.emit(frozenset({"draft"}))
        super().reject()

    def _has_unsaved(self) -> bool:
        return self.debounce.dirty or self.session.vault.drafts.get(self.draft_id) is not None

    # -- opening ------------------------------------------------------------------------------
    @classmethod
    def open_for(cls, session: Session, client_id: str, encounter_id: str | None,
                 parent: QWidget | None) -> EncounterEditor:
        for ed in session.editors:
            if ed.client_id == client_id and (encounter_id is None
                                              or ed.encounter_id == encounter_id):
                ed.raise_()
                ed.activateWindow()
                return ed  # type: ignore[no-any-return]
        enc = None
        draft = None
        if encounter_id is not None:
            try:
                vault = session.vault_for(client_id)
                enc = vault.get_typed(Encounter, encounter_id)
                vault.audit.record("view", client_id=client_id,
                                   record_id=encounter_id, record_kind=Encounter.KIND)
            except (RecordNotFound, TeamUnavailable):
                enc = None
            d = session.vault.drafts.get(draft_id_for(client_id, encounter_id))
            draft = d.data if d else None
        editor = cls(session, client_id, enc, draft, parent)
        editor.show()
        return editor
