"""The printed destruction record: what was erased under the retention schedules — kinds,
counts, the client's id and pseudonym, when and by whom.  No content and no name.

In the counsellor's language (the DPO files it); laid out through the project's bidi →
HarfBuzz line layout, so it prints in Arabic as well: every value is an isolate on the
language's side (an id, a time or a login name keeps its own order inside a right-to-left
page).  The organisation's name is the one the plans print (the vault's print details).
"""

from __future__ import annotations

import datetime as dt
import io
from typing import TYPE_CHECKING

from reportlab.lib.pagesizes import A4
from reportlab.platypus import SimpleDocTemplate, Spacer

from counsel.i18n import current_language, is_rtl
from counsel.i18n import gettext as _
from counsel.plans import layout_shape
from counsel.plans import textlayout as tl
from counsel.plans.printing import Styles, isolate
from counsel.plans.render_plan import MARGIN
from counsel.records.retention import Destruction, kind_label

if TYPE_CHECKING:
    from counsel.vault.service import Vault


def organisation_of(vault: Vault) -> str:
    """The organisation's name as the plans print it (empty when not set)."""
    from counsel.plans.editing import PrintDetails

    return PrintDetails.from_settings(vault.settings.get(PrintDetails.SETTINGS_KEY)).organisation


def destruction_lines(d: Destruction) -> list[tuple[str, str]]:
    """(label, value) rows of the record, also what the CLI prints."""
    rows = [
        (_("Client"), f"{d.pseudonym} ({d.client_id})"),
        (_("What"), _("The whole client: their key was destroyed on every device")
         if d.whole else _("Records past their retention period")),
        (_("Client relationship ended"), d.ended.isoformat()),
        (_("Erased at"), f"{d.at.astimezone(dt.UTC):%Y-%m-%d %H:%M} UTC"),
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
        items.insert(1, tl.make_paragraph(isolate(organisation), bold))
    for label, value in destruction_lines(d):
        items.append(tl.make_paragraph(label, bold))
        items.append(tl.make_paragraph(isolate(value), body))
        items.append(Spacer(1, styles.gap / 2))
    items += [Spacer(1, styles.gap * 4), tl.make_paragraph(_("Signature"), bold),
              Spacer(1, styles.gap * 3), tl.make_paragraph("_" * 40, body)]
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
