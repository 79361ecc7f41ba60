"""The Team page: your teams and their members (roles, verification), invitations waiting
on this computer, the organisation's policy, and this account's devices (rename, revoke).

Everything comes from ``counsel.teams.overview.load`` in a background operation; the
dialogs (safety code, share warning, revoke) live in ``counsel_ui.team.dialogs``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from counsel.i18n import display
from counsel.i18n import gettext as _
from counsel.sync.devices import Device
from counsel.teams import overview
from counsel.teams.grants import SUPERVISOR
from counsel.teams.membership import TeamView
from counsel.teams.overview import Overview
from counsel_ui.common.ops import Op
from counsel_ui.common.tables import fit_columns
from counsel_ui.common.widgets import align_leading, named
from counsel_ui.team import dialogs

if TYPE_CHECKING:
    from counsel.vault.service import Vault
    from counsel_ui.shell.session import Session

Loader = Callable[["Vault"], Overview]


def _when(stamp: float | None) -> str:
    if stamp is None:
        return "—"
    local = dt.datetime.fromtimestamp(stamp).astimezone()
    return f"{display.date(local.date(), 'short')} {display.time(local.time())}"


def _day(stamp: float | None) -> str | None:
    if stamp is None:
        return None
    return display.date(dt.datetime.fromtimestamp(stamp).date(), "short")


def _table(headers: list[str], name: str) -> QTableWidget:
    table = QTableWidget(0, len(headers))
    table.setHorizontalHeaderLabels(headers)
    table.verticalHeader().hide()
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    table.setAlternatingRowColors(True)
    return named(table, name)


def _fill(table: QTableWidget, rows: list[list[str]]) -> None:
    table.setRowCount(len(rows))
    for r, row in enumerate(rows):
        for c, text in enumerate(row):
            table.setItem(r, c, QTableWidgetItem(text))
    table.setFixedHeight(table.horizontalHeader().height() + 4
                         + sum(table.rowHeight(r) for r in range(len(rows))) + 2)
    fit_columns(table, 0)


class TeamBox(QGroupBox):
    """One team: its members, their roles and verification, and what you can do."""

    def __init__(self, page: TeamPage, team: TeamView, me: str | None) -> None:
        super().__init__(_("{team} — you are {role}").format(
            team=overview.iso(team.name), role=overview.role_words(team.role)))
        self.page, self.team, self.me = page, team, me
        lay = QVBoxLayout(self)
        self.members = _table([_("Colleague"), _("Role"), _("Safety code")],
                              _("Members of {team}").format(team=team.name))
        shown = [m for m in team.members if not m.removed]
        rows = []
        for m in shown:
            rows.append([m.account + (" " + _("(you)") if m.account == me else ""),
                         overview.role_until(m.role, m.expires, _day(m.expires)),
                         overview.verification_words(m.verification)])
        _fill(self.members, rows)
        self._accounts = [m.account for m in shown]
        lay.addWidget(self.members)
        row = QHBoxLayout()
        self.verify_button = named(QPushButton(_("Compare &safety code…")),
                                   _("Compare safety code"))
        self.verify_button.clicked.connect(self.compare)
        self.share_button = named(QPushButton(_("Share a client with this team…")),
                                  _("Share a client with this team"))
        self.share_button.clicked.connect(lambda: page.share_with(team))
        self.clients_button = named(QPushButton(_("Clients in this team…")),
                                    _("Clients in this team"))
        self.clients_button.clicked.connect(lambda: page.team_clients(team))
        has_copy = team.role != SUPERVISOR and page.data is not None and all(
            p.team_id != team.team_id for p in page.data.pending)
        self.clients_button.setEnabled(has_copy)
        row.addWidget(self.verify_button)
        row.addStretch(1)
        row.addWidget(self.clients_button)
        row.addWidget(self.share_button)
        lay.addLayout(row)

    def selected(self) -> str | None:
        rows = self.members.selectionModel().selectedRows()
        if not rows:
            return None
        account = self._accounts[rows[0].row()]
        return None if account == self.me else account

    def compare(self) -> None:
        colleague = self.selected()
        if colleague is None:
            self.page.say(_("Choose a colleague in the list first."))
            return
        self.page.compare_code(colleague)


class TeamPage(QWidget):
    def __init__(self, session: Session, parent: QWidget | None = None,
                 loader: Loader | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.loader: Loader = loader or overview.load
        self.data: Overview | None = None
        outer = QVBoxLayout(self)
        top = QHBoxLayout()
        heading = QLabel(_("Team"))
        font = heading.font()
        font.setPointSizeF(font.pointSizeF() * 1.4)
        heading.setFont(font)
        top.addWidget(heading)
        top.addStretch(1)
        self.refresh_button = named(QPushButton(_("&Refresh")), _("Refresh the Team page"))
        self.refresh_button.clicked.connect(self.refresh)
        top.addWidget(self.refresh_button)
        outer.addLayout(top)
        self.message = align_leading(QLabel())
        self.message.setWordWrap(True)
        outer.addWidget(self.message)
        self.sharing_client: str | None = None
        self.sharing_note = align_leading(QLabel())
        self.sharing_note.setWordWrap(True)
        self.sharing_note.setVisible(False)
        outer.addWidget(self.sharing_note)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        self.body = QWidget()
        self.body_layout = QVBoxLayout(self.body)
        scroll.setWidget(self.body)
        outer.addWidget(scroll, 1)
        self.team_boxes: list[TeamBox] = []
        self.devices = _table([_("Computer"), _("Added"), _("Last seen"), _("State")],
                              _("This account's computers"))
        self.device_rows: list[Device] = []
        self.dialog: QWidget | None = None
        self.refresh()

    # -- loading ---------------------------------------------------------------------------
    def refresh(self) -> None:
        vault = self.session.vault
        self.message.setText(_("Loading…"))
        Op(self, lambda: self.loader(vault), write=False).success(self.show_overview).run()

    def say(self, text: str) -> None:
        self.message.setText(text)

    def shown_client(self) -> str | None:
        """The client whose card's "Share with a team…" brought this page up (the
        workspace keeps it as the current client while this page shows)."""
        return self.sharing_client

    def share_client(self, client_id: str) -> None:
        """Come here to share ``client_id``: say so until it is shared or left."""
        name = self.session.vault.client_names([client_id]).get(client_id, "")
        self.sharing_client = client_id
        self.sharing_note.setText(_("Sharing {client}: press “Share a client with this team…” "
                                    "in the team's box. You see who will read what before "
                                    "anything moves.").format(client=overview.iso(name)))
        self.sharing_note.setVisible(True)

    def _done_sharing(self) -> None:
        self.sharing_client = None
        self.sharing_note.setVisible(False)

    def show_overview(self, data: Overview) -> None:
        self.data = data
        self.message.setText("\n".join("⚠ " + p for p in data.problems))
        lay = self.body_layout
        while lay.count():
            item = lay.takeAt(0)
            widget = item.widget() if item is not None else None
            if widget is not None and widget is not self.devices:
                widget.deleteLater()
        self.team_boxes = []
        lay.addWidget(self._section(_("Teams")))
        if not data.teams:
            lay.addWidget(align_leading(QLabel(_("You are in no team yet."))))
        for team in data.teams:
            box = TeamBox(self, team, data.account)
            self.team_boxes.append(box)
            lay.addWidget(box)
        if data.pending:
            lay.addWidget(self._section(_("Invitations waiting on this computer")))
            for team in data.pending:
                lay.addWidget(self._invitation(team))
        lay.addWidget(self._section(_("Organisation")))
        lay.addWidget(self._policy_label(data))
        lay.addWidget(self._section(_("This account's computers")))
        _fill(self.devices, [[d.name or d.device_id[:12], _when(d.added), _when(d.last_seen),
                              overview.device_state(d)] for d in data.devices])
        self.device_rows = list(data.devices)
        lay.addWidget(self.devices)
        row = QWidget()
        buttons = QHBoxLayout(row)
        buttons.setContentsMargins(0, 0, 0, 0)
        rename = named(QPushButton(_("Re&name…")), _("Rename the chosen computer"))
        rename.clicked.connect(self.rename_device)
        revoke = named(QPushButton(_("Re&voke…")), _("Revoke the chosen computer"))
        revoke.clicked.connect(self.revoke_device)
        buttons.addWidget(rename)
        buttons.addWidget(revoke)
        buttons.addStretch(1)
        lay.addWidget(row)
        lay.addStretch(1)

    def _section(self, title: str) -> QLabel:
        label = align_leading(QLabel(title))
        font = label.font()
        font.setBold(True)
        label.setFont(font)
        return label

    def _invitation(self, team: TeamView) -> QWidget:
        row = QWidget()
        lay = QHBoxLayout(row)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.addWidget(align_leading(QLabel(_("{team}: invited by {founder} as {role}").format(
            team=overview.iso(team.name), founder=overview.iso(team.founder),
            role=overview.role_words(team.role)))))
        join = named(QPushButton(_("&Join…")), _("Join {team}").format(team=team.name))
        join.clicked.connect(lambda: self.join(team))
        lay.addStretch(1)
        lay.addWidget(join)
        return row

    def _policy_label(self, data: Overview) -> QWidget:
        policy = data.policy
        if policy is None:
            return align_leading(QLabel(_("This vault follows no organisation policy.")))
        box = QWidget()
        form = QFormLayout(box)
        form.setContentsMargins(0, 0, 0, 0)
        wipe = {"never": _("it keeps its vault"),
                "if_synced": _("it deletes its vault if everything on it was synced"),
                "always": _("it deletes its vault")}[policy.wipe_on_revoke]
        fp = QLabel(policy.fingerprint or _("no organisation recovery"))
        for label, value in ((_("Organisation:"), QLabel(policy.name)),
                             (_("Recovery key fingerprint:"), fp),
                             (_("When a computer is revoked:"), QLabel(wipe))):
            value.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            form.addRow(QLabel(label), align_leading(value))
        return box

    # -- actions -----------------------------------------------------------------------------
    def chosen_device(self) -> Device | None:
        rows = self.devices.selectionModel().selectedRows()
        return self.device_rows[rows[0].row()] if rows else None

    def rename_device(self) -> None:
        device = self.chosen_device()
        if device is None:
            self.say(_("Choose a computer in the list first."))
            return
        name, ok = QInputDialog.getText(self, _("Rename computer"), _("New name:"),
                                        QLineEdit.EchoMode.Normal, device.name)
        if ok and name.strip():
            self._devices_op(lambda d: d.rename(device.device_id, name.strip()))

    def revoke_device(self) -> None:
        device = self.chosen_device()
        if device is None or device.revoked is not None:
            self.say(_("Choose an active computer in the list first."))
            return
        if device.this:
            self.say(_("This is the computer you are using; sign out on the Sync page "
                       "instead."))
            return
        box = dialogs.revoke_box(self, device, self.data.policy if self.data else None)
        box.accepted.connect(lambda: self._devices_op(lambda d: d.revoke(device.device_id)))
        self.dialog = box
        box.open()

    def _devices_op(self, action: Callable[..., object]) -> None:
        from counsel.sync.devices import Devices

        vault = self.session.vault

        def run() -> None:
            with Devices(vault) as d:
                action(d)

        Op(self, run, write=False).success(lambda _r: self.refresh()).run()

    def compare_code(self, colleague: str) -> None:
        from counsel.teams import membership

        vault = self.session.vault

        def code() -> tuple[str, str]:
            s = membership.session(vault)
            try:
                return membership.safety(s, colleague)
            finally:
                s.close()

        def confirmed(shown: str) -> None:
            def run() -> bool:
                s = membership.session(vault)
                try:
                    return membership.confirm(s, colleague, shown)
                finally:
                    s.close()
            Op(self, run).success(lambda _ok: self.refresh()).run()

        def show(result: tuple[str, str]) -> None:
            box = dialogs.SafetyCodeDialog(self, colleague, result[0], result[1])
            box.matched.connect(confirmed)
            self.dialog = box
            box.open()

        Op(self, code, write=False).success(show).run()

    def join(self, team: TeamView) -> None:
        from counsel.teams import membership

        passphrase, ok = QInputDialog.getText(
            self, _("Join {team}").format(team=team.name),
            _("Your vault passphrase (the team's copy on this computer uses it too):"),
            QLineEdit.EchoMode.Password)
        if not ok or not passphrase:
            return
        vault, vaults = self.session.vault, self.session.vaults

        def run() -> bool:
            from counsel.errors import OfflineError
            from counsel.sync.client import SyncClient

            s = membership.session(vault)
            try:
                copy = membership.join_team(s, team.team_id, passphrase)
            finally:
                s.close()
            if copy is None:
                return False  # a supervisor: figures only, no copy
            try:
                client = SyncClient.from_vault(copy)
                try:
                    client.sync()  # the team's clients, before they are listed
                finally:
                    client.close()
            except OfflineError:
                pass  # they arrive with the next sync
            vaults.add(copy)  # its clients join the client list from now on
            return True

        def joined(copy: bool) -> None:
            if copy:
                from counsel.domain import RECORD_TYPES

                self.session.changed.emit(frozenset(RECORD_TYPES))
            self.refresh()

        Op(self, run).success(joined).run()

    def share_with(self, team: TeamView) -> None:
        """Warn what the team will be able to read before a client is shared or moved."""
        client = self.session.current_client
        names = self.session.vault.client_names([client]) if client else {}
        if not client or client not in names:
            self.say(_("Open the client's card and press “Share with a team…” there."))
            return
        box = dialogs.share_box(self, team, names[client], self.data.account if self.data
                                else None, _day)
        box.accepted.connect(lambda: self.move(team, client))
        self.dialog = box
        box.open()

    def team_clients(self, team: TeamView) -> None:
        """List the clients in this computer's copy of ``team`` and who reads them."""
        from counsel.teams import membership

        open_copy = self.session.vaults.copies.get(team.team_id)
        if open_copy is not None:  # open since unlocking: no passphrase to ask
            copy_vault = open_copy.vault
            Op(self, lambda: [c.name for c in copy_vault.clients()], write=False).success(
                lambda names: self._show_team_clients(team, names)).run()
            return
        passphrase, ok = QInputDialog.getText(
            self, _("Clients in {team}").format(team=team.name),
            _("Your vault passphrase (it opens the team's copy on this computer):"),
            QLineEdit.EchoMode.Password)
        if not ok or not passphrase:
            return
        personal = self.session.vault

        def run() -> list[str]:
            copy = membership.open_team(personal, team.team_id, passphrase)
            try:
                return [c.name for c in copy.clients()]
            finally:
                copy.lock()

        Op(self, run, write=False).success(lambda names: self._show_team_clients(
            team, names)).run()

    def _show_team_clients(self, team: TeamView, names: list[str]) -> None:
        box = dialogs.team_clients_box(self, team, self.data.account if self.data
                                       else None, names)
        self.dialog = box
        box.open()

    def move(self, team: TeamView, client_id: str) -> None:
        """Move the client into the team's vault (``counsel.teams.move``): copied and
        pushed there first, then erased here."""
        from counsel.domain import Client
        from counsel.teams import membership

        vaults = self.session.vaults
        passphrase = ""
        if team.team_id not in vaults.copies:
            passphrase, ok = QInputDialog.getText(
                self, _("Share with {team}").format(team=team.name),
                _("Your vault passphrase (it opens the team's copy on this computer):"),
                QLineEdit.EchoMode.Password)
            if not ok or not passphrase:
                return
        personal = self.session.vault

        def run() -> int:
            from counsel.teams.move import move_and_sync

            held = vaults.copies.get(team.team_id)
            if held is not None:
                dest = held.vault
            else:
                dest = membership.open_team(personal, team.team_id, passphrase)
                vaults.add(dest)  # the moved client is listed and edited from here on
            # offline after the copy reached the server: the erasure here waits for the
            # next sync
            return move_and_sync(personal, dest, client_id)[0]

        def done(moved: int) -> None:
            self.session.current_client = None
            self._done_sharing()
            self.session.changed.emit(frozenset({Client.KIND}))
            self.say(_("Moved {n} records to {team}.").format(n=moved, team=team.name))

        Op(self, run).success(done).run()
