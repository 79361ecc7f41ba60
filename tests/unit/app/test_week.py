"""The week of appointments: encounters (planned too) and imported calendar time."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from counsel.app.week import monday_of, week
from counsel.domain import Client, Encounter, InterpreterMode, WorkEntry, WorkKind
from counsel.vault.kdf import KdfParams
from counsel.vault.service import Vault


def test_a_week_holds_its_encounters_and_imported_time_in_order(tmp_path: Path) -> None:
    vault, _c = Vault.create(tmp_path / "v.vault", "kahvi ikkuna polkupyörä",
                             kdf=KdfParams.fast_for_tests())
    monday = monday_of(dt.date.today()) + dt.timedelta(days=7)  # next week: all planned
    amina = Client(name="Amina Yusuf")
    later = Encounter(client=amina.id, date=monday + dt.timedelta(days=2),
                      start=dt.time(13, 15), interpreter_mode=InterpreterMode.PHONE,
                      interpreter_language="so")
    first = Encounter(client=amina.id, date=monday, start=dt.time(9, 0))
    outside = Encounter(client=amina.id, date=monday + dt.timedelta(days=7))
    imported = WorkEntry(kind=WorkKind.VISIBLE, date=monday + dt.timedelta(days=1),
                         minutes=30, client=amina.id, source="ics:abc|", what="Kela-asia")
    vault.save_many([amina, later, first, outside, imported])
    items = week(vault, monday)
    assert [(i.encounter_id, i.day) for i in items] == [
        (first.id, monday), (None, monday + dt.timedelta(days=1)),
        (later.id, monday + dt.timedelta(days=2))]
    assert items[2].interpreter_language == "so" and items[2].planned
    assert items[0].interpreter_language == "" and items[1].what == "Kela-asia"
    assert all(i.client_name == "Amina Yusuf" for i in items)
    vault.lock()
