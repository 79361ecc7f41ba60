"""The client's copy of their records as a PDF in their own language.

Headings and field names come from the ``plans`` catalogs (:mod:`counsel.plans.record_texts`);
typed content is printed as typed, in its own direction; every line goes through the
project's bidi → HarfBuzz → line layout (:mod:`counsel.plans.textlayout`), so Arabic,
Persian, Sorani and Ge'ez text is shaped.  Earlier versions of each record follow it,
showing what each correction changed.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import enum
import unicodedata
from typing import Any

from reportlab.platypus import Spacer

from counsel.domain import Record
from counsel.domain.enums import LABELS
from counsel.plans import record_texts as T
from counsel.plans import textlayout as tl
from counsel.plans.printing import (
    LRI,
    MSG_FALLBACK_NOTE,
    PDI,
    Lang,
    Styles,
    build_pdf,
    fallback_text,
    languages_for,
    styled,
)
from counsel.plans.render_plan import MARGIN
from counsel.plans.render_plan import _Furniture as Furniture
from counsel.plans.templates import review_status
from counsel.records.export import RecordCopy, SubjectAccess

#: record kinds in the order the copy shows them, with their section
ORDER = (("client", ("client",)), ("encounter", ("encounter",)), ("work", ("work",)),
         ("plan", ("plan",)), ("competence", ("competence",)), ("consent", ("consent",
         "disclosure")), ("proposal", ("proposal",)), ("reminder", ("reminder",)))
#: identifiers that mean nothing to the client (the JSON keeps them)
HIDDEN = frozenset({"id", "client", "encounter", "contact", "source", "printed", "template"})
LANGUAGE_FIELDS = frozenset({"code", "interpreter_language", "client_language", "language"})


def _has_letters(text: str) -> bool:
    """Whether ``text`` has a character with a direction of its own (bidi L, R or AL)."""
    return any(unicodedata.bidirectional(c) in ("L", "R", "AL") for c in text)


def _humane(name: str) -> str:
    return name.replace("_", " ").capitalize()


class _Copy:
    def __init__(self, lang: Lang, styles: Styles) -> None:
        self.lang, self.styles = lang, styles
        self.items: list[Any] = []
        self.fallback = False

    def t(self, msgid: str, **values: str) -> str:
        text, missing = self.lang.tf(msgid, **values)
        self.fallback |= missing
        return fallback_text(text) if missing else text

    def para(self, text: str, style: tl.TextStyle, *, typed: bool = False) -> None:
        if text:  # a whole line in English (no translation yet): grey, left to right
            fallback = text.startswith(LRI) and text.endswith(PDI)
            if typed and self.lang.rtl and not fallback and not _has_letters(text):
                # digits and signs only (a phone number): in the order typed, on the
                # right-hand side — not "4567 123 40 358+"
                text = "\n".join(f"{LRI}{line}{PDI}" for line in text.split("\n"))
            self.items.append(tl.make_paragraph(text, styled(style, self.lang, typed=typed,
                                                             fallback=fallback)))

    # -- values ---------------------------------------------------------------------------
    def value(self, name: str, value: Any) -> tuple[str, bool]:
        """(text, typed): how one field's value is printed."""
        lang = self.lang
        if isinstance(value, bool):
            return self.t(T.YES if value else T.NO), False
        if isinstance(value, enum.Enum):
            label = LABELS.get(type(value), {}).get(str(value.value)) or _humane(str(value.value))
            return self.t(label), False
        if isinstance(value, dt.datetime):
            return lang.digits(f"{lang.date(value.date(), 'medium')} "
                               f"{lang.time(value.time())}"), False
        if isinstance(value, dt.date):
            return lang.date(value, "medium"), False
        if isinstance(value, dt.time):
            return lang.time(value), False
        if isinstance(value, int):
            return lang.digits(str(value)), False
        if isinstance(value, str):
            if name in LANGUAGE_FIELDS and value:
                return lang.language_name(value), False
            return value, True
        if isinstance(value, tuple):
            parts = [self.value(name, v)[0] for v in value]
            return lang.join(parts), any(not dataclasses.is_dataclass(v) for v in value)
        if dataclasses.is_dataclass(value) and not isinstance(value, type):
            return lang.join(f"{self.label(f.name)}: {self.value(f.name, v)[0]}"
                             for f in dataclasses.fields(value)
                             if _shown(v := getattr(value, f.name))), False
        return str(value), True

    def label(self, name: str) -> str:
        msgid = T.FIELDS.get(name)
        return self.t(msgid) if msgid else self.t(_humane(name))

    def fields(self, record: Record, only: set[str] | None = None) -> None:
        st = self.styles
        for f in dataclasses.fields(record):
            if f.name in HIDDEN or (only is not None and f.name not in only):
                continue
            v = getattr(record, f.name)
            if not _shown(v) and only is None:
                continue
            text, typed = self.value(f.name, v) if _shown(v) else ("—", False)
            self.para(self.label(f.name), st.small.replace(fonts=st.fonts.bold))
            self.para(text, st.body, typed=typed)

    # -- records --------------------------------------------------------------------------
    def record(self, copy: RecordCopy) -> None:
        st = self.styles
        shown = copy.current or next((v.record for v in reversed(copy.versions)
                                      if v.record is not None), None)
        self.para(f"{self.t(T.RECORD_ID)} {copy.record_id[:8]}"
                  + ("" if copy.current else f" · {self.t(T.DELETED)}"),
                  st.secondary)
        if shown is not None:
            self.fields(shown)
        earlier = [v for v in copy.versions[:-1] if v.record is not None] \
            if copy.current else [v for v in copy.versions if v.record is not None]
        if earlier:
            self.para(self.t(T.HISTORY), st.body.replace(fonts=st.fonts.bold,
                                                         space_before=st.gap))
            later: Record | None = shown
            for v in reversed(earlier):
                assert v.record is not None
                changed = _changed(v.record, later)
                self.para(self.t(T.VERSION, n=self.lang.digits(str(v.n))),
                          st.secondary.replace(fonts=st.fonts.bold))
                self.fields(v.record, changed)
                later = v.record
        self.items.append(Spacer(1, st.gap * 1.5))


def _shown(value: Any) -> bool:
    return value not in (None, "", (), False) or isinstance(value, bool) and value


def _changed(old: Record, new: Record | None) -> set[str]:
    """Fields of ``old`` that differ from the next version (all, if there is none)."""
    names = {f.name for f in dataclasses.fields(old)}
    if new is None or type(new) is not type(old):
        return names
    return {n for n in names if getattr(old, n) != getattr(new, n)}


def render_export(access: SubjectAccess, *, counsellor_lang: str = "en",
                  organisation: str = "", variant: str = "standard") -> bytes:
    """The client's copy as PDF bytes, in ``access.language``."""
    cl, _co = languages_for(access.language, counsellor_lang)
    styles = Styles.build(variant)
    copy = _Copy(cl, styles)
    today = access.exported_at.date()
    copy.para(copy.t(T.TITLE), styles.title)
    copy.para(access.client.display_name, styles.heading.replace(space_before=styles.gap),
              typed=True)
    copy.para(copy.t(T.INTRO, date=cl.date(today)), styles.body)
    for section, kinds in ORDER:
        records = access.of_kind(*kinds)
        if not records and section not in ("client", "encounter", "plan"):
            continue
        copy.para(copy.t(T.SECTIONS[section]), styles.heading)
        copy.items.append(Spacer(1, styles.gap))
        if not records:
            copy.para(copy.t(T.NOTHING), styles.body)
        for r in records:
            copy.record(r)
    known = {k for _s, kinds in ORDER for k in kinds}
    for r in access.records:
        if r.kind not in known:  # a kind added later: printed, never left out
            copy.para(copy.t(_humane(r.kind)), styles.heading)
            copy.record(r)
    if copy.fallback:
        note = cl.text(MSG_FALLBACK_NOTE, language=cl.language_name(cl.code))
        copy.items.insert(0, tl.make_paragraph(note, styled(styles.small, cl, fallback=True)))
    furniture = Furniture(cl, cl, styles, client_name=access.client.display_name,
                          organisation=organisation, printed=today,
                          draft=review_status(cl.code).status == "draft")
    return build_pdf(copy.items, furniture.decorate, lang=cl.code, title=cl.gettext(T.TITLE),
                     author=organisation, font=styles.fonts.regular.primary.name,
                     margin=MARGIN, top=MARGIN + furniture.header_h + 8,
                     bottom=MARGIN + furniture.footer_h + 8)
