"""Issue 15, attacker tests: tampered or swapped grants are refused; supervisors never get a
case-note key; an expired substitute grant stops working offline."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest

from counsel.teams import grants
from counsel.teams.grants import Grant, GrantExpired, GrantRefused, issue, open_grant
from counsel.teams.identity import Identity, open_private, seal_private
from counsel.vault import keys

TEAM, OTHER_TEAM = "a" * 32, "b" * 32
maria, jonas, eve = Identity.new("maria"), Identity.new("jonas"), Identity.new("eve")
SIGNERS = {"maria": maria.public()}


def _grant(**kw: object) -> tuple[Grant, bytes]:
    team_keys = [keys.new_key() for _ in range(4)]
    args = {"granter": maria, "to": jonas.public(), "team_id": TEAM, "version": 3,
            "role": grants.MEMBER, "team_keys": team_keys, **kw}
    return issue(**args), team_keys[-1]  # type: ignore[arg-type]


def test_an_honest_grant_opens_to_the_team_key() -> None:
    g, key = _grant()
    access = open_grant(g, jonas, SIGNERS, team_id=TEAM, version=3)
    assert access.team_key == key and access.role == "member" and access.version == 3
    assert len(access.team_keys) == 4 and access.team_keys[-1] == key
    again = open_grant(Grant.from_json(g.to_json()), jonas, SIGNERS, team_id=TEAM)
    assert again.team_key == key


@pytest.mark.parametrize("field", ["ephemeral", "sealed", "signature"])
def test_a_flipped_byte_anywhere_is_refused(field: str) -> None:
    g, _ = _grant()
    for i in range(len(getattr(g, field))):
        raw = bytearray(getattr(g, field))
        raw[i] ^= 0x01
        bad = dataclasses.replace(g, **{field: bytes(raw)})
        with pytest.raises(GrantRefused):
            open_grant(bad, jonas, SIGNERS, team_id=TEAM)


@pytest.mark.parametrize("change", [
    {"role": grants.SUBSTITUTE}, {"expires": "2099-01-01T00:00:00+00:00"},
    {"version": 4}, {"team_id": OTHER_TEAM}, {"granter": "jonas"}])
def test_a_changed_header_is_refused(change: dict[str, object]) -> None:
    g, _ = _grant()
    bad = dataclasses.replace(g, **change)
    signers = {**SIGNERS, "jonas": jonas.public()}
    team = str(change.get("team_id", TEAM))
    with pytest.raises(GrantRefused):
        open_grant(bad, jonas, signers, team_id=team)


def test_a_grant_for_another_member_is_refused() -> None:
    g, _ = _grant()
    with pytest.raises(GrantRefused):
        open_grant(g, eve, SIGNERS, team_id=TEAM)
    # relabelled for eve: the signature and the sealing bind the member
    with pytest.raises(GrantRefused):
        open_grant(dataclasses.replace(g, member="eve"), eve, SIGNERS, team_id=TEAM)


def test_a_grant_for_another_team_or_version_is_refused() -> None:
    g, _ = _grant()
    with pytest.raises(GrantRefused):
        open_grant(g, jonas, SIGNERS, team_id=OTHER_TEAM)
    with pytest.raises(GrantRefused):
        open_grant(g, jonas, SIGNERS, team_id=TEAM, version=2)


def test_a_grant_signed_by_a_non_member_is_refused() -> None:
    g, _ = _grant(granter=eve)
    with pytest.raises(GrantRefused):
        open_grant(g, jonas, SIGNERS, team_id=TEAM)
    # eve claims to be maria: maria's key does not verify eve's signature
    with pytest.raises(GrantRefused):
        open_grant(dataclasses.replace(g, granter="maria"), jonas, SIGNERS, team_id=TEAM)


def test_only_members_granted_by_accepted_signers_may_grant() -> None:
    ids = {i.account: i.public() for i in (maria, jonas, eve)}
    to_jonas, _ = _grant()
    eve_self = issue(eve, eve.public(), TEAM, 0, grants.MEMBER, [keys.new_key()])
    sub = issue(maria, eve.public(), TEAM, 0, grants.SUBSTITUTE, [keys.new_key()],
                "2099-01-01T00:00:00+00:00")
    accepted = grants.accepted_signers(maria.public(), [to_jonas, eve_self, sub], ids)
    assert set(accepted) == {"maria", "jonas"}


def test_a_supervisor_never_receives_the_team_key() -> None:
    g, key = _grant(role=grants.SUPERVISOR)
    access = open_grant(g, jonas, SIGNERS, team_id=TEAM)
    assert access.team_key is None and access.team_keys == ()
    assert access.aggregate_key == grants.aggregate_key(key) != key
    assert key not in g.sealed and key not in repr(g.to_json()).encode()


def test_a_supervisor_device_refuses_a_grant_carrying_the_team_key(
        monkeypatch: pytest.MonkeyPatch) -> None:
    # a granter (buggy or hostile) sends the team key in a supervisor grant
    monkeypatch.setattr(grants, "aggregate_key", lambda k: k)
    monkeypatch.setattr(grants, "_AGGREGATE_KEY", b"T")
    g, _ = _grant(role=grants.SUPERVISOR)
    monkeypatch.undo()
    with pytest.raises(GrantRefused):
        open_grant(g, jonas, SIGNERS, team_id=TEAM)


def test_a_substitute_grant_expires_by_itself_offline() -> None:
    end = dt.datetime(2027, 1, 31, tzinfo=dt.UTC)
    g, key = _grant(role=grants.SUBSTITUTE, expires=end.isoformat())
    before = open_grant(g, jonas, SIGNERS, team_id=TEAM, now=end - dt.timedelta(seconds=1))
    assert before.team_key == key and not before.expired(end - dt.timedelta(seconds=1))
    assert before.expired(end)
    with pytest.raises(GrantExpired):
        open_grant(g, jonas, SIGNERS, team_id=TEAM, now=end)
    # the expiry is signed: moving it later breaks the grant
    later = dataclasses.replace(g, expires="2099-01-01T00:00:00+00:00")
    with pytest.raises(GrantRefused):
        open_grant(later, jonas, SIGNERS, team_id=TEAM, now=end)


def test_a_substitute_grant_needs_an_end_date() -> None:
    with pytest.raises(GrantRefused):
        _grant(role=grants.SUBSTITUTE)


def test_private_keys_seal_under_the_master_key_only() -> None:
    key = keys.new_key()
    sealed = seal_private(jonas, key)
    assert open_private(sealed, key, "jonas").public() == jonas.public()
    from counsel.errors import IntegrityError

    with pytest.raises(IntegrityError):
        open_private(sealed, keys.new_key(), "jonas")
    with pytest.raises(IntegrityError):
        open_private(sealed, key, "eve")
