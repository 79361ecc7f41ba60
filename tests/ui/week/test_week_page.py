"""Upcoming appointments: the Week page lists planned encounters, Enter opens one."""

from __future__ import annotations

import datetime as dt

from counsel.app.week import WeekItem, monday_of
from counsel.domain import Encounter
from counsel_ui.clients.encounter_editor import EncounterEditor
from counsel_ui.week.page import ITEM_ROLE, WeekPage


def test_week_page_lists_a_planned_encounter_and_opens_it(qtbot, window):
    day = monday_of(dt.date.today()) + dt.timedelta(days=9)  # next week's Wednesday
    planned = Encounter(client="b" * 32, date=day, start=dt.time(13, 15))
    window.session.vault.save_many([planned])
    window.workspace.show_page("week")
    page = window.workspace.page("week")
    assert isinstance(page, WeekPage)
    page.next_button.click()
    qtbot.waitUntil(lambda: page.tree.topLevelItem(2) is not None
                    and page.tree.topLevelItem(2).childCount() == 1)
    child = page.tree.topLevelItem(2).child(0)
    item = child.data(0, ITEM_ROLE)
    assert isinstance(item, WeekItem) and item.encounter_id == planned.id and item.planned
    assert "أحمد" in child.text(0) and "1:15" in child.text(0)
    assert item.interpreter_missing and "none booked" in child.text(0)  # Ahmad needs one
    page._open(child)
    editors = [e for e in window.session.editors if isinstance(e, EncounterEditor)]
    assert editors and editors[-1].encounter_id == planned.id
