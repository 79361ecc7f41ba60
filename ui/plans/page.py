"""Plans: every client's integration plans (or one client's), and the plan editor.

The list shows status, when a plan was made, the next review and how often it was
printed; unsaved drafts come first.  Opening a plan shows the editor in place of the
list (:mod:`counsel_ui.plans.editor`), with the preview beside it.

Hooks for the rest of the app: :func:`open_plans_for` (e.g. a "Plans" button on the
client page) and :meth:`PlanPage.resume_draft` (reopen an editor after unlocking).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QModelIndex, QStringListModel, Qt, QTimer
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QStackedWidget,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from counsel.domain import Client, Plan, new_id
from counsel.errors import RecordNotFound
from counsel.i18n import N_, current_language, display, ngettext
from counsel.i18n import gettext as _
from counsel.plans import editing
from counsel_ui.common.models import RowsModel
from counsel_ui.common.ops import INTERACTIVE, Op
from counsel_ui.common.widgets import named

if TYPE_CHECKING:
    from counsel_ui.plans.editor import PlanEditor
    from counsel_ui.shell.session import Session


@dataclasses.dataclass(frozen=True)
class PlanRow:
    id: str
    client_id: str
    client: str
    template: str  # title in the counsellor's language
    language: str
    status: str
    made: dt.date | None
    review: dt.date | None
    valid_until: dt.date | None
    printed: int
    draft: bool


def _status(r: PlanRow) -> str:
    if r.draft and not r.status:
        return _("Not saved yet (draft)")
    return r.status + (" · " + _("unsaved changes") if r.draft else "")


class PlanTableModel(RowsModel[PlanRow]):  # type: ignore[misc]
    columns = (
        (N_("Client"), lambda r: r.client),
        (N_("Plan"), lambda r: r.template),
        (N_("Status"), _status),
        (N_("Made"), lambda r: display.date(r.made, "short")),
        (N_("Next review"), lambda r: display.date(r.review, "short")),
        (N_("Valid until"), lambda r: display.date(r.valid_until, "short")),
        (N_("Language"), lambda r: display.language(r.language)),
        (N_("Printed"), lambda r: str(r.printed) if r.printed else ""),
    )


def client_choices(vaults: Any) -> list[tuple[str, str]]:
    """(label, id) of every client (personal and team vaults) for the list's client box,
    by name (reader pool)."""
    clients = sorted((r.client for r in vaults.clients("", active=None)),
                     key=lambda c: c.name.casefold())
    return [(c.name + (f" ({c.preferred_name})" if c.preferred_name and
                       c.preferred_name != c.name else ""), c.id) for c in clients]


def plan_rows(vault: Any, client_id: str | None, title: Any) -> list[PlanRow]:
    """The list's rows (runs on the reader pool): plans, then drafts of unsaved plans."""
    plans = vault.of_client(Plan, client_id) if client_id else vault.all(Plan)
    names: dict[str, str] = {}

    def name(cid: str) -> str:
        if cid not in names:
            try:
                names[cid] = vault.get_typed(Client, cid).display_name
            except RecordNotFound:
                names[cid] = ""
        return names[cid]

    drafts = {}
    for d in vault.drafts.list():
        ids = editing.parse_draft_id(d.draft_id)
        if ids and (client_id is None or ids[0] == client_id):
            drafts[ids[1]] = d
    rows = []
    for p in plans:
        rows.append(PlanRow(p.id, p.client, name(p.client), title(p.template), p.client_language,
                            p.status.label(), p.made, p.review, p.valid_until, len(p.printed),
                            p.id in drafts))
    known = {p.id for p in plans}
    for plan_id, d in drafts.items():
        if plan_id in known:
            continue
        data = d.data
        cid = str(data.get("client", ""))
        rows.append(PlanRow(plan_id, cid, name(cid), title(str(data.get("template", ""))),
                            str(data.get("client_language", "")), "", None, None, None, 0,
                            True))
    far = dt.date.max
    rows.sort(key=lambda r: (not r.draft, r.review or far, r.client.casefold()))
    return rows


@dataclasses.dataclass(frozen=True)
class _Choices:
    """The client box's rows: labels, client ids ("" = everyone) and id → row."""

    labels: list[str]
    ids: list[str]
    index: dict[str, int]


class PlanList(QWidget):
    def __init__(self, page: PlanPage) -> None:
        super().__init__(page)
        self.page = page
        self.session = page.session
        self._seq = 0
        lay = QVBoxLayout(self)
        top = QHBoxLayout()
        self.client = QComboBox()
        named(self.client, _("Show plans of"))
        # a caseload is hundreds of names: type part of one to find it
        self.client.setEditable(True)
        self.client.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        completer = self.client.completer()
        if completer is not None:
            completer.setFilterMode(Qt.MatchFlag.MatchContains)
            completer.setCompletionMode(completer.CompletionMode.PopupCompletion)
        top.addWidget(QLabel(_("Show plans of:")))
        top.addWidget(self.client, 1)
        self.new_button = QPushButton(_("&New plan"))
        named(self.new_button, _("New plan"))
        self.new_button.clicked.connect(self._new)
        top.addWidget(self.new_button)
        lay.addLayout(top)
        self.count = QLabel()
        lay.addWidget(self.count)
        self.model = PlanTableModel(parent=self)
        self.table = QTableView()
        self.table.setModel(self.model)
        named(self.table, _("Plans"))
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        self.table.setWordWrap(False)
        self.table.setTabKeyNavigation(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)
        self.table.activated.connect(self._activated)
        lay.addWidget(self.table, 1)
        self.empty = QLabel()
        self.empty.setWordWrap(True)
        lay.addWidget(self.empty)
        self.client.addItem(_("All clients"), "")
        self._client_ids: list[str] = [""]
        self._index: dict[str, int] = {"": 0}
        self._wanted: str | None = ""  # "" = everyone, until the names are loaded
        self._loads = 0
        self._update_new_button()
        self.client.currentIndexChanged.connect(lambda _i: self._client_changed())
        self._load_clients()

    def _load_clients(self) -> None:
        """The client box's names are read and sorted on the reader pool: 10k of them on
        the UI thread froze the window (and waited for the vault behind Today and Time)."""
        vaults = self.session.vaults
        self._loads += 1
        seq = self._loads

        def fill(choices: _Choices) -> None:
            if seq == self._loads:  # an older read arriving late is not shown
                self._fill_clients(choices)

        def work() -> _Choices:  # the lists and the index made here too, not on the UI
            labels, ids = [_("All clients")], [""]
            for label, cid in client_choices(vaults):
                labels.append(label)
                ids.append(cid)
            return _Choices(labels, ids, {cid: i for i, cid in enumerate(ids)})

        Op(self, work, write=False).success(fill).run()

    def _fill_clients(self, choices: _Choices) -> None:
        current = self.chosen_client()
        self.client.blockSignals(True)
        # one string list model, not 10k QStandardItems (~30 ms on the UI thread)
        self.client.setModel(QStringListModel(choices.labels, self.client))
        self._client_ids = choices.ids
        self._index = choices.index
        self._wanted = None
        self.client.setCurrentIndex(self._index.get(current or "", 0))
        self.client.blockSignals(False)
        self._update_new_button()
        self._client_changed(refresh=False)

    def _update_new_button(self) -> None:
        # for everyone's list "New plan" asks which client, from the names: not before
        # they are read
        self.new_button.setEnabled(self._wanted is None or bool(self._wanted))

    def chosen_client(self) -> str | None:
        if self._wanted is not None:  # chosen before the names arrived
            return self._wanted or None
        i = self.client.currentIndex()
        return self._client_ids[i] or None if 0 <= i < len(self._client_ids) else None

    def set_client(self, client_id: str | None) -> None:
        if self._wanted is not None:
            self._wanted = client_id or ""
            self._update_new_button()
            self.refresh()
            return
        i = self._index.get(client_id or "", -1)
        if i >= 0:
            self.client.setCurrentIndex(i)

    def _client_changed(self, *, refresh: bool = True) -> None:
        if refresh:
            self.refresh()

    def refresh(self) -> None:
        if self.session.vault.locked:
            return
        self._seq += 1
        seq, client_id = self._seq, self.chosen_client()
        # one client's plans from the vault holding them; everyone's: the personal vault
        vault = self.session.vault_for(client_id) if client_id else self.session.vault
        title = self.page.template_title

        def show(rows: list[PlanRow]) -> None:
            if seq != self._seq:
                return
            self.model.set_rows(rows)
            self.count.setText(ngettext("{n} plan", "{n} plans", len(rows)).format(n=len(rows)))
            self.empty.setText("" if rows else _(
                "No plans yet. Choose a client above and press “New plan”."))
            self.empty.setVisible(not rows)
            if rows and not self.table.currentIndex().isValid():
                self.table.selectRow(0)

        vaults = self.session.vaults
        others = [] if client_id else [c.vault for c in list(vaults.copies.values())]

        def work() -> list[PlanRow]:  # everyone's: the team clients' plans too
            found = vaults.read_each([v for v in [vault, *others] if not v.locked],
                                     lambda v: plan_rows(v, client_id, title))
            return [r for rows in found for r in rows]

        Op(self, work, write=False).success(show).run()

    def _activated(self, index: QModelIndex) -> None:
        row = self.model.row_value(index.row())
        self.page.open_plan(row.client_id, row.id)

    def _new(self) -> None:
        client_id = self.chosen_client() or self.ask_client()
        if client_id:
            self.page.start_new_plan(client_id)

    def ask_client(self) -> str | None:
        """Which client a new plan is for, when the list shows everyone's."""
        from PySide6.QtWidgets import QInputDialog

        names = [self.client.itemText(i) for i in range(1, self.client.count())]
        if not names:
            return None
        name, ok = QInputDialog.getItem(self, _("New plan"), _("Client:"), names, 0, True)
        if not ok:
            return None
        i = self.client.findText(name)
        return self._client_ids[i] if 0 < i < len(self._client_ids) else None


class PlanPage(QWidget):
    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self._titles: dict[str, str] = {}
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        self.stack = QStackedWidget()
        lay.addWidget(self.stack)
        self.list = PlanList(self)
        self.stack.addWidget(self.list)
        self.editor: PlanEditor | None = None
        self._opening = 0
        session.changed.connect(self._on_changed)
        # everyone's plans (a caseload's thousands, each with its client's name) only if
        # nothing asked for one client first: open_plans_for does, right after this
        QTimer.singleShot(0, self._first_refresh)

    def _first_refresh(self) -> None:
        if self.list._seq == 0:
            self.list.refresh()

    def template_title(self, template_id: str) -> str:
        if not self._titles:
            from counsel.plans.templates import load_templates, plan_gettext

            t = plan_gettext(editing.print_language(current_language()))
            self._titles = {tid: t(tpl.title) for tid, tpl in load_templates().items()}
        return self._titles.get(template_id, template_id)

    def _on_changed(self, kinds: frozenset[str]) -> None:
        if "client" in kinds:
            self.list._load_clients()
        if {"plan", "client", "draft"} & kinds:
            self.list.refresh()

    # -- opening ------------------------------------------------------------------------------
    def show_client(self, client_id: str | None) -> None:
        """Show the list filtered to one client (None: everyone)."""
        self.list.set_client(client_id)
        self.show_list()

    def start_new_plan(self, client_id: str) -> None:
        """Open the editor on a new plan for the client once its record is read on the
        reader pool (the New plan button, :func:`open_plans_for`): the read waits for the
        vault behind whatever else runs, and the window must not wait with it."""
        session = self.session
        self._opening += 1
        seq, plan_id = self._opening, new_id()
        from counsel_ui.plans import renderer

        renderer.for_session(session).spawn()  # warms up while the client is read

        def work() -> tuple[Client, editing.EditorContext]:
            vault = session.vault_for(client_id)  # a team copy gone: said as an error
            client = vault.get_typed(Client, client_id)  # not there: said as an error
            return client, editing.read_context(vault, client_id, plan_id,
                                                personal=session.vault)

        def opened(result: tuple[Client, editing.EditorContext]) -> None:
            if seq == self._opening:  # not overtaken by a later choice
                self._open_new(*result, plan_id=plan_id)

        Op(self, work, write=False, priority=INTERACTIVE).success(opened).run()

    def new_plan(self, client_id: str) -> PlanEditor:
        """The same, reading here (scripts and tests that need the editor at once)."""
        plan_id, vault = new_id(), self.session.vault_for(client_id)
        client = vault.get_typed(Client, client_id)  # not there: RecordNotFound, as before
        return self._open_new(client, editing.read_context(vault, client_id, plan_id,
                                                           personal=self.session.vault),
                              plan_id=plan_id)

    def _open_new(self, client: Client, context: editing.EditorContext, *,
                  plan_id: str) -> PlanEditor:
        state = editing.new_state(client, plan_id, today=dt.date.today())
        return self._open(state, None, restored=False, context=context)

    def open_plan(self, client_id: str, plan_id: str) -> PlanEditor:
        if self.editor is not None and self.editor.plan_id == plan_id:
            self.stack.setCurrentWidget(self.editor)
            return self.editor
        try:
            plan: Plan | None = self.session.vault_for(client_id).get_typed(Plan, plan_id)
        except RecordNotFound:
            plan = None
        draft = self.session.vault.drafts.get(editing.draft_id_for(client_id, plan_id))
        if plan is None and draft is None:
            raise RecordNotFound(_("The plan is no longer in the vault."))
        if plan is not None:  # opening a plan is a view (repeats within minutes: one entry)
            self.session.vault_for(client_id).audit.record(
                "view", client_id=client_id, record_id=plan_id, record_kind=Plan.KIND)
        state = editing.state_from_plan(plan) if plan is not None else {}
        if draft is not None:
            state.update(draft.data)
        return self._open(state, plan, restored=draft is not None)

    def resume_draft(self, draft_id: str) -> PlanEditor | None:
        ids = editing.parse_draft_id(draft_id)
        if ids is None:
            return None
        try:
            return self.open_plan(*ids)
        except RecordNotFound:
            return None

    def _open(self, state: dict[str, Any], plan: Plan | None, *, restored: bool,
              context: editing.EditorContext | None = None) -> PlanEditor:
        from counsel_ui.plans.editor import PlanEditor

        self._drop_editor()
        editor = PlanEditor(self.session, state, plan, restored=restored, context=context)
        editor.closed.connect(self.show_list)
        self.editor = editor
        self.stack.addWidget(editor)
        self.stack.setCurrentWidget(editor)
        self.session.current_client = editor.client_id
        editor.update_preview()
        return editor

    def _drop_editor(self) -> None:
        if self.editor is not None:
            self.editor.flush()
            self.editor.detach()
            self.stack.removeWidget(self.editor)
            self.editor.deleteLater()
            self.editor = None

    def show_list(self) -> None:
        self._drop_editor()
        self.stack.setCurrentWidget(self.list)
        self.session.current_client = self.list.chosen_client()
        self.list.refresh()
        self.list.table.setFocus()

    def shown_client(self) -> str | None:
        editor = self.editor
        if editor is not None and self.stack.currentIndex() == self.stack.indexOf(editor):
            return str(editor.client_id)
        return self.list.chosen_client()


def open_plans_for(workspace: Any, client_id: str, *, new: bool = False) -> PlanPage:
    """Show the Plans page for one client (a button on the client page can call this);
    ``new`` opens a new plan for them straight away."""
    page: PlanPage = workspace.page("plans")
    page.show_client(client_id)  # before it is shown: no read of everyone's plans first
    workspace.show_page("plans")
    if new:
        page.start_new_plan(client_id)  # the editor opens when the client is read
    workspace.session.current_client = client_id
    return page


__all__ = ["PlanPage", "PlanRow", "open_plans_for", "plan_rows"]
