"""Clients: instant search as you type, filters, and the client page."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QEvent, QModelIndex, QObject, Qt, QTimer
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QStackedWidget,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from counsel import paths
from counsel.app.birthdates import birth_dates
from counsel.app.prefs import load_sort, save_sort
from counsel.domain import ClientType
from counsel.i18n import gettext as _
from counsel.i18n import ngettext
from counsel_ui.common.models import ID_ROLE, ClientTableModel
from counsel_ui.common.ops import INTERACTIVE, Op
from counsel_ui.common.tables import fit_columns
from counsel_ui.common.widgets import named

if TYPE_CHECKING:
    from counsel_ui.clients.view import ClientView
    from counsel_ui.shell.session import Session

SEARCH_DELAY_MS = 60


LANGUAGES_COLUMN = 2  # in ClientTableModel.columns: the longest texts
SHARED_COLUMN = next(i for i, (title, _get) in enumerate(ClientTableModel.columns)
                     if title == "Shared with")
SORT_PREF = "clients"  # the client list's sort in ui.json (counsel.app.prefs)


class ClientList(QWidget):
    def _clients_changed(self, kinds: frozenset[str]) -> None:
        if "client" in kinds:
            self._births_stale = True

    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self._seq = 0
        lay = QVBoxLayout(self)
        top = QHBoxLayout()
        self.search = QLineEdit()
        self.search.setPlaceholderText(_("Search by name, id or language…"))
        self.search.setClearButtonEnabled(True)
        named(self.search, _("Search clients"))
        top.addWidget(self.search, 1)
        self.new_button = QPushButton(_("&New client"))
        named(self.new_button, _("New client"))
        self.new_button.clicked.connect(self.new_client)
        top.addWidget(self.new_button)
        lay.addLayout(top)

        filters = QHBoxLayout()
        self.active = QCheckBox(_("&Active only"))
        self.active.setChecked(True)
        self.kind = QComboBox()
        self.kind.addItem(_("All clients"), "")
        for ct in ClientType:
            self.kind.addItem(ct.label(), ct.value)
        named(self.kind, _("Client type"))
        self.interpreter = QCheckBox(_("Needs &interpreter"))
        self.due = QCheckBox(_("&Reminders due"))
        # whose clients: mine, a team's, or all (team clients live in the team's copy)
        self.scope = QComboBox()
        named(self.scope, _("Whose clients"))
        for label, key in session.vaults.scopes():
            self.scope.addItem(label, key)
        for w in (self.active, self.kind, self.interpreter, self.due, self.scope):
            filters.addWidget(w)
        filters.addStretch(1)
        self.count = QLabel()
        filters.addWidget(self.count)
        lay.addLayout(filters)
        # a team copy that did not open (access ended, removed): said, not silently hidden
        self.problems = QLabel("\n".join(session.vaults.problems))
        self.problems.setObjectName("team-problems")
        self.problems.setWordWrap(True)
        lay.addWidget(self.problems)
        # (parented by now: a widget shown before it has a parent becomes a window)
        self.scope.setVisible(bool(session.vaults.copies))
        self.problems.setVisible(bool(session.vaults.problems))

        self.model = ClientTableModel(parent=self)
        self.model.birth = {}
        self.model.shared = {}
        self._births_stale = True  # birth dates read again after a client changes
        session.changed.connect(self._clients_changed)
        self.table = QTableView()
        self.table.setModel(self.model)
        named(self.table, _("Clients"))
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        self.table.setWordWrap(False)
        self._sized = False
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.table.horizontalHeader().setStretchLastSection(True)
        # column widths from the first rows, not all of a caseload's (UI-thread time)
        self.table.horizontalHeader().setResizeContentsPrecision(200)
        self.table.setTabKeyNavigation(False)
        self.table.activated.connect(self._activated)
        self._restore_sort()
        lay.addWidget(self.table, 1)

        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(SEARCH_DELAY_MS)
        self._timer.timeout.connect(self.refresh)
        self.search.textChanged.connect(lambda _t: self._timer.start())
        self.search.returnPressed.connect(self._open_first)
        for box in (self.active, self.interpreter, self.due):
            box.toggled.connect(lambda _b: self.refresh())
        self.kind.currentIndexChanged.connect(lambda _i: self.refresh())
        self.scope.currentIndexChanged.connect(lambda _i: self.refresh())
        session.changed.connect(self._on_changed)
        self.search.installEventFilter(self)
        self.setTabOrder(self.search, self.new_button)
        self.setTabOrder(self.new_button, self.active)
        self.refresh()

    def _restore_sort(self) -> None:
        """Click a column's header to sort by it (again: the other way; a third time:
        as listed, a search's best match first); remembered on this computer (ui.json)."""
        titles = [title for title, _get in self.model.columns]
        saved = load_sort(paths.config_dir(), SORT_PREF)
        header = self.table.horizontalHeader()
        header.setSortIndicatorClearable(True)
        if saved is not None and saved[0] in titles:
            header.setSortIndicator(titles.index(saved[0]), Qt.SortOrder.DescendingOrder
                                    if saved[1] else Qt.SortOrder.AscendingOrder)
        else:
            header.setSortIndicator(-1, Qt.SortOrder.AscendingOrder)
        self.table.setSortingEnabled(True)
        # the arrow only on a sorted list: shown, Qt widens every header by its room,
        # which the languages column needs
        header.setSortIndicatorShown(header.sortIndicatorSection() >= 0)
        header.sortIndicatorChanged.connect(self._save_sort)

    def _save_sort(self, column: int, order: Qt.SortOrder) -> None:
        header = self.table.horizontalHeader()
        header.setSortIndicatorShown(0 <= column < len(self.model.columns))
        if not 0 <= column < len(self.model.columns):
            self.model.sort(-1)  # cleared: as listed
        elif header.sectionSize(column) < header.sectionSizeHint(column):
            header.resizeSection(column, header.sectionSizeHint(column))  # room for the arrow
        title = self.model.columns[column][0] if 0 <= column < len(self.model.columns) \
            else None
        try:
            save_sort(paths.config_dir(), SORT_PREF, title,
                      order == Qt.SortOrder.DescendingOrder)
        except OSError:  # a read-only config folder: sorted now, not remembered
            pass

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:  # noqa: N802
        # Down arrow from the search box moves into the results, keyboard-only
        if obj is self.search and event.type() == QEvent.Type.KeyPress and \
                event.key() in (Qt.Key.Key_Down, Qt.Key.Key_PageDown):  # type: ignore[attr-defined]
            self.table.setFocus()
            if not self.table.currentIndex().isValid() and self.model.rowCount():
                self.table.selectRow(0)
            return True
        return super().eventFilter(obj, event)

    def _on_changed(self, kinds: frozenset[str]) -> None:
        if {"client", "reminder", "plan", "encounter"} & kinds:
            self.refresh()

    def refresh(self) -> None:
        if self.session.vault.locked:
            return
        """Search on the reader pool; only the newest query's result is shown."""
        self._seq += 1
        seq = self._seq
        vault, vaults = self.session.vault, self.session.vaults
        scope = self.scope.currentData() or ""
        query = self.search.text()
        active = True if self.active.isChecked() else None
        kind = self.kind.currentData() or None
        interp = True if self.interpreter.isChecked() else None
        due_only = self.due.isChecked()
        session = self.session

        def work() -> Any:
            only = None
            if due_only:
                only = session.due_summary().due_clients
            births = birth_dates(vault) if stale else None
            if stale:
                for found in vaults.read_copies(birth_dates):
                    births.update(found)  # type: ignore[union-attr]
            return vaults.clients(query, scope, active=active, client_type=kind,
                                  interpreter_needed=interp, only_ids=only), births

        stale = self._births_stale

        def show(result: Any) -> None:
            listed, births = result
            rows = [r.client for r in listed]
            self.model.shared = {r.client.id: r.team_name for r in listed if r.team_id}
            self._show_problems()
            if births is not None:
                self.model.birth = births
                self._births_stale = False
            if seq != self._seq:
                return  # a newer query is on its way
            self.model.set_rows(rows)
            self.count.setText(ngettext("{n} client", "{n} clients", len(rows)).format(
                n=len(rows)))
            # the "Shared with" column only for someone in a team: without one it is
            # empty and takes the room the languages need
            teams = bool(vaults.copies) or bool(self.model.shared)
            if self.table.isColumnHidden(SHARED_COLUMN) == teams:
                self.table.setColumnHidden(SHARED_COLUMN, not teams)
                self._sized = False
            if rows and not self._sized:
                fit_columns(self.table, stretch=LANGUAGES_COLUMN)
                self._sized = True
            if rows and not self.table.currentIndex().isValid():
                self.table.selectRow(0)

        Op(self, work, write=False, priority=INTERACTIVE).success(show).run()

    def _show_problems(self) -> None:
        vaults = self.session.vaults
        self.problems.setText("\n".join(vaults.problems))
        self.problems.setVisible(bool(vaults.problems))
        scopes = vaults.scopes()
        if [self.scope.itemData(i) for i in range(self.scope.count())] != [k for _l, k in scopes]:
            # a team copy closed (access ended, removed) or opened: the choices follow
            keep = self.scope.currentData()
            self.scope.blockSignals(True)
            self.scope.clear()
            for label, key in scopes:
                self.scope.addItem(label, key)
            self.scope.setCurrentIndex(max(0, self.scope.findData(keep)))
            self.scope.blockSignals(False)
            self.scope.setVisible(bool(vaults.copies))

    def _open_first(self) -> None:
        if self.model.rowCount():
            row = max(0, self.table.currentIndex().row())
            self.session.open_client.emit(self.model.data(self.model.index(row, 0), ID_ROLE))

    def _activated(self, index: QModelIndex) -> None:
        self.session.open_client.emit(self.model.data(index, ID_ROLE))

    def new_client(self) -> None:
        from counsel_ui.clients.dialog import ClientDialog

        dlg = ClientDialog(self.session, None, self)
        dlg.saved.connect(self.session.open_client.emit)
        dlg.open()


class ClientsPage(QWidget):
    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        self.stack = QStackedWidget()
        lay.addWidget(self.stack)
        self.list = ClientList(session)
        self.stack.addWidget(self.list)
        self.view: ClientView | None = None

    def show_client(self, client_id: str) -> None:
        from counsel_ui.clients.view import ClientView

        if self.view is not None:
            self.stack.removeWidget(self.view)
            self.view.deleteLater()
        self.view = ClientView(self.session, client_id)
        self.view.back.connect(self.show_list)
        self.stack.addWidget(self.view)
        self.stack.setCurrentWidget(self.view)
        self.session.current_client = client_id
        self.view.setFocus()

    def shown_client(self) -> str | None:
        view = self.view
        if view is not None and self.stack.currentWidget() is view:
            return str(view.client_id)
        return None

    def show_list(self) -> None:
        self.stack.setCurrentWidget(self.list)
        self.session.current_client = None
        self.list.search.setFocus()
        self.list.search.selectAll()
