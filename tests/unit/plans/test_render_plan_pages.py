"""Printed plans as a client reads them (issue 14 item 7): the review status said once,
originals not "unreviewed", empty sections left out, a measure on one page, the
language's own list comma, and the Arabic card on one reading edge."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from plans_render_helpers import PRINTED, pdf_pages, pdftotext, requires_poppler

from counsel.demo.synthetic import sample_client, sample_plan
from counsel.plans import templates
from counsel.plans import textlayout as tl
from counsel.plans.render_card import Appointment, render_card
from counsel.plans.render_plan import render_plan

DRAFT = "Draft translation"


def _render(plan: Any, lang: str, counsellor: str = "en") -> bytes:
    return render_plan(plan, sample_client("ar"), templates.load_templates()["integration_plan"],
                       templates.load_catalogue(), counsellor_lang=counsellor,
                       client_lang=lang, printed=PRINTED)


def _pages(pdf: bytes, tmp_path: Path) -> list[str]:
    return pdftotext(pdf, tmp_path).split("\f")[:pdf_pages(pdf)]


def test_finnish_and_swedish_are_originals_not_unreviewed() -> None:
    assert templates.review_status("fi").status == "reviewed"
    assert templates.review_status("sv").status == "reviewed"
    assert templates.review_status("ar").status == "draft"


@requires_poppler
def test_the_review_status_is_said_once(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("counsel.plans.render_plan.review_status",
                        lambda lang: templates.ReviewStatus(lang, "draft", "", None))
    pages = _pages(_render(sample_plan("ar", repeat=3), "ar"), tmp_path)
    assert len(pages) >= 2
    assert DRAFT in pages[0] and not any(DRAFT in p for p in pages[1:])


@requires_poppler
def test_empty_sections_are_left_out(tmp_path: Path) -> None:
    plan = sample_plan("en", repeat=1).replace(sections=(), measures=())
    text = pdftotext(_render(plan, "en"), tmp_path)
    assert "Nothing written yet" not in text
    assert "What slows you down" not in text  # the empty "obstacles" section's help
    assert "Your goals" in text  # goals were written


@requires_poppler
@pytest.mark.parametrize("lang", ["fi", "ar"])
def test_a_measure_stays_on_one_page(lang: str, tmp_path: Path) -> None:
    # the measure's title (in English under the client's language) and its provider
    # (typed, the last line) are on one page, however long the text before them
    measures = {"Integration training": "Tampereen aikuiskoulutuskeskus",
                "Work trial": "Koulu (avustava opettaja)"}
    for repeat in (1, 2, 3):
        pages = _pages(_render(sample_plan(lang, repeat=repeat), lang), tmp_path)
        for title, provider in measures.items():
            on = [i for i, p in enumerate(pages) if title in p]
            assert on and on[0] == next(i for i, p in enumerate(pages) if provider in p), (
                lang, repeat, title)


def test_arabic_and_tigrinya_lists_use_their_own_comma(record_lines: list[tl.Line]) -> None:
    _render(sample_plan("ar", repeat=1), "ar")
    texts = ["".join(r.text for r in ln.runs) for ln in record_lines]
    lang_lines = [t for t in texts if "العربية" in t and "الأم" in t]
    assert lang_lines and all("،" in t for t in lang_lines)
    assert not any("العربية," in t for t in texts)
    record_lines.clear()
    _render(sample_plan("ti", repeat=1), "ti")
    assert any("፣" in "".join(r.text for r in ln.runs) for ln in record_lines)


def test_arabic_card_has_one_reading_edge_and_a_plain_zero(monkeypatch: pytest.MonkeyPatch) -> None:
    drawn: list[tuple[str, tl.TextStyle]] = []
    original = tl.draw_line

    def spy(canvas: Any, line: tl.Line, style: tl.TextStyle, *a: Any, **k: Any) -> None:
        drawn.append(("".join(r.text for r in line.runs), style))
        original(canvas, line, style, *a, **k)

    monkeypatch.setattr(tl, "draw_line", spy)
    card = Appointment(when=dt.datetime(2026, 3, 18, 14, 30), place="Hämeenkatu 10 B",
                       counsellor_name="Anna Virtanen", counsellor_phone="+358 40 123 4567",
                       minutes=45, client_name="Laila")
    render_card(card, client_lang="ar", counsellor_lang="fi")
    by_text = {t: s for t, s in drawn}
    for text in ("Hämeenkatu 10 B", "Anna Virtanen", "Laila", "Paikka"):
        style = next(s for t, s in by_text.items() if text in t)
        assert style.align == "right", text
    phone = next(s for t, s in by_text.items() if "358" in t)
    assert "Atkinson" not in phone.fonts.primary.name
