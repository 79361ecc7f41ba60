"""Today's rows: each group goes into the tree in one call (hundreds of rows, one insert
each, made the view update its layout hundreds of times on the UI thread), and the page
shows what it did before: groups in order with their totals, "… and N more", the overdue
backlog folded, names beside the items."""

from __future__ import annotations

import datetime as dt

from counsel.app.today import TodayItem
from counsel.app.today_query import TodaySummary
from counsel.domain import ReminderKind


def _summary(day: dt.date) -> TodaySummary:
    kind = next(iter(ReminderKind))
    overdue = [TodayItem(day - dt.timedelta(days=30 - i), f"late {i}", kind, f"c{i % 3}")
               for i in range(20)]
    today = [TodayItem(day, f"now {i}", kind, "c1") for i in range(3)]
    upcoming = [TodayItem(day + dt.timedelta(days=1 + i), f"soon {i}", kind, None)
                for i in range(5)]
    return TodaySummary(day=day, shown=tuple(overdue + today + upcoming),
                        totals={"overdue": 250, "today": 3, "upcoming": 5},
                        due_clients=frozenset({"c0", "c1", "c2"}))


def test_today_fills_each_group_in_one_insert_and_shows_the_same(qtbot, window):  # type: ignore[no-untyped-def]
    from counsel_ui.today.page import ITEM_ROLE, TodayPage, _when_texts

    page = TodayPage(window.session)
    qtbot.addWidget(page)
    qtbot.waitUntil(lambda: not page.loading)
    inserts: list[int] = []
    page.tree.model().rowsInserted.connect(lambda _p, first, last: inserts.append(last - first + 1))
    day = dt.date(2026, 12, 3)
    names = {"c0": "Amina Yusuf", "c1": "Joy Mensah", "c2": "سارا جعفری"}
    summary = _summary(day)
    page._show(summary, names, [], None)
    tree = page.tree
    heads = [tree.topLevelItem(i) for i in range(tree.topLevelItemCount())]
    assert [h.text(0) for h in heads] == ["Overdue (250)", "Due today (3)",
                                          "Coming up (two weeks) (5)"]
    assert all(h.isFirstColumnSpanned() for h in heads)
    assert [h.isExpanded() for h in heads] == [False, True, True]  # a long backlog folded
    overdue, now, soon = heads
    assert overdue.childCount() == 21  # 20 shown and "… and 230 more"
    assert overdue.child(20).text(1) == "… and 230 more"
    assert [overdue.child(i).text(1) for i in range(3)] == ["late 0", "late 1", "late 2"]
    assert [overdue.child(i).text(2) for i in range(3)] == ["Amina Yusuf", "Joy Mensah",
                                                            "سارا جعفری"]
    assert now.child(0).text(0) == _when_texts(summary)[20] and "(today)" in now.child(0).text(0)
    assert now.child(0).text(2) == "Joy Mensah"
    assert soon.child(4).text(1) == "soon 4" and soon.child(4).text(2) == ""
    kind, item = now.child(1).data(0, ITEM_ROLE)
    assert kind == "item" and item.text == "now 1"
    assert tree.currentItem() is now.child(0)  # the first row of the first open group
    assert len(inserts) <= 4  # the groups at once, not a row at a time
