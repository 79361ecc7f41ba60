"""CSV and PDF writers: numbers survive, formulas are defused, hidden cells are marked."""

from __future__ import annotations

import csv
import datetime as dt
import io
import shutil
import subprocess

import pytest

from counsel.domain import Client, WorkEntry, WorkKind
from counsel.timekeeping.aggregate import manager_report
from counsel.timekeeping.report_csv import to_csv
from counsel.timekeeping.report_pdf import hm, render_pdf
from counsel.timekeeping.report_tables import manager_tables, time_tables
from counsel.timekeeping.reports import time_report
from counsel.timekeeping.split import Period

D = dt.date(2026, 5, 4)


def test_csv_defuses_formulas_in_client_names_and_keeps_numbers() -> None:
    evil = Client(name="=HYPERLINK(\"http://x\")")
    entries = [WorkEntry(kind=WorkKind.VISIBLE, date=D, minutes=75, client=evil.id),
               WorkEntry(kind=WorkKind.BACKGROUND, date=D, minutes=25)]
    tables = time_tables(time_report(entries, D, D, Period.WEEK), by_client=True,
                         client_names={evil.id: evil.name})
    rows = list(csv.DictReader(io.StringIO(to_csv(tables))))
    client_rows = [r for r in rows if r["section"] == "client"]
    assert client_rows[0]["label"] == "'" + evil.name
    assert client_rows[1]["label"] == "Not for one client"
    total = next(r for r in rows if r["section"] == "total")
    assert (total["visible_minutes"], total["background_minutes"], total["share"]) == (
        "75", "25", "0.2500")


def test_hm() -> None:
    assert [hm(0), hm(59), hm(60), hm(6001)] == ["0:00", "0:59", "1:00", "100:01"]


def test_suppressed_cells_are_empty_and_noted_in_csv() -> None:
    cs = [Client(name=f"C {i}") for i in range(2)]
    entries = [WorkEntry(kind=WorkKind.VISIBLE, date=D, minutes=30, client=c.id) for c in cs]
    rows = list(csv.DictReader(io.StringIO(to_csv(manager_tables(
        manager_report(first=D, last=D, entries=entries, clients=cs))))))
    assert rows and all(r["note"] == "suppressed" for r in rows)
    assert all(r["visible_minutes"] == "" and r["value"] == "" for r in rows)


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="needs poppler-utils")
def test_pdf_text_has_titles_times_and_hidden_marks() -> None:
    cs = [Client(name=f"C {i}") for i in range(6)]
    entries = [WorkEntry(kind=WorkKind.VISIBLE, date=D, minutes=90, client=c.id) for c in cs]
    entries.append(WorkEntry(kind=WorkKind.BACKGROUND, date=D + dt.timedelta(days=7),
                             minutes=20, client=cs[0].id))
    entries += [WorkEntry(kind=WorkKind.VISIBLE, date=D + dt.timedelta(days=14), minutes=10,
                          client=c.id) for c in cs]
    report = manager_report(first=D, last=D + dt.timedelta(days=20), entries=entries,
                            clients=cs, period=Period.WEEK)
    pdf = render_pdf(manager_tables(report), title="Manager report", first=report.first,
                     last=report.last)
    text = subprocess.run(["pdftotext", "-layout", "-", "-"], input=pdf, capture_output=True,
                          check=True).stdout.decode()
    assert "Manager report" in text and "2026-05-04 – 2026-05-24" in text
    assert "10:20" in text  # total 620 minutes

    def row(label: str) -> str:  # the table row, not the chart's axis line
        return next(line for line in text.splitlines()
                    if line.strip().startswith(label) and line.count("2026-W") == 1)

    assert "9:00" in row("2026-W19") and "–" not in row("2026-W19")
    # W20 is about one client; W21, the smallest other week, is hidden with it
    assert row("2026-W20").count("–") == 4 and row("2026-W21").count("–") == 4
    # and the chart marks both as hidden instead of drawing them as empty weeks
    assert "2026-W20 –" in text and "2026-W21 –" in text
