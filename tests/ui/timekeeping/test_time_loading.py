"""While the Time page calculates it says so: never "No work time in this period" then."""

from __future__ import annotations

import threading

import pytest


@pytest.fixture
def held_overview(monkeypatch):  # type: ignore[no-untyped-def]
    """The Time page's numbers held back until the returned event is set (after the
    background work queued so far is done)."""
    from counsel.timekeeping import report_query
    from counsel_ui.common import ops

    ops.wait_idle()
    release = threading.Event()
    real = report_query.overview

    def slow(*args, **kwargs):  # type: ignore[no-untyped-def]
        release.wait(10)
        return real(*args, **kwargs)

    monkeypatch.setattr(report_query, "overview", slow)
    yield release
    release.set()


def test_time_page_shows_loading_until_the_overview_arrives(qtbot, window, held_overview):
    from counsel_ui.timekeeping.page import TimePage

    release = held_overview
    page = TimePage(window.session)
    qtbot.addWidget(page)
    page.show()
    try:
        assert page.loading and page.overview is None
        assert page.chart.empty_text() == "Calculating…"
        assert page.chart.accessibleDescription() == "Calculating…"
        assert page.status.text() == "Calculating…"
        qtbot.wait(50)
        assert page.loading and "No work time" not in page.chart.empty_text()
        assert page.chart.grab().width() > 0  # paints without the empty sentence
    finally:
        release.set()
    qtbot.waitUntil(lambda: not page.loading)
    assert page.overview is not None and page.status.text() == ""
    assert page.chart.empty_text() == "No work time in this period."  # only once known
    assert "Calculating" not in page.totals.text()
    # a period change shows the loading state again until its numbers are in
    release.clear()
    page.range.setCurrentIndex(1)
    assert page.loading and page.chart.empty_text() == "Calculating…"
    release.set()
    qtbot.waitUntil(lambda: not page.loading)


def test_split_model_sorts_itself(qtbot):
    from PySide6.QtCore import Qt

    from counsel.timekeeping.reports import Split
    from counsel_ui.timekeeping.page import SplitModel

    model = SplitModel("Client")
    model.set_rows([("b", Split(10, 0)), ("A", Split(5, 50)), ("c", Split(0, 0))])
    assert [r[0] for r in model.rows] == ["A", "b", "c"]  # most time first by default
    model.sort(0, Qt.SortOrder.AscendingOrder)
    assert [model.data(model.index(i, 0)) for i in range(3)] == ["A", "b", "c"]
    model.sort(5, Qt.SortOrder.DescendingOrder)  # background share; none last
    assert [r[0] for r in model.rows] == ["A", "b", "c"]
    model.sort(1, Qt.SortOrder.DescendingOrder)
    assert [r[0] for r in model.rows] == ["b", "A", "c"]


def test_time_page_made_behind_makes_its_tables_when_shown_and_shows_the_same(
        qtbot, window, request):  # type: ignore[no-untyped-def]
    """A Time page made behind Today (the first second after unlock opens it with the quick
    log and the client list, in one turn) makes its indicator box and tables only when it
    is shown or its numbers come; shown while calculating it says so, and once the numbers
    are in they are what a page given them at once shows."""
    import datetime as dt

    from counsel.domain import WorkEntry, WorkKind
    from counsel_ui.timekeeping.page import TimePage

    day = dt.date.today().replace(day=1)
    window.session.vault.save_many([WorkEntry(kind=WorkKind.VISIBLE, date=day,
                                              start=dt.time(9), minutes=45),
                                    WorkEntry(kind=WorkKind.BACKGROUND, date=day,
                                              start=dt.time(11), minutes=20)])
    release = request.getfixturevalue("held_overview")  # after the work entries are in
    page = TimePage(window.session)
    qtbot.addWidget(page)
    try:
        qtbot.wait(20)
        assert page.tabs is None and page.indicator_box is None  # not made yet
        assert page.loading and page.status.text() == "Calculating…"
        page.show()
        assert page.tabs is not None and page.tabs.count() == 3
        assert page.indicator_box is not None
        qtbot.waitUntil(lambda: page.indicator_box.isVisible()
                        and page.client_table.isVisible())
        assert page.loading and page.totals.text() == "Calculating…"
        assert all(label.text() == "" for label in page.figures.values())  # no "0" yet
    finally:
        release.set()
    qtbot.waitUntil(lambda: not page.loading)
    overview = page.overview
    assert overview is not None and page.channel_model.rowCount() > 0
    # a page made behind and given its numbers makes the rest then: the same
    other = TimePage(window.session)
    qtbot.addWidget(other)
    other.show_overview(overview)
    assert other.tabs is not None and other.tabs.count() == 3
    assert other.indicator_box is not None
    for mine, theirs in ((page.client_model, other.client_model),
                         (page.channel_model, other.channel_model),
                         (page.party_model, other.party_model)):
        assert mine.rows == theirs.rows
    assert {k: v.text() for k, v in page.figures.items()} == \
        {k: v.text() for k, v in other.figures.items()}
    assert page.figures["new"].text() != ""
    qtbot.waitUntil(lambda: not other.loading)


def test_time_page_made_in_turns_keeps_the_tab_order(qtbot, window):  # type: ignore[no-untyped-def]
    """The Tab key goes through the page as laid out: the period and buttons, the chart,
    the indicators, the tables, then the export choice (parts made later join the focus
    chain at its end, so they are made in this order)."""
    from PySide6.QtCore import Qt

    window.workspace.show_page("time")
    page = window.workspace.page("time")
    qtbot.waitUntil(lambda: not page.loading)
    order = []
    w = page.nextInFocusChain()
    while w is not page:
        if page.isAncestorOf(w) and w.isVisible() and w.focusPolicy() & Qt.FocusPolicy.TabFocus:
            order.append(w)
        w = w.nextInFocusChain()
    assert order.index(page.range) < order.index(page.export_button) < order.index(page.chart)
    figures = [order.index(label) for label in page.figures.values()]
    assert order.index(page.chart) < min(figures) and figures == sorted(figures)
    assert max(figures) < order.index(page.tabs) < order.index(page.client_table) \
        < order.index(page.name_clients)
    assert order[-1] is page.name_clients
