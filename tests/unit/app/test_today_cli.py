"""`counsel today` prints what the Today page shows: groups with totals, items, names."""

from __future__ import annotations

import datetime as dt

import pytest

from counsel.app import today
from counsel.cli.main import main
from counsel.domain import AgreedAction, Client, Encounter, Reminder
from counsel.vault.kdf import KdfParams
from counsel.vault.service import Vault

PHRASE = "abcdefghijkl"


@pytest.fixture
def vault_path(tmp_path, monkeypatch):
    monkeypatch.setenv("COUNSEL_PASSPHRASE", PHRASE)
    monkeypatch.setenv("COUNSEL_HOME", str(tmp_path / "home"))
    path = tmp_path / "t.vault"
    v, _code = Vault.create(path, PHRASE, kdf=KdfParams.fast_for_tests())
    day = dt.date.today()
    a = Client(name="Amina Ali")
    v.save_many([a, Encounter(client=a.id, date=day - dt.timedelta(days=9), actions=tuple(
        AgreedAction(f"Soittaa Kelaan {n}", due=day - dt.timedelta(days=n)) for n in range(5))),
        Reminder(due=day + dt.timedelta(days=3), text="Oma muistutus")])
    v.lock()
    return path


def test_today_prints_the_groups_and_items(vault_path, capsys, monkeypatch):
    monkeypatch.setattr("counsel.app.today_query.SHOWN_PER_GROUP", 2)
    assert main(["--lang", "en", "--vault", str(vault_path), "today"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0].startswith("Today, ")
    assert "Overdue (4)" in out and "Due today (1)" in out and "Coming up (two weeks) (1)" in out
    overdue = out[out.index("Overdue (4)") + 1:out.index("Overdue (4)") + 4]
    assert overdue[0].split("\t")[2] == "Agreed action due: Soittaa Kelaan 4"
    assert overdue[0].split("\t")[3] == "Amina Ali"
    assert overdue[2] == "… and 2 more"  # as the page: the first rows, then the rest counted
    assert any(line.split("\t")[2:3] == ["Oma muistutus"] for line in out)


def test_today_all_prints_every_item_as_computed(vault_path, capsys):
    assert main(["--lang", "en", "--vault", str(vault_path), "today", "--all"]) == 0
    lines = [x.split("\t") for x in capsys.readouterr().out.splitlines() if "\t" in x]
    v = Vault.unlock(vault_path, PHRASE)
    expected = [i.text for i in today.compute(v, dt.date.today())]
    v.lock()
    assert [x[2] for x in lines] == expected
