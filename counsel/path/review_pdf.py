"""The timeline printed for the plan review meeting: the counsellor's sheet (A4).

In the counsellor's (interface) language, internal facts included: what is overdue,
what is due in the next months, the obstacles still open, the client's figures and the
path so far (:mod:`counsel.path.review`).  The client's own printout is
:mod:`counsel.path.timeline_pdf`.  Names, dates and typed titles are isolates, so they
keep their direction in right-to-left lines.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Mapping, Sequence
from typing import Any

from counsel.domain.client import Client
from counsel.domain.enums import MeasureStatus, Obstacle
from counsel.i18n import display, ngettext
from counsel.i18n import gettext as _
from counsel.path.review import ReviewSheet
from counsel.path.timeline import Fact
from counsel.path.timeline_text import fact_text
from counsel.plans import layout_shape
from counsel.plans import textlayout as tl
from counsel.plans.interface_print import InterfaceText
from counsel.plans.printing import isolate, numbered_canvas


def _figures(sheet: ReviewSheet) -> list[tuple[str, str]]:
    fig = sheet.figures
    if fig.days_permit_to_first_step is not None:
        first = str(fig.days_permit_to_first_step)
    elif fig.days_since_permit is not None:
        first = _("not yet ({days} days since the permit)").format(days=fig.days_since_permit)
    else:
        first = "–"
    measures = display.join([f"{MeasureStatus(s).label()} {n}" for s, n in fig.measures]) \
        or "–"
    return [
        (_("Days from residence permit to first work or studies"), first),
        (_("Measures of the current plan"), measures),
        (_("Work trials ended"), str(fig.trials_ended)),
        (_("Work trials followed by work within 180 days"), str(fig.trials_to_work)),
        (_("Proposals to employers"), str(fig.proposed)),
        (_("Interviews"), str(fig.interviews)),
        (_("Hires"), str(fig.hired)),
        (_("Language level changes since the plan was made"), str(fig.language_changes)),
    ]


class _Sheet:
    def __init__(self, employer_names: Mapping[str, str]) -> None:
        self.tx = InterfaceText()
        self.names = employer_names
        self.story: list[Any] = []
        tx = self.tx
        self.body = tx.style(10, leading=13.5)
        self.heading = tx.style(12.5, bold=True, leading=16, space_before=10, space_after=3)
        self.grey = tx.style(9, leading=12, grey=True)

    def para(self, text: str, style: Any) -> None:
        self.story.append(self.tx.para(text, style))

    def facts(self, facts: Sequence[Fact], empty: str) -> None:
        if not facts:
            self.para(empty, self.grey)
        for f in facts:
            self.para(f"{isolate(display.date(f.date))}   {fact_text(f, self.names)}",
                      self.body)


def render_review(client: Client, sheet: ReviewSheet, employer_names: Mapping[str, str],
                  *, organisation: str = "") -> bytes:
    """The sheet as PDF bytes, in the interface language."""
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.units import mm
    from reportlab.platypus import SimpleDocTemplate

    s = _Sheet(employer_names)
    tx = s.tx
    s.para(_("Plan review: the client's path"), tx.style(17, bold=True, leading=22))
    s.para(isolate(client.display_name), tx.style(13, bold=True, leading=18, space_before=4))
    made = display.date(sheet.plan_made) if sheet.plan_made else "–"
    review = display.date(sheet.review) if sheet.review else "–"
    s.para(_("Plan made {made} · review {review} · printed {today}").format(
        made=isolate(made), review=isolate(review), today=isolate(display.date(sheet.today))),
        s.grey)
    s.para(_("Overdue"), s.heading)
    s.facts(sheet.overdue, _("Nothing is overdue."))
    s.para(_("Due"), s.heading)
    s.facts(sheet.due, _("Nothing is due in the next six months."))
    if sheet.later:
        s.para(ngettext("and {n} more later", "and {n} more later", sheet.later).format(
            n=sheet.later), s.grey)
    s.para(_("Open obstacles"), s.heading)
    if not sheet.open_obstacles:
        s.para(_("No open obstacles."), s.grey)
    for f in sheet.open_obstacles:
        s.para(_("{obstacle} (noted {date})").format(
            obstacle=Obstacle(f.subject).label(), date=isolate(display.date(f.date))), s.body)
    s.para(_("Figures"), s.heading)
    for label, value in _figures(sheet):
        s.para(f"{label}: {isolate(value)}", s.body)
    s.para(_("The path so far"), s.heading)
    s.facts(sheet.history, _("Nothing has happened yet."))

    printed = display.date(sheet.today)
    small = tx.style(8, leading=10, grey=True)
    start, end = ("right", "left") if tx.rtl else ("left", "right")

    def decorate(canvas: Any, page: int, pages: int) -> None:
        width = A4[0] - 36 * mm
        top = A4[1] - 12 * mm
        for text, side, y in (
                (f"{isolate(client.display_name)}  ·  {isolate(printed)}", start, top),
                (organisation, end, top),
                (_("Page {page} of {pages}").format(page=page, pages=pages), end, 10 * mm)):
            for line in tl.layout(text, small, width)[:1] if text else []:
                tl.draw_line(canvas, line, small.replace(align=side), 18 * mm, y, width)

    buf = io.BytesIO()
    doc = SimpleDocTemplate(buf, pagesize=A4, leftMargin=18 * mm, rightMargin=18 * mm,
                            topMargin=20 * mm, bottomMargin=18 * mm,
                            title=f"{_('Plan review')} – {client.display_name}",
                            author=organisation, creator="Counsel", invariant=True,
                            initialFontName=tx.fonts.regular.primary.name)
    try:
        doc.build(s.story, canvasmaker=numbered_canvas(decorate))
    finally:
        layout_shape.clear_cache()  # the shaping cache holds the client's text
    return buf.getvalue()


def review_pdf_for(client: Client, facts: Sequence[Fact], employer_names: Mapping[str, str],
                   today: dt.date, organisation: str = "") -> bytes:
    """Sheet and PDF in one step (the app's and the CLI's entry point)."""
    from counsel.path.review import review_sheet

    return render_review(client, review_sheet(facts, today), employer_names,
                         organisation=organisation)
