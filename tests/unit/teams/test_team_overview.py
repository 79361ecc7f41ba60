"""The Team page's words and gathering: who can read a shared client, what a vault with
no server shows."""

from __future__ import annotations

from pathlib import Path

from counsel.teams import overview
from counsel.teams.membership import MemberView, TeamView
from counsel.vault.kdf import KdfParams
from counsel.vault.service import Vault


def _team(*members: MemberView) -> TeamView:
    return TeamView("t" * 32, "Espoo", "maria", 1, "member", list(members))


def test_readers_leave_out_supervisors_removed_members_and_yourself() -> None:
    team = _team(MemberView("maria", "member", None, False, ""),
                 MemberView("ahmed", "member", None, False, "verified"),
                 MemberView("liisa", "substitute", 2e9, False, "unverified"),
                 MemberView("jukka", "supervisor", None, False, "verified"),
                 MemberView("gone", "member", None, True, "verified"))
    full, figures = overview.readers(team, "maria")
    assert [m.account for m in full] == ["ahmed", "liisa"]
    assert [m.account for m in figures] == ["jukka"]
    text = overview.share_warning(team, "Ahmad", "maria").replace(
        "\u2068", "").replace("\u2069", "")
    assert "gone" not in text and "Not verified with a safety code: liisa." in text


def test_a_vault_without_a_server_says_so(tmp_path: Path) -> None:
    vault, _code = Vault.create(tmp_path / "v.vault", "correct horse battery",
                                kdf=KdfParams.fast_for_tests())
    try:
        data = overview.load(vault)
    finally:
        vault.lock()
    assert data.account is None and data.teams == [] and data.devices == []
    assert data.problems and "Sync page" in data.problems[0]


def test_moving_a_client_home_names_who_stops_reading_it() -> None:
    team = _team(MemberView("maria", "member", None, False, ""),
                 MemberView("ahmed", "member", None, False, "verified"),
                 MemberView("jukka", "supervisor", None, False, "verified"),
                 MemberView("gone", "member", None, True, "verified"))
    text = overview.move_home_warning("Espoo", team, "Ahmad", "maria").replace(
        "\u2068", "").replace("\u2069", "")
    lines = text.split("\n")
    assert lines[0].startswith("Ahmad will be kept in your personal vault only")
    assert lines[1] == "• ahmed (member)"
    assert "maria" not in text and "gone" not in text
    assert "Supervisors no longer count them in the team's figures: jukka" in text
    assert "cannot be taken back" in lines[-1]
    # no roster (offline): the team is named instead of its members
    offline = overview.move_home_warning("Espoo", None, "Ahmad", "maria")
    assert "• everyone else in \u2068Espoo\u2069" in offline
