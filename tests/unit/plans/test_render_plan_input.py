"""Plan PDF behaviour: fallbacks, bad input, long text, bilingual blocks, metadata."""

from __future__ import annotations

from pathlib import Path

import pytest
from plans_render_helpers import PRINTED, pdf_pages, pdftotext, requires_poppler

from counsel.demo.synthetic import sample_client, sample_plan
from counsel.errors import KnownError
from counsel.plans import templates
from counsel.plans import textlayout as tl
from counsel.plans.printing import FALLBACK_GREY, UnknownLanguage
from counsel.plans.render_plan import render_plan


def _render(lang: str = "ar", counsellor: str = "fi", **kwargs: object) -> bytes:
    plan = kwargs.pop("plan", None) or sample_plan("ar", repeat=1)
    return render_plan(plan, sample_client("ar"),  # type: ignore[arg-type]
                       templates.load_templates()["integration_plan"],
                       templates.load_catalogue(), counsellor_lang=counsellor, client_lang=lang,
                       printed=PRINTED, **kwargs)  # type: ignore[arg-type]


def _fake_catalog(monkeypatch: pytest.MonkeyPatch, table: dict[str, dict[str, str]]) -> None:
    def plan_gettext(lang: str, extra_dirs: object = ()) -> object:
        return lambda msgid: table.get(lang, {}).get(msgid, msgid)

    monkeypatch.setattr(templates, "plan_gettext", plan_gettext)


@pytest.mark.parametrize("bad", ["xx", "", "klingon", "de"])
def test_unknown_language_is_a_known_error(bad: str) -> None:
    with pytest.raises(UnknownLanguage) as info:
        _render(bad)
    assert isinstance(info.value, KnownError)
    assert bad in info.value.message
    assert info.value.help()


def test_unknown_counsellor_language_is_a_known_error() -> None:
    with pytest.raises(UnknownLanguage):
        _render("ar", counsellor="zz")


def test_unknown_variant_is_refused() -> None:
    with pytest.raises(ValueError, match="variant"):
        _render("fi", variant="tiny")


def test_missing_translation_falls_back_visibly(monkeypatch: pytest.MonkeyPatch,
                                                record_lines: list[tl.Line]) -> None:
    _fake_catalog(monkeypatch, {"ar": {"Integration plan": "خطة الاندماج"},
                                "fi": {"Integration plan": "Kotoutumissuunnitelma"}})
    _render("ar")
    texts = {"".join(r.text for r in sorted(line.runs, key=lambda r: r.start))
             for line in record_lines}
    assert "خطة الاندماج" in texts and "Kotoutumissuunnitelma" in texts
    assert not any("Integration plan" in t for t in texts), "a translated title fell back"
    # an untranslated section title: English, with the marker, in grey
    assert any("[en] Your life now" in t for t in texts)
    assert any("[en] = " in t for t in texts), "no note explains the marker"


def test_fallback_lines_are_grey(monkeypatch: pytest.MonkeyPatch) -> None:
    drawn: list[tuple[str, tuple[float, float, float]]] = []
    original = tl.draw_line

    def spy(canvas: object, line: tl.Line, style: tl.TextStyle, *a: object) -> None:
        drawn.append(("".join(r.text for r in line.runs), style.color))
        original(canvas, line, style, *a)  # type: ignore[arg-type]

    monkeypatch.setattr(tl, "draw_line", spy)
    _fake_catalog(monkeypatch, {"ar": {"Your goals": "أهدافك"}})
    _render("ar")
    colours = {text: colour for text, colour in drawn}
    assert colours["أهدافك"] != FALLBACK_GREY
    assert any("Your life now" in t and c == FALLBACK_GREY for t, c in drawn)


def test_fully_translated_plan_has_no_marker(monkeypatch: pytest.MonkeyPatch,
                                             record_lines: list[tl.Line]) -> None:
    """Identity 'translations' of every msgid in English count as translated."""
    _render("en", counsellor="en")
    assert not any("[en]" in r.text for line in record_lines for r in line.runs)


@requires_poppler
def test_huge_free_text_wraps_across_pages(tmp_path: Path, record_lines: list[tl.Line]) -> None:
    words = [f"sana{n}" for n in range(4300)]  # ~30k characters in one field
    huge = " ".join(words)
    assert len(huge) > 30_000
    plan = sample_plan("fi", repeat=1)
    plan = plan.replace(sections=(("situation", "ALKU " + huge + " LOPPU"),))
    pdf = _render("fi", plan=plan)
    assert pdf_pages(pdf) >= 8
    text = pdftotext(pdf, tmp_path)
    assert "ALKU" in text and "LOPPU" in text and "sana2150" in text
    frame_width = 595.2756 - 2 * 51.0236
    assert max(line.width for line in record_lines) <= frame_width + 0.5


def test_very_long_word_is_broken_not_overflowing(style: tl.TextStyle) -> None:
    word = "x" * 500
    lines = tl.layout(word + " loppu", style, 200)
    assert len(lines) >= 3
    assert all(line.width <= 200.5 for line in lines)
    assert "".join(r.text for line in lines for r in line.runs).replace(" ", "") == word + "loppu"


def test_document_metadata(tmp_path: Path) -> None:
    pdf = _render("fa_AF")
    assert b"/Lang (fa-AF)" in pdf
    assert b"/Title" in pdf and b"/Creator (Counsel)" in pdf


def test_large_print_uses_large_type_and_atkinson(record_lines: list[tl.Line]) -> None:
    pdf_standard = _render("fi", counsellor="fi")
    standard_lines = len(record_lines)
    record_lines.clear()
    pdf_large = _render("fi", counsellor="fi", variant="large_print")
    assert pdf_pages(pdf_large) > pdf_pages(pdf_standard)
    assert len(record_lines) > standard_lines
    assert any(r.face.family == "atkinson" for line in record_lines for r in line.runs)


def test_large_print_has_nothing_below_14_points(monkeypatch: pytest.MonkeyPatch) -> None:
    sizes: list[float] = []
    original = tl.draw_line

    def spy(canvas: object, line: tl.Line, style: tl.TextStyle, *a: object) -> None:
        sizes.append(style.size)
        original(canvas, line, style, *a)  # type: ignore[arg-type]

    monkeypatch.setattr(tl, "draw_line", spy)
    _render("ar", counsellor="fi", variant="large_print")
    assert sizes and min(sizes) >= 14
    sizes.clear()
    _render("ar", counsellor="fi")
    assert min(sizes) < 14  # the control: the standard variant does use small type


def test_free_text_is_printed_as_typed_never_translated(monkeypatch: pytest.MonkeyPatch,
                                                        record_lines: list[tl.Line]) -> None:
    _fake_catalog(monkeypatch, {"ar": {"Work": "عمل"}})
    plan = sample_plan("ar", repeat=1).replace(sections=(("situation", "Work Work Work"),))
    _render("ar", plan=plan)
    texts = ["".join(r.text for r in sorted(line.runs, key=lambda r: r.start))
             for line in record_lines]
    assert "Work Work Work" in texts


def test_no_client_text_stays_in_the_shaping_cache_after_a_render() -> None:
    from counsel.plans import layout_shape
    from counsel.plans.render_card import Appointment, render_card

    _render("ar")
    assert layout_shape._hb_shape.cache_info().currsize == 0
    import datetime as dt

    render_card(Appointment(when=dt.datetime(2026, 3, 18, 9, 0), place="Kotikatu 1",
                            counsellor_name="A"), client_lang="fi")
    assert layout_shape._hb_shape.cache_info().currsize == 0


@pytest.mark.parametrize(("lang", "variant"), [("fa_AF", "large_print"), ("sv", "large_print"),
                                                ("ar", "standard"), ("ti", "standard")])
def test_no_two_drawn_lines_overlap_on_any_page(lang: str, variant: str,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    """Header, footer (long draft notes in large print), body: nothing drawn over."""
    boxes: dict[int, list[tuple[float, float, float, float, str]]] = {}
    original = tl.draw_line

    def spy(canvas: object, line: tl.Line, style: tl.TextStyle, x: float, baseline: float,
            width: float) -> None:
        left = tl.line_x(line, style, x, width)
        page = canvas.getPageNumber()  # type: ignore[attr-defined]
        text = "".join(r.text for r in line.runs)
        # absolute position: flowables draw in translated coordinates
        ax, ay = canvas.absolutePosition(left, baseline)  # type: ignore[attr-defined]
        boxes.setdefault(page, []).append(
            (ax, ay - 0.22 * style.size, ax + line.width, ay + 0.75 * style.size, text))
        original(canvas, line, style, x, baseline, width)  # type: ignore[arg-type]

    monkeypatch.setattr(tl, "draw_line", spy)
    long_org = "Helsingin kaupunki, maahanmuuttajapalvelut ja kotoutumisen tuki, Itäkeskus"
    _render(lang, counsellor="fi", variant=variant, organisation=long_org)
    assert len(boxes) >= 2
    for page, items in boxes.items():
        for i, a in enumerate(items):
            assert 0 <= a[0] and a[2] <= 595.3 and 0 <= a[1] and a[3] <= 841.9, (page, a)
            for b in items[i + 1:]:
                overlap = a[0] < b[2] - 0.5 and b[0] < a[2] - 0.5 and a[1] < b[3] - 0.5 \
                    and b[1] < a[3] - 0.5
                assert not overlap, (page, a[4], b[4])


@pytest.mark.parametrize("lang", ["ar", "ti", "sv", "ckb"])
@pytest.mark.parametrize("size", ["A6", "A4"])
def test_no_two_card_lines_overlap(lang: str, size: str,
                                   monkeypatch: pytest.MonkeyPatch) -> None:
    import datetime as dt

    from counsel.plans.render_card import Appointment, render_card

    boxes: list[tuple[float, float, float, float, str]] = []
    original = tl.draw_line

    def spy(canvas: object, line: tl.Line, style: tl.TextStyle, x: float, baseline: float,
            width: float) -> None:
        left = tl.line_x(line, style, x, width)
        boxes.append((left, baseline - 0.22 * style.size, left + line.width,
                      baseline + 0.75 * style.size, "".join(r.text for r in line.runs)))
        original(canvas, line, style, x, baseline, width)  # type: ignore[arg-type]

    monkeypatch.setattr(tl, "draw_line", spy)
    render_card(Appointment(when=dt.datetime(2026, 3, 18, 14, 30),
                            place="Hämeenkatu 10 B, 2. krs, huone 204", minutes=45,
                            counsellor_name="Anna Virtanen", counsellor_phone="+358 40 1234567",
                            interpreter_language="ti", client_name="Laila Hassan"),
                client_lang=lang, counsellor_lang="fi", size=size, organisation="Kaupunki")
    for i, a in enumerate(boxes):
        for b in boxes[i + 1:]:
            overlap = a[0] < b[2] - 0.5 and b[0] < a[2] - 0.5 and a[1] < b[3] - 0.5 \
                and b[1] < a[3] - 0.5
            assert not overlap, (a[4], b[4])
