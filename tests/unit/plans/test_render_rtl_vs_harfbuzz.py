"""The glyphs drawn for right-to-left lines against an independent reference.

Reference, built here without counsel.plans.textlayout: python-bidi's own reordering
(``get_display``) for the visual order of characters, and uharfbuzz shaping straight from
the font file (``hb.shape``, direction from the bidi level, runs in visual order) for the
glyphs.  A control with the word order reversed must fail the comparison, so the
comparator is shown to be able to fail.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from functools import cache

import pytest
import uharfbuzz as hb
from bidi import get_display
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from counsel.plans import textlayout as tl
from counsel.plans.fonts import FontFace, FontSet

AR = "مرحبا بكم في مكتب الاندماج، الموعد القادم يوم 12/03 الساعة 10:30 مع المترجم."
FA_ZWNJ = "من می‌خواهم در سال ۱۴۰۳ زبان فنلاندی یاد بگیرم و در Helsinki کار کنم."
CKB = "بەخێربێن بۆ نووسینگەی کار، کۆبوونەوەی داهاتوو لە ١٢ی ئازار دەبێت."
AR_MIXED = "سجّلت في دورة Finnish A1.2 (المستوى الأول) يوم 2026-04-01 مع 15 طالباً."
CASES = {"ar": AR, "fa_zwnj": FA_ZWNJ, "ckb": CKB, "ar_mixed": AR_MIXED}


@cache
def _hb_font(path: str) -> hb.Font:
    with open(path, "rb") as fp:
        return hb.Font(hb.Face(hb.Blob(fp.read())))


def _hb_glyphs(face: FontFace, text: str, rtl: bool) -> list[int]:
    buf = hb.Buffer()
    buf.add_str(text)
    buf.guess_segment_properties()
    buf.direction = "rtl" if rtl else "ltr"
    hb.shape(_hb_font(str(face.path)), buf, {"kern": True, "liga": True})
    return [g.codepoint for g in buf.glyph_infos]


def _strip_controls(text: str) -> str:
    return "".join(c for c in text if unicodedata.category(c) != "Cf")


def _unmirror(text: str) -> str:
    return text.translate(str.maketrans("()[]{}<>", "(" * 8))


def reference_visual_text(text: str, rtl: bool, before: str = "") -> str:
    """The line's characters in visual order according to python-bidi (mirroring undone).

    Levels belong to the paragraph, not the line (UAX #9): digits after Arabic letters
    are Arabic numbers (rule W2) even when the line starts with them, so for a wrapped
    line the last strong right-to-left letter before it (``before``) is put in front,
    and taken out of the result again.
    """
    context = next((c for c in reversed(before)
                    if unicodedata.bidirectional(c) in ("L", "R", "AL")), "")
    context = context if context and unicodedata.bidirectional(context) == "AL" else ""
    shown = str(get_display(context + text, base_dir="R" if rtl else "L"))
    if context:
        assert shown.endswith(context) or not rtl
        shown = shown[:-1] if rtl else shown.replace(context, "", 1)
    return _unmirror(_strip_controls(shown))


def drawn_visual_text(line: tl.Line) -> str:
    return _unmirror(_strip_controls("".join(
        run.text[::-1] if run.rtl else run.text for run in line.runs)))


def reference_glyphs(line: tl.Line, paragraph: str) -> list[int]:
    """hb.shape of each run of the line, straight from the font file, in visual order."""
    out: list[int] = []
    for run in line.runs:
        out.extend(_hb_glyphs(run.face, paragraph[run.start:run.end], run.rtl))
    return out


def drawn_glyphs(line: tl.Line) -> list[int]:
    """What reportlab will emit: each drawn character mapped back to its glyph."""
    from reportlab.pdfbase import pdfmetrics

    out: list[int] = []
    for run in line.runs:
        c2g = pdfmetrics.getFont(run.face.name).face.charToGlyph
        out.extend(c2g[ord(ch)] for ch in run.shaped.text)
    return out


def same(drawn: Sequence[int] | str, reference: Sequence[int] | str) -> bool:
    return list(drawn) == list(reference)


def _lines(text: str, style: tl.TextStyle, width: float) -> tuple[str, list[tl.Line]]:
    para = tl.ParagraphLayout(text, style.replace(rtl=True))
    return para.text, [para.line(s, e) for s, e in para.break_lines(width)]


@pytest.mark.parametrize("case", sorted(CASES))
@pytest.mark.parametrize("width", [2000.0, 160.0])  # one line, and wrapped
def test_rtl_lines_match_python_bidi_and_harfbuzz(case: str, width: float,
                                                  style: tl.TextStyle) -> None:
    text, lines = _lines(CASES[case], style, width)
    if width < 1000:
        assert len(lines) >= 3, "the narrow case must really wrap"
    for line in lines:
        start = min(r.start for r in line.runs)
        seg = text[start:max(r.end for r in line.runs)]
        reference = reference_visual_text(seg, rtl=True, before=text[:start])
        assert same(drawn_visual_text(line), reference), seg
        assert same(drawn_glyphs(line), reference_glyphs(line, text)), seg
        assert 0 not in drawn_glyphs(line), "a .notdef box was drawn"


def test_runs_are_shaped_with_harfbuzz_direction_and_joining(style: tl.TextStyle) -> None:
    """Arabic-script runs really are joined: the drawn glyphs differ from the glyphs of
    the isolated letters (cmap), and ZWNJ changes the Persian word's shaping."""
    text, (line,) = _lines("می‌خواهم", style, 2000)
    (run,) = line.runs
    isolated = [_cmap_glyph(run.face, c) for c in reversed(run.text)]
    assert run.rtl and list(run.shaped.glyphs) != isolated
    _, (joined,) = _lines("میخواهم", style, 2000)
    assert drawn_glyphs(joined) != drawn_glyphs(line), "ZWNJ was lost"


def _cmap_glyph(face: FontFace, ch: str) -> int:
    from reportlab.pdfbase import pdfmetrics

    return int(pdfmetrics.getFont(face.name).face.charToGlyph.get(ord(ch), 0))


@pytest.mark.parametrize("case", sorted(CASES))
def test_comparator_detects_reversed_word_order(case: str, style: tl.TextStyle) -> None:
    """Control: lay out the words in reversed order; the reference of the real text must
    not match it, so a layout that reordered words wrongly would fail the test above."""
    text = CASES[case]
    _, (good,) = _lines(text, style, 2000)
    reversed_text = " ".join(reversed(text.split(" ")))
    _, (bad,) = _lines(reversed_text, style, 2000)
    reference = reference_visual_text(text, rtl=True)
    assert same(drawn_visual_text(good), reference)
    assert not same(drawn_visual_text(bad), reference)
    assert not same(drawn_glyphs(bad), reference_glyphs(good, text))


def test_comparator_detects_runs_shaped_in_the_wrong_direction(style: tl.TextStyle) -> None:
    text, (line,) = _lines(AR, style, 2000)
    wrong: list[int] = []
    for run in line.runs:
        wrong.extend(_hb_glyphs(run.face, text[run.start:run.end], not run.rtl))
    assert not same(drawn_glyphs(line), wrong)


def test_digits_inside_rtl_text_stay_left_to_right(style: tl.TextStyle) -> None:
    _, (line,) = _lines("الساعة 10:30 و ۱۴۰۳", style, 2000)
    visual = drawn_visual_text(line)
    assert "10:30" in visual and "۱۴۰۳" in visual


def test_neutral_characters_follow_their_neighbours_font(font_set: FontSet) -> None:
    chain = font_set.regular
    text = "سلام (abc) ۱۲۳ 45/67"
    faces = tl.assign_faces(text, chain, tl.ParagraphLayout(text, tl.TextStyle(
        fonts=chain, rtl=True)).levels)
    by_char = dict(zip(range(len(text)), faces, strict=True))
    arabic = by_char[0]
    assert by_char[text.index("(")] is arabic and by_char[text.index(")")] is arabic
    assert by_char[text.index("a")].family == "noto_sans"
    assert by_char[text.index("/")] is by_char[text.index("4")]


MIXED_WORDS = st.sampled_from([
    "سلام", "مرحبا", "می‌خواهم", "ڕۆژ", "Helsinki", "A1.2", "12/03", "10:30", "(abc)",
    "۱۴۰۳", "٢٠", "työ", "—", "،", ".", "!", "x-y", "[1]", "50%", "+358",
])


@settings(max_examples=60, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(words=st.lists(MIXED_WORDS, min_size=1, max_size=14),
       rtl=st.sampled_from([True, False, None]))
def test_any_mixed_line_is_ordered_like_python_bidi(style: tl.TextStyle, words: list[str],
                                                    rtl: bool | None) -> None:
    text = " ".join(words)
    para = tl.ParagraphLayout(text, style.replace(rtl=rtl))
    (span,) = para.break_lines(100_000)
    line = para.line(*span)
    seg = para.text[span[0]:span[1]]
    assert same(drawn_visual_text(line), reference_visual_text(seg, rtl=para.rtl)), seg
    assert same(drawn_glyphs(line), reference_glyphs(line, para.text)), seg
