"""The appointment card: when, where, with whom, in the client's language (A6 or A4).

Made for clients who may read little: the weekday is printed as a word *and* as seven
boxes with the day filled, the time as digits (native digits where CLDR uses them, e.g.
Persian and Sorani) *and* as an analog clock face.  Every label is in the client's
language with the counsellor's language under it in grey.  A4 is the same card at twice
the size (for low vision, or to put on a fridge).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import io
import math
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from reportlab.graphics import renderPDF
from reportlab.graphics.shapes import Circle, Drawing, Line, String
from reportlab.lib.pagesizes import A4, A6
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas

from counsel.i18n import N_
from counsel.plans import layout_shape
from counsel.plans import textlayout as tl
from counsel.plans.printing import Lang, Styles, fallback_text, languages_for, styled

SIZES = {"A6": A6, "A4": A4}

MSG_TITLE = N_("Appointment")
MSG_TIME = N_("Time")
MSG_PLACE = N_("Place")
MSG_WITH = N_("You meet")
MSG_PHONE = N_("Phone")
MSG_INTERPRETER = N_("Interpreter booked: {language}")
MSG_NO_INTERPRETER = N_("No interpreter")
MSG_MINUTES = N_("{minutes} minutes")


@dataclasses.dataclass(frozen=True)
class Appointment:
    when: dt.datetime
    place: str  # as typed by the counsellor (address, room)
    counsellor_name: str
    counsellor_phone: str = ""
    minutes: int = 0
    interpreter_language: str = ""  # "" = no interpreter booked
    client_name: str = ""
    # the client's profile says one is needed: with none booked the card says nothing
    # about an interpreter rather than tell the client "No interpreter"
    interpreter_needed: bool = False


class _Card:
    def __init__(self, canvas: Any, size: tuple[float, float], for_client: Lang,
                 for_counsellor: Lang, scale: float = 1.0) -> None:
        self.c = canvas
        self.w, self.h = size
        page_k = self.w / A6[0]  # 1 on A6, 2 on A4
        self.k = page_k * scale
        self.margin = 8 * mm * page_k
        self.inner = self.w - 2 * self.margin
        self.y = self.h - self.margin
        self.for_client, self.for_counsellor = for_client, for_counsellor
        base = Styles.build("large_print")
        self.big = base.title.replace(size=15 * self.k, leading=19 * self.k)
        self.body = base.body.replace(size=11 * self.k, leading=14 * self.k)
        self.bold = self.body.replace(fonts=base.fonts.bold)
        self.grey = base.secondary.replace(size=8 * self.k, leading=10 * self.k)
        # Atkinson Hyperlegible slashes its zero ("Ø40" on a phone number): digits that
        # are dialled are set in Noto Sans, whose zero is plain
        from counsel.plans.fonts import font_set

        self.phone = self.body.replace(fonts=font_set("standard").regular)

    def text(self, text: str, style: tl.TextStyle, lang: Lang, *, typed: bool = False,
             fallback: bool = False) -> None:
        st = styled(style, lang, typed=typed, fallback=fallback)
        if self.for_client.rtl and st.align == "start":
            # one reading edge for the whole card: the counsellor's (Latin) helper line,
            # a typed address or name sit on the right under the right-aligned headings,
            # each still in its own direction
            st = st.replace(align="right")
        for line in tl.layout(text, st, self.inner):
            self.y -= st.line_height
            tl.draw_line(self.c, line, st, self.margin, self.y + (st.line_height - st.size) / 2,
                         self.inner)

    def msg(self, msgid: str, style: tl.TextStyle,
            fmt: Callable[[Lang], dict[str, str]] | None = None) -> None:
        """The client's language in ``style``, the counsellor's under it in grey."""
        for lang, st in ((self.for_client, style), (self.for_counsellor, self.grey)):
            if lang is self.for_counsellor and self.for_counsellor.code == self.for_client.code:
                break
            text, missing = lang.tf(msgid, **(fmt(lang) if fmt is not None else {}))
            self.text(fallback_text(text) if missing else text, st, lang, fallback=missing)

    def both(self, client_text: str, counsellor_text: str, style: tl.TextStyle) -> None:
        self.text(client_text, style, self.for_client)
        if self.for_counsellor.code != self.for_client.code:
            self.text(counsellor_text, self.grey, self.for_counsellor)

    def gap(self, points: float) -> None:
        self.y -= points * self.k


def _week_boxes(card: _Card, day: dt.date) -> None:
    """Seven boxes Monday..Sunday (right to left for RTL languages), the day filled."""
    c, k = card.c, card.k
    box = min(card.inner / 7, 13 * mm * k)
    gap = box * 0.12
    total = 7 * box - gap
    x0 = card.margin + (card.inner - total) / 2
    top = card.y - 2 * k
    label = card.grey.replace(align="center", size=6.5 * k, leading=8 * k)
    monday = day - dt.timedelta(days=day.weekday())
    for i in range(7):
        pos = 6 - i if card.for_client.rtl else i
        x = x0 + pos * box
        filled = i == day.weekday()
        c.setLineWidth(0.8 * k)
        c.setStrokeColorRGB(0, 0, 0)
        c.setFillColorRGB(0.1, 0.1, 0.1) if filled else c.setFillColorRGB(1, 1, 1)
        c.rect(x, top - (box - gap), box - gap, box - gap, stroke=1, fill=1)
        name = card.for_client.weekday(monday + dt.timedelta(days=i), abbreviated=True)
        st = styled(label.replace(color=(1, 1, 1) if filled else (0, 0, 0)), card.for_client)
        lines = tl.layout(name, st, 1000)
        if lines and lines[0].width > (box - gap) * 0.92:  # long names (Arabic): smaller
            st = st.replace(size=st.size * (box - gap) * 0.92 / lines[0].width)
            lines = tl.layout(name, st, 1000)
        for line in lines[:1]:
            tl.draw_line(c, line, st, x, top - (box - gap) / 2 - st.size / 3, box - gap)
    card.y = top - box - 2 * k


def clock_face(hour: int, minute: int, diameter: float, font_name: str) -> Any:
    """A reportlab Drawing of an analog clock showing hour:minute."""
    d = Drawing(diameter, diameter, initialFontName=font_name)
    r = diameter / 2
    cx = cy = r
    d.add(Circle(cx, cy, r - 1, strokeWidth=max(1.0, diameter / 60), fillColor=None))
    for tick in range(60):
        a = math.radians(90 - tick * 6)
        inner = r * (0.78 if tick % 5 == 0 else 0.88)
        d.add(Line(cx + inner * math.cos(a), cy + inner * math.sin(a),
                   cx + (r - 3) * math.cos(a), cy + (r - 3) * math.sin(a),
                   strokeWidth=diameter / (45 if tick % 5 == 0 else 140)))
    for n in (12, 3, 6, 9):
        a = math.radians(90 - n * 30)
        d.add(String(cx + r * 0.62 * math.cos(a), cy + r * 0.62 * math.sin(a) - diameter / 30,
                     str(n), fontName=font_name, fontSize=diameter / 11, textAnchor="middle"))
    hour_a = math.radians(90 - ((hour % 12) + minute / 60) * 30)
    min_a = math.radians(90 - minute * 6)
    d.add(Line(cx, cy, cx + r * 0.5 * math.cos(hour_a), cy + r * 0.5 * math.sin(hour_a),
               strokeWidth=diameter / 22, strokeLineCap=1))
    d.add(Line(cx, cy, cx + r * 0.8 * math.cos(min_a), cy + r * 0.8 * math.sin(min_a),
               strokeWidth=diameter / 40, strokeLineCap=1))
    d.add(Circle(cx, cy, diameter / 30, fillColor=None, strokeWidth=diameter / 40))
    return d


def _clock_and_time(card: _Card, when: dt.datetime, minutes: int) -> None:
    k = card.k
    diameter = 30 * mm * k
    top = card.y - 3 * k
    x_clock = card.margin if not card.for_client.rtl else card.margin + card.inner - diameter
    face = clock_face(when.hour, when.minute, diameter, card.body.fonts.primary.name)
    renderPDF.draw(face, card.c, x_clock, top - diameter)
    # the time in words beside the clock: shift the text box away from the clock
    saved = card.margin, card.inner
    card.inner = saved[1] - diameter - 5 * mm * k
    if not card.for_client.rtl:
        card.margin = saved[0] + diameter + 5 * mm * k
    card.y = top - 4 * k
    card.msg(MSG_TIME, card.bold)
    card.both(card.for_client.time(when.time()), card.for_counsellor.time(when.time()), card.big)
    if minutes:
        card.msg(MSG_MINUTES, card.body, lambda lang: {"minutes": lang.digits(str(minutes))})
    card.margin, card.inner = saved
    card.y = min(card.y, top - diameter) - 3 * k


#: type is made smaller in these steps when a card's text does not fit the page
SCALES = (1.0, 0.9, 0.8, 0.7, 0.6)


def render_card(appointment: Appointment, *, client_lang: str, counsellor_lang: str = "fi",
                size: str = "A6", organisation: str = "",
                content_dirs: Iterable[str | Path] = ()) -> bytes:
    """The card as PDF bytes (``size`` "A6" or "A4").  Long texts (a long address, a
    long name) make the type smaller, down to 60 %, rather than run off the card."""
    if size not in SIZES:
        raise ValueError(f"unknown card size {size!r}")
    for_client, for_counsellor = languages_for(client_lang, counsellor_lang, content_dirs)
    pdf = b""
    try:
        for scale in SCALES:
            pdf, fits = _render_card(appointment, for_client, for_counsellor, size, organisation,
                                     scale)
            if fits:
                break
    finally:
        layout_shape.clear_cache()  # it holds the client's text: not beyond one render
    return pdf


def _render_card(a: Appointment, for_client: Lang, for_counsellor: Lang, size: str,
                 organisation: str, scale: float) -> tuple[bytes, bool]:
    buf = io.BytesIO()
    canvas = Canvas(buf, pagesize=SIZES[size], lang=for_client.code.replace("_", "-"),
                    invariant=True,
                    initialFontName=Styles.build("large_print").fonts.regular.primary.name)
    canvas.setTitle(f"{for_client.gettext(MSG_TITLE)} {a.when:%Y-%m-%d %H:%M}")
    canvas.setCreator("Counsel")
    card = _Card(canvas, SIZES[size], for_client, for_counsellor, scale)
    if organisation:
        card.text(organisation, card.grey, for_client, typed=True)
    card.msg(MSG_TITLE, card.big)
    if a.client_name:
        card.text(a.client_name, card.bold, for_client, typed=True)
    card.gap(3)
    day = a.when.date()
    card.both(for_client.weekday(day), for_counsellor.weekday(day), card.big)
    card.both(for_client.date(day, "long"), for_counsellor.date(day, "long"), card.body)
    _week_boxes(card, day)
    _clock_and_time(card, a.when, a.minutes)
    card.msg(MSG_PLACE, card.bold)
    card.text(a.place, card.body, for_client, typed=True)
    card.gap(2)
    card.msg(MSG_WITH, card.bold)
    card.text(a.counsellor_name, card.body, for_client, typed=True)
    if a.counsellor_phone:
        card.msg(MSG_PHONE, card.bold)
        # phone numbers stay in Latin digits: they are dialled from a Latin keypad
        card.text(f"\u2066{a.counsellor_phone}\u2069", card.phone, for_client)
    card.gap(2)
    if a.interpreter_language:
        card.msg(MSG_INTERPRETER, card.bold,
                 lambda lang: {"language": lang.language_name(a.interpreter_language)})
    elif not a.interpreter_needed:
        card.msg(MSG_NO_INTERPRETER, card.bold)
    canvas.showPage()
    canvas.save()
    return buf.getvalue(), card.y >= card.margin / 2
