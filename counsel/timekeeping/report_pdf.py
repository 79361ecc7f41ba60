"""Reports as PDF (reportlab): a stacked bar chart per period and the tables.

Noto Sans (Latin, Cyrillic) for the report itself: the manager report holds no client
names.  The counsellor's own report names clients only with ``--by client``; those
names go through the plans' text layout (font fallback, shaping, bidi), so Arabic or
Tigrinya names print correctly.  Minutes print as ``h:mm``.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Sequence

from counsel.i18n import gettext as _
from counsel.timekeeping.report_tables import Table, Value

VISIBLE_COLOUR = "#2b6cb0"
BACKGROUND_COLOUR = "#ed8936"
SUPPRESSED_MARK = "–"


def _fonts() -> tuple[str, str]:
    """Noto Sans regular and bold (static instances from the plans' font cache)."""
    try:
        from counsel.plans.fonts import face

        return face("noto_sans").name, face("noto_sans", bold=True).name
    except (ImportError, AttributeError):
        # Fallback: the variable font's default instance (regular) for both weights.
        from importlib import resources

        from reportlab.pdfbase import pdfmetrics
        from reportlab.pdfbase.ttfonts import TTFont

        root = resources.files("fontpkg_noto_sans") / "files"
        path = next(p for p in root.iterdir() if p.name.startswith("NotoSans["))
        if "Counsel-Report" not in pdfmetrics.getRegisteredFontNames():
            pdfmetrics.registerFont(TTFont("Counsel-Report", str(path)))
        return "Counsel-Report", "Counsel-Report"


def hm(minutes: int) -> str:
    sign = "-" if minutes < 0 else ""
    h, m = divmod(abs(minutes), 60)
    return f"{sign}{h}:{m:02d}"


def _fmt(v: Value, column: int, minutes_columns: range | tuple[int, ...],
         row: tuple[Value, ...]) -> str:
    if v is None:
        # a share of a shown value that has no share (a count) is blank, not hidden
        return "" if column == len(row) - 1 and row[1] is not None else SUPPRESSED_MARK
    if isinstance(v, float):
        return f"{v * 100:.0f} %"
    if isinstance(v, int) and column in minutes_columns:
        return hm(v)
    return str(v)


def _chart(labels: Sequence[str], visible: Sequence[int | None],
           background: Sequence[int | None], font: str) -> object:
    from reportlab.graphics.charts.barcharts import VerticalBarChart
    from reportlab.graphics.charts.legends import Legend
    from reportlab.graphics.shapes import Drawing
    from reportlab.lib import colors

    d = Drawing(480, 200)
    bc = VerticalBarChart()
    bc.x, bc.y, bc.width, bc.height = 40, 40, 420, 140
    bc.data = [[(v or 0) / 60 for v in visible], [(b or 0) / 60 for b in background]]
    bc.categoryAxis.style = "stacked"
    step = max(1, len(labels) // 14)  # keep week labels readable on long ranges
    # a hidden (suppressed) period must not look like a period without work
    bc.categoryAxis.categoryNames = [
        f"{x} {SUPPRESSED_MARK}" if visible[i] is None else (x if i % step == 0 else "")
        for i, x in enumerate(labels)]
    bc.categoryAxis.labels.fontName = font
    bc.categoryAxis.labels.fontSize = 6.5
    bc.categoryAxis.labels.angle = 30 if len(labels) > 8 else 0
    bc.categoryAxis.labels.boxAnchor = "ne" if len(labels) > 8 else "n"
    bc.valueAxis.labels.fontName = font
    bc.valueAxis.labels.fontSize = 7
    bc.valueAxis.valueMin = 0
    bc.bars[0].fillColor = colors.HexColor(VISIBLE_COLOUR)
    bc.bars[1].fillColor = colors.HexColor(BACKGROUND_COLOUR)
    bc.bars.strokeWidth = 0
    d.add(bc)
    legend = Legend()
    legend.x, legend.y = 40, 195
    legend.fontName, legend.fontSize = font, 8
    legend.alignment = "right"
    legend.columnMaximum = 1
    legend.colorNamePairs = [(colors.HexColor(VISIBLE_COLOUR), _("Visible (hours)")),
                             (colors.HexColor(BACKGROUND_COLOUR), _("Background (hours)"))]
    d.add(legend)
    return d


def render_pdf(tables: Sequence[Table], *, title: str, first: dt.date, last: dt.date,
               note: str = "") -> bytes:
    """A PDF of ``tables`` with a stacked bar chart of the ``period`` table."""
    from reportlab.lib import colors
    from reportlab.lib.enums import TA_RIGHT
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import mm
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, TableStyle
    from reportlab.platypus import Table as RLTable

    regular, bold = _fonts()
    h1 = ParagraphStyle("h1", fontName=bold, fontSize=16, leading=20, spaceAfter=4)
    h2 = ParagraphStyle("h2", fontName=bold, fontSize=11, leading=14, spaceBefore=8,
                        spaceAfter=3)
    body = ParagraphStyle("body", fontName=regular, fontSize=9, leading=12)
    small = ParagraphStyle("small", parent=body, fontSize=7.5, leading=10,
                           textColor=colors.HexColor("#555555"))
    story: list[object] = [
        Paragraph(_esc(title), h1),
        Paragraph(_esc(_("{first} – {last}").format(first=first.isoformat(),
                                                     last=last.isoformat())), body),
    ]
    if note:
        story.append(Paragraph(_esc(note), small))
    period = next((t for t in tables if t.key == "period"), None)
    if period is not None and period.rows:
        story += [Spacer(1, 4 * mm), _chart([str(r[0]) for r in period.rows],
                                             [_int(r[1]) for r in period.rows],
                                             [_int(r[2]) for r in period.rows], regular)]
    head_start = ParagraphStyle("head", fontName=bold, fontSize=8.5, leading=10)
    head_end = ParagraphStyle("head_end", parent=head_start, alignment=TA_RIGHT)
    for t in tables:
        # header cells wrap ("Taustatyön osuus" is wider than its column)
        data: list[list[object]] = [[Paragraph(_esc(c), head_end if i else head_start)
                                     for i, c in enumerate(t.columns)]]
        for n, row in enumerate(t.rows):
            minutes_cols: range | tuple[int, ...] = (
                t.minute_columns if t.minute_columns
                else (1,) if n < len(t.minute_rows) and t.minute_rows[n] else ())
            data.append([_fmt(v, i, minutes_cols, row) for i, v in enumerate(row)])
        if len(t.columns) == 3:  # indicator labels are long: let them wrap
            data = [data[0]] + [[Paragraph(_esc(str(r[0])), body), *r[1:]] for r in data[1:]]
        elif t.key == "client":  # names in any script: shaped, bidi-aware, with fallback
            data = [data[0]] + [[_name_cell(str(r[0])), *r[1:]] for r in data[1:]]
        first_width = 80 * mm if len(t.columns) == 3 else 45 * mm
        other = (170 * mm - first_width) / (len(t.columns) - 1)
        table = RLTable(data, colWidths=[first_width] + [other] * (len(t.columns) - 1),
                        repeatRows=1)
        table.setStyle(TableStyle([
            ("FONT", (0, 0), (-1, -1), regular, 8.5),
            ("FONT", (0, 0), (-1, 0), bold, 8.5),
            ("ALIGN", (1, 0), (-1, -1), "RIGHT"),
            ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
            ("LINEBELOW", (0, 0), (-1, 0), 0.6, colors.black),
            ("ROWBACKGROUNDS", (0, 1), (-1, -1), [colors.white, colors.HexColor("#f2f4f7")]),
            ("TOPPADDING", (0, 0), (-1, -1), 2),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
        ]))
        story += [Paragraph(_esc(t.title), h2), table]
    buf = io.BytesIO()
    doc = SimpleDocTemplate(buf, pagesize=A4, leftMargin=20 * mm, rightMargin=20 * mm,
                            topMargin=18 * mm, bottomMargin=18 * mm, title=title,
                            author="Counsel", invariant=1)
    doc.build(story)
    return buf.getvalue()


def _name_cell(text: str) -> object:
    """A client name drawn with the plans' layout (Arabic, Ethiopic ...); else plain."""
    try:
        from counsel.plans.fonts import font_set
        from counsel.plans.textlayout import TextStyle, make_paragraph

        return make_paragraph(text, TextStyle(fonts=font_set().regular, size=8.5, rtl=False))
    except (ImportError, AttributeError, TypeError):
        return text


def _int(v: Value) -> int | None:
    return v if isinstance(v, int) else None


def _esc(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
