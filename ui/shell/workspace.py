"""The unlocked workspace: sidebar of pages, the timer, shortcuts, open editors.

Built on unlock from a :class:`Session`, destroyed on lock (nothing of the client data
survives in widgets).
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QApplication,
    QHBoxLayout,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from counsel.app.policies import Resume
from counsel.i18n import N_
from counsel.i18n import gettext as _
from counsel_ui.common.widgets import named
from counsel_ui.shell import pages
from counsel_ui.shell.session import Session
from counsel_ui.shell.shortcuts import HELP_KEYS, Key, Shortcuts
from counsel_ui.timekeeping.timer_widget import TimerWidget


class Workspace(QWidget):
    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        lay = QHBoxLayout(self)
        side = QVBoxLayout()
        self.sidebar = QListWidget()
        named(self.sidebar, _("Pages"))
        self.sidebar.setMaximumWidth(320)
        side.addWidget(self.sidebar, 1)
        self.timer = TimerWidget(session)
        side.addWidget(self.timer)
        self.log_button = QPushButton(_("&Quick log…"))
        self.log_button.setToolTip(_("Log background work (Ctrl+L)"))
        named(self.log_button, _("Log background work"))
        self.log_button.clicked.connect(
            lambda: session.quick_log.emit(session.current_client or ""))
        side.addWidget(self.log_button)
        self.settings_button = QPushButton(_("&Settings…"))
        named(self.settings_button, _("Settings"))
        side.addWidget(self.settings_button)
        from counsel_ui.sync.page import SyncIndicator, install_sync_shortcut

        # background sync runs from the workspace (not only once the Sync page is opened)
        install_sync_shortcut(self, session)
        self.sync_indicator = SyncIndicator(session)
        self.sync_indicator.open_requested.connect(lambda: self.show_page("sync"))
        side.addWidget(self.sync_indicator)
        self.lock_button = QPushButton(_("Loc&k"))
        self.lock_button.setToolTip(_("Lock now (Ctrl+Shift+L)"))
        named(self.lock_button, _("Lock the vault"))
        side.addWidget(self.lock_button)
        lay.addLayout(side)
        self.stack = QStackedWidget()
        lay.addWidget(self.stack, 1)
        self.page_widgets: dict[str, QWidget] = {}
        self.keys: list[str] = []
        for spec in pages.PAGES:
            item = QListWidgetItem(_(spec.title))
            item.setData(Qt.ItemDataRole.UserRole, spec.key)
            self.sidebar.addItem(item)
            self.keys.append(spec.key)
        self.sidebar.currentRowChanged.connect(lambda r: self.show_page(self.keys[r]))
        # wide enough for the longest page name at any font size or language
        self.sidebar.setMinimumWidth(self.sidebar.sizeHintForColumn(0)
                                     + 2 * self.sidebar.frameWidth() + 12)
        self.sidebar.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.shortcuts = self._install_shortcuts()
        session.open_client.connect(self.open_client)
        session.new_encounter.connect(self.new_encounter)
        session.quick_log.connect(self.quick_log)
        session.open_plans.connect(self._open_plans)
        session.share_client.connect(self._share_client)
        self.show_page("today")

    def _install_shortcuts(self) -> Shortcuts:
        sc = Shortcuts(self)
        for i, spec in enumerate(pages.PAGES[:9]):
            sc.add(Key(N_("&Go"), spec.title, (f"Ctrl+{i + 1}",)),
                   lambda k=spec.key: self.go_to_page(k))
        sc.add(Key(N_("&Go"), N_("Find a client"), ("Ctrl+F",)), self._find)
        sc.add(Key(N_("&Go"), N_("Search in notes"), ("Ctrl+Shift+F",), app_wide=True),
               self.search_notes)
        sc.add(Key(N_("&Record"), N_("Log background work"), ("Ctrl+L",), app_wide=True),
               lambda: self.quick_log(self.working_client() or ""))
        sc.add(Key(N_("&Record"), N_("New encounter"), ("Ctrl+E",), app_wide=True),
               self._new_encounter)
        sc.add(Key(N_("&Record"), N_("Start or pause the appointment timer"), ("Ctrl+T",),
                   app_wide=True), self._timer_key)
        sc.add(Key(N_("&File"), N_("Back up now…"), ()), self.back_up)
        sc.add(Key(N_("&File"), N_("Settings"), ()), self.settings_button.click)
        sc.add(Key(N_("&File"), N_("Lock now"), ("Ctrl+Shift+L",), app_wide=True),
               self.lock_button.click)
        sc.add(Key(N_("&Help"), N_("Keyboard shortcuts"), HELP_KEYS, app_wide=True),
               sc.show_sheet)
        return sc

    def back_up(self) -> None:
        from counsel_ui.shell.backup import back_up

        back_up(self.session, self)

    def search_notes(self) -> None:
        from counsel_ui.clients.note_search import NoteSearchDialog

        dlg = NoteSearchDialog(self.session, self.window())
        dlg.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dlg.open()

    def working_client(self) -> str | None:
        """The client of the window in front: an encounter editor's, else the page's."""
        active = QApplication.activeWindow()
        editor_client = getattr(active, "client_id", None)
        if isinstance(editor_client, str) and editor_client:
            return editor_client
        return self.session.current_client

    def go_to_page(self, key: str) -> None:
        """Show a page and put the cursor into it (not in the sidebar, where typing a
        name would jump to another page by type-ahead)."""
        self.show_page(key)
        widget = self.page(key)
        first = getattr(widget, "focus_first", None)
        if callable(first):
            first()
            return
        target = widget.nextInFocusChain()
        while target is not None and target is not widget:
            if (widget.isAncestorOf(target) and target.isVisible() and target.isEnabled()
                    and target.focusPolicy() & Qt.FocusPolicy.TabFocus):
                target.setFocus(Qt.FocusReason.ShortcutFocusReason)
                return
            target = target.nextInFocusChain()
        widget.setFocus(Qt.FocusReason.ShortcutFocusReason)

    # -- navigation --------------------------------------------------------------------------
    def _open_plans(self, client_id: str) -> None:
        from counsel_ui.plans.page import open_plans_for

        open_plans_for(self, client_id)

    def _share_client(self, client_id: str) -> None:
        self.page("team").share_client(client_id)  # type: ignore[attr-defined]
        self.go_to_page("team")

    def page(self, key: str) -> QWidget:
        widget = self.page_widgets.get(key)
        if widget is None:
            spec = next(p for p in pages.PAGES if p.key == key)
            widget = spec.create(self.session)
            self.page_widgets[key] = widget
            self.stack.addWidget(widget)
        return widget

    def show_page(self, key: str) -> None:
        widget = self.page(key)
        self.stack.setCurrentWidget(widget)
        row = self.keys.index(key)
        if self.sidebar.currentRow() != row:
            self.sidebar.blockSignals(True)
            self.sidebar.setCurrentRow(row)
            self.sidebar.blockSignals(False)
        shown = getattr(widget, "shown_client", None)
        self.session.current_client = shown() if shown is not None else None

    def current_page(self) -> str:
        widget = self.stack.currentWidget()
        return next((k for k, w in self.page_widgets.items() if w is widget), "today")

    def open_client(self, client_id: str) -> None:
        self.show_page("clients")
        self.page("clients").show_client(client_id)  # type: ignore[attr-defined]

    def _find(self) -> None:
        self.show_page("clients")
        clients = self.page("clients")
        clients.show_list()  # type: ignore[attr-defined]

    def _new_encounter(self) -> None:
        client = self.working_client()
        if client:
            self.new_encounter(client)

    def _timer_key(self) -> None:
        t = self.session.timer
        if t.active and t.running:
            self.session.pause_timer()
        elif t.active and t.client_id:
            self.session.start_timer(t.client_id)
        elif self.working_client():
            self.session.start_timer(self.working_client() or "")

    def new_encounter(self, client_id: str) -> None:
        from counsel_ui.clients.encounter_editor import EncounterEditor

        EncounterEditor.open_for(self.session, client_id, None, self.window())

    def quick_log(self, client_id: str) -> None:
        from counsel_ui.timekeeping.quick_log import QuickLogDialog

        QuickLogDialog(self.session, client_id or None, self.window()).open()

    # -- lock / resume -------------------------------------------------------------------------
    def resume_state(self) -> Resume:
        from counsel_ui.common.autosave import FormDraft

        editor = next((e for e in reversed(self.session.editors)
                       if not isinstance(e, FormDraft)), None)
        return Resume(page=self.current_page(), client_id=self.session.current_client,
                      editor_draft=editor.draft_id if editor is not None else None)

    def restore(self, state: Resume) -> None:
        if state.client_id:
            try:
                self.open_client(state.client_id)
            except Exception:  # noqa: BLE001 - the client may be gone; stay on Today
                self.show_page("today")
        elif state.page in self.keys:
            self.show_page(state.page)
        if state.editor_draft and ":plan:" in state.editor_draft:
            from counsel_ui.plans.page import PlanPage

            self.show_page("plans")
            plans = self.page("plans")
            if isinstance(plans, PlanPage):
                plans.resume_draft(state.editor_draft)
        if state.editor_draft and ":encounter:" in state.editor_draft:
            from counsel_ui.clients.encounter_editor import EncounterEditor

            cid, _e, enc_id = state.editor_draft.split(":", 2)
            EncounterEditor.open_for(self.session, cid, enc_id, self.window())

    def restore_forms(self) -> None:
        """Reopen a new-client form and a quick log that a lock closed half-typed."""

        from counsel_ui.common.ops import INTERACTIVE, Op

        vault = self.session.vault
        # read off the UI thread: right after unlock the vault is busy with Today's work
        Op(self, vault.drafts.list, write=False, priority=INTERACTIVE).success(
            self._reopen_forms).run()

    def _reopen_forms(self, drafts: list[Any]) -> None:
        if not drafts:
            return  # the usual unlock: nothing to import on the UI thread (dialog modules)
        from counsel_ui.clients.dialog import ClientDialog
        from counsel_ui.timekeeping.quick_log import QUICK_LOG_DRAFT, QuickLogDialog

        form = next((d for d in drafts if d.draft_id == ClientDialog.NEW_DRAFT), None)
        if form is not None:
            ClientDialog(self.session, None, self.window(), draft=dict(form.data)).open()
        log = next((d for d in drafts if d.draft_id.split(":")[-1] == QUICK_LOG_DRAFT), None)
        if log is not None:
            client = log.draft_id.split(":")[0] if ":" in log.draft_id else None
            QuickLogDialog(self.session, client, self.window(),
                           draft={**log.data, "draft_id": log.draft_id}).open()

    def close_editors(self) -> None:
        for editor in list(self.session.editors):
            editor.close_for_lock()

