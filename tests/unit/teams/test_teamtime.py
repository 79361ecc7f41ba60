"""Whose time (counsel.teams.teamtime, counsel.vault.authors): a counsellor's time report,
Time page figures and `counsel report time` count their own encounters and work entries
on team clients, never a colleague's, and leave the personal figures as they were.

The team copy here is a real vault file at the place the app looks for copies; the
colleague's writes are made through the same save path with the copy's account set to
theirs (as their own copy would stamp them before the team sync brings them over)."""

from __future__ import annotations

import csv
import dataclasses
import datetime as dt
import io
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from counsel.cli.main import main
from counsel.domain import Channel, Client, Encounter, Place, WorkEntry, WorkKind
from counsel.teams import teamtime
from counsel.teams.membership import ACCOUNT_STATE, team_path
from counsel.teams.vaultset import TeamCopy, VaultSet
from counsel.timekeeping import report_query
from counsel.timekeeping.split import Period
from counsel.vault.kdf import KdfParams
from counsel.vault.service import Vault

PASS = "correct horse battery staple"
DAY = dt.date(2026, 11, 2)  # a Monday
FIRST, LAST = DAY - dt.timedelta(days=30), DAY + dt.timedelta(days=30)


def _create(path: Path) -> Vault:
    path.parent.mkdir(parents=True, exist_ok=True)
    return Vault.create(path, PASS, kdf=KdfParams.fast_for_tests())[0]


def _as(copy: Vault, account: str) -> None:
    copy.sync_port.set_states({ACCOUNT_STATE: account})


@dataclasses.dataclass
class World:
    personal: Vault
    team: Vault
    team_client: Client
    mine: list  # Maria's records in the team copy
    theirs: list  # Jonas's

    def vaults(self, account: str) -> VaultSet:
        _as(self.team, account)
        return VaultSet(self.personal, [TeamCopy(self.team.vault_id, "Tiimi", self.team)])


@pytest.fixture
def world(tmp_path: Path):
    personal = _create(tmp_path / "maria.vault")
    own = Client(name="Oma Asiakas")
    personal.save_many([own,
                        Encounter(client=own.id, date=DAY, minutes=45),
                        WorkEntry(kind=WorkKind.BACKGROUND, date=DAY, minutes=30,
                                  client=own.id)])
    team = _create(team_path(personal, "t1"))
    tc = Client(name="Tiimin Asiakas")
    team.save(tc)
    old = Encounter(client=tc.id, date=DAY, minutes=999)  # before authors: nobody's
    team.save(old)
    _as(team, "maria")
    mine = [Encounter(client=tc.id, date=DAY + dt.timedelta(days=1), minutes=60,
                      place=Place.PHONE),
            WorkEntry(kind=WorkKind.BACKGROUND, date=DAY + dt.timedelta(days=1), minutes=25,
                      client=tc.id, channel=Channel.EMAIL)]
    team.save_many(mine)
    _as(team, "jonas")
    theirs = [Encounter(client=tc.id, date=DAY + dt.timedelta(days=2), minutes=90),
              WorkEntry(kind=WorkKind.BACKGROUND, date=DAY + dt.timedelta(days=2),
                        minutes=40, client=tc.id)]
    team.save_many(theirs)
    w = World(personal, team, tc, mine, theirs)
    yield w
    for v in (team, personal):
        if not v.locked:
            v.lock()


def test_the_save_path_stamps_the_author_and_an_edit_keeps_it(world: World) -> None:
    team = world.team
    assert [team.get(r.id).author for r in world.mine] == ["maria", "maria"]
    assert [team.get(r.id).author for r in world.theirs] == ["jonas", "jonas"]
    # Maria corrects Jonas's encounter and even sets its author to herself: still Jonas's
    _as(team, "maria")
    edited = dataclasses.replace(world.theirs[0], minutes=95, author="maria")
    team.save(edited)
    assert team.get(edited.id).author == "jonas"
    assert team.get(edited.id).minutes == 95
    # a new record typed with a colleague's name is stamped with the writer's
    forged = Encounter(client=world.team_client.id, date=DAY, minutes=10, author="jonas")
    team.save(forged)
    assert team.get(forged.id).author == "maria"
    # a record written before authors were kept stays nobody's when someone edits it
    _as(team, "")
    old = Encounter(client=world.team_client.id, date=DAY, minutes=20)
    team.save(old)
    _as(team, "maria")
    team.save(dataclasses.replace(old, minutes=21))
    assert team.get(old.id).author == "" and team.get(old.id).minutes == 21
    # the personal vault stamps nothing
    p = Encounter(client=world.personal.clients()[0].id, date=DAY, minutes=5)
    world.personal.save(p)
    assert world.personal.get(p.id).author == ""


def _minutes(report) -> dict[str | None, int]:
    return {cid: s.total for cid, s in report.by_client}


def test_my_time_counts_my_team_work_and_not_my_colleagues(world: World) -> None:
    tc = world.team_client.id
    own = world.personal.clients()[0].id
    maria = teamtime.time_report(world.vaults("maria"), FIRST, LAST, Period.WEEK)
    assert _minutes(maria) == {own: 75, tc: 85}
    assert maria.total.visible == 45 + 60 and maria.total.background == 30 + 25
    jonas = teamtime.time_report(world.vaults("jonas"), FIRST, LAST, Period.WEEK)
    assert _minutes(jonas)[tc] == 130  # his two, not Maria's, not the author-less one
    # personal figures as they were
    alone = VaultSet(world.personal)
    assert teamtime.time_report(alone, FIRST, LAST, Period.WEEK) == \
        report_query.time_report(world.personal, FIRST, LAST, Period.WEEK)
    assert _minutes(report_query.time_report(world.personal, FIRST, LAST)) == {own: 75}


def test_the_time_page_overview_names_my_team_client_and_counts_my_encounters(
        world: World) -> None:
    o = teamtime.overview(world.vaults("maria"), FIRST, LAST)
    rows = {r.name: r.split.total for r in o.clients}
    assert rows == {"Tiimin Asiakas": 85, "Oma Asiakas": 75}
    assert o.indicators.encounters.value == 2  # her own personal + her team encounter
    assert o.indicators.encounters.clients == {world.team_client.id,
                                               world.personal.clients()[0].id}
    o = teamtime.overview(world.vaults("jonas"), FIRST, LAST)
    assert o.indicators.encounters.value == 2 - 1 + 1  # his team one + Maria's personal
    assert {r.name: r.split.total for r in o.clients}["Tiimin Asiakas"] == 130


def test_a_team_client_nobody_of_mine_worked_with_is_not_my_new_client(world: World) -> None:
    _as(world.team, "jonas")
    other = Client(name="Vain Jonaksen", started=DAY)
    world.team.save(other)
    world.team.save(Encounter(client=other.id, date=DAY, minutes=30))
    maria = teamtime.overview(world.vaults("maria"), FIRST, LAST)
    jonas = teamtime.overview(world.vaults("jonas"), FIRST, LAST)
    assert other.id not in maria.indicators.new_clients.clients
    assert other.id in jonas.indicators.new_clients.clients


def test_report_time_cli_counts_my_team_time(world: World, monkeypatch: pytest.MonkeyPatch,
                                             capsys: pytest.CaptureFixture[str]) -> None:
    _as(world.team, "maria")
    path = world.personal.path
    world.team.lock()
    world.personal.lock()
    monkeypatch.setenv("COUNSEL_PASSPHRASE", PASS)
    assert main(["--vault", str(path), "report", "time", "--from", FIRST.isoformat(),
                 "--to", LAST.isoformat(), "--by", "client"]) == 0
    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    clients = {r["label"]: int(r["total_minutes"]) for r in rows if r["section"] == "client"}
    assert clients == {"Tiimin Asiakas": 85, "Oma Asiakas": 75}


def test_my_week_shows_my_team_appointments_not_my_colleagues(world: World) -> None:
    from counsel.app.week import week

    monday = DAY
    mine = {(i.encounter_id, i.client_name) for i in
            teamtime.week(world.vaults("maria"), monday) if i.encounter_id}
    own_enc = next(i.encounter_id for i in week(world.personal, monday))
    assert mine == {(own_enc, "Oma Asiakas"), (world.mine[0].id, "Tiimin Asiakas")}
    theirs = {i.encounter_id for i in teamtime.week(world.vaults("jonas"), monday)}
    assert world.theirs[0].id in theirs and world.mine[0].id not in theirs
    # no team: exactly the personal week
    assert teamtime.week(VaultSet(world.personal), monday) == week(world.personal, monday)


# -- the sums across vaults equal the sums of one vault holding the same records --------

days = st.integers(-20, 20).map(lambda n: DAY + dt.timedelta(days=n))
times = st.none() | st.builds(dt.time, st.integers(0, 23), st.sampled_from([0, 30, 59]))


@st.composite
def writes(draw):
    """(where, record) — where: "personal", "maria" or "jonas" (team copy writers)."""
    pc = [Client(name=f"Oma {i}") for i in range(draw(st.integers(1, 2)))]
    tcs = [Client(name=f"Tiimi {i}") for i in range(draw(st.integers(1, 2)))]
    out = []
    for _ in range(draw(st.integers(0, 10))):
        where = draw(st.sampled_from(["personal", "maria", "jonas"]))
        client = draw(st.sampled_from(pc if where == "personal" else tcs)).id
        if draw(st.booleans()):
            rec = Encounter(client=client, date=draw(days), start=draw(times),
                            minutes=draw(st.sampled_from([0, 30, 600])),
                            place=draw(st.sampled_from(list(Place))))
        else:
            rec = WorkEntry(kind=draw(st.sampled_from(list(WorkKind))), date=draw(days),
                            start=draw(times), minutes=draw(st.sampled_from([1, 45, 1439])),
                            client=draw(st.none() | st.just(client)),
                            channel=draw(st.sampled_from(list(Channel))))
        out.append((where, rec))
    return pc, tcs, out


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=writes(), first=days, length=st.integers(0, 30),
       period=st.sampled_from(list(Period)), step=st.integers(1, 10))
def test_my_sums_across_vaults_equal_one_vault_of_my_records(data, first, length, period,
                                                             step) -> None:
    pc, tcs, recs = data
    last = first + dt.timedelta(days=length)
    mp = pytest.MonkeyPatch()
    mp.setattr(report_query, "STEP_DAYS", step)
    with tempfile.TemporaryDirectory() as tmp:
        personal = _create(Path(tmp) / "p.vault")
        team = _create(Path(tmp) / "teams" / "t.vault")
        alone = _create(Path(tmp) / "alone.vault")  # Maria's records only, one vault
        try:
            personal.save_many(pc)
            team.save_many(tcs)
            alone.save_many(pc + tcs)
            for where, rec in recs:
                if where == "personal":
                    personal.save(rec)
                else:
                    _as(team, where)
                    team.save(rec)
                if where in ("personal", "maria"):
                    alone.save(rec)
            _as(team, "maria")
            vs = VaultSet(personal, [TeamCopy(team.vault_id, "T", team)])
            assert teamtime.time_report(vs, first, last, period) == \
                report_query.time_report(alone, first, last, period)
            mine, one = teamtime.overview(vs, first, last), report_query.overview(
                alone, first, last)
            assert (mine.report, mine.clients) == (one.report, one.clients)
            assert mine.indicators.encounters == one.indicators.encounters
            assert mine.indicators.encounter_minutes == one.indicators.encounter_minutes
        finally:
            for v in (alone, team, personal):
                v.lock()
            mp.undo()


# -- end to end: two members' own copies, stamped by each, brought together by sync ----

def test_each_member_counts_their_own_encounter_after_the_team_sync(tmp_path: Path,
                                                                    live_server) -> None:
    from counsel.sync import credentials, enrol
    from counsel.sync.client import SyncClient
    from counsel.sync.transport import Transport
    from counsel.teams import membership
    from counsel.teams.vaultset import sync_teams

    fast = KdfParams.fast_for_tests()
    people = {}
    for name in ("maria", "jonas"):
        v = Vault.create(tmp_path / name / "personal.vault", PASS, kdf=fast)[0]
        enrol.connect(v, live_server.url, name, PASS,
                      enrol_secret=live_server.storage.create_account(name))
        people[name] = membership.session(v)
        membership.ensure_identity(people[name])
    maria, jonas = people["maria"], people["jonas"]
    try:
        team = membership.create_team(maria, "Team North", PASS, kdf=fast)
        membership.invite(maria, team, "jonas", unverified_ok=True)
        shared = Client(name="Amina Team-Client")
        team.save(shared)
        creds = credentials.load(team)
        assert creds is not None
        with Transport(creds.url, creds.token) as t:
            SyncClient(team, t).sync()
        team.lock()
        copy = membership.join_team(jonas, team.vault_id, PASS, kdf=fast)
        assert copy is not None
        copy.lock()
        sets = {n: VaultSet.open(s.personal, PASS) for n, s in people.items()}
        sync_teams(sets["jonas"])  # the team's client reaches Jonas's copy
        written = {}
        for n, minutes in (("maria", 50), ("jonas", 70)):
            vs = sets[n]
            e = Encounter(client=shared.id, date=DAY, minutes=minutes)
            vs.vault_for(shared.id).save_many([e], audited=True)  # as Session.save routes
            written[n] = e.id
        for _round in range(2):  # both pushed, then both pulled
            for n in ("maria", "jonas"):
                sync_teams(sets[n])
        for n, other in (("maria", "jonas"), ("jonas", "maria")):
            copy_n = sets[n].vault_for(shared.id)
            assert copy_n.get(written[other]).author == other  # arrived, stamped by them
            report = teamtime.time_report(sets[n], FIRST, LAST, Period.WEEK)
            assert _minutes(report) == {shared.id: 50 if n == "maria" else 70}
            week_ids = {i.encounter_id for i in teamtime.week(sets[n], DAY)}
            assert written[n] in week_ids and written[other] not in week_ids
        for vs in sets.values():
            vs.lock()
    finally:
        for s in people.values():
            s.close()
            s.personal.lock()
