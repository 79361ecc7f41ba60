"""The time report PDF in the interface language, any script: every text (title,
headings, column names, labels, the chart's legend) is drawn by a face that has its
glyphs, shaped and ordered by the plans' layout; an Arabic report reads right to left.

The Arabic report printed every Arabic word as nothing: Noto Sans has no Arabic glyphs
and reportlab's own Paragraph neither falls back nor reorders."""

from __future__ import annotations

import datetime as dt
import unicodedata
from collections.abc import Iterator

import pytest

from counsel.domain import Client, WorkEntry, WorkKind
from counsel.i18n import current_language, set_language
from counsel.plans import textlayout as tl
from counsel.timekeeping.report_pdf import render_pdf
from counsel.timekeeping.report_tables import time_tables
from counsel.timekeeping.reports import time_report
from counsel.timekeeping.split import Period

D = dt.date(2026, 11, 2)


@pytest.fixture
def drawn(monkeypatch: pytest.MonkeyPatch) -> list[tuple[tl.Line, float, float]]:
    """Every line drawn through the plans' layout: (line, left edge, box right edge)."""
    out: list[tuple[tl.Line, float, float]] = []
    original = tl.draw_line

    def spy(canvas: object, line: tl.Line, style: tl.TextStyle, x: float, baseline: float,
            width: float) -> None:
        out.append((line, tl.line_x(line, style, x, width), x + width))
        original(canvas, line, style, x, baseline, width)

    monkeypatch.setattr(tl, "draw_line", spy)
    return out


@pytest.fixture
def language() -> Iterator[None]:
    before = current_language()
    yield
    set_language(before)


def _report(lang: str) -> bytes:
    set_language(lang)
    client = Client(name="ليلى حسن")
    entries = [WorkEntry(kind=WorkKind.VISIBLE, date=D, minutes=95, client=client.id),
               WorkEntry(kind=WorkKind.BACKGROUND, date=D, minutes=35),
               WorkEntry(kind=WorkKind.INTERNAL, date=D, minutes=50)]
    tables = time_tables(time_report(entries, D, D + dt.timedelta(days=6), Period.WEEK),
                         by_client=True, client_names={client.id: client.name})
    return render_pdf(tables, title="تقرير الوقت", first=D, last=D + dt.timedelta(days=6))


def _text(line: tl.Line) -> str:
    return "".join(run.text[::-1] if run.rtl else run.text for run in line.runs)


@pytest.mark.parametrize("lang", ["ar", "fi"])
def test_every_text_is_drawn_with_covering_faces(lang: str, language: None,
                                                 drawn: list[tuple[tl.Line, float, float]]
                                                 ) -> None:
    from counsel.i18n import gettext as _

    assert _report(lang).startswith(b"%PDF")
    texts = [_text(line) for line, _x, _e in drawn]
    for word in (_("Internal"), _("Visible"), _("By client"), _("Visible (hours)")):
        assert any(word in t or word[::-1] in t or word in t[::-1] for t in texts), word
    for line, _x, _e in drawn:
        for run in line.runs:
            assert 0 not in run.shaped.glyphs, f".notdef for {run.text!r}"
            for ch in run.text:
                if unicodedata.category(ch) not in ("Cf", "Zs"):
                    assert run.face.covers(ord(ch)), (ch, run.face.name)


def test_arabic_report_reads_right_to_left(language: None,
                                           drawn: list[tuple[tl.Line, float, float]]) -> None:
    from counsel.i18n import gettext as _

    _report("ar")
    heading = _("By client")
    (line, left, right), *_rest = [(ln, x, e) for ln, x, e in drawn
                                   if ln.rtl and _text(ln)[::-1] == heading]
    # against the right edge of the text frame (coordinates are the frame's), not the left
    assert left + line.width == pytest.approx(right) and left > right / 2
