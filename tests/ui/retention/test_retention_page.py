"""The Retention page: the queue shows a client past the schedules, a hold takes them off
it, erasing writes the destruction record and the client is gone."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from counsel.domain import Client, Encounter
from counsel.records import retention


def _ended_client(vault) -> Client:  # type: ignore[no-untyped-def]
    c = Client(name="Zainab Qadiri", started=dt.date(2010, 1, 1), ended=dt.date(2015, 5, 1))
    vault.save_many([c, Encounter(client=c.id, date=dt.date(2015, 4, 1), situation="x")])
    return c


def test_queue_hold_release_and_erase(qtbot, window, tmp_path: Path) -> None:
    vault = window.session.vault
    c = _ended_client(vault)
    window.workspace.show_page("retention")
    page = window.workspace.page("retention")
    page.refresh()
    qtbot.waitUntil(lambda: page.table.rowCount() == 1, timeout=20_000)
    assert page.table.item(0, 1).text() == "Zainab Qadiri"
    assert page.years["encounter"].value() == retention.DEFAULT_YEARS["encounter"]
    page.hold(c.id, "complaint pending")
    qtbot.waitUntil(lambda: page.table.rowCount() == 0 and page.holds.rowCount() == 1,
                    timeout=20_000)
    page.holds.selectRow(0)
    page.release_selected()
    qtbot.waitUntil(lambda: page.table.rowCount() == 1, timeout=20_000)
    record = tmp_path / "destroyed.pdf"
    page.erase(c.id, record)
    qtbot.waitUntil(lambda: record.exists() and page.table.rowCount() == 0, timeout=20_000)
    assert record.read_bytes().startswith(b"%PDF")
    assert not vault.exists(c.id)


def test_saving_schedules_changes_the_queue(qtbot, window) -> None:
    vault = window.session.vault
    c = Client(name="Recent", started=dt.date(2020, 1, 1), ended=dt.date(2024, 1, 1))
    vault.save(c)
    window.workspace.show_page("retention")
    page = window.workspace.page("retention")
    qtbot.waitUntil(lambda: page.review is not None, timeout=20_000)
    assert page.table.rowCount() == 0
    for spin in page.years.values():
        spin.setValue(1)
    page.save_schedules()
    qtbot.waitUntil(lambda: page.table.rowCount() == 1, timeout=20_000)
    assert vault.settings.get(retention.SCHEDULES_KEY)["client"] == 1


def test_schedules_set_by_the_organisation_are_greyed_and_kept(qtbot, window) -> None:
    from counsel.org import policy

    vault = window.session.vault
    policy.pin(vault, policy.OrgPolicy("espoo", "Espoon kaupunki", None, "never",
                                       (("encounter", 10),)), None)
    window.workspace.show_page("retention")
    page = window.workspace.page("retention")
    page.refresh()
    qtbot.waitUntil(lambda: page.review is not None and page.review.fixed == {"encounter": 10},
                    timeout=20_000)
    assert not page.years["encounter"].isEnabled() and page.years["encounter"].value() == 10
    assert page.years["plan"].isEnabled()
    assert not page.fixed_note.isHidden() and "Espoon kaupunki" in page.fixed_note.text()
    page.years["plan"].setValue(9)
    page.save_schedules()
    qtbot.waitUntil(lambda: (vault.settings.get(retention.SCHEDULES_KEY) or {}).get("plan") == 9,
                    timeout=20_000)
    assert retention.schedules(vault)["encounter"] == 10
