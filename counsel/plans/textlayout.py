"""Bidi-aware, font-fallback text layout for reportlab (no rlbidi needed).

reportlab's own right-to-left support is inert without ``rlbidi`` (not on PyPI), and
it has no font fallback.  So a paragraph is laid out here:

1. bidi levels per character (:mod:`counsel.plans.layout_bidi`, python-bidi);
2. a font per character from a :class:`~counsel.plans.fonts.FontChain`: letters take
   the first face covering them; neutral characters (spaces, digits, punctuation, "/",
   ZWNJ, combining marks) stay in the face of the text before them when it covers
   them, so "(123)" inside Arabic is drawn by the Arabic face and mirrored with it;
3. runs = maximal stretches of one level and one face, shaped with HarfBuzz
   (:mod:`counsel.plans.layout_shape`) to get the advance of every character;
4. lines broken in logical order at spaces (and after "/" or "-" inside a word), a
   word longer than the line is broken between grapheme clusters;
5. per line: trailing spaces dropped (rule L1), the line's runs shaped again (so
   joining and kerning are those of the line's own text) and reordered visually by
   rule L2; right-to-left paragraphs are right-aligned.

:class:`BidiParagraph` wraps this as a platypus ``Flowable`` that splits across pages.

Levels are those of the whole paragraph, as UAX #9 requires, so the output matches Qt and
browsers, quirks included: "يوم 2026-04-01" shows the date as 01-04-2026, because
digits after Arabic letters are Arabic numbers and "-" between them is neutral (rules W2,
W4).  Dates the renderer prints itself come from Babel in the language's own pattern.
"""

from __future__ import annotations

import dataclasses
import unicodedata
from collections.abc import Sequence
from typing import Any, Literal

from counsel.plans import layout_bidi, layout_shape
from counsel.plans.fonts import FontChain, FontFace

Align = Literal["start", "end", "center", "left", "right"]

_STRONG = frozenset({"L", "R", "AL"})
_NO_BREAK_SPACES = frozenset({"\u00a0", "\u202f", "\u2007"})
_BREAK_AFTER = frozenset("/-\u2010\u2013")
_JOINERS = frozenset({"\u200c", "\u200d"})
#: bidi formatting characters: they steer the levels, then are not drawn
_BIDI_CONTROLS = frozenset(
    "\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
)


@dataclasses.dataclass(frozen=True)
class TextStyle:
    fonts: FontChain
    size: float = 10.0
    leading: float = 0.0  # 0: 1.3 × size
    align: Align = "start"
    color: tuple[float, float, float] = (0.0, 0.0, 0.0)
    #: paragraph direction: True/False, or None to take it from the first strong
    #: character (text typed by a person), falling back to ``default_rtl``
    rtl: bool | None = None
    default_rtl: bool = False
    space_before: float = 0.0
    space_after: float = 0.0

    @property
    def line_height(self) -> float:
        return self.leading or self.size * 1.3

    def replace(self, **changes: Any) -> TextStyle:
        return dataclasses.replace(self, **changes)


@dataclasses.dataclass(frozen=True)
class Run:
    """A piece of one line: one face, one direction, in visual position ``x``."""

    start: int  # logical index in the paragraph text
    end: int
    level: int
    face: FontFace
    text: str  # logical text of the run
    shaped: layout_shape.ShapedRun
    x: float  # from the line's left edge

    @property
    def rtl(self) -> bool:
        return self.level % 2 == 1


@dataclasses.dataclass(frozen=True)
class Line:
    runs: tuple[Run, ...]  # visual order, left to right
    width: float
    rtl: bool  # paragraph direction

    @property
    def glyphs(self) -> list[tuple[str, int]]:
        """(font name, glyph id) of everything drawn, left to right."""
        return [(r.face.name, g) for r in self.runs for g in r.shaped.glyphs]


def _clean(text: str) -> str:
    out = []
    for ch in text:
        if ch == "\t":
            out.append("    ")
        elif ch == "\r":
            continue
        elif ch in "\u2028\u2029\x85":  # line/paragraph separators typed or pasted
            out.append("\n")
        elif unicodedata.category(ch) == "Cc" and ch != "\n":
            continue  # other control characters have no glyph and no meaning on paper
        else:
            out.append(ch)
    return "".join(out)


def _is_neutral(ch: str) -> bool:
    return unicodedata.bidirectional(ch) not in _STRONG or ch in _JOINERS


def assign_faces(text: str, chain: FontChain,
                 levels: Sequence[int] | None = None) -> list[FontFace]:
    """The face drawing each character (see the module docstring, step 2).

    A neutral character takes the face of the nearest letter before it at its own bidi
    level, looking past deeper embedded text (so both brackets of "(abc)" in Arabic text
    come from the Arabic face), then after it, then any neighbour, if that face covers it.
    """
    n = len(text)
    lv = list(levels) if levels is not None else [0] * n
    faces: list[FontFace | None] = [None] * n
    for i, ch in enumerate(text):
        if not _is_neutral(ch) and unicodedata.combining(ch) == 0:
            faces[i] = chain.first_covering(ord(ch)) or chain.primary
    strong = list(faces)
    for i, ch in enumerate(text):
        if faces[i] is not None:
            continue
        cp = ord(ch)
        faces[i] = (
            _neighbour(strong, lv, i, cp, range(i - 1, -1, -1), same_level=True)
            or _neighbour(strong, lv, i, cp, range(i + 1, n), same_level=True)
            or _covering(faces[i - 1] if i else None, cp)
            or _neighbour(strong, lv, i, cp, range(i + 1, n), same_level=False)
            or chain.first_covering(cp)
            or (faces[i - 1] if i else None)
            or chain.primary
        )
    return [f if f is not None else chain.primary for f in faces]


def _covering(face: FontFace | None, cp: int) -> FontFace | None:
    return face if face is not None and face.covers(cp) else None


def _neighbour(strong: Sequence[FontFace | None], levels: Sequence[int], i: int, cp: int,
               indices: range, *, same_level: bool) -> FontFace | None:
    for j in indices:
        if same_level and levels[j] != levels[i]:
            if levels[j] < levels[i]:
                return None
            continue  # skip text embedded at a deeper level, e.g. "abc" in "(abc)"
        face = strong[j]
        if face is not None:
            return _covering(face, cp)
    return None


@dataclasses.dataclass(frozen=True)
class _Item:
    start: int
    end: int
    level: int
    face: FontFace


def _itemize(levels: Sequence[int], faces: Sequence[FontFace]) -> list[_Item]:
    items: list[_Item] = []
    start = 0
    for i in range(1, len(levels) + 1):
        if i == len(levels) or levels[i] != levels[start] or faces[i] is not faces[start]:
            items.append(_Item(start, i, levels[start], faces[start]))
            start = i
    return items


def _break_allowed_before(text: str, i: int) -> bool:
    """May a line start at ``text[i]`` (0 < i < len)?"""
    prev, ch = text[i - 1], text[i]
    if ch.isspace() and ch not in _NO_BREAK_SPACES:
        return False  # spaces hang at the end of the previous line
    if prev.isspace() and prev not in _NO_BREAK_SPACES:
        return True
    if prev not in _BREAK_AFTER or i < 2 or text[i - 2].isspace():
        return False
    # "12/03", "2026-04-01", "+358-40": numbers stay whole
    return not (text[i - 2].isdigit() and ch.isdigit())


def _cluster_boundary(text: str, i: int) -> bool:
    """A crude grapheme boundary: never before a combining mark or around a joiner."""
    ch = text[i]
    return not (
        unicodedata.combining(ch)
        or unicodedata.category(ch) in ("Mn", "Mc", "Me")
        or ch in _JOINERS
        or text[i - 1] in _JOINERS
    )


class ParagraphLayout:
    """One paragraph (no newline) itemized and measured, ready to be broken into lines."""

    def __init__(self, text: str, style: TextStyle) -> None:
        self.text = text
        self.style = style
        rtl = style.rtl
        if rtl is None and not any(unicodedata.bidirectional(c) in _STRONG for c in text):
            rtl = style.default_rtl
        self.base_level, levels = layout_bidi.levels(text, rtl)
        if any(c in _BIDI_CONTROLS for c in text):
            keep = [i for i, c in enumerate(text) if c not in _BIDI_CONTROLS]
            text = self.text = "".join(text[i] for i in keep)
            levels = [levels[i] for i in keep]
        self.levels = levels
        self.faces = assign_faces(text, style.fonts, self.levels)
        self.items = _itemize(self.levels, self.faces)
        self.advances = [0.0] * len(text)
        for item in self.items:
            adv = layout_shape.advances(
                item.face.name, text[item.start:item.end], style.size, item.level % 2 == 1
            )
            self.advances[item.start:item.end] = adv

    @property
    def rtl(self) -> bool:
        return self.base_level % 2 == 1

    def break_lines(self, width: float) -> list[tuple[int, int]]:
        """Logical (start, end) of each line, end excluding trailing spaces."""
        text, adv = self.text, self.advances
        n = len(text)
        if n == 0:
            return [(0, 0)]
        lines: list[tuple[int, int]] = []
        start = 0
        while start < n:
            used = 0.0
            last_break = -1  # a line may end before this index
            end = start
            fitted = start  # end of the content that fits
            while end < n:
                ch = text[end]
                if end > start and _break_allowed_before(text, end):
                    last_break = end
                if ch.isspace() and ch not in _NO_BREAK_SPACES:
                    used += adv[end]
                    end += 1
                    continue
                if used + adv[end] > width and end > start:
                    break
                used += adv[end]
                end += 1
                fitted = end
            else:
                lines.append((start, _rstrip(text, start, n)))
                break
            if last_break > start:
                cut = last_break
            else:
                cut = max(fitted, start + 1)
                while cut > start + 1 and not _cluster_boundary(text, cut):
                    cut -= 1
            lines.append((start, _rstrip(text, start, cut)))
            start = cut
            while start < n and text[start].isspace() and text[start] not in _NO_BREAK_SPACES:
                start += 1
        return lines

    def line(self, start: int, end: int) -> Line:
        """Shape and reorder one line (rule L1: trailing spaces are already cut)."""
        pieces: list[_Item] = []
        for item in self.items:
            s, e = max(item.start, start), min(item.end, end)
            if s < e:
                pieces.append(_Item(s, e, item.level, item.face))
        order = layout_bidi.visual_order([p.level for p in pieces])
        runs: list[Run] = []
        x = 0.0
        size = self.style.size
        for idx in order:
            p = pieces[idx]
            piece_text = self.text[p.start:p.end]
            shaped = layout_shape.shape(p.face.name, piece_text, size, p.level % 2 == 1)
            runs.append(Run(p.start, p.end, p.level, p.face, piece_text, shaped, x))
            x += shaped.width
        return Line(tuple(runs), x, self.rtl)

    def lines(self, width: float) -> list[Line]:
        return [self.line(s, e) for s, e in self.break_lines(width)]


def _rstrip(text: str, start: int, end: int) -> int:
    while end > start and text[end - 1].isspace() and text[end - 1] not in _NO_BREAK_SPACES:
        end -= 1
    return end


def layout(text: str, style: TextStyle, width: float) -> list[Line]:
    """Lines of ``text`` (newlines start new paragraphs) fitted to ``width`` points."""
    out: list[Line] = []
    for para in _clean(text).split("\n"):
        out.extend(ParagraphLayout(para, style).lines(width))
    return out


def line_x(line: Line, style: TextStyle, x: float, width: float) -> float:
    """Left edge of ``line`` in a box starting at ``x`` of ``width``."""
    if style.align == "center":
        return x + (width - line.width) / 2
    if style.align in ("left", "right"):
        return x + width - line.width if style.align == "right" else x
    right = (style.align == "end") != line.rtl
    return x + width - line.width if right else x


def draw_line(canvas: Any, line: Line, style: TextStyle, x: float, baseline: float,
              width: float) -> None:
    left = line_x(line, style, x, width)
    canvas.setFillColorRGB(*style.color)
    for run in line.runs:
        canvas.setFont(run.face.name, style.size)
        canvas.drawString(left + run.x, baseline, run.shaped.text)


def _flowable_base() -> type:
    from reportlab.platypus import Flowable

    base: type = Flowable
    return base


def make_paragraph(text: str, style: TextStyle) -> Any:
    """A platypus flowable for ``text``; long text splits across frames and pages."""
    return BidiParagraph.create(text, style)


class BidiParagraph:
    """Factory for the platypus flowable (reportlab is imported only when used)."""

    _cls: type | None = None

    @classmethod
    def create(cls, text: str, style: TextStyle, lines: list[Line] | None = None) -> Any:
        if cls._cls is None:
            cls._cls = _define_flowable()
        return cls._cls(text, style, lines)


def _define_flowable() -> type:
    base = _flowable_base()

    class _BidiParagraph(base):  # type: ignore[valid-type, misc]
        def __init__(self, text: str, style: TextStyle, lines: list[Line] | None) -> None:
            super().__init__()
            self.text = text
            self.style = style
            self._lines = lines
            # a part made by split() keeps its lines: laying out self.text again would
            # print the part before the split a second time
            self._fixed = lines is not None
            self._width = -1.0
            self.spaceBefore = style.space_before
            self.spaceAfter = style.space_after

        def _ensure(self, width: float) -> list[Line]:
            stale = self._width >= 0 and abs(width - self._width) > 0.01
            if self._lines is None or (stale and not self._fixed):
                self._lines = layout(self.text, self.style, width)
            self._width = width
            return self._lines

        def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
            lines = self._ensure(avail_width)
            self.width = avail_width
            self.height = len(lines) * self.style.line_height
            return self.width, self.height

        def split(self, avail_width: float, avail_height: float) -> list[Any]:
            lines = self._ensure(avail_width)
            fit = int(avail_height // self.style.line_height)
            if fit <= 0 or fit >= len(lines):
                return []
            first = BidiParagraph.create(self.text, self.style.replace(space_after=0), lines[:fit])
            rest = BidiParagraph.create(self.text, self.style.replace(space_before=0), lines[fit:])
            first._width = rest._width = avail_width
            return [first, rest]

        def draw(self) -> None:
            lh = self.style.line_height
            # baseline: ascent is about 0.8 em for these faces; the rest is line gap
            y = self.height - (lh - self.style.size) / 2 - self.style.size * 0.8
            for line in self._lines or []:
                draw_line(self.canv, line, self.style, 0.0, y, self.width)
                y -= lh

    return _BidiParagraph
