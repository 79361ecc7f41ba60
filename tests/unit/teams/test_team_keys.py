"""Issue 15: a supervisor receives the manager report's numbers and nothing that opens case
notes; a removed member cannot read anything written after the removal, even when the
server hands them every envelope."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest
from synchelp import LiveServer
from synchelp import sync_once as _sync

from counsel.domain import Client, Encounter, WorkEntry, WorkKind
from counsel.errors import KnownError
from counsel.sync import credentials, enrol
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


def test_nothing_a_supervisor_device_receives_opens_case_notes(
        people: dict[str, Session], live_server: LiveServer) -> None:
    """At the wire: every byte the server sends the supervisor's device, through the whole
    supervisor flow and every vault route tried directly, holds no revision envelope, no
    wrapped client key and no team key; and every key the device derives opens none of
    the team's revisions."""
    import base64

    import httpx

    from counsel.errors import IntegrityError, RecordNotFound

    maria, pekka = people["maria"], people["pekka"]
    team = membership.create_team(maria, "North", PASS, kdf=FAST)
    membership.invite(maria, team, "pekka", grants.SUPERVISOR, unverified_ok=True)
    client = Client(name="Asiakas Salainen")
    team.save_many([client, Encounter(client=client.id, date=dt.date(2026, 11, 2),
                                      situation="Luottamuksellinen")])
    team.save_many([WorkEntry(kind=WorkKind.VISIBLE, date=dt.date(2026, 11, 2), minutes=45,
                              client=client.id)])
    _sync(team)
    aggregates.publish(maria, team, dt.date(2026, 11, 1), dt.date(2026, 11, 30))

    received: list[bytes] = []

    class Recording(httpx.HTTPTransport):
        def handle_request(self, request: httpx.Request) -> httpx.Response:
            response = super().handle_request(request)
            response.read()
            received.append(response.content)
            return response

    creds = credentials.load(pekka.personal)
    assert creds is not None
    wire = membership.session(pekka.personal, Transport(creds.url, creds.token,
                                                        transport=Recording()))
    assert membership.join_team(wire, team.vault_id, PASS, kdf=FAST) is None
    assert [sender for sender, _ in aggregates.received(wire, team.vault_id)] == ["maria"]
    membership.list_teams(wire)
    refused = 0
    for route in ("pull", "keyring", "checkpoints", "erasures"):
        try:
            wire.remote.t.request("GET", f"/v1/vaults/{team.vault_id}/{route}")
        except SyncError as exc:
            refused += exc.status in (403, 404)
    assert refused == 4
    wire.close()

    page = live_server.storage.pull(team.vault_id, 0, 1000)
    secrets = [rev.envelope for rev in page.revisions] + list(page.keys.values())
    secrets += membership.team_keys(team)
    assert len(page.revisions) >= 3 and page.keys
    wire_bytes = b"".join(received)
    assert b"Salainen" not in wire_bytes and b"Luottamuksellinen" not in wire_bytes
    for secret in secrets:
        for form in (secret, base64.b64encode(secret), secret.hex().encode()):
            assert form not in wire_bytes
    # control: the recording saw the supervisor's own grant, so it does see what is sent
    mine = next(g for g in pekka.remote.grants(team.vault_id) if g.member == "pekka")
    assert base64.b64encode(mine.sealed) in wire_bytes

    # the server cooperating fully: every key the device holds, tried as the team key
    access = grants.open_grant(mine, membership.ensure_identity(pekka),
                               membership.signers(pekka, team.vault_id)[0],
                               team_id=team.vault_id)
    for i, key in enumerate([access.aggregate_key]):
        probe = Vault.adopt(Path(str(team.path)).parent / f"probe{i}.vault", team.vault_id,
                            key, PASS, kdf=FAST)
        try:
            try:  # (refused as unauthenticated, or stored as unreadable)
                probe.sync_port.apply_remote(page.revisions, page.keys)  # type: ignore[arg-type]
            except IntegrityError:
                pass
            assert probe.count() == 0 and probe.clients() == []
            for rev in page.revisions:
                with pytest.raises((IntegrityError, RecordNotFound)):
                    probe.sync_port.open(rev)  # type: ignore[arg-type]
        finally:
            probe.lock()
    team.lock()
