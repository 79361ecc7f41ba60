"""The Team page's dialogs: compare a safety code, revoke a computer, share a client."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFontDatabase
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from counsel.i18n import gettext as _
from counsel.org.policy import OrgPolicy
from counsel.sync.devices import Device
from counsel.teams import overview
from counsel.teams.membership import TeamView
from counsel_ui.common.widgets import align_leading, named


class SafetyCodeDialog(QDialog):
    """Shows the code both sides compute; "They match" marks the colleague verified."""

    matched = Signal(str)

    def __init__(self, parent: QWidget | None, colleague: str, code: str, state: str) -> None:
        super().__init__(parent)
        self.setWindowTitle(_("Safety code with {colleague}").format(colleague=colleague))
        self.setMinimumWidth(520)
        self.code = code
        lay = QVBoxLayout(self)
        intro = align_leading(QLabel(_(
            "Compare this code with {colleague} in person or by phone: they open the Team "
            "page and choose you. If every digit is the same, nobody — not even the sync "
            "server — has put other keys in between.").format(
                colleague=overview.iso(colleague))))
        intro.setWordWrap(True)
        lay.addWidget(intro)
        shown = QLabel(code)
        font = QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont)
        font.setPointSizeF(font.pointSizeF() * 1.8)
        shown.setFont(font)
        shown.setAlignment(Qt.AlignmentFlag.AlignCenter)
        # digits in groups read left to right in every language
        shown.setLayoutDirection(Qt.LayoutDirection.LeftToRight)
        shown.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        named(shown, _("Safety code"))
        lay.addWidget(shown)
        lay.addWidget(align_leading(QLabel(_("Now: {state}").format(
            state=overview.verification_words(state)))))
        buttons = QDialogButtonBox()
        same = named(QPushButton(_("The codes &match")), _("The codes match"))
        differ = named(QPushButton(_("They &differ")), _("The codes differ"))
        buttons.addButton(same, QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.addButton(differ, QDialogButtonBox.ButtonRole.RejectRole)
        buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        same.clicked.connect(self._same)
        differ.clicked.connect(self._differ)
        buttons.rejected.connect(self.reject)
        lay.addWidget(buttons)
        self.warning: QMessageBox | None = None

    def _same(self) -> None:
        self.matched.emit(self.code)
        self.accept()

    def _differ(self) -> None:
        box = QMessageBox(QMessageBox.Icon.Warning, _("The codes differ"), _(
            "Do not share clients with this colleague yet. Someone may have put other keys "
            "in between; tell your IT support."), QMessageBox.StandardButton.Ok, self)
        self.warning = box
        box.open()
        self.reject()


def revoke_box(parent: QWidget, device: Device, policy: OrgPolicy | None) -> QMessageBox:
    box = QMessageBox(parent)
    box.setIcon(QMessageBox.Icon.Warning)
    box.setWindowTitle(_("Revoke computer"))
    box.setText(_("Revoke “{name}”? The sync server refuses it from its next contact.").format(
        name=overview.iso(device.name or device.device_id[:12])))
    choice = policy.wipe_on_revoke if policy is not None else "never"
    box.setInformativeText({
        "never": _("Its vault stays on it, as your organisation's policy says. Use this for "
                   "a lost or stolen computer, or one you no longer use."),
        "if_synced": _("Your organisation's policy: it deletes its vault when it next "
                       "connects, unless it holds changes that never reached the server."),
        "always": _("Your organisation's policy: it deletes its vault when it next connects, "
                    "even changes that never reached the server."),
    }[choice])
    box.addButton(_("Revoke"), QMessageBox.ButtonRole.AcceptRole)
    box.addButton(QMessageBox.StandardButton.Cancel)
    return box


def share_box(parent: QWidget, team: TeamView, client: str, me: str | None,
              day: Callable[[float | None], str | None] | None = None) -> QMessageBox:
    box = QMessageBox(parent)
    box.setIcon(QMessageBox.Icon.Warning)
    box.setWindowTitle(_("Share {client} with {team}?").format(
        client=overview.iso(client), team=overview.iso(team.name)))
    first, _sep, rest = overview.share_warning(team, client, me, day).partition("\n")
    box.setText(first)
    box.setInformativeText(rest)
    box.addButton(_("Share the client"), QMessageBox.ButtonRole.AcceptRole)
    box.addButton(QMessageBox.StandardButton.Cancel)
    return box


def move_home_box(parent: QWidget, client: str, text: str) -> QMessageBox:
    """Before a team client is moved back to the personal vault: who stops reading it
    (``overview.move_home_warning``)."""
    box = QMessageBox(parent)
    box.setIcon(QMessageBox.Icon.Warning)
    box.setWindowTitle(_("Move {client} to your personal vault?").format(
        client=overview.iso(client)))
    first, _sep, rest = text.partition("\n")
    box.setText(first)
    box.setInformativeText(rest)
    box.addButton(_("Move to my vault"), QMessageBox.ButtonRole.AcceptRole)
    box.addButton(QMessageBox.StandardButton.Cancel)
    return box


def team_clients_box(parent: QWidget, team: TeamView, me: str | None,
                     names: list[str]) -> QMessageBox:
    """The clients kept in ``team``'s copy on this computer, and who reads them."""
    box = QMessageBox(parent)
    box.setIcon(QMessageBox.Icon.Information)
    box.setWindowTitle(_("Clients in {team}").format(team=overview.iso(team.name)))
    box.setText(overview.shared_with_words(team, me))
    # one name a line, every line on the interface's side (Qt would align each line by
    # its own script: an Arabic name right, a Latin one left)
    mark = "\u200f" if box.isRightToLeft() else "\u200e"
    box.setInformativeText("\n".join(mark + overview.iso(n) for n in names)
                           or _("No clients in this team yet."))
    box.addButton(QMessageBox.StandardButton.Close)
    return box
