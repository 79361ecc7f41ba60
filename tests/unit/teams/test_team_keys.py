"""Issue 15: a supervisor receives the manager report's numbers and nothing that opens case
notes; a removed member cannot read anything written after the removal, even when the
server hands them every envelope."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest
from synchelp import LiveServer

from counsel.domain import Client, Encounter, WorkEntry, WorkKind
from counsel.errors import KnownError
from counsel.sync import credentials, enrol
from counsel.sync.client import SyncClient
from counsel.sync.transport import SyncError, Transport
from counsel.teams import aggregates, grants, membership
from counsel.teams.membership import Session
from counsel.vault.kdf import KdfParams
from counsel.vault.service import Vault

PASS = "correct horse battery"
FAST = KdfParams.fast_for_tests()
needs_generations = pytest.mark.skipif(
    not hasattr(Vault, "rotate_keys"), reason="vault key generations (keygen) not on main yet")


@pytest.fixture
def people(tmp_path: Path, live_server: LiveServer) -> Iterator[dict[str, Session]]:
    out = {}
    for name in ("maria", "jonas", "sanna", "pekka"):
        v, _ = Vault.create(tmp_path / name / "personal.vault", PASS, kdf=FAST)
        enrol.connect(v, live_server.url, name, PASS,
                      enrol_secret=live_server.storage.create_account(name))
        out[name] = membership.session(v)
        if name != "sanna":
            membership.ensure_identity(out[name])
    with pytest.raises(KnownError, match="no team keys"):
        team = membership.create_team(out["maria"], "Early", PASS, kdf=FAST)
        try:
            membership.invite(out["maria"], team, "sanna", unverified_ok=True)
        finally:
            team.lock()
    membership.ensure_identity(out["sanna"])
    yield out
    for s in out.values():
        s.close()
        s.personal.lock()


def _sync(v: Vault) -> None:
    creds = credentials.load(v)
    assert creds is not None
    with Transport(creds.url, creds.token) as t:
        SyncClient(v, t).sync()


def test_a_supervisor_reads_the_numbers_only(people: dict[str, Session]) -> None:
    maria, pekka = people["maria"], people["pekka"]
    team = membership.create_team(maria, "North", PASS, kdf=FAST)
    membership.invite(maria, team, "pekka", grants.SUPERVISOR, unverified_ok=True)
    day = dt.date(2026, 11, 2)
    clients = [Client(name=f"Asiakas Salainen{i}") for i in range(6)]
    team.save_many(clients)
    team.save_many([WorkEntry(kind=WorkKind.VISIBLE, date=day, minutes=30 + i, client=c.id)
                    for i, c in enumerate(clients)])
    team.save(Encounter(client=clients[0].id, date=day, situation="Luottamuksellinen"))
    aggregates.publish(maria, team, dt.date(2026, 11, 1), dt.date(2026, 11, 30))
    got = aggregates.received(pekka, team.vault_id)
    assert [sender for sender, _ in got] == ["maria"]
    csv = got[0][1]["csv"]
    from counsel.timekeeping import report_query
    from counsel.timekeeping.report_csv import to_csv
    from counsel.timekeeping.report_tables import manager_tables

    mine = report_query.manager_report(team, dt.date(2026, 11, 1), dt.date(2026, 11, 30))
    assert csv == to_csv(manager_tables(mine)) and mine.total.visible
    assert "Salainen" not in csv and "Luottamuksellinen" not in csv
    # the aggregate key opens no revision of the team vault
    _sync(team)
    access = grants.open_grant(
        next(g for g in pekka.remote.grants(team.vault_id) if g.member == "pekka"),
        membership.ensure_identity(pekka), membership.signers(pekka, team.vault_id)[0],
        team_id=team.vault_id)
    assert access.team_keys == () and access.aggregate_key not in team.team_key()
    team.lock()


@needs_generations
def test_a_removed_member_cannot_read_what_is_written_after(
        people: dict[str, Session], live_server: LiveServer) -> None:
    maria, jonas, sanna = people["maria"], people["jonas"], people["sanna"]
    team = membership.create_team(maria, "North", PASS, kdf=FAST)
    for who in ("jonas", "sanna"):
        membership.invite(maria, team, who, unverified_ok=True)
    before = Client(name="Known to Jonas")
    team.save(before)
    _sync(team)
    j = membership.join_team(jonas, team.vault_id, PASS, kdf=FAST)
    sa = membership.join_team(sanna, team.vault_id, PASS, kdf=FAST)
    assert j is not None and sa is not None
    _sync(j)
    _sync(sa)
    assert j.exists(before.id)

    generation = membership.remove(maria, team, "jonas")
    assert generation == 1
    after = Client(name="Written after Jonas left")
    note = Encounter(client=before.id, date=dt.date(2026, 12, 2), situation="Uusi muistiinpano")
    team.save_many([after, note])
    _sync(team)
    # the server refuses him ...
    with pytest.raises(SyncError):
        _sync(j)
    # ... and with the server's full cooperation (every envelope handed over) he reads nothing
    page = live_server.storage.pull(team.vault_id, 0, 1000)
    new = [r for r in page.revisions if r.record_id in (after.id, note.id)]
    assert len(new) == 2
    for rev in new:
        with pytest.raises(KnownError):
            j.sync_port.apply_remote([rev], page.keys)  # type: ignore[arg-type]
            j.get(rev.record_id)
    assert not j.exists(after.id) and not j.exists(note.id)
    # those who remain take in the new generation and read on
    assert membership.refresh(sanna, sa) == 1
    _sync(sa)
    assert sa.get(note.id).situation == "Uusi muistiinpano"  # type: ignore[attr-defined]
    sa.save(Client(name="Sanna after"))
    _sync(sa)
    _sync(team)
    assert len(team.clients()) == 3
    for v in (team, j, sa):
        v.lock()
