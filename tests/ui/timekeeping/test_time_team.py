"""Whose time on the pages: with a team copy open, the Time page counts the counsellor's
own time with a team client (and says what is counted), the Week page lists their own
team appointments; a colleague's time and appointments with the same client appear in
neither.  Without a team copy the sentence is hidden."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest

from counsel.app.week import WeekItem
from counsel.domain import Client, Encounter, WorkEntry, WorkKind
from counsel.teams.membership import ACCOUNT_STATE, team_path
from counsel.teams.vaultset import VaultSet
from counsel.vault import keys
from counsel.vault.kdf import KdfParams
from counsel.vault.service import Vault
from counsel_ui.common import ops
from counsel_ui.shell.session import Session
from counsel_ui.timekeeping.page import TimePage
from counsel_ui.week.page import ITEM_ROLE, WeekPage

PASS = "correct horse battery"
FAST = KdfParams.fast_for_tests()
DAY = dt.date.today()  # this month and this week: the pages' defaults


@pytest.fixture
def world(tmp_path: Path) -> Iterator[dict]:  # type: ignore[type-arg]
    personal, _code = Vault.create(tmp_path / "personal.vault", PASS, kdf=FAST)
    own = Client(name="Oma Asiakas")
    personal.save_many([own, Encounter(client=own.id, date=DAY, minutes=30)])
    tid = "t" * 32
    team = Vault.adopt(team_path(personal, tid), tid, keys.new_key(), PASS, kdf=FAST)
    shared = Client(name="Tiimin Asiakas")
    team.save(shared)
    written = {}
    for who, minutes in (("jonas", 120), ("maria", 45)):
        team.sync_port.set_states({ACCOUNT_STATE: who})
        e = Encounter(client=shared.id, date=DAY, start=dt.time(10), minutes=minutes)
        team.save_many([e, WorkEntry(kind=WorkKind.BACKGROUND, date=DAY, minutes=15,
                                     client=shared.id)])
        written[who] = e.id
    team.lock()
    vaults = VaultSet.open(personal, PASS)
    yield {"personal": personal, "vaults": vaults, "shared": shared, "own": own,
           "written": written}
    ops.wait_idle()
    vaults.lock()
    personal.lock()


def test_time_page_counts_my_team_time_not_my_colleagues(qtbot, world) -> None:  # type: ignore[no-untyped-def]
    page = TimePage(Session(world["personal"], vaults=world["vaults"]))
    qtbot.addWidget(page)
    page.show()
    qtbot.waitUntil(lambda: page.overview is not None and not page.loading)
    rows = {r.name: r.split.total for r in page.overview.clients}
    assert rows == {"Tiimin Asiakas": 45 + 15, "Oma Asiakas": 30}
    assert page.whose.isVisible() and "not your colleagues'" in page.whose.text()
    table = page.client_model
    shown = {table.index(r, 0).data() for r in range(table.rowCount())}
    assert "Tiimin Asiakas" in shown


def test_time_page_without_a_team_hides_the_sentence(qtbot, world) -> None:  # type: ignore[no-untyped-def]
    page = TimePage(Session(world["personal"]))
    qtbot.addWidget(page)
    page.show()
    qtbot.waitUntil(lambda: page.overview is not None and not page.loading)
    assert not page.whose.isVisible()
    assert {r.name for r in page.overview.clients} == {"Oma Asiakas"}


def test_week_page_lists_my_team_appointment_not_my_colleagues(qtbot, world) -> None:  # type: ignore[no-untyped-def]
    page = WeekPage(Session(world["personal"], vaults=world["vaults"]))
    qtbot.addWidget(page)
    page.show()
    n = DAY.weekday()
    qtbot.waitUntil(lambda: page.tree.topLevelItem(n) is not None
                    and page.tree.topLevelItem(n).childCount() == 2)
    head = page.tree.topLevelItem(n)
    items = [head.child(i).data(0, ITEM_ROLE) for i in range(head.childCount())]
    assert all(isinstance(i, WeekItem) for i in items)
    ids = {i.encounter_id for i in items}
    assert world["written"]["maria"] in ids and world["written"]["jonas"] not in ids
