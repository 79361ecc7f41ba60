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
    """Shape ``text`` into a ``ShapedStr`` that ``canvas.drawString`` draws as is.

    Each glyph is drawn through a character code.  Where the glyph's own character is
    the text it stands for (most Latin, Cyrillic, Ethiopic), that character is used, so
    the PDF stays plainly readable.  Otherwise — contextual forms, ligatures, letters
    built from a body and dots as in Noto Sans Arabic — the glyph gets a private code
    whose ToUnicode entry is the text of its cluster (first glyph of the cluster) or
    nothing (the other glyphs), so copying text out of the PDF gives the real letters.
    """
    import unicodedata

    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import ShapeData, ShapedStr

    ttf: Any = pdfmetrics.getFont(font_name)
    hbf, infos, positions = hb_shape(font_name, text, size, rtl)
    glyph_to_char = ttf.face.glyphToChar
    starts = sorted({info.cluster for info in infos})
    ends = {c: (starts[i + 1] if i + 1 < len(starts) else len(text)) for i, c in enumerate(starts)}
    seen_clusters: set[int] = set()
    # the glyph that carries a cluster's text: the first one in logical order
    order = range(len(infos) - 1, -1, -1) if rtl else range(len(infos))
    carrier: dict[int, str] = {}
    for i in order:
        c = infos[i].cluster
        carrier[i] = "" if c in seen_clusters else text[c:ends[c]]
        seen_clusters.add(c)
    chars: list[str] = []
    data = []
    glyphs: list[int] = []
    clusters: list[int] = []
    total = 0.0
    for i, (info, pos) in enumerate(zip(infos, positions, strict=True)):
        gid = info.codepoint
        natural = glyph_to_char.get(gid)
        wanted = carrier[i]
        if natural and unicodedata.normalize("NFKC", chr(natural[0])) == wanted:
            uchar = natural[0]
        else:
            uchar = _code_for(ttf, hbf, gid, wanted)
        x_advance = ttf.pdfScale(pos.x_advance)
        total += x_advance
        data.append(ShapeData(
            info.cluster, x_advance, ttf.pdfScale(pos.y_advance),
            ttf.pdfScale(pos.x_offset), ttf.pdfScale(pos.y_offset), ttf.face.charWidths[uchar],
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


_FIRST_CODE = 0xF0000  # plane 15 private use: clear of reportlab's own U+E000.. codes
_code_lock = threading.Lock()


def _code_for(ttf: Any, hbf: Any, gid: int, text: str) -> int:
    """A private code drawing glyph ``gid`` whose ToUnicode text is ``text``."""
    with _code_lock:
        codes: dict[tuple[int, str], int] = ttf.__dict__.setdefault("shaped_codes", {})
        code = codes.get((gid, text))
        if code is None:
            code = _FIRST_CODE + len(codes)
            codes[(gid, text)] = code
            face = ttf.face
            face.charToGlyph[code] = gid
            face.charWidths[code] = ttf.pdfScale(hbf.get_glyph_h_advance(gid))
            text_of: dict[int, str] = ttf.__dict__.setdefault("pua_text", {})
            text_of[code] = text
        return code
