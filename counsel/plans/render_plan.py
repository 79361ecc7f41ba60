"""The printed integration plan: A4, bilingual, selectable text, any client language.

Every section is printed in the client's language first and in the counsellor's
language under it (grey), so both can follow the same paper.  What the counsellor typed
is printed as typed, in its own direction, and is never translated.  Pages carry the
client's name, the date and "page x of y" in both languages; a catalog not yet checked
by a qualified translator is flagged in the footer, in both languages.

``render_plan(...) -> bytes``; the PDF's document language (``/Lang``) is the client's.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.platypus import CondPageBreak, Flowable, KeepTogether, Spacer

from counsel.domain.client import Client
from counsel.domain.enums import CefrLevel, Literacy, MeasureStatus
from counsel.domain.plan import Measure, Plan
from counsel.i18n import N_
from counsel.plans import textlayout as tl
from counsel.plans.printing import (
    MSG_DRAFT,
    MSG_FALLBACK_NOTE,
    MSG_PAGE,
    Lang,
    Styles,
    build_pdf,
    fallback_text,
    isolate,
    languages_for,
    styled,
)
from counsel.plans.templates import MeasureType, Section, Template, review_status

VARIANTS = ("standard", "large_print")

LABELS = {
    "who": N_("Who"),
    "when": N_("When"),
    "provider": N_("Where"),
    "status": N_("Status"),
    "note": N_("Note"),
    "mother_tongue": N_("mother tongue"),
    "literacy": N_("Reading and writing"),
    "education": N_("Education"),
    "work_history": N_("Work"),
    "recognised_skills": N_("Skills that are recognised"),
    "review": N_("Next review"),
    "valid_until": N_("The plan is valid until"),
    "made": N_("Made on"),
    "client": N_("Client"),
    "counsellor": N_("Counsellor"),
    "signature": N_("Signature"),
    "date": N_("Date"),
}
STATUS = {
    MeasureStatus.PLANNED: N_("Planned"),
    MeasureStatus.STARTED: N_("Started"),
    MeasureStatus.DONE: N_("Done"),
    MeasureStatus.INTERRUPTED: N_("Interrupted"),
    MeasureStatus.CANCELLED: N_("Cancelled"),
}
LITERACY = {
    Literacy.NONE: N_("Does not read or write yet"),
    Literacy.NON_LATIN: N_("Reads and writes in another alphabet"),
    Literacy.PARTIAL_LATIN: N_("Reads and writes a little in the Latin alphabet"),
    Literacy.LATIN: N_("Reads and writes in the Latin alphabet"),
}
LEVELS = {CefrLevel.NOT_TESTED: N_("not tested"), CefrLevel.BELOW_A1_1: N_("below A1.1")}

MARGIN = 18 * mm


class _Builder:
    """Collects the flowables of one plan and remembers whether a fallback was printed."""

    def __init__(self, client_lang: Lang, counsellor_lang: Lang, styles: Styles) -> None:
        self.for_client = client_lang
        self.for_counsellor = counsellor_lang
        self.styles = styles
        self.bilingual = client_lang.code != counsellor_lang.code
        self.story: list[Any] = []
        self.fallback_used = False

    def para(self, text: str, style: tl.TextStyle, lang: Lang, *, fallback: bool = False,
             typed: bool = False) -> None:
        if text:
            self.story.append(tl.make_paragraph(
                text, styled(style, lang, fallback=fallback, typed=typed)))

    def msg(self, msgid: str, style: tl.TextStyle, *, secondary: tl.TextStyle | None = None,
            fmt: Mapping[str, str] | None = None) -> None:
        """A plan text in the client's language, and in the counsellor's under it."""
        for lang, st in ((self.for_client, style),
                         (self.for_counsellor, secondary or self.styles.secondary)):
            if lang is self.for_counsellor and not self.bilingual:
                break
            text, missing = lang.tf(msgid, **{k: lang.digits(v) for k, v in (fmt or {}).items()})
            self.fallback_used |= missing
            self.para(fallback_text(text) if missing else text, st, lang, fallback=missing)

    def label_line(self, lang: Lang, pairs: Iterable[tuple[str, str]], style: tl.TextStyle) -> None:
        parts = []
        for msgid, value in pairs:
            label, missing = lang.t(msgid)
            self.fallback_used |= missing
            # the value (a date, typed text) keeps its own direction in the label's line
            parts.append(f"{fallback_text(label) if missing else label}: {isolate(value)}")
        if parts:
            self.para("  ·  ".join(parts), style, lang)

    def fields(self, pairs: list[tuple[str, str]]) -> None:
        """Label/value pairs: one line each in the client's language, then one line in the
        counsellor's.  Values are typed text or already localized."""
        pairs = [(m, v) for m, v in pairs if v]
        for msgid, value in pairs:
            self.label_line(self.for_client, [(msgid, value)], self.styles.body)
        if self.bilingual and pairs:
            self.label_line(self.for_counsellor, pairs, self.styles.secondary)

    def typed(self, text: str) -> None:
        self.para(text, self.styles.body, self.for_client, typed=True)

    def gap(self, factor: float = 1.0) -> None:
        self.story.append(Spacer(1, self.styles.gap * factor))


def _when(lang: Lang, m: Measure) -> str:
    if m.start and m.due:
        return f"{lang.date(m.start, 'medium')} – {lang.date(m.due, 'medium')}"
    if m.start or m.due:
        return lang.date(m.start or m.due or dt.date.today(), "medium")
    return ""


def _measure(b: _Builder, m: Measure, catalogue: Mapping[str, MeasureType]) -> None:
    kind = catalogue.get(m.code)
    if kind is not None:
        b.msg(kind.title, b.styles.body.replace(fonts=b.styles.fonts.bold))
        b.msg(kind.description, b.styles.body)
    else:  # a code the organisation removed: print it as stored rather than drop it
        b.para(m.code, b.styles.body.replace(fonts=b.styles.fonts.bold), b.for_client, typed=True)
    for lang, style in ((b.for_client, b.styles.body), (b.for_counsellor, b.styles.secondary)):
        if lang is b.for_counsellor and not b.bilingual:
            break
        status, missing = lang.t(STATUS[m.status])
        b.fallback_used |= missing
        pairs = [(LABELS["who"], m.who), (LABELS["provider"], m.provider),
                 (LABELS["when"], _when(lang, m)),
                 (LABELS["status"], fallback_text(status) if missing else status)]
        if lang is b.for_client:
            for pair in pairs:
                if pair[1]:
                    b.label_line(lang, [pair], style)
        else:
            b.label_line(lang, [p for p in pairs if p[1]], style)
    if m.note:
        b.typed(m.note)
    b.gap(0.8)


def _languages(b: _Builder, client: Client) -> None:
    for lang, style in ((b.for_client, b.styles.body), (b.for_counsellor, b.styles.secondary)):
        if lang is b.for_counsellor and not b.bilingual:
            break
        for skill in client.languages:
            words = [lang.language_name(skill.code)]
            if skill.mother_tongue:
                words.append(lang.text(LABELS["mother_tongue"]))
            if skill.level is not None:
                level = LEVELS.get(skill.level)
                # CEFR levels are codes ("A1.2"): Latin digits in every language
                words.append(lang.text(level) if level else skill.level.value)
            b.para(lang.join(words), style, lang)
        if client.literacy is not None:
            b.label_line(lang, [(LABELS["literacy"], lang.text(LITERACY[client.literacy]))], style)


def _is_empty(section: Section, plan: Plan, client: Client) -> bool:
    """Nothing to print in the section: it is left out (an empty heading with "nothing
    written yet" only tells the client that something is missing)."""
    if plan.section(section.id) or section.kind == "signatures":
        return False
    if section.kind == "goals":
        return not plan.goals
    if section.kind == "background":
        return not (client.education or client.work_history or client.recognised_skills)
    if section.kind == "languages":
        return not client.languages and client.literacy is None
    if section.kind == "measures":
        return not plan.measures
    if section.kind == "followup":
        return plan.review is None and plan.valid_until is None
    return True


def _section(b: _Builder, section: Section, plan: Plan, client: Client,
             catalogue: Mapping[str, MeasureType]) -> None:
    if _is_empty(section, plan, client):
        return
    s = b.styles
    b.story.append(CondPageBreak(s.heading.size * 6))
    head = len(b.story)
    b.msg(section.title, s.heading, secondary=s.secondary.replace(fonts=s.fonts.bold))
    b.msg(section.help, s.body.replace(color=(0.2, 0.2, 0.2)))
    b.gap(0.5)
    typed = plan.section(section.id)
    if section.kind == "goals":
        typed = "\n".join(t for t in (plan.goals, typed) if t)
    elif section.kind == "background":
        b.fields([(LABELS["education"], client.education),
                  (LABELS["work_history"], client.work_history),
                  (LABELS["recognised_skills"], client.recognised_skills)])
    elif section.kind == "languages":
        _languages(b, client)
    elif section.kind == "measures":
        for i, m in enumerate(plan.measures):
            start = head if i == 0 else len(b.story)  # the heading stays with the first
            _measure(b, m, catalogue)
            # one measure on one page (a page break inside splits what belongs together)
            b.story[start:] = [KeepTogether(b.story[start:])]
    elif section.kind == "followup":
        for key, value in (("review", plan.review), ("valid_until", plan.valid_until)):
            if value is not None:
                b.label_line(b.for_client, [(LABELS[key], b.for_client.date(value))], s.body)
                if b.bilingual:
                    b.label_line(b.for_counsellor, [(LABELS[key], b.for_counsellor.date(value))],
                                 s.secondary)
    elif section.kind == "signatures":
        b.story.append(_Signatures(b))
    if typed:
        b.typed(typed)
    b.gap()


class _Signatures(Flowable):  # type: ignore[misc]
    """Two signature lines (client, counsellor), each with labels in both languages."""

    def __init__(self, b: _Builder) -> None:
        super().__init__()
        self.labels: list[list[tuple[str, tl.TextStyle]]] = []
        for who in ("client", "counsellor"):
            rows = []
            for lang, st in ((b.for_client, b.styles.small), (b.for_counsellor, b.styles.small)):
                if lang is b.for_counsellor and not b.bilingual:
                    break
                text = " · ".join(lang.text(LABELS[k]) for k in (who, "signature", "date"))
                rows.append((text, styled(st, lang)))
            self.labels.append(rows)
        self.style = b.styles.small
        self.rtl = b.for_client.rtl  # the client's line on the side their reading starts

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        self.width = avail_width
        self.height = self.style.line_height * 2 + 16 * mm
        return self.width, self.height

    def draw(self) -> None:
        col = (self.width - 10 * mm) / 2
        for i, rows in enumerate(self.labels):
            x = (1 - i if self.rtl else i) * (col + 10 * mm)
            y = self.height - 12 * mm
            self.canv.setLineWidth(0.6)
            self.canv.line(x, y, x + col, y)
            for text, style in rows:
                y -= style.line_height
                for line in tl.layout(text, style, col)[:1]:
                    tl.draw_line(self.canv, line, style, x, y, col)


def build_story(plan: Plan, client: Client, template: Template,
                catalogue: Mapping[str, MeasureType], for_client: Lang, for_counsellor: Lang,
                styles: Styles) -> tuple[list[Any], bool]:
    b = _Builder(for_client, for_counsellor, styles)
    b.msg(template.title, styles.title, secondary=styles.heading.replace(space_before=0))
    # on the side the client's language starts, whatever the script of the name
    b.para(isolate(client.display_name), styles.heading.replace(space_before=styles.gap),
           for_client)
    b.label_line(for_client, [(LABELS["made"], for_client.date(plan.made))], styles.body)
    if b.bilingual:
        b.label_line(for_counsellor, [(LABELS["made"], for_counsellor.date(plan.made))],
                     styles.secondary)
    b.gap(1.5)
    for section in template.sections:
        _section(b, section, plan, client, catalogue)
    if b.fallback_used:
        note, _missing = for_counsellor.tf(
            MSG_FALLBACK_NOTE, language=for_counsellor.language_name(for_client.code))
        b.story.insert(0, tl.make_paragraph(note, styled(styles.small, for_counsellor,
                                                         fallback=True)))
    return b.story, b.fallback_used


class _Furniture:
    """Header and footer of every page, laid out once so the body frame can leave room
    for them (large print and long draft notes take more than one line)."""

    GAP = 6 * mm

    def __init__(self, for_client: Lang, for_counsellor: Lang, styles: Styles, *, client_name: str,
                 organisation: str, printed: dt.date, draft: bool) -> None:
        self.width = A4[0] - 2 * MARGIN
        self.langs = [for_client] + (
            [for_counsellor] if for_counsellor.code != for_client.code else [])
        self.small = styles.small
        self.for_client = for_client
        self.draft = draft
        half = (self.width - self.GAP) / 2
        self.org = self._lines(organisation, for_client, half, typed=True) if organisation else []
        # the line reads in the client's direction; the name and the date are isolates,
        # so a Latin name and an Arabic date cannot be reordered into each other
        self.who = self._lines(
            f"{isolate(client_name)}  ·  {isolate(for_client.date(printed, 'medium'))}",
            for_client, half)
        self.header_h = max(len(self.org), len(self.who), 1) * self.small.line_height + 3 * mm
        # the page number is measured at its widest ("pages of pages") before the count
        # is known; the draft note wraps in the rest of the line
        self.notes: list[list[tl.Line]] = []
        for lang in self.langs:
            page_w = self._lines(lang.digits(lang.text(MSG_PAGE, page="888", pages="888")),
                                 lang, self.width)[0].width
            self.notes.append(self._lines(lang.text(MSG_DRAFT), lang,
                                          self.width - page_w - self.GAP) if draft else [])
        rows = sum(max(1, len(n)) for n in self.notes)
        self.footer_h = rows * self.small.line_height + 2 * mm

    def _style(self, lang: Lang, align: str, typed: bool = False) -> tl.TextStyle:
        return styled(self.small.replace(align=align), lang, typed=typed)

    def _lines(self, text: str, lang: Lang, width: float, typed: bool = False) -> list[tl.Line]:
        return tl.layout(text, self._style(lang, "start", typed), width)

    def _draw(self, canvas: Any, lines: list[tl.Line], lang: Lang, y: float, side: str,
              typed: bool = False) -> float:
        style = self._style(lang, side, typed)
        for ln in lines:
            tl.draw_line(canvas, ln, style, MARGIN, y, self.width)
            y -= self.small.line_height
        return y

    def decorate(self, canvas: Any, page: int, pages: int) -> None:
        lh = self.small.line_height
        top = A4[1] - MARGIN - self.small.size
        start, end = ("right", "left") if self.for_client.rtl else ("left", "right")
        self._draw(canvas, self.org, self.for_client, top, start, typed=True)
        self._draw(canvas, self.who, self.for_client, top, end, typed=True)
        rule = A4[1] - MARGIN - self.header_h + 1.5 * mm
        canvas.setLineWidth(0.4)
        canvas.setStrokeColorRGB(0.6, 0.6, 0.6)
        canvas.line(MARGIN, rule, A4[0] - MARGIN, rule)
        y = MARGIN + self.footer_h - lh
        for lang, note in zip(self.langs, self.notes, strict=True):
            start, end = ("right", "left") if lang.rtl else ("left", "right")
            page_line = self._lines(
                lang.digits(lang.text(MSG_PAGE, page=str(page), pages=str(pages))), lang,
                self.width)
            self._draw(canvas, page_line[:1], lang, y, end)
            # the translation's review status is said once, on the first page
            y = min(self._draw(canvas, note if page == 1 else [], lang, y, start), y - lh)


def render_plan(plan: Plan, client: Client, template: Template,
                catalogue: Mapping[str, MeasureType], *, counsellor_lang: str,
                client_lang: str | None = None, variant: str = "standard",
                counsellor_name: str = "", organisation: str = "",
                printed: dt.date | None = None,
                content_dirs: Iterable[str | Path] = ()) -> bytes:
    """The plan as PDF bytes.  Raises ``UnknownLanguage`` (a KnownError) for a language
    plans are not printed in, ``ValueError`` for an unknown variant.

    ``content_dirs``: the organisation's content folders (see ``templates``), whose
    translations come before the built-in catalogs — pass the same folders the
    ``template`` and ``catalogue`` were loaded from."""
    if variant not in VARIANTS:
        raise ValueError(f"unknown variant {variant!r}")
    for_client, for_counsellor = languages_for(
        plan.client_language if client_lang is None else client_lang, counsellor_lang,
        content_dirs)
    styles = Styles.build(variant)
    story, _ = build_story(plan, client, template, catalogue, for_client, for_counsellor, styles)
    draft = review_status(for_client.code).status == "draft"
    title = f"{for_client.gettext(template.title)} – {client.display_name}"
    furniture = _Furniture(for_client, for_counsellor, styles, client_name=client.display_name,
                           organisation=organisation, printed=printed or dt.date.today(),
                           draft=draft)
    return build_pdf(story, furniture.decorate, lang=for_client.code, title=title,
                     author=counsellor_name or organisation, subject=template.id,
                     font=styles.fonts.regular.primary.name, margin=MARGIN,
                     top=MARGIN + furniture.header_h + 3 * mm,
                     bottom=MARGIN + furniture.footer_h + 3 * mm)
