"""The printed destruction record: what was erased under the retention schedules — kinds,
counts, the client's id and pseudonym, when and by whom.  No content and no name.

In the counsellor's language (the DPO files it); laid out through the project's bidi →
HarfBuzz line layout, so it prints in Arabic as well.
"""

from __future__ import annotations

import io

from reportlab.lib.pagesizes import A4
from reportlab.platypus import SimpleDocTemplate, Spacer

from counsel.i18n import current_language, is_rtl
from counsel.i18n import gettext as _
from counsel.plans import layout_shape
from counsel.plans import textlayout as tl
from counsel.plans.printing import Styles
from counsel.plans.render_plan import MARGIN
from counsel.records.retention import Destruction, kind_label


def destruction_lines(d: Destruction) -> list[tuple[str, str]]:
    """(label, value) rows of the record, also what the CLI prints."""
    rows = [
        (_("Client"), f"{d.pseudonym} ({d.client_id})"),
        (_("What"), _("The whole client: their key was destroyed on every device")
         if d.whole else _("Records past their retention period")),
        (_("Client relationship ended"), d.ended.isoformat()),
        (_("Erased at"), d.at.isoformat(timespec="seconds")),
        (_("Erased by"), d.by or "—"),
    ]
    for kind, n in sorted(d.counts.items()):
        rows.append((kind_label(kind), _("{n} erased (kept {years} years)").format(
            n=n, years=d.schedules.get(kind, "?"))))
    return rows


def render_destruction(d: Destruction, organisation: str = "") -> bytes:
    styles = Styles.build("standard")
    rtl = is_rtl(current_language())
    body = styles.body.replace(rtl=rtl)
    bold = body.replace(fonts=styles.fonts.bold)
    items: list[object] = [
        tl.make_paragraph(_("Record of destruction"), styles.title.replace(rtl=rtl)),
        tl.make_paragraph(_("Erased under the organisation's retention schedules. This "
                            "record holds no content and no name."), body),
        Spacer(1, styles.gap * 2),
    ]
    if organisation:
        items.insert(1, tl.make_paragraph(organisation, body.replace(rtl=None)))
    for label, value in destruction_lines(d):
        items.append(tl.make_paragraph(label, bold))
        items.append(tl.make_paragraph(value, body.replace(rtl=None, default_rtl=rtl)))
        items.append(Spacer(1, styles.gap / 2))
    items += [Spacer(1, styles.gap * 4), tl.make_paragraph(_("Signature"), bold)]
    buf = io.BytesIO()
    doc = SimpleDocTemplate(buf, pagesize=A4, leftMargin=MARGIN, rightMargin=MARGIN,
                            topMargin=MARGIN, bottomMargin=MARGIN, invariant=True,
                            title=_("Record of destruction"), creator="Counsel",
                            initialFontName=styles.fonts.regular.primary.name)
    try:
        doc.build(items)
    finally:
        layout_shape.clear_cache()
    return buf.getvalue()
