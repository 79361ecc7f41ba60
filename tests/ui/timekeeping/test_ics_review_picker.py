"""The calendar-import review's client picker tells apart clients who share a name
(birth date, as the client list does), and its problem box counts events as events."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from counsel.domain import Client
from counsel_ui.timekeeping.ics_review import IcsReviewDialog
from counsel_ui.timekeeping.page import TimePage

SAHRA = [("5" * 32, dt.date(1990, 4, 2)), ("6" * 32, dt.date(1984, 11, 20)),
         ("7" * 32, dt.date(2001, 1, 9))]


def _ics(tmp_path: Path) -> Path:
    day = (dt.date.today() - dt.timedelta(days=10)).strftime("%Y%m%d")
    path = tmp_path / "cut.ics"
    path.write_bytes((
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\n"
        f"BEGIN:VEVENT\r\nUID:ok\r\nSUMMARY:Ohjaus\r\nDTSTART:{day}T090000\r\n"
        f"DTEND:{day}T100000\r\nEND:VEVENT\r\n"
        # the file is cut off inside a time-zone definition: a problem, not an event
        "BEGIN:VTIMEZONE\r\nTZID:Europe/Helsinki\r\nBEGIN:STANDARD\r\n").encode())
    return path


def test_picker_shows_birth_dates_and_the_box_counts_no_event(qtbot, window, tmp_path: Path):  # type: ignore[no-untyped-def]
    window.session.vault.save_many([Client(id=cid, name="Sahra Warsame", birth_date=born)
                                    for cid, born in SAHRA])
    window.workspace.show_page("time")
    page = window.workspace.page("time")
    assert isinstance(page, TimePage)
    dlg = page.open_import(_ics(tmp_path))
    assert isinstance(dlg, IcsReviewDialog)
    qtbot.waitUntil(lambda: dlg.review is not None, timeout=10_000)
    labels = {dlg.client.itemData(i): dlg.client.itemText(i) for i in range(dlg.client.count())}
    sahras = [labels[cid] for cid, _born in SAHRA]
    assert len(set(sahras)) == 3
    for (_cid, born), label in zip(SAHRA, sahras, strict=True):
        # as the client list writes it (en: 4/2/1990), not ISO
        shown = f"\u2068{born.month}/{born.day}/{born.year}\u2069"
        assert "Sahra Warsame" in label and shown in label
    # one problem, and it is not an event: the title must not say "1 event could not be read"
    assert dlg.problems.count() == 1
    title = dlg.problem_box.title()
    assert "event" not in title and title.startswith("1 problem"), title
    assert "0 could not be read" in dlg.summary.text()
