"""Issue 15 against a real server: create, invite (verified or not), join, share records;
supervisors get no copy and no case notes; an expired substitute's copy is dropped offline;
a removed member is refused by the server."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from synchelp import LiveServer
from synchelp import sync_once as _sync

from counsel.domain import Contact
from counsel.sync.transport import SyncError
from counsel.teams import grants, membership
from counsel.teams.membership import NotVerified, Session
from counsel.teams.safety import safety_code
from counsel.vault.kdf import KdfParams

PASS = "correct horse battery"
FAST = KdfParams.fast_for_tests()


def _verify(a: Session, b: Session) -> None:
    code, _state = membership.safety(a, b.account)
    assert membership.confirm(a, b.account, code)


def test_members_share_a_team_vault(people: dict[str, Session]) -> None:
    maria, jonas = people["maria"], people["jonas"]
    team = membership.create_team(maria, "Team North", PASS, kdf=FAST)
    with pytest.raises(NotVerified):
        membership.invite(maria, team, "jonas")
    _verify(maria, jonas)
    membership.invite(maria, team, "jonas")
    team.save(Contact(id="c" * 32, name="Written by Maria"))
    _sync(team)
    copy = membership.join_team(jonas, team.vault_id, PASS, kdf=FAST)
    assert copy is not None
    _sync(copy)
    assert copy.get("c" * 32).name == "Written by Maria"  # type: ignore[attr-defined]
    copy.save(Contact(id="d" * 32, name="Written by Jonas"))
    _sync(copy)
    _sync(team)
    assert team.get("d" * 32).name == "Written by Jonas"  # type: ignore[attr-defined]
    views = membership.list_teams(maria)
    assert [(m.account, m.role, m.verification) for m in views[0].members] == [
        ("jonas", "member", "verified"), ("maria", "member", "")]
    copy.lock()
    team.lock()


def test_a_supervisor_gets_no_copy_and_the_server_sends_no_revision(
        people: dict[str, Session]) -> None:
    maria, pekka = people["maria"], people["pekka"]
    team = membership.create_team(maria, "Team North", PASS, kdf=FAST)
    membership.invite(maria, team, "pekka", grants.SUPERVISOR, unverified_ok=True)
    team.save(Contact(id="c" * 32, name="Case notes"))
    _sync(team)
    assert membership.join_team(pekka, team.vault_id, PASS, kdf=FAST) is None
    assert not membership.team_path(pekka.personal, team.vault_id).exists()
    with pytest.raises(SyncError) as refused:
        pekka.remote.t.request("GET", f"/v1/vaults/{team.vault_id}/pull")
    assert refused.value.status == 404
    # the aggregates relay is open to the supervisor
    maria.remote.put_aggregate(team.vault_id, b"sealed figures")
    assert [a[2] for a in pekka.remote.aggregates(team.vault_id)] == [b"sealed figures"]
    team.lock()


def test_an_expired_substitute_copy_is_dropped_offline(people: dict[str, Session]) -> None:
    maria, sanna = people["maria"], people["sanna"]
    team = membership.create_team(maria, "Team North", PASS, kdf=FAST)
    end = dt.datetime.now(dt.UTC) + dt.timedelta(days=14)
    membership.invite(maria, team, "sanna", grants.SUBSTITUTE, until=end.isoformat(),
                      unverified_ok=True)
    copy = membership.join_team(sanna, team.vault_id, PASS, kdf=FAST)
    assert copy is not None
    path = Path(copy.path)
    copy.lock()
    # the server is gone (no network needed): the device's clock and the signed end decide
    still = membership.open_team(sanna.personal, team.vault_id, PASS,
                                 now=end - dt.timedelta(minutes=1))
    still.lock()
    with pytest.raises(grants.GrantExpired):
        membership.open_team(sanna.personal, team.vault_id, PASS, now=end)
    assert not path.exists()
    team.lock()


def test_a_removed_member_is_refused_by_the_server(people: dict[str, Session]) -> None:
    maria, jonas = people["maria"], people["jonas"]
    team = membership.create_team(maria, "Team North", PASS, kdf=FAST)
    membership.invite(maria, team, "jonas", unverified_ok=True)
    copy = membership.join_team(jonas, team.vault_id, PASS, kdf=FAST)
    assert copy is not None
    maria.remote.remove(team.vault_id, "jonas")
    with pytest.raises(SyncError) as refused:
        _sync(copy)
    assert refused.value.status == 404
    copy.lock()
    team.lock()


def test_a_server_substituting_a_key_is_caught_by_the_safety_code(
        people: dict[str, Session], monkeypatch: pytest.MonkeyPatch) -> None:
    maria, jonas, sanna = people["maria"], people["jonas"], people["sanna"]
    genuine_jonas = jonas.remote.identity("jonas")
    jonas_code, _ = membership.safety(jonas, "maria")
    # the server hands maria sanna's keys labelled as jonas's
    fake = sanna.remote.identity("sanna")
    swapped = type(fake)("jonas", fake.enc_public, fake.sign_public)
    monkeypatch.setattr(maria.remote, "identity", lambda account: swapped)
    maria_code, state = membership.safety(maria, "jonas")
    assert maria_code != jonas_code and state == "unverified"
    assert not membership.confirm(maria, "jonas", jonas_code)  # jonas reads his code aloud
    me = membership.ensure_identity(maria).public()
    assert safety_code(me, genuine_jonas) == jonas_code


def test_a_member_who_missed_a_removal_rotates_from_the_newest_version(
        people: dict[str, Session]) -> None:
    maria, jonas = people["maria"], people["jonas"]
    team = membership.create_team(maria, "Team North", PASS, kdf=FAST)
    for who in ("jonas", "sanna", "pekka"):
        membership.invite(maria, team, who, unverified_ok=True)
    copy = membership.join_team(jonas, team.vault_id, PASS, kdf=FAST)
    assert copy is not None
    assert membership.remove(maria, team, "pekka") == 1
    # Jonas's copy has not heard of version 1; his removal makes version 2, not another 1
    assert membership.team_generation(copy) == 0
    assert membership.remove(jonas, copy, "sanna") == 2
    assert membership.refresh(maria, team) == 2
    assert membership.team_keys(team) == membership.team_keys(copy)
    copy.save(Contact(id="e" * 32, name="After both removals"))
    _sync(copy)
    _sync(team)
    assert team.get("e" * 32).name == "After both removals"  # type: ignore[attr-defined]
    assert team.trust.alarms() == [] and copy.trust.alarms() == []
    copy.lock()
    team.lock()


def test_an_expired_substitute_is_rotated_out_by_the_next_member_sync(
        people: dict[str, Session], live_server: LiveServer) -> None:
    from counsel.errors import KnownError

    maria, jonas, sanna = people["maria"], people["jonas"], people["sanna"]
    team = membership.create_team(maria, "Team North", PASS, kdf=FAST)
    end = dt.datetime.now(dt.UTC) + dt.timedelta(days=14)
    membership.invite(maria, team, "jonas", unverified_ok=True)
    membership.invite(maria, team, "sanna", grants.SUBSTITUTE, until=end.isoformat(),
                      unverified_ok=True)
    sub = membership.join_team(sanna, team.vault_id, PASS, kdf=FAST)
    copy = membership.join_team(jonas, team.vault_id, PASS, kdf=FAST)
    assert sub is not None and copy is not None
    # before the end (by the clock passed in): nothing to do, and again nothing
    assert membership.rotate_out_expired(maria, team, now=end - dt.timedelta(minutes=1)) is None
    # at the end: the key is rotated, the substitute gets no grant of the new version
    assert membership.rotate_out_expired(maria, team, now=end) == 1
    assert membership.rotate_out_expired(maria, team, now=end) is None  # done once
    newest = {g.member: g.version for g in maria.remote.grants(team.vault_id)
              if g.version == 1}
    assert set(newest) == {"maria", "jonas"}
    assert membership.refresh(jonas, copy) == 1
    after = Contact(id="f" * 32, name="Written after the substitute's end")
    team.save(after)
    _sync(team)
    # the substitute's device, handed every envelope, opens nothing written after
    page = live_server.storage.pull(team.vault_id, 0, 1000)
    rev = next(r for r in page.revisions if r.record_id == after.id)
    with pytest.raises(KnownError):
        sub.sync_port.open(rev)  # type: ignore[arg-type]
    _sync(copy)
    assert copy.get(after.id).name == after.name  # type: ignore[attr-defined]
    for v in (team, copy, sub):
        v.lock()


def test_two_removals_at_the_same_moment_make_one_key_per_version(
        people: dict[str, Session], monkeypatch: pytest.MonkeyPatch) -> None:
    maria, jonas = people["maria"], people["jonas"]
    team = membership.create_team(maria, "Team North", PASS, kdf=FAST)
    for who in ("jonas", "sanna", "pekka"):
        membership.invite(maria, team, who, unverified_ok=True)
    copy = membership.join_team(jonas, team.vault_id, PASS, kdf=FAST)
    assert copy is not None
    real = jonas.remote.post_grants
    calls = []

    def meanwhile(team_id, grants_, rotate_from=None):  # type: ignore[no-untyped-def]
        if not calls:  # Maria removes Pekka while Jonas's rotation is on its way
            assert membership.remove(maria, team, "pekka") == 1
        calls.append(rotate_from)
        return real(team_id, grants_, rotate_from)

    monkeypatch.setattr(jonas.remote, "post_grants", meanwhile)
    assert membership.remove(jonas, copy, "sanna") == 2
    assert calls == [0, 1]  # refused once (version 1 was Maria's), then rotated from 1
    assert membership.refresh(maria, team) == 2
    assert membership.team_keys(team) == membership.team_keys(copy)
    newest = {g.member for g in maria.remote.grants(team.vault_id) if g.version == 2}
    assert newest == {"maria", "jonas"}
    roster = {m.account: m.removed for m in membership.list_teams(maria)[0].members}
    assert roster["pekka"] and roster["sanna"]  # nobody brought back by a late grant
    copy.lock()
    team.lock()
