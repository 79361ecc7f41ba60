"""Internal work (team meetings, training, admin) is in the exported time report as on
the screen: the totals the Time page shows are the totals the CSV and the PDF carry."""

from __future__ import annotations

import csv
import datetime as dt
import io
import shutil
import subprocess
from pathlib import Path

import pytest
from PySide6.QtCore import QDate, Qt

from counsel.domain import WorkEntry, WorkKind
from counsel.timekeeping.overview import ExportKind, RangeChoice
from counsel.timekeeping.overview import hm as overview_hm
from counsel.timekeeping.report_pdf import hm
from counsel_ui.common.widgets import select_data
from counsel_ui.timekeeping.page import TimePage


def _page(qtbot, window) -> TimePage:  # type: ignore[no-untyped-def]
    window.workspace.show_page("time")
    page = window.workspace.page("time")
    assert isinstance(page, TimePage)
    return page


def _export(qtbot, page: TimePage, fmt: str, path: Path) -> bytes:  # type: ignore[no-untyped-def]
    page.export_to(ExportKind.REPORT, fmt, path)
    qtbot.waitUntil(path.exists, timeout=10_000)
    return path.read_bytes()


def test_exports_carry_the_screens_internal_work(qtbot, window, tmp_path: Path):  # type: ignore[no-untyped-def]
    monday = dt.date.today() - dt.timedelta(days=dt.date.today().weekday() + 14)
    window.session.vault.save_many([
        WorkEntry(kind=WorkKind.VISIBLE, date=monday, start=dt.time(9), minutes=95),
        WorkEntry(kind=WorkKind.BACKGROUND, date=monday, minutes=35),
        WorkEntry(kind=WorkKind.INTERNAL, date=monday + dt.timedelta(days=1), minutes=50),
        WorkEntry(kind=WorkKind.INTERNAL, date=monday + dt.timedelta(days=8), minutes=25),
    ])
    page = _page(qtbot, window)
    first, last = monday - dt.timedelta(days=7), dt.date.today()
    select_data(page.range, RangeChoice.CUSTOM.value)
    page.first.setDate(QDate(first.year, first.month, first.day))
    page.last.setDate(QDate(last.year, last.month, last.day))
    qtbot.waitUntil(lambda: page.overview is not None and page.overview.first == first)
    screen = page.overview.report.total
    assert screen.internal >= 75  # the sample vault may hold more
    assert overview_hm(screen.internal) in page.totals.text()

    rows = list(csv.DictReader(io.StringIO(
        _export(qtbot, page, "csv", tmp_path / "r.csv").decode("utf-8"))))
    total = next(r for r in rows if r["section"] == "total")
    assert [int(total[k]) for k in ("visible_minutes", "background_minutes",
                                    "internal_minutes", "total_minutes")] == [
        screen.visible, screen.background, screen.internal, screen.total]
    weeks = [r for r in rows if r["section"] == "period"]
    assert sum(int(r["internal_minutes"]) for r in weeks) == screen.internal
    # the screen's tables have the column too, with the same numbers
    channel = {label: s for label, s in page.channel_model.rows}
    assert sum(s.internal for s in channel.values()) == screen.internal
    model = page.channel_model
    headers = [model.headerData(i, Qt.Orientation.Horizontal) for i in range(model.columnCount())]
    assert "Internal" in headers

    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext (poppler-utils) not installed")
    pdf = _export(qtbot, page, "pdf", tmp_path / "r.pdf")
    text = subprocess.run(["pdftotext", "-layout", "-", "-"], input=pdf, capture_output=True,
                          check=True).stdout.decode()
    assert "Internal" in text
    (line,) = [ln for ln in text.splitlines() if ln.strip().startswith("All work")]
    assert line.split()[2:6] == [hm(screen.visible), hm(screen.background),
                                 hm(screen.internal), hm(screen.total)], line
