"""A client's card says who else reads the client's records (nobody: the card shows the
personal vault) and its "Share with a team…" brings the Team page up with that client
chosen, so the team box's share button warns about exactly that client.  Before this the
Team page always forgot the client (leaving the card cleared the current client)."""

from __future__ import annotations

from PySide6.QtWidgets import QMessageBox

from counsel.teams.membership import MemberView, TeamView


def test_share_with_a_team_from_the_clients_card(qtbot, window) -> None:  # type: ignore[no-untyped-def]
    ws = window.workspace
    ws.open_client("a" * 32)
    view = ws.page("clients").view
    name = window.session.vault.client_names(["a" * 32])["a" * 32]
    assert view.shared_with.isVisible() and "nobody" in view.shared_with.text()
    # the card's sharing buttons are its children, never windows of their own (a button
    # shown before it had a parent became one for a moment and took the main window's
    # activation: its keyboard shortcuts stopped working)
    qtbot.waitUntil(lambda: view.title.text() != "", timeout=10_000)  # events delivered
    assert window.isActiveWindow()

    view.share_button.click()
    page = ws.page("team")
    assert ws.current_page() == "team"
    qtbot.waitUntil(lambda: page.data is not None, timeout=20_000)
    assert window.session.current_client == "a" * 32
    assert page.sharing_note.isVisible() and name in page.sharing_note.text()

    team = TeamView("t" * 32, "North", "maria", 0, "member", [
        MemberView("maria", "member", None, False, ""),
        MemberView("jonas", "member", None, False, "verified")])
    page.share_with(team)
    box = page.dialog
    assert isinstance(box, QMessageBox)
    assert name in box.text() and "jonas" in box.informativeText()
    box.reject()

    # reached from the sidebar, with no card behind it, nothing is chosen to share
    ws.show_page("today")
    page.sharing_client = None
    ws.show_page("team")
    page.share_with(team)
    assert page.dialog is box  # no new warning
    assert "card" in page.message.text()
