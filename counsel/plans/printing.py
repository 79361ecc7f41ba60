"""What printed plans and cards share: languages, localized dates and digits, styles, page x/y.

Missing translations
--------------------
A text printed for the client whose translation is missing falls back to the English
source, *visibly*: it is printed in grey with the marker ``[en]`` in front, and the first
page says in the counsellor's language what the marker means.  A counsellor handing over
the paper sees at once which lines the client may not understand, and no empty space is
ever printed where a sentence should be.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from counsel.errors import KnownError
from counsel.i18n import CLIENT_LANGUAGES, N_, UI_LANGUAGES, babel_locale, is_rtl, normalize
from counsel.i18n import gettext as _
from counsel.plans.fonts import FontSet, font_set
from counsel.plans.textlayout import TextStyle

FALLBACK_MARK = "[en]"
LRI, PDI = "\u2066", "\u2069"  # isolate English fallback text inside right-to-left lines
FSI = "\u2068"  # first-strong isolate: a value keeps its own direction inside any line
FALLBACK_GREY = (0.42, 0.42, 0.42)

MSG_FALLBACK_NOTE = N_("[en] = this line is not yet translated into {language}.")
MSG_PAGE = N_("Page {page} of {pages}")
MSG_DRAFT = N_("Draft translation: not yet checked by a qualified translator.")

_NATIVE_DIGITS = {"arab": "٠١٢٣٤٥٦٧٨٩", "arabext": "۰۱۲۳۴۵۶۷۸۹"}


class UnknownLanguage(KnownError):
    # translated for the counsellor (domain "counsel"): ``N_`` in counsel/plans/ would
    # put it in the clients' "plans" catalogs instead
    def help(self) -> str:
        return _("Choose one of the languages in the list, or ask your IT support to add it.")


def check_language(lang: str, *, allowed: tuple[str, ...] = CLIENT_LANGUAGES) -> str:
    """``lang`` normalized, or :class:`UnknownLanguage` when plans cannot be printed in it."""
    code = normalize(lang) if isinstance(lang, str) and lang.strip() else ""
    if code not in allowed:
        raise UnknownLanguage(
            _("Plans cannot be printed in the language “{code}”.").format(code=lang)
        )
    return code


@dataclasses.dataclass(frozen=True)
class Lang:
    """One printed language: its catalog (domain "plans"), direction and Babel locale."""

    code: str
    gettext: Callable[[str], str]

    @classmethod
    def load(cls, code: str, content_dirs: Iterable[str | Path] = ()) -> Lang:
        """``code`` with the plans catalog (the organisation's translations first)."""
        from counsel.plans.templates import plan_gettext

        dirs = tuple(content_dirs)
        return cls(code, plan_gettext(code, dirs) if dirs else plan_gettext(code))

    @property
    def rtl(self) -> bool:
        return is_rtl(self.code)

    @property
    def locale(self) -> str:
        return babel_locale(self.code)

    def t(self, msgid: str) -> tuple[str, bool]:
        """(text, is_fallback): the translation, or the English source marked as missing."""
        text = self.gettext(msgid) if msgid else msgid
        missing = bool(msgid) and text == msgid and self.code.split("_")[0] != "en"
        return text, missing

    def text(self, msgid: str, **values: str) -> str:
        """Translated text, with the visible marker when it fell back to English."""
        text, missing = self.tf(msgid, **values)
        return fallback_text(text) if missing else text

    def tf(self, msgid: str, **values: str) -> tuple[str, bool]:
        """Like :meth:`t`, with ``{name}`` placeholders filled in.  A translation whose
        placeholders do not match the source (a typo in a catalog) is not printed: the
        English source is, visibly, instead of failing the whole document."""
        text, missing = self.t(msgid)
        if not values:
            return text, missing
        try:
            return text.format(**values), missing
        except (KeyError, IndexError, ValueError):
            return msgid.format(**values), True

    def digits(self, text: str) -> str:
        """Latin digits → the locale's native digits where CLDR's default uses them."""
        from babel import Locale

        system = Locale.parse(self.locale).default_numbering_system
        table = _NATIVE_DIGITS.get(system)
        if not table:
            return text
        return text.translate(str.maketrans("0123456789", table))

    def join(self, items: Iterable[str]) -> str:
        """Items of one line ("Arabic, mother tongue") with the language's own comma
        from CLDR's list patterns: "، " in Arabic, "፣ " in Tigrinya.  The comma, not the
        pattern: a pattern's "and" (Arabic و) would read "Arabic and mother tongue"."""
        from babel import Locale

        patterns = Locale.parse(self.locale).list_patterns
        sep = ", "
        for style in ("standard", "unit-short", "unit", "or"):
            middle = patterns.get(style, {}).get("middle", "")
            punct = "".join(ch for ch in middle.replace("{0}", "").replace("{1}", "")
                            if not ch.isalpha()).strip()
            if punct:
                sep = punct + " "
                break
        return sep.join(i for i in items if i)

    def date(self, value: dt.date, fmt: str = "long") -> str:
        from babel.dates import format_date

        return self.digits(format_date(value, fmt, locale=self.locale))

    def time(self, value: dt.time) -> str:
        from babel.dates import format_time

        return self.digits(format_time(value, "short", locale=self.locale))

    def weekday(self, value: dt.date, abbreviated: bool = False) -> str:
        from babel.dates import get_day_names

        names = get_day_names("abbreviated" if abbreviated else "wide", context="stand-alone",
                              locale=self.locale)
        return str(names[value.weekday()])

    def language_name(self, code: str, in_lang: str | None = None) -> str:
        """The name of language ``code`` written in this language."""
        from babel import Locale

        loc = Locale.parse(self.locale)
        code = normalize(code)
        name = loc.languages.get(code) or loc.languages.get(code.split("_")[0])
        if code == "fa_AF":
            name = loc.languages.get("fa_AF") or name
        return str(name or code)


def fallback_text(text: str) -> str:
    """English source text marked as a missing translation, kept left-to-right as a unit
    even inside a right-to-left line."""
    return f"{LRI}{FALLBACK_MARK} {text}{PDI}"


def isolate(text: str) -> str:
    """``text`` as a unit with its own direction inside a line of either direction
    (FSI … PDI, UAX #9 isolates).  A Latin name beside an Arabic date, or an Arabic
    date ("02\u200f/12\u200f/2026", with its right-to-left marks) after a Latin name,
    would otherwise be reordered into each other ("022026/12/")."""
    return f"{FSI}{text}{PDI}" if text else text


def languages_for(client_lang: str, counsellor_lang: str,
                  content_dirs: Iterable[str | Path] = ()) -> tuple[Lang, Lang]:
    client = check_language(client_lang)
    counsellor = check_language(counsellor_lang, allowed=CLIENT_LANGUAGES + UI_LANGUAGES)
    return Lang.load(client, content_dirs), Lang.load(counsellor, content_dirs)


@dataclasses.dataclass(frozen=True)
class Styles:
    """Text styles of one print variant; ``for_lang`` sets a language's direction."""

    fonts: FontSet
    body: TextStyle
    small: TextStyle
    heading: TextStyle
    title: TextStyle
    secondary: TextStyle  # the counsellor's language under the client's
    gap: float

    @staticmethod
    def build(variant: str) -> Styles:
        fonts = font_set(variant)
        large = variant == "large_print"
        # large print: nothing below 14 pt, not even footers or the counsellor's language
        body_size = 15.0 if large else 10.5
        small_size = 14.0 if large else 8.0
        grey = (0.3, 0.3, 0.3)
        body = TextStyle(fonts=fonts.regular, size=body_size,
                         leading=body_size * (1.55 if large else 1.35))
        return Styles(
            fonts=fonts,
            body=body,
            small=body.replace(size=small_size, leading=small_size * 1.3),
            heading=body.replace(fonts=fonts.bold, size=body_size * 1.3,
                                 leading=body_size * 1.3 * 1.3, space_before=body_size * 0.9),
            title=body.replace(fonts=fonts.bold, size=body_size * 1.8,
                               leading=body_size * 1.8 * 1.25),
            secondary=body.replace(size=14.0 if large else body_size * 0.9,
                                   leading=body_size * (1.45 if large else 1.2), color=grey),
            gap=body_size * (1.0 if large else 0.6),
        )


def styled(style: TextStyle, lang: Lang, *, fallback: bool = False,
           typed: bool = False) -> TextStyle:
    """``style`` for text in ``lang``; ``typed`` text (a person's) takes its own direction."""
    color = FALLBACK_GREY if fallback else style.color
    if fallback:  # English source text: laid out left to right, on the language's side
        align = "right" if lang.rtl and style.align == "start" else style.align
        return style.replace(rtl=False, color=color, align=align)
    if typed:
        return style.replace(rtl=None, default_rtl=lang.rtl, color=color)
    return style.replace(rtl=lang.rtl, color=color)


def numbered_canvas(decorate: Callable[[Any, int, int], None]) -> type:
    """A reportlab Canvas class that calls ``decorate(canvas, page, pages)`` on every
    page once the page count is known (the usual two-step "page x of y")."""
    from reportlab.pdfgen.canvas import Canvas

    class NumberedCanvas(Canvas):  # type: ignore[misc]
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            self._saved_pages: list[dict[str, Any]] = []

        def showPage(self) -> None:  # noqa: N802 - reportlab's name
            self._saved_pages.append(dict(self.__dict__))
            self._startPage()

        def save(self) -> None:
            pages = len(self._saved_pages)
            for n, state in enumerate(self._saved_pages, 1):
                self.__dict__.update(state)
                decorate(self, n, pages)
                super().showPage()
            super().save()

    return NumberedCanvas


def build_pdf(story: list[Any], decorate: Callable[[Any, int, int], None], *, lang: str,
              title: str, font: str, margin: float, top: float | None = None,
              bottom: float | None = None, author: str | None = None,
              subject: str | None = None) -> bytes:
    """An A4 document of one full-width frame (no padding) between the margins, ``story``
    laid out in it and ``decorate(canvas, page, pages)`` drawn on every page (header,
    footer, "page x of y"); the bytes of the PDF.  ``top``/``bottom`` default to
    ``margin`` (room for a header or footer is added by the caller).  The document is
    reproducible (``invariant``) and names the embedded ``font`` from its first page (not
    reportlab's unembedded Helvetica).  The shaping cache, which holds the client's text,
    is cleared once the document is built, also when building fails."""
    import io

    from reportlab.lib.pagesizes import A4
    from reportlab.platypus import BaseDocTemplate, Frame, PageTemplate

    from counsel.plans import layout_shape

    buf = io.BytesIO()
    doc = BaseDocTemplate(
        buf, pagesize=A4, leftMargin=margin, rightMargin=margin,
        topMargin=margin if top is None else top,
        bottomMargin=margin if bottom is None else bottom,
        title=title, author=author, subject=subject, creator="Counsel",
        lang=lang.replace("_", "-"), invariant=True, initialFontName=font)
    frame = Frame(doc.leftMargin, doc.bottomMargin, doc.width, doc.height, id="body",
                  leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0)
    doc.addPageTemplates([PageTemplate(id="page", frames=[frame])])
    try:
        doc.build(story, canvasmaker=numbered_canvas(decorate))
    finally:
        layout_shape.clear_cache()
    return buf.getvalue()
