"""The printed timeline keeps each fact whole on one page: its date, its line in the
client's language and the counsellor's line under it (a date alone at the foot of a
page, its fact on the next, was seen in the Arabic and Tigrinya printouts)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from plans_render_helpers import pdf_pages, pdftotext, requires_poppler

from counsel.domain import Client
from counsel.path.timeline import Fact
from counsel.path.timeline_pdf import render_timeline


def _facts(n: int) -> list[Fact]:
    start = dt.date(2024, 1, 10)
    return [Fact(start + dt.timedelta(days=31 * i), "event_start", f"event:{i}:start",
                 subject="job", extra=f"Tyopaikka-{i:02d}") for i in range(n)]


@requires_poppler
@pytest.mark.parametrize("variant", ["standard", "large_print"])
@pytest.mark.parametrize("lang", ["ti", "fi"])
def test_every_fact_is_whole_on_one_page(lang: str, variant: str, tmp_path: Path) -> None:
    client = Client(name="Ayaan Yusuf")
    for n in (21, 26, 33, 40):  # page breaks fall at different places in the list
        pdf = render_timeline(client, _facts(n), client_lang=lang, counsellor_lang="fi",
                              today=dt.date(2030, 1, 1), variant=variant)
        pages = pdftotext(pdf, tmp_path).split("\f")[:pdf_pages(pdf)]
        assert len(pages) > 1
        for i in range(n):
            typed = f"Tyopaikka-{i:02d}"
            on = [p for p, text in enumerate(pages) for _ in range(text.count(typed))]
            want = 2 if lang != "fi" else 1  # the client's line and the counsellor's
            assert len(on) == want and len(set(on)) == 1, (lang, variant, n, typed, on)
            lines = [t for t in pages[on[0]].splitlines() if t.strip()]
            at = next(j for j, t in enumerate(lines) if typed in t)
            years = ("2024", "2025", "2026", "2027")  # its date right above it
            assert at > 0 and any(y in lines[at - 1] for y in years), (typed, lines[:at])


@requires_poppler
def test_an_empty_part_is_left_out(tmp_path: Path) -> None:
    pdf = render_timeline(Client(name="Ayaan Yusuf"), _facts(3), client_lang="fi",
                          counsellor_lang="fi", today=dt.date(2030, 1, 1))
    text = pdftotext(pdf, tmp_path)
    assert "Mitä on tapahtunut" in text and "Tyopaikka-02" in text
    assert "Mitä on tulossa" not in text and "kirjoitettu" not in text
