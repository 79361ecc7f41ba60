"""The printed timeline: the client's path in their own language (A4, large print
available), with the counsellor's language under each line when it differs.

Internal facts (obstacles, consent, proposals to employers, script assessments) are left
out: the paper is the client's.  Texts come from the ``plans`` catalogs
(:mod:`counsel.plans.path_texts`); dates and digits are the language's own; typed titles
are printed as typed.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from reportlab.platypus import KeepTogether, Spacer

from counsel.domain.client import Client
from counsel.path.timeline import INTERNAL_KINDS, Fact
from counsel.plans import path_texts as T
from counsel.plans import textlayout as tl
from counsel.plans.printing import (
    MSG_FALLBACK_NOTE,
    Lang,
    Styles,
    build_pdf,
    fallback_text,
    isolate,
    languages_for,
    styled,
)
from counsel.plans.render_plan import MARGIN, VARIANTS
from counsel.plans.render_plan import _Furniture as Furniture
from counsel.plans.templates import review_status


def _measure_title(code: str) -> str:
    from counsel.plans.catalogue import load_catalogue

    measure = load_catalogue().get(code)
    return measure.title if measure else ""


Part = tuple[str, dict[str, str], bool]


def fact_parts(f: Fact) -> list[Part]:
    """The pieces of one fact's line: ``(msgid or typed text, values, is_msgid)``."""
    k = f.kind
    if k == "permit":
        return [(T.PERMIT, {}, True)]
    if k == "started":
        return [(T.STARTED, {}, True)]
    if k == "plan_made":
        return [(T.PLAN_MADE, {}, True)]
    if k == "plan_review":
        return [(T.PLAN_REVIEW, {}, True)]
    if k == "plan_end":
        return [(T.PLAN_END, {}, True)]
    if k in ("measure_start", "measure_end"):
        title = _measure_title(f.subject)
        head: Part = (title, {}, True) if title else (f.subject, {}, False)
        if k == "measure_start":
            word = T.STATUS["planned" if f.value == "planned" else "started"]
        else:
            word = T.STATUS[f.value] if f.value in ("done", "interrupted", "cancelled") \
                else T.ENDS
        return [head, (word, {}, True)]
    if k == "language":
        skill, source = (f.extra.split("|") + ["", ""])[:2]
        return [(f.subject, {"as": "language"}, False), (T.SKILLS[skill], {}, True),
                (f.value, {"as": "level"}, False), (T.SOURCES.get(source, ""), {}, True)]
    if k == "recognition":
        return [(T.RECOGNITION, {}, True), (T.RECOGNITIONS[f.value], {}, True)]
    if k in ("certificate", "certificate_expires"):
        parts: list[Part] = [(T.CERTIFICATES[f.subject], {}, True)]
        if f.extra:
            parts.append((f.extra, {}, False))
        if k == "certificate_expires":
            parts.append((T.VALID_UNTIL, {}, True))
        return parts
    if k in ("event_start", "event_end"):
        word = T.STATUS["started"] if k == "event_start" else T.STATUS[f.value]
        parts = [(T.EVENTS[f.subject], {}, True)]
        if f.extra:
            parts.append((f.extra, {}, False))
        return parts + [(word, {}, True)]
    raise ValueError(f"not a printed fact: {k}")


class _Story:
    def __init__(self, cl: Lang, co: Lang, styles: Styles) -> None:
        self.cl, self.co, self.styles = cl, co, styles
        self.bilingual = cl.code != co.code
        self.items: list[Any] = []
        self.fallback = False

    def para(self, text: str, style: tl.TextStyle, lang: Lang, **kw: bool) -> None:
        if text:
            self.items.append(tl.make_paragraph(text, styled(style, lang, **kw)))

    def line(self, lang: Lang, parts: Sequence[Part]) -> str:
        out = []
        for text, values, is_msgid in parts:
            if not text:
                continue
            if not is_msgid:
                if values.get("as") == "language":
                    text = lang.language_name(text)
                elif values.get("as") == "level" and text in T.LEVELS:
                    text, is_msgid = T.LEVELS[text], True
                if not is_msgid:
                    out.append(isolate(text))  # typed or a name: its own direction
                    continue
            done, missing = lang.t(text)
            self.fallback |= missing
            out.append(fallback_text(done) if missing else done)
        return " · ".join(out)

    def heading(self, msgid: str) -> None:
        for lang, style in ((self.cl, self.styles.heading), (self.co, self.styles.secondary)):
            if lang is self.co and not self.bilingual:
                break
            text, missing = lang.t(msgid)
            self.fallback |= missing
            self.para(fallback_text(text) if missing else text, style, lang, fallback=missing)

    def fact(self, f: Fact, keep: int = 0) -> None:
        """One fact, whole on one page (its date never alone at a page's foot); ``keep``
        items before it (a part's heading) stay with it."""
        parts = fact_parts(f)
        st = self.styles
        start = len(self.items) - keep
        self.para(self.cl.date(f.date), st.body.replace(fonts=st.fonts.bold), self.cl)
        self.para(self.line(self.cl, parts), st.body, self.cl)
        if self.bilingual:
            self.para(f"{isolate(self.co.date(f.date, 'medium'))}  {self.line(self.co, parts)}",
                      st.secondary, self.co)
        self.items[start:] = [KeepTogether(self.items[start:])]
        self.items.append(Spacer(1, st.gap))


def printed_facts(facts: Sequence[Fact]) -> list[Fact]:
    return [f for f in facts if f.kind not in INTERNAL_KINDS]


def render_timeline(client: Client, facts: Sequence[Fact], *, client_lang: str,
                    counsellor_lang: str, today: dt.date, variant: str = "standard",
                    organisation: str = "") -> bytes:
    """The timeline as PDF bytes (a KnownError for a language plans are not printed in)."""
    if variant not in VARIANTS:
        raise ValueError(f"unknown variant {variant!r}")
    cl, co = languages_for(client_lang, counsellor_lang)
    styles = Styles.build(variant)
    story = _Story(cl, co, styles)
    text, missing = cl.t(T.TITLE)
    story.para(fallback_text(text) if missing else text, styles.title, cl, fallback=missing)
    story.fallback |= missing
    # on the side the client's language starts, whatever the script of the name
    story.para(isolate(client.display_name), styles.heading.replace(space_before=styles.gap),
               cl)
    shown = printed_facts(facts)
    past = [f for f in shown if f.date <= today]
    coming = [f for f in shown if f.date > today]
    for msgid, group in ((T.HAPPENED, past), (T.COMING, coming)):
        if not group and (past or coming):
            continue  # an empty part is left out, as in the printed plans
        before = len(story.items)
        story.heading(msgid)
        story.items.append(Spacer(1, styles.gap))
        if not group:
            story.para(cl.text(T.NOTHING), styles.body, cl)
        for i, f in enumerate(group):
            story.fact(f, keep=len(story.items) - before if i == 0 else 0)
    if story.fallback:
        note, _m = co.tf(MSG_FALLBACK_NOTE, language=co.language_name(cl.code))
        story.items.insert(0, tl.make_paragraph(note, styled(styles.small, co, fallback=True)))
    furniture = Furniture(cl, co, styles, client_name=client.display_name,
                          organisation=organisation, printed=today,
                          draft=review_status(cl.code).status == "draft")
    return build_pdf(story.items, furniture.decorate, lang=cl.code,
                     title=f"{cl.gettext(T.TITLE)} – {client.display_name}",
                     author=organisation, font=styles.fonts.regular.primary.name,
                     margin=MARGIN, top=MARGIN + furniture.header_h + 8,
                     bottom=MARGIN + furniture.footer_h + 8)
