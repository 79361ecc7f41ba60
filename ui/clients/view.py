"""The client page: profile, and the timeline of encounters, work, plans and reminders."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QScrollArea,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from counsel.app import today as today_items
from counsel.app.encounter_summary import open_actions, summary_line
from counsel.domain import Client, Encounter, Given, Place, Plan, Reminder, WorkEntry, WorkKind
from counsel.errors import RecordNotFound
from counsel.i18n import display
from counsel.i18n import gettext as _
from counsel.teams.vaultset import TeamUnavailable
from counsel_ui.common.ops import Op
from counsel_ui.common.widgets import align_leading, named

if TYPE_CHECKING:
    from counsel_ui.shell.session import Session

ID_ROLE = Qt.ItemDataRole.UserRole + 1


def _details(enc: Encounter) -> list[str]:
    """Under the encounter's date: its first line, and what was agreed and is open."""
    lines = [summary_line(enc)] if summary_line(enc) else []
    lines += [_("Open: {action}").format(action=a) for a in open_actions(enc)]
    return lines


def shared_words(team: str | None) -> str:
    """Who reads this client's records: the card's "shared with" line."""
    if team is None:
        return _("Shared with: nobody. Only your own computers can read this client's "
                 "records.")
    return _("Shared with {team}: kept in the team's vault; everyone in the team reads "
             "and writes these records (supervisors see figures only).").format(
                 team=f"\u2068{team}\u2069")


def _label(text: str) -> QLabel:
    lab = align_leading(QLabel(text))
    lab.setWordWrap(True)
    lab.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse
                                | Qt.TextInteractionFlag.TextSelectableByKeyboard)
    return lab


class ClientView(QWidget):
    back = Signal()
    loaded = Signal()

    def __init__(self, session: Session, client_id: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.client_id = client_id
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        lay = QVBoxLayout(self)
        top = QHBoxLayout()
        self.back_button = QPushButton(_("← &Back to list"))
        named(self.back_button, _("Back to the client list"))
        self.back_button.clicked.connect(self.back.emit)
        top.addWidget(self.back_button)
        self.title = align_leading(QLabel())
        font = self.title.font()
        font.setPointSizeF(font.pointSizeF() * 1.4)
        self.title.setFont(font)
        top.addWidget(self.title, 1)
        lay.addLayout(top)
        sharing = QHBoxLayout()
        # a team client's records live in the team's copy (docs/teams.md); a personal
        # client's are read by nobody else
        team = session.vaults.shared_with(client_id)
        self.team_name = team.name if team is not None else None
        self.shared_with = _label(shared_words(self.team_name))
        self.shared_with.setObjectName("shared-with")
        sharing.addWidget(self.shared_with, 1)
        self.share_button = QPushButton(_("Share with a &team…"))
        self.share_button.setToolTip(_("Choose a team on the Team page; you see who will "
                                       "read what before anything moves."))
        named(self.share_button, _("Share with a team"))
        self.share_button.clicked.connect(lambda: session.share_client.emit(client_id))
        sharing.addWidget(self.share_button)
        self.move_home_button = QPushButton(_("Move to my &vault…"))
        self.move_home_button.setToolTip(_("Keep this client in your personal vault only; "
                                           "you see who will no longer read them first."))
        named(self.move_home_button, _("Move to my personal vault"))
        self.move_home_button.clicked.connect(self._move_home)
        sharing.addWidget(self.move_home_button)
        self.dialog: QWidget | None = None
        self.client: Client | None = None
        lay.addLayout(sharing)
        self.show_sharing(self.team_name)  # once parented: a parentless shown button is a window

        actions = QHBoxLayout()
        self.encounter_button = QPushButton(_("New &encounter"))
        self.encounter_button.setToolTip(_("Ctrl+E"))
        self.encounter_button.clicked.connect(lambda: session.new_encounter.emit(client_id))
        self.timer_button = QPushButton(_("Start appointment &timer"))
        self.timer_button.setToolTip(_("Ctrl+T"))
        self.timer_button.clicked.connect(lambda: session.start_timer(client_id))
        self.log_button = QPushButton(_("&Log background work…"))
        self.log_button.setToolTip(_("Ctrl+L"))
        self.log_button.clicked.connect(lambda: session.quick_log.emit(client_id))
        self.edit_button = QPushButton(_("Edit &profile…"))
        self.edit_button.clicked.connect(self.edit)
        self.plans_button = QPushButton(_("Integration &plans…"))
        self.plans_button.clicked.connect(lambda: session.open_plans.emit(client_id))
        self.give_data_button = QPushButton(_("Give the client their &data…"))
        self.give_data_button.setToolTip(_("A PDF in the client's language and a JSON file "
                                           "with everything recorded about them"))
        self.give_data_button.clicked.connect(self.give_data)
        for b in (self.encounter_button, self.timer_button, self.log_button, self.edit_button,
                  self.plans_button, self.give_data_button):
            named(b, b.text())
            actions.addWidget(b)
        actions.addStretch(1)
        lay.addLayout(actions)
        esc = QShortcut(QKeySequence("Esc"), self)
        esc.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        esc.activated.connect(self.back.emit)

        self.tabs = QTabWidget()
        named(self.tabs, _("Client details"))
        lay.addWidget(self.tabs, 1)
        self.profile = QWidget()
        self.profile_form = QFormLayout(self.profile)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(self.profile)
        self.tabs.addTab(scroll, _("Profile"))
        self.timeline = QListWidget()
        named(self.timeline, _("Encounters"))
        self.timeline.itemActivated.connect(self._open_encounter)
        self.tabs.addTab(self.timeline, _("Encounters"))
        self.work = QListWidget()
        named(self.work, _("Work entries"))
        self.tabs.addTab(self.work, _("Work"))
        self.plans = QListWidget()
        named(self.plans, _("Plans"))
        self.plans.itemActivated.connect(lambda _item: session.open_plans.emit(client_id))
        self.tabs.addTab(self.plans, _("Plans"))
        reminders_tab = QWidget()
        tab_layout = QVBoxLayout(reminders_tab)
        self.reminders = QListWidget()
        named(self.reminders, _("Reminders"))
        tab_layout.addWidget(self.reminders)
        self.add_reminder_button = QPushButton(_("&Add reminder…"))
        self.add_reminder_button.clicked.connect(self.add_reminder)
        tab_layout.addWidget(self.add_reminder_button, 0, Qt.AlignmentFlag.AlignLeading)
        self.tabs.addTab(reminders_tab, _("Reminders"))
        from counsel_ui.path.client_tab import PathTab

        self.path_tab = PathTab(session, client_id)
        self.tabs.addTab(self.path_tab, _("Path to work"))
        self.path_tab.refresh()
        from counsel_ui.clients.consent_tab import ConsentTab

        self.consent_tab = ConsentTab(session, client_id)
        self.tabs.addTab(self.consent_tab, _("Consents"))
        self.consent_tab.refresh()
        session.changed.connect(self._on_changed)
        self.refresh()

    def show_sharing(self, team: str | None) -> None:
        """Who reads the client, and the one sharing action that fits (share or move back)."""
        self.team_name = team
        self.shared_with.setText(shared_words(team))
        self.share_button.setVisible(team is None)
        self.move_home_button.setVisible(team is not None)

    def _move_home(self) -> None:
        from counsel_ui.clients import move_home

        move_home.start(self)

    def give_data(self) -> None:
        from counsel_ui.clients.give_data import give_client_data

        give_client_data(self, self.session, self.client_id)

    def _on_changed(self, _kinds: frozenset[str]) -> None:
        # a bound method, not a lambda: Qt drops the connection when this page is deleted
        self.refresh()

    def refresh(self) -> None:
        """Load the client's records on the reader pool, then fill the page."""
        if self.session.vault.locked:
            return
        client_id, session = self.client_id, self.session
        today = dt.date.today()

        def work() -> tuple[Any, ...]:
            vault = session.vault_for(client_id)  # a team client: the team's copy
            client = vault.get_typed(Client, client_id)
            # opening the card is a view (repeats within minutes are one audit entry)
            vault.audit.record("view", client_id=client_id, record_id=client_id,
                               record_kind=Client.KIND)
            encounters = vault.encounters_of(client_id)
            # the records themselves for the one-line summaries and open actions
            full = {e.id: e for e in vault.of_client(Encounter, client_id)}
            entries = sorted(vault.of_client(WorkEntry, client_id), key=lambda w: w.date,
                             reverse=True)
            plans = vault.of_client(Plan, client_id)
            due = [i for i in today_items.compute_for_client(vault, client_id, today)
                   if i.client_id == client_id]
            done = [r for r in vault.of_client(Reminder, client_id) if r.done]
            return client, encounters, entries, plans, due, done, today, full

        Op(self, work, write=False).success(lambda r: self._fill(*r)).failure(
            self._load_failed).run()

    def _load_failed(self, exc: BaseException) -> None:
        if isinstance(exc, RecordNotFound):
            self.back.emit()  # erased or deleted meanwhile
            return
        if isinstance(exc, TeamUnavailable):  # access ended, removed: said on the card
            self.shared_with.setText(f"{exc.message} {exc.help()}")
            for b in (self.encounter_button, self.timer_button, self.log_button,
                      self.edit_button, self.plans_button, self.give_data_button,
                      self.add_reminder_button):
                b.setEnabled(False)
            return
        from counsel_ui.common.errors import show_error

        show_error(self, exc)

    def _fill(self, client: Client, encounters: list[Any], entries: list[WorkEntry],
              plans: list[Plan], due: list[Any], done: list[Reminder], today: dt.date,
              full: dict[str, Encounter] | None = None) -> None:
        self.client = client
        self.title.setText(client.display_name)
        self._fill_profile(client)
        self.timeline.clear()
        for e in encounters:
            given = display.join(Given(g).label() for g in e.given if g)
            place = Place(e.place).label() if e.place else ""
            text = f"{display.date(e.date)} · {display.minutes(e.minutes)} · {place}"
            if given:
                text += f" · {given}"
            record = (full or {}).get(e.id)
            if record is not None:
                text += "".join(f"\n    {line}" for line in _details(record))
            item = QListWidgetItem(text)
            item.setData(ID_ROLE, e.id)
            self.timeline.addItem(item)
        if not self.timeline.count():
            empty = QListWidgetItem(_("No encounters yet. Press Ctrl+E to record one."))
            empty.setData(ID_ROLE, "")
            self.timeline.addItem(empty)
        self.work.clear()
        for w in entries:
            kind = w.kind.label()
            extra = f" · {w.channel.label()}" if w.kind is WorkKind.BACKGROUND else ""
            self.work.addItem(f"{display.date(w.date)} · {kind}{extra} · "
                              f"{display.minutes(w.minutes)} {w.what}".rstrip())
        self.plans.clear()
        for p in plans:
            review = _("review {date}").format(date=display.date(p.review)) if p.review else ""
            self.plans.addItem(f"{display.date(p.made)} · {p.status.label()} {review}".rstrip())
        self.reminders.clear()
        for item in due:
            when = display.days_from(today, item.due)
            self.reminders.addItem(f"{display.date(item.due)} ({when}) · {item.text}")
        for r in done:
            self.reminders.addItem(f"✓ {display.date(r.due)} · {r.text}")
        self.loaded.emit()

    def _fill_profile(self, c: Client) -> None:
        while self.profile_form.rowCount():
            self.profile_form.removeRow(0)
        langs = []
        for skill in c.languages:
            text = display.language(skill.code)
            if skill.mother_tongue:
                text += " — " + _("mother tongue")
            if skill.level is not None:
                text += f" ({skill.level.label()})"
            langs.append(text)
        interp = ""
        if c.interpreter_needed:
            interp = _("needed") + (f": {display.language(c.interpreter_language)}"
                                    if c.interpreter_language else "")
        rows = [
            (_("Name"), c.display_name),
            (_("Date of birth"), display.date(c.birth_date)),
            (_("Languages"), "\n".join(langs)),
            (_("Literacy"), c.literacy.label() if c.literacy else ""),
            (_("Interpreter"), interp or _("not needed")),
            (_("Residence permit"), " · ".join(x for x in (
                display.date(c.permit_date), c.permit_basis.label() if c.permit_basis else "")
                if x)),
            (_("Municipality"), c.municipality),
            (_("Client type"), c.client_type.label()),
            (_("Education"), c.education),
            (_("Work history"), c.work_history),
            (_("Recognised skills"), c.recognised_skills),
            (_("Phone"), c.phone),
            (_("Notes"), c.notes),
        ]
        for label, value in rows:
            lab = _label(value or "—")
            lab.setAccessibleName(label)
            self.profile_form.addRow(QLabel(label + ":"), lab)

    def _open_encounter(self, item: QListWidgetItem) -> None:
        enc_id = item.data(ID_ROLE)
        if enc_id:
            from counsel_ui.clients.encounter_editor import EncounterEditor

            EncounterEditor.open_for(self.session, self.client_id, enc_id, self.window())

    def add_reminder(self) -> None:
        from counsel_ui.clients.reminder_dialog import ReminderDialog

        ReminderDialog(self.session, self.client_id, self).open()

    def edit(self) -> None:
        from counsel_ui.clients.dialog import ClientDialog

        client = getattr(self, "client", None)
        if client is not None:  # not before the page has loaded
            ClientDialog(self.session, client, self).open()
