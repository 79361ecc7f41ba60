"""Shape one run of text (one font, one direction) with HarfBuzz for reportlab.

reportlab's own ``shapeStr`` lets HarfBuzz *guess* the direction from the script.  That
is wrong for a run of Persian or Arabic-Indic digits, which are Arabic script but are
laid out left to right (bidi level 2 inside right-to-left text): HarfBuzz would reverse
them.  So this module does what ``shapeStr`` does, with the direction taken from the
bidi level.  The result is reportlab's own ``ShapedStr`` (glyphs in visual order, each
glyph mapped to a character of the font so the PDF text stays selectable), so
``canvas.drawString`` draws it exactly as it draws ``shapeStr`` output.
"""

from __future__ import annotations

import dataclasses
from typing import Any

#: HarfBuzz features: defaults plus kerning and standard ligatures (no discretionary ones)
FEATURES = {"kern": True, "liga": True}


@dataclasses.dataclass(frozen=True)
class ShapedRun:
    text: Any  # reportlab.pdfbase.ttfonts.ShapedStr (a str subclass)
    glyphs: tuple[int, ...]  # glyph ids, visual order
    clusters: tuple[int, ...]  # index into the run's text, per glyph
    width: float  # points


def hb_shape(font_name: str, text: str, size: float, rtl: bool) -> tuple[Any, Any, Any]:
    """HarfBuzz shaping of ``text`` with an explicit direction; (hb font, infos, positions)."""
    import uharfbuzz as hb
    from reportlab.pdfbase import pdfmetrics

    ttf: Any = pdfmetrics.getFont(font_name)
    hbf = ttf.hbFont(size)
    buf = hb.Buffer()
    buf.cluster_level = hb.BufferClusterLevel.MONOTONE_CHARACTERS
    buf.add_str(text)
    buf.guess_segment_properties()
    buf.direction = "rtl" if rtl else "ltr"
    hb.shape(hbf, buf, FEATURES)
    return hbf, buf.glyph_infos, buf.glyph_positions


def advances(font_name: str, text: str, size: float, rtl: bool) -> list[float]:
    """Advance width per character of ``text`` in points (ligatures: on the first char)."""
    _, infos, positions = hb_shape(font_name, text, size, rtl)
    from reportlab.pdfbase import pdfmetrics

    ttf: Any = pdfmetrics.getFont(font_name)
    out = [0.0] * len(text)
    for info, pos in zip(infos, positions, strict=True):
        out[info.cluster] += ttf.pdfScale(pos.x_advance) * size / 1000
    return out


def shape(font_name: str, text: str, size: float, rtl: bool) -> ShapedRun:
    """Shape ``text`` into a ``ShapedStr`` that ``canvas.drawString`` draws as is."""
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import ShapeData, ShapedStr

    ttf: Any = pdfmetrics.getFont(font_name)
    hbf, infos, positions = hb_shape(font_name, text, size, rtl)
    glyph_to_char = ttf.face.glyphToChar
    char_widths = ttf.face.charWidths
    chars: list[str] = []
    data = []
    glyphs: list[int] = []
    clusters: list[int] = []
    total = 0.0
    for info, pos in zip(infos, positions, strict=True):
        gid = info.codepoint
        try:
            uchar = glyph_to_char[gid][0]
        except (KeyError, IndexError):
            # glyphs with no character of their own (ligatures, contextual forms):
            # reportlab gives them a private-use code point
            uchar = ttf.hbAddPrivate(hbf.glyph_to_string(gid), gid, pos.x_advance)
        x_advance = ttf.pdfScale(pos.x_advance)
        total += x_advance
        data.append(ShapeData(
            info.cluster, x_advance, ttf.pdfScale(pos.y_advance),
            ttf.pdfScale(pos.x_offset), ttf.pdfScale(pos.y_offset), char_widths[uchar],
        ))
        chars.append(chr(uchar))
        glyphs.append(gid)
        clusters.append(info.cluster)
    return ShapedRun(
        text=ShapedStr("".join(chars), shapeData=data),
        glyphs=tuple(glyphs),
        clusters=tuple(clusters),
        width=total * size / 1000,
    )
