"""Every client language prints: no missing glyph, every character drawn by a face
whose cmap covers it, text selectable, the document language set."""

from __future__ import annotations

import datetime as dt
import unicodedata
from pathlib import Path

import pytest
from plans_render_helpers import PRINTED, pdftotext, requires_poppler

from counsel.demo.synthetic import sample_client, sample_plan
from counsel.i18n import CLIENT_LANGUAGES
from counsel.plans import textlayout as tl
from counsel.plans.render_card import Appointment, render_card
from counsel.plans.render_plan import render_plan
from counsel.plans.templates import load_catalogue, load_templates

# one typed sentence per language, in its own script (the catalogs may still be empty)
SAMPLES = {
    "fi": "Hyvää päivää! Äidinkieli ja työkokeilu alkavat syksyllä.",
    "sv": "God dag! Språkkursen börjar på måndag i Åbo.",
    "en": "Welcome! The course starts on Monday.",
    "ar": "مرحباً! تبدأ الدورة يوم الاثنين الساعة 9:00.",
    "so": "Soo dhawoow! Koorsadu waxay bilaabanaysaa Isniinta.",
    "fa": "خوش آمدید! کلاس از دوشنبه شروع می‌شود.",
    "fa_AF": "خوش آمدید! صنف از روز دوشنبه آغاز می‌شود.",
    "ckb": "بەخێربێن! خولەکە ڕۆژی دووشەممە دەست پێدەکات.",
    "ru": "Добро пожаловать! Курс начинается в понедельник.",
    "uk": "Ласкаво просимо! Курс починається в понеділок, їжак і ґанок.",
    "ti": "እንቋዕ ብደሓን መጻእኩም! ትምህርቲ ሰኑይ ይጅምር።",
    "et": "Tere tulemast! Kursus algab esmaspäeval, õhtul.",
}


def _check_lines(lines: list[tl.Line]) -> set[str]:
    """Assert every drawn character is covered; return the font families used."""
    families = set()
    assert lines, "nothing was drawn through the text layout"
    for line in lines:
        for run in line.runs:
            families.add(run.face.family)
            assert 0 not in run.shaped.glyphs, f".notdef drawn for {run.text!r}"
            for ch in run.text:
                if unicodedata.category(ch) in ("Cf", "Zs") and not run.face.covers(ord(ch)):
                    continue  # invisible formatting characters: HarfBuzz hides them
                assert run.face.covers(ord(ch)), f"{ch!r} U+{ord(ch):04X} not in {run.face.name}"
    return families


@pytest.mark.parametrize("lang", CLIENT_LANGUAGES)
def test_plan_in_every_language_draws_only_covered_glyphs(lang: str,
                                                          record_lines: list[tl.Line]) -> None:
    plan = sample_plan(lang, repeat=1)
    plan = plan.replace(sections=(*plan.sections, ("other", "")), goals=SAMPLES[lang])
    pdf = render_plan(plan, sample_client(lang), load_templates()["integration_plan"],
                      load_catalogue(), counsellor_lang="fi", client_lang=lang,
                      printed=PRINTED)
    assert pdf.startswith(b"%PDF")
    families = _check_lines(record_lines)
    if lang == "ti":
        assert "noto_ethiopic" in families
    if lang in ("ar", "fa", "fa_AF", "ckb"):
        assert "noto_arabic" in families
    assert f"/Lang ({lang.replace('_', '-')})".encode() in pdf


@pytest.mark.parametrize("lang", CLIENT_LANGUAGES)
@pytest.mark.parametrize("size", ["A6", "A4"])
def test_card_in_every_language_draws_only_covered_glyphs(lang: str, size: str,
                                                          record_lines: list[tl.Line]) -> None:
    appointment = Appointment(
        when=dt.datetime(2026, 3, 18, 14, 30), place="Hämeenkatu 10 B, huone 204",
        counsellor_name="Anna Virtanen", counsellor_phone="+358 40 123 4567", minutes=45,
        interpreter_language="ti", client_name=sample_client(lang).name)
    pdf = render_card(appointment, client_lang=lang, counsellor_lang="fi", size=size)
    assert pdf.startswith(b"%PDF")
    _check_lines(record_lines)


@requires_poppler
@pytest.mark.parametrize("lang", ["fi", "ru", "ti"])
def test_text_is_selectable(lang: str, tmp_path: Path) -> None:
    plan = sample_plan(lang, repeat=1).replace(goals=SAMPLES[lang])
    pdf = render_plan(plan, sample_client(lang), load_templates()["integration_plan"],
                      load_catalogue(), counsellor_lang="fi", client_lang=lang,
                      printed=PRINTED)
    text = " ".join(pdftotext(pdf, tmp_path).split())
    for word in SAMPLES[lang].split()[:3]:
        assert word in text
    assert sample_client(lang).name in text


@requires_poppler
@pytest.mark.parametrize("lang", ["ar", "fa", "ckb"])
def test_arabic_script_text_extracts_as_arabic_letters(lang: str, tmp_path: Path) -> None:
    """Contextual forms are mapped back to the letters they came from (no private-use
    characters in the extracted text)."""
    plan = sample_plan(lang, repeat=1).replace(goals=SAMPLES[lang])
    pdf = render_plan(plan, sample_client(lang), load_templates()["integration_plan"],
                      load_catalogue(), counsellor_lang=lang, client_lang=lang,
                      printed=PRINTED)
    text = unicodedata.normalize("NFKC", pdftotext(pdf, tmp_path))
    assert not any(0xE000 <= ord(c) <= 0xF8FF for c in text), "private-use characters"
    words = [w for w in SAMPLES[lang].replace("!", " ").split() if len(w) > 3]
    found = [w for w in words if w in text or w[::-1] in text]
    assert len(found) >= len(words) // 2, (words, text[:400])


def test_no_standard_pdf_font_is_referenced() -> None:
    """Only the embedded package fonts: no unembedded Helvetica from reportlab defaults."""
    from counsel.plans.proof import render_proof

    plan = render_plan(sample_plan("ar", repeat=1), sample_client("ar"),
                       load_templates()["integration_plan"], load_catalogue(),
                       counsellor_lang="fi", client_lang="ar", printed=PRINTED)
    card = render_card(Appointment(when=dt.datetime(2026, 3, 18, 9, 0), place="x",
                                   counsellor_name="y"), client_lang="ti")
    proof = render_proof("so")
    for pdf in (plan, card, proof):
        assert b"/Helvetica" not in pdf and b"/Times" not in pdf and b"/Courier" not in pdf
        assert b"/FontFile2" in pdf
