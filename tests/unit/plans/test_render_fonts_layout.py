"""Fonts from the packages, static instances, and properties of the line breaker."""

from __future__ import annotations

import unicodedata
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from counsel.plans import fonts, layout_bidi
from counsel.plans import textlayout as tl


def test_fonts_come_from_the_packages_with_their_licences() -> None:
    for family in ("noto_sans", "noto_arabic", "noto_ethiopic", "atkinson"):
        src = fonts.source_path(family)
        assert "site-packages" in str(src) or "dist-packages" in str(src)
        licence = [p for p in src.parent.iterdir() if p.name.upper().startswith(("OFL", "LICENSE"))]
        licence += [p for p in src.parent.parent.iterdir() if p.name.upper().startswith("LICENSE")]
        assert licence, f"no licence file next to {src}"
        text = licence[0].read_text(encoding="utf-8", errors="replace")
        assert "SIL OPEN FONT LICENSE" in text.upper()


def test_static_instances_are_cached_and_bold_is_really_bold(font_set: fonts.FontSet) -> None:
    from fontTools.ttLib import TTFont

    regular = font_set.regular.faces[0]
    bold = font_set.bold.faces[0]
    # made at install (a source install or a packaged build) or on first use
    assert regular.path.parent in (fonts.cache_dir(), *fonts.prebuilt_dirs())
    assert bold.path != regular.path
    assert "fvar" not in TTFont(regular.path) and "fvar" not in TTFont(bold.path)
    assert TTFont(bold.path)["OS/2"].usWeightClass == 700
    # the cache key is the source file's hash: asking again returns the same file
    assert fonts.static_instance("noto_sans", 700) == bold.path
    width = {f.name: TTFont(f.path)["hmtx"]["a"][0] for f in (regular, bold)}
    assert width[bold.name] > width[regular.name]


def test_ethiopic_and_arabic_coverage(font_set: fonts.FontSet) -> None:
    chain = font_set.regular
    assert chain.first_covering(ord("ሰ")).family == "noto_ethiopic"  # type: ignore[union-attr]
    assert chain.first_covering(ord("ڕ")).family == "noto_arabic"  # type: ignore[union-attr]
    assert chain.first_covering(ord("ї")).family == "noto_sans"  # type: ignore[union-attr]
    assert chain.first_covering(ord("\u200c")) is not None


def test_python_bidi_levels_are_parsed() -> None:
    base, levels = layout_bidi.levels("abc مرحبا 123 x")
    assert base == 0
    assert levels == [0, 0, 0, 0, 1, 1, 1, 1, 1, 1, 2, 2, 2, 0, 0]
    base, levels = layout_bidi.levels("سلام abc", base_rtl=True)
    assert base == 1 and levels[-3:] == [2, 2, 2]


def test_visual_order_rule_l2() -> None:
    assert layout_bidi.visual_order([0, 0, 0]) == [0, 1, 2]
    assert layout_bidi.visual_order([1, 1, 1]) == [2, 1, 0]
    assert layout_bidi.visual_order([1, 2, 1]) == [2, 1, 0]
    assert layout_bidi.visual_order([0, 1, 1, 0]) == [0, 2, 1, 3]
    assert layout_bidi.visual_order([1, 2, 2, 1]) == [3, 1, 2, 0]


WORDS = st.sampled_from([
    "سلام", "مرحبا", "می‌خواهم", "کوردی", "ڕۆژ", "Helsinki", "A1.2", "12/03", "10:30",
    "(abc)", "۱۴۰۳", "ሰላም", "Привет", "työ", "—", ",", "x" * 40,
])
PARAGRAPHS = st.lists(WORDS, min_size=1, max_size=40).map(" ".join)


@settings(max_examples=40, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=PARAGRAPHS, width=st.floats(min_value=40, max_value=500), rtl=st.booleans())
def test_line_breaking_keeps_every_character_once_and_fits(
        style: tl.TextStyle, text: str, width: float, rtl: bool) -> None:
    para = tl.ParagraphLayout(text, style.replace(rtl=rtl))
    spans = para.break_lines(width)
    # lines are in order, non-overlapping, and only spaces are dropped between them
    pos = 0
    for start, end in spans:
        assert start >= pos and not para.text[pos:start].strip()
        pos = end
    assert not para.text[pos:].strip()
    kept = "".join(para.text[s:e] for s, e in spans).replace(" ", "")
    assert kept == para.text.replace(" ", "")
    for start, end in spans:
        line = para.line(start, end)
        # a line wider than the box only when one character alone is wider
        assert line.width <= width + 0.5 or end - start <= 1, para.text[start:end]
        # every character of the line is drawn exactly once, in some run
        covered = sorted(i for r in line.runs for i in range(r.start, r.end))
        assert covered == list(range(start, end))


@settings(max_examples=40, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=PARAGRAPHS)
def test_no_character_is_drawn_with_a_font_lacking_it(style: tl.TextStyle, text: str) -> None:
    for line in tl.layout(text, style.replace(rtl=None), 250):
        for run in line.runs:
            assert 0 not in run.shaped.glyphs
            for ch in run.text:
                assert run.face.covers(ord(ch)) or unicodedata.category(ch) in ("Cf", "Zs")


def test_flowable_splits_across_frames(style: tl.TextStyle) -> None:
    flow = tl.make_paragraph(" ".join(["sana"] * 800), style)
    w, h = flow.wrap(300, 10_000)
    assert h > 200
    first, rest = flow.split(300, 200)
    assert first.wrap(300, 200)[1] <= 200
    assert first.wrap(300, 200)[1] + rest.wrap(300, 10_000)[1] == pytest.approx(h)
    assert flow.split(300, 10_000) == []


def test_font_cache_dir_can_be_moved(tmp_path: Path) -> None:
    before = fonts.cache_dir()
    fonts.set_cache_dir(tmp_path)
    try:
        assert fonts.cache_dir() == tmp_path
    finally:
        fonts.set_cache_dir(before)


def test_numbers_are_not_broken_at_slashes_or_hyphens(style: tl.TextStyle) -> None:
    para = tl.ParagraphLayout("tapaaminen 12/03 ja 2026-04-01 sekä ja/tai", style)
    allowed = [i for i in range(1, len(para.text)) if tl._break_allowed_before(para.text, i)]
    texts = {para.text[i - 1:i + 1] for i in allowed}
    assert "2/" not in texts and "/0" not in texts and "-0" not in texts
    assert "/t" in texts  # "ja/tai" may break after the slash


def test_split_parts_never_repeat_text_when_rewrapped(style: tl.TextStyle) -> None:
    words = [f"w{n}" for n in range(600)]
    flow = tl.make_paragraph(" ".join(words), style)
    flow.wrap(300, 10_000)
    first, rest = flow.split(300, 120)
    rest.wrap(250, 10_000)  # a narrower frame on the next page
    drawn = [r.text for part in (first, rest) for line in part._lines for r in line.runs]
    assert " ".join(drawn).split() == words


def test_unusable_cache_dir_falls_back_to_temp(tmp_path: Path) -> None:
    before = fonts.cache_dir()
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    fonts.set_cache_dir(blocker / "fonts")
    try:
        target = fonts.writable_cache_dir()
    finally:
        fonts.set_cache_dir(before)
    assert target != blocker / "fonts" and target.is_dir()
    assert fonts.writable_cache_dir() == before


@settings(max_examples=60, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=st.text(max_size=120))
def test_any_text_lays_out_without_error(style: tl.TextStyle, text: str) -> None:
    """Whatever a person types or pastes (controls, separators, marks, emoji) lays out."""
    lines = tl.layout(text, style.replace(rtl=None), 150)
    assert lines
    for line in lines:
        assert line.width <= 150.5 or sum(r.end - r.start for r in line.runs) <= 1


def test_paragraph_separators_start_new_paragraphs(style: tl.TextStyle) -> None:
    lines = tl.layout("yksi\u2029kaksi\x85kolme\u2028neljä", style, 500)
    assert ["".join(r.text for r in line.runs) for line in lines] == [
        "yksi", "kaksi", "kolme", "neljä"]
