"""A team client's card: "Move to my vault…" moves the client back from the team's copy
to the personal vault with the same core as ``counsel client move … --to personal``
(``counsel.teams.move.move_and_sync``: the copy reaches the server before the team's
copy erases the client), after a warning naming who will no longer read the records."""

from __future__ import annotations

from typing import TYPE_CHECKING

from counsel.domain import Client
from counsel.i18n import gettext as _
from counsel.teams import overview
from counsel.teams.membership import TeamView
from counsel.teams.vaultset import TeamCopy
from counsel_ui.common.ops import Op
from counsel_ui.team import dialogs

if TYPE_CHECKING:
    from counsel_ui.clients.view import ClientView


def start(view: ClientView) -> None:
    """Fetch the team's roster (off the UI thread), then warn."""
    team = view.session.vaults.shared_with(view.client_id)
    if team is None:
        return
    personal = view.session.vault

    def roster() -> tuple[str | None, TeamView | None]:
        data = overview.load(personal)  # offline: no roster, the warning names the team
        return data.account, next((t for t in data.teams if t.team_id == team.team_id), None)

    Op(view, roster, write=False).success(lambda r: _warn(view, team, *r)).run()


def _warn(view: ClientView, team: TeamCopy, me: str | None, roster: TeamView | None) -> None:
    from counsel_ui.team.page import _day

    name = view.client.display_name if view.client is not None else ""
    box = dialogs.move_home_box(view, name, overview.move_home_warning(
        team.name, roster, name, me, _day))
    box.accepted.connect(lambda: _move(view, team))
    view.dialog = box
    box.open()


def _move(view: ClientView, team: TeamCopy) -> None:
    from counsel.teams.move import move_and_sync

    session, client_id = view.session, view.client_id
    personal, source = session.vault, team.vault

    def run() -> int:
        # offline after the copy reached the server: the team copy's erasure waits for
        # the next team sync
        return move_and_sync(source, personal, client_id)[0]

    def done(moved: int) -> None:
        session.vaults.moved_home(client_id)
        view.show_sharing(None)
        view.shared_with.setText(_("Moved {n} records to your personal vault.").format(
            n=moved) + " " + view.shared_with.text())
        session.changed.emit(frozenset({Client.KIND}))

    Op(view, run).success(done).run()
