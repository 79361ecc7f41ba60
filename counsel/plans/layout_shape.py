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
import functools
import threading
from typing import Any

#: HarfBuzz features: defaults plus kerning and standard ligatures (no discretionary ones)
FEATURES = {"kern": True, "liga": True}


@dataclasses.dataclass(frozen=True)
class ShapedRun:
    text: Any  # reportlab.pdfbase.ttfonts.ShapedStr (a str subclass)
    glyphs: tuple[int, ...]  # glyph ids, visual order
    clusters: tuple[int, ...]  # index into the run's text, per glyph
    width: float  # points


#: one shaped glyph: (glyph id, cluster, x advance, y advance, x offset, y offset), the
#: four metrics in 1/1000 em as reportlab uses them
Glyph = tuple[int, int, float, float, float, float]


def hb_shape(font_name: str, text: str, size: float, rtl: bool) -> tuple[Glyph, ...]:
    """HarfBuzz shaping of ``text`` with an explicit direction, glyphs in visual order.

    Cached: a paragraph that fits on one line is shaped once for measuring and reused
    for drawing.
    """
    return _hb_shape(font_name, text, size, rtl)


def clear_cache() -> None:
    _hb_shape.cache_clear()


@functools.lru_cache(maxsize=4096)
def _hb_shape(font_name: str, text: str, size: float, rtl: bool) -> tuple[Glyph, ...]:
    import uharfbuzz as hb
    from reportlab.pdfbase import pdfmetrics

    ttf: Any = pdfmetrics.getFont(font_name)
    buf = hb.Buffer()
    buf.cluster_level = hb.BufferClusterLevel.MONOTONE_CHARACTERS
    buf.add_str(text)
    buf.guess_segment_properties()
    buf.direction = "rtl" if rtl else "ltr"
    hb.shape(ttf.hbFont(size), buf, FEATURES)
    k = ttf.pdfScale(1000) / 1000
    return tuple(
        (info.codepoint, info.cluster, pos.x_advance * k, pos.y_advance * k,
         pos.x_offset * k, pos.y_offset * k)
        for info, pos in zip(buf.glyph_infos, buf.glyph_positions, strict=True)
    )


def advances(font_name: str, text: str, size: float, rtl: bool) -> list[float]:
    """Advance width per character of ``text`` in points (ligatures: on the first char)."""
    out = [0.0] * len(text)
    scale = size / 1000
    for _gid, cluster, x_adv, *_rest in hb_shape(font_name, text, size, rtl):
        out[cluster] += x_adv * scale
    return out


_NFKC: dict[int, str] = {}


def _nfkc(code: int) -> str:
    text = _NFKC.get(code)
    if text is None:
        import unicodedata

        text = _NFKC[code] = unicodedata.normalize("NFKC", chr(code))
    return text


def shape(font_name: str, text: str, size: float, rtl: bool) -> ShapedRun:
    """Shape ``text`` into a ``ShapedStr`` that ``canvas.drawString`` draws as is.

    Each glyph is drawn through a character code.  Where the glyph's own character is
    the text it stands for (most Latin, Cyrillic, Ethiopic), that character is used, so
    the PDF stays plainly readable.  Otherwise — contextual forms, ligatures, letters
    built from a body and dots as in Noto Sans Arabic — the glyph gets a private code
    whose ToUnicode entry is the text of its cluster (first glyph of the cluster) or
    nothing (the other glyphs), so copying text out of the PDF gives the real letters.
    """
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import ShapeData, ShapedStr

    ttf: Any = pdfmetrics.getFont(font_name)
    shaped = hb_shape(font_name, text, size, rtl)
    glyph_to_char = ttf.face.glyphToChar
    char_widths = ttf.face.charWidths
    starts = sorted({g[1] for g in shaped})
    ends = {c: (starts[i + 1] if i + 1 < len(starts) else len(text)) for i, c in enumerate(starts)}
    # the glyph that carries a cluster's text: the first one in logical order
    seen: set[int] = set()
    carrier: list[str] = [""] * len(shaped)
    for i in (range(len(shaped) - 1, -1, -1) if rtl else range(len(shaped))):
        c = shaped[i][1]
        if c not in seen:
            carrier[i] = text[c:ends[c]]
            seen.add(c)
    chars: list[str] = []
    data = []
    total = 0.0
    for i, (gid, cluster, x_adv, y_adv, x_off, y_off) in enumerate(shaped):
        natural = glyph_to_char.get(gid)
        wanted = carrier[i]
        if natural and _nfkc(natural[0]) == wanted:
            uchar = natural[0]
        else:
            uchar = _code_for(ttf, size, gid, wanted)
        total += x_adv
        data.append(ShapeData(cluster, x_adv, y_adv, x_off, y_off, char_widths[uchar]))
        chars.append(chr(uchar))
    return ShapedRun(
        text=ShapedStr("".join(chars), shapeData=data),
        glyphs=tuple(g[0] for g in shaped),
        clusters=tuple(g[1] for g in shaped),
        width=total * size / 1000,
    )


_FIRST_CODE = 0xF0000  # plane 15 private use: clear of reportlab's own U+E000.. codes
_code_lock = threading.Lock()


def _code_for(ttf: Any, size: float, gid: int, text: str) -> int:
    """A private code drawing glyph ``gid`` whose ToUnicode text is ``text``."""
    with _code_lock:
        codes: dict[tuple[int, str], int] = ttf.__dict__.setdefault("shaped_codes", {})
        code = codes.get((gid, text))
        if code is None:
            code = _FIRST_CODE + len(codes)
            codes[(gid, text)] = code
            face = ttf.face
            face.charToGlyph[code] = gid
            face.charWidths[code] = ttf.pdfScale(ttf.hbFont(size).get_glyph_h_advance(gid))
            text_of: dict[int, str] = ttf.__dict__.setdefault("pua_text", {})
            text_of[code] = text
        return code
