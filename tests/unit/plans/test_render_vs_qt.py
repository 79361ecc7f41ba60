"""Pixel comparison of right-to-left lines against Qt's own text rendering.

Qt (QTextDocument, HarfBuzz inside Qt, its own bidi) draws the same line with the same
static font files; both images are reduced to a horizontal ink profile (darkness per
column across the line), which is robust to the two rasterizers' anti-aliasing but not
to a word in the wrong place, a run in the wrong direction or a letter not joined.  A
control with the words reversed must not match.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from plans_render_helpers import requires_poppler

from counsel.plans import textlayout as tl
from counsel.plans.fonts import FontSet

LINES = {
    "ar": "مرحبا بكم في مكتب الاندماج يوم 12/03",
    "fa": "من می‌خواهم زبان فنلاندی یاد بگیرم",
    "fa_AF": "صنف از روز دوشنبه آغاز می‌شود",
    "ckb": "بەخێربێن بۆ نووسینگەی کار",
    "ar_mixed": "سجّلت في دورة Finnish A1.2 مع 15 طالباً",
    # the plan's header: a Latin name and an Arabic date, each an isolate (FSI … PDI)
    "header_isolates": "\u2068Sahra Warsame\u2069  ·  \u206802\u200f/12\u200f/2026\u2069",
}
SIZE = 40
BINS = 240

pytestmark = [pytest.mark.gui, requires_poppler]


def _profile(pixels: list[list[int]]) -> list[float]:
    """Darkness per column of the inked part, resampled to BINS columns."""
    width = len(pixels[0])
    ink = [sum(255 - row[x] for row in pixels) for x in range(width)]
    cols = [x for x, v in enumerate(ink) if v > 0]
    ink = ink[cols[0]:cols[-1] + 1]
    out = []
    for b in range(BINS):
        lo, hi = b * len(ink) // BINS, max((b + 1) * len(ink) // BINS, b * len(ink) // BINS + 1)
        out.append(sum(ink[lo:hi]) / (hi - lo))
    return out


def _correlation(a: list[float], b: list[float]) -> float:
    ma, mb = sum(a) / len(a), sum(b) / len(b)
    cov = sum((x - ma) * (y - mb) for x, y in zip(a, b, strict=True))
    va = sum((x - ma) ** 2 for x in a) ** 0.5
    vb = sum((y - mb) ** 2 for y in b) ** 0.5
    return cov / (va * vb)


def _ours(text: str, fonts: FontSet, tmp_path: Path) -> tuple[list[list[int]], float]:
    from PIL import Image
    from reportlab.pdfgen.canvas import Canvas

    style = tl.TextStyle(fonts=fonts.regular, size=SIZE, rtl=True)
    (line,) = tl.layout(text, style, 5000)
    pdf = tmp_path / "ours.pdf"
    c = Canvas(str(pdf), pagesize=(line.width + 40, SIZE * 2))
    tl.draw_line(c, line, style, 20, SIZE * 0.6, line.width)
    c.save()
    subprocess.run(["pdftoppm", "-gray", "-png", "-r", "72", "-singlefile", str(pdf),
                    str(tmp_path / "ours")], check=True)
    with Image.open(tmp_path / "ours.png") as img:
        g = img.convert("L")
        return [[g.getpixel((x, y)) for x in range(g.width)] for y in range(g.height)], line.width


def _qt(text: str, fonts: FontSet) -> tuple[list[list[int]], float]:
    from PySide6.QtCore import Qt
    from PySide6.QtGui import QFont, QFontDatabase, QImage, QPainter, QTextDocument, QTextOption
    from PySide6.QtWidgets import QApplication

    _app = QApplication.instance() or QApplication([])
    families = []
    for face in fonts.regular.faces[:2]:  # Noto Sans, Noto Sans Arabic
        fid = QFontDatabase.addApplicationFont(str(face.path))
        assert fid >= 0
        families.extend(QFontDatabase.applicationFontFamilies(fid))
    font = QFont()
    font.setFamilies(list(reversed(families)))  # Arabic first, Latin from Noto Sans
    font.setPixelSize(SIZE)
    doc = QTextDocument()
    doc.setDefaultFont(font)
    doc.setDocumentMargin(0)
    option = QTextOption()
    option.setTextDirection(Qt.LayoutDirection.RightToLeft)
    option.setWrapMode(QTextOption.WrapMode.NoWrap)
    doc.setDefaultTextOption(option)
    doc.setPlainText(text)
    width = doc.idealWidth()
    image = QImage(int(width) + 40, SIZE * 2, QImage.Format.Format_Grayscale8)
    image.fill(255)
    painter = QPainter(image)
    painter.translate(20, 0)
    doc.drawContents(painter)
    painter.end()
    rows = [[image.pixelColor(x, y).value() for x in range(image.width())]
            for y in range(image.height())]
    return rows, width


@pytest.mark.parametrize("case", sorted(LINES))
def test_rtl_line_matches_qt(case: str, font_set: FontSet, tmp_path: Path) -> None:
    ours, our_width = _ours(LINES[case], font_set, tmp_path)
    qt, qt_width = _qt(LINES[case], font_set)
    assert our_width == pytest.approx(qt_width, rel=0.03)
    # measured 0.95-0.975: the two rasterizers anti-alias differently
    assert _correlation(_profile(ours), _profile(qt)) > 0.92


@pytest.mark.parametrize("case", sorted(LINES))
def test_reversed_words_do_not_match_qt(case: str, font_set: FontSet, tmp_path: Path) -> None:
    reversed_text = " ".join(reversed(LINES[case].split(" ")))
    ours, _ = _ours(reversed_text, font_set, tmp_path)
    qt, _ = _qt(LINES[case], font_set)
    assert _correlation(_profile(ours), _profile(qt)) < 0.6  # measured -0.09 to 0.30
