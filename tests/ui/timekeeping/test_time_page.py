"""The Time page: the chart shows the timekeeping report; the import review saves
exactly the accepted rows and a second import proposes nothing new."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from PySide6.QtCore import QDate, Qt

from counsel.domain import Channel, WorkEntry, WorkKind
from counsel.timekeeping.matching import Action
from counsel.timekeeping.overview import ExportKind, RangeChoice, work_entries
from counsel.timekeeping.reports import time_report
from counsel.timekeeping.split import Period
from counsel_ui.common import ops
from counsel_ui.timekeeping.ics_review import IcsReviewDialog
from counsel_ui.timekeeping.page import TimePage

AMINA = "a" * 32


def _page(qtbot, window) -> TimePage:  # type: ignore[no-untyped-def]
    window.workspace.show_page("time")
    page = window.workspace.page("time")
    assert isinstance(page, TimePage)
    return page


def _custom(page: TimePage, first: dt.date, last: dt.date) -> None:
    from counsel_ui.common.widgets import select_data

    select_data(page.range, RangeChoice.CUSTOM.value)
    page.first.setDate(QDate(first.year, first.month, first.day))
    page.last.setDate(QDate(last.year, last.month, last.day))


def test_chart_equals_the_report_and_exports(qtbot, window, tmp_path: Path):  # type: ignore[no-untyped-def]
    vault = window.session.vault
    monday = dt.date.today() - dt.timedelta(days=dt.date.today().weekday() + 21)
    vault.save_many([
        WorkEntry(kind=WorkKind.VISIBLE, date=monday, start=dt.time(9), minutes=90,
                  client=AMINA),
        WorkEntry(kind=WorkKind.BACKGROUND, date=monday + dt.timedelta(days=8), minutes=35,
                  client=AMINA, channel=Channel.PHONE),
        WorkEntry(kind=WorkKind.BACKGROUND, date=monday + dt.timedelta(days=9), minutes=20),
    ])
    page = _page(qtbot, window)
    first, last = monday - dt.timedelta(days=14), dt.date.today()
    _custom(page, first, last)
    qtbot.waitUntil(lambda: page.overview is not None and page.overview.first == first)
    report = time_report(work_entries(vault), first, last, Period.WEEK)
    bars = page.chart.bars
    assert [(b.visible, b.background) for b in bars] == [
        (r.split.visible, r.split.background) for r in report.by_period]
    assert sum(b.visible for b in bars) >= 90 and sum(b.background for b in bars) == 55
    model = page.client_model
    rows = {model.rows[i][0]: model.rows[i][1] for i in range(model.rowCount())}
    assert rows["Amina Yusuf"] == dict(report.by_client)[AMINA]
    assert "1 h 30 min" in page.chart.accessibleDescription() or " h " in page.totals.text()
    # keyboard: the chart reads out the selected week
    page.chart.setFocus()
    qtbot.keyClick(page.chart, Qt.Key.Key_Home)
    assert page.chart.current == 0 and page.chart.accessibleName()

    # a save through the session reaches the page (its cached records are re-read)
    before = page.overview.report.total.background
    window.session.save([WorkEntry(kind=WorkKind.BACKGROUND, date=monday, minutes=7)])
    qtbot.waitUntil(lambda: page.overview.report.total.background == before + 7)

    out = tmp_path / "manager.csv"
    page.export_to(ExportKind.MANAGER, "csv", out)
    qtbot.waitUntil(out.exists, timeout=10_000)
    text = out.read_text(encoding="utf-8")
    assert "Amina" not in text and AMINA not in text and text.startswith("section,")


ICS = """BEGIN:VCALENDAR
VERSION:2.0
PRODID:-//test//EN
BEGIN:VEVENT
UID:weekly-amina
DTSTART:{d0}T090000
DTEND:{d0}T100000
RRULE:FREQ=WEEKLY;COUNT=3
SUMMARY:Amina Yusuf ohjaus
END:VEVENT
BEGIN:VEVENT
UID:team-1
DTSTART:{d1}T120000
DTEND:{d1}T123000
SUMMARY:Tiimipalaveri
END:VEVENT
BEGIN:VEVENT
UID:lunch
DTSTART:{d1}T110000
DTEND:{d1}T113000
SUMMARY:Lounas
END:VEVENT
BEGIN:VEVENT
UID:broken
SUMMARY:Ei alkuaikaa
DTEND:{d1}T100000
END:VEVENT
END:VCALENDAR
"""


def _ics(tmp_path: Path) -> Path:
    d0 = dt.date.today() - dt.timedelta(days=30)
    d1 = d0 + dt.timedelta(days=1)
    path = tmp_path / "calendar.ics"
    path.write_bytes(ICS.format(d0=d0.strftime("%Y%m%d"), d1=d1.strftime("%Y%m%d"))
                     .replace("\n", "\r\n").encode())
    return path


def _dialog(qtbot, page: TimePage, path: Path) -> IcsReviewDialog:  # type: ignore[no-untyped-def]
    dlg = page.open_import(path)
    qtbot.waitUntil(lambda: dlg.review is not None, timeout=10_000)
    return dlg


def _rows(dlg: IcsReviewDialog, text: str) -> list[int]:
    assert dlg.review is not None
    return [i for i, r in enumerate(dlg.review.rows) if r.proposal.event.summary == text]


def test_import_review_saves_accepted_rows_once(qtbot, window, tmp_path: Path):  # type: ignore[no-untyped-def]
    page = _page(qtbot, window)
    vault = window.session.vault
    path = _ics(tmp_path)
    dlg = _dialog(qtbot, page, path)
    assert dlg.problems.count() == 1 and "Ei alkuaikaa" in dlg.problems.item(0).text()
    assert dlg.problem_box.isVisibleTo(dlg)
    assert not dlg.save_button.isEnabled()  # guesses only: nothing accepted yet

    # the counsellor confirms the first Amina appointment (the series follows: same title)
    amina = _rows(dlg, "Amina Yusuf ohjaus")
    assert len(amina) == 3
    dlg.select_rows([amina[0]])
    assert dlg.client.currentData() == AMINA
    dlg.remember.setChecked(True)
    assert dlg.apply_decision() == amina
    # team meeting: background work; then untick it again; lunch stays skipped
    team = _rows(dlg, "Tiimipalaveri")
    dlg.select_rows([team[0]])
    from counsel_ui.common.widgets import select_data

    select_data(dlg.action, Action.BACKGROUND.value)
    dlg.apply_decision()
    model = dlg.model
    assert model is not None
    assert model.setData(model.index(team[0], 0), Qt.CheckState.Unchecked,
                         Qt.ItemDataRole.CheckStateRole)
    lunch = _rows(dlg, "Lounas")[0]
    assert not model.setData(model.index(lunch, 0), Qt.CheckState.Checked,
                             Qt.ItemDataRole.CheckStateRole)
    assert dlg.save_button.text().replace("&", "") == "Save 3 entries"
    # Space on the table unticks and ticks the selected rows again
    dlg.select_rows(amina[1:])
    qtbot.keyClick(dlg.table, Qt.Key.Key_Space)
    assert dlg.save_button.text().replace("&", "") == "Save 1 entry"
    qtbot.keyClick(dlg.table, Qt.Key.Key_Space)
    assert dlg.save_button.text().replace("&", "") == "Save 3 entries"
    before = len(vault.all(WorkEntry))
    with qtbot.waitSignal(dlg.saved, timeout=10_000) as saved:
        dlg.save_button.click()
    assert saved.args == [3]
    ops.wait_idle()
    new = [e for e in vault.all(WorkEntry) if e.source.startswith("ics:")]
    assert len(vault.all(WorkEntry)) == before + 3
    assert sorted((e.kind, e.client, e.minutes) for e in new) == [
        (WorkKind.VISIBLE, AMINA, 60)] * 3

    again = _dialog(qtbot, page, path)
    review = again.review
    assert review is not None
    assert {r.proposal.key for r in review.rows if r.already} == {e.source for e in new}
    assert review.entries() == []  # nothing new: the team meeting was left unsaved, a guess
    assert not again.save_button.isEnabled()
    # the remembered rule decides Amina's events now; they show as imported before
    assert all(review.rows[i].already for i in _rows(again, "Amina Yusuf ohjaus"))
    again.reject()


def test_the_time_tables_format_a_row_once_not_at_every_paint(
        qtbot, window, monkeypatch):  # type: ignore[no-untyped-def]
    """A caseload's thousands of rows: a row's texts are made when it is first shown or
    measured and kept; painting again formats nothing on the UI thread."""
    from counsel_ui.timekeeping import page as page_module

    day = dt.date.today() - dt.timedelta(days=3)
    window.session.vault.save_many([WorkEntry(kind=WorkKind.VISIBLE, date=day,
                                              start=dt.time(9), minutes=45, client=AMINA)])
    page = _page(qtbot, window)
    _custom(page, day - dt.timedelta(days=7), dt.date.today())
    qtbot.waitUntil(lambda: page.overview is not None and not page.loading
                    and page.client_model.rowCount() > 0)
    page.grab()  # first paint: the shown rows are formatted
    formatted = page_module.hm
    calls: list[object] = []
    monkeypatch.setattr(page_module, "hm", lambda m: calls.append(m) or formatted(m))
    page.grab()
    page.client_model.data(page.client_model.index(0, 4))
    assert calls == []
    model = page.client_model
    assert model.data(model.index(0, 4)) == formatted(model.rows[0][1].total)


def test_the_time_tables_measure_their_columns_once_per_overview(
        qtbot, window, monkeypatch):  # type: ignore[no-untyped-def]
    """The figure columns are measured when the numbers come (wide enough for them), not
    again at the page's first show, a resize or a sort (Qt's ResizeToContents mode did:
    the first show of the Time page asked the model ~4000 times on the UI thread)."""
    from PySide6.QtGui import QFontMetrics

    from counsel_ui.timekeeping import page as page_module

    hm_text = page_module.hm
    day = dt.date.today().replace(day=1)
    window.session.vault.save_many([  # a wide figure: 6 x 23:20 of background work
        WorkEntry(kind=WorkKind.VISIBLE, date=day, start=dt.time(9), minutes=45, client=AMINA),
        *(WorkEntry(kind=WorkKind.BACKGROUND, date=day,
                    start=dt.time(0), minutes=1400, client=AMINA) for _i in range(6))])
    asked: list[int] = []
    real = page_module.SplitModel.data

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):  # type: ignore[no-untyped-def]
        if role == Qt.ItemDataRole.SizeHintRole:  # a delegate measuring, not painting
            asked.append(index.column())
        return real(self, index, role)

    monkeypatch.setattr(page_module.SplitModel, "data", data)
    page = window.workspace.page("time")  # made behind Today, as in the first second
    assert isinstance(page, TimePage) and not page.isVisible()
    qtbot.waitUntil(lambda: page.overview is not None and not page.loading
                    and page.client_model.rowCount() > 0)
    measured = len(asked)
    window.workspace.show_page("time")
    view = page.client_table
    assert view is not None
    window.resize(window.width() + 40, window.height())
    view.sortByColumn(1, Qt.SortOrder.AscendingOrder)
    qtbot.wait(20)
    page.grab()
    assert len(asked) == measured  # nothing measured again
    model = page.client_model
    assert model.data(model.index(0, 4)) == hm_text(8445)  # 140:45, in this period
    for c in range(1, model.columnCount()):  # each figure whole in its column
        text = model.data(model.index(0, c))
        assert QFontMetrics(view.font()).horizontalAdvance(text) < view.columnWidth(c), text
