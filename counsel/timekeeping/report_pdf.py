"""Reports as PDF (reportlab): a stacked bar chart per period and the tables.

Every text (title, headings, column names, labels, client names with ``--by client``,
the chart's legend) goes through the plans' text layout (font fallback, shaping, bidi)
in the interface language's direction, so an Arabic report prints and reads right to
left (the label column on the right).  Numbers and the chart's axes are Noto Sans with
Latin digits.  Minutes print as ``h:mm``.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Sequence
from typing import Any

from counsel.i18n import gettext as _
from counsel.plans.interface_print import InterfaceText
from counsel.timekeeping.report_tables import Table, Value

VISIBLE_COLOUR = "#2b6cb0"
BACKGROUND_COLOUR = "#ed8936"
SUPPRESSED_MARK = "–"


def _fonts() -> tuple[str, str]:
    """Noto Sans regular and bold: the numbers and the chart's axes (Latin digits)."""
    from counsel.plans.fonts import face

    return face("noto_sans").name, face("noto_sans", bold=True).name


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
    return d


def _legend(tx: InterfaceText) -> Any:
    """The chart's legend: a coloured square and its name per series, in the page's
    direction (drawn through the plans' layout, so any script prints)."""
    from reportlab.lib import colors
    from reportlab.platypus import Flowable

    from counsel.plans import textlayout as tl

    items = [(VISIBLE_COLOUR, _("Visible (hours)")), (BACKGROUND_COLOUR, _("Background (hours)"))]
    style = tx.style(8, leading=10)

    class Legend(Flowable):  # type: ignore[misc]
        def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
            self.width = avail_width
            return avail_width, 14.0

        def draw(self) -> None:
            x = 0.0 if not tx.rtl else self.width
            for colour, text in items:
                (line,) = tl.layout(text, style, 1000)[:1]
                box = 8.0
                step = box + 4 + line.width + 14
                left = x if not tx.rtl else x - step + 14
                self.canv.setFillColor(colors.HexColor(colour))
                square_x = left if not tx.rtl else left + line.width + 4
                self.canv.rect(square_x, 3, box, box, stroke=0, fill=1)
                text_x = left + box + 4 if not tx.rtl else left
                tl.draw_line(self.canv, line, style.replace(align="left"), text_x, 4,
                             line.width)
                x = x + step if not tx.rtl else x - step

    return Legend()


def render_pdf(tables: Sequence[Table], *, title: str, first: dt.date, last: dt.date,
               note: str = "") -> bytes:
    """A PDF of ``tables`` with a stacked bar chart of the ``period`` table."""
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.units import mm
    from reportlab.platypus import SimpleDocTemplate, Spacer, TableStyle
    from reportlab.platypus import Table as RLTable

    regular, bold = _fonts()
    tx = InterfaceText()
    story: list[object] = [
        tx.para(title, tx.style(16, bold=True, leading=20, space_after=4)),
        tx.para(_("{first} – {last}").format(first=first.isoformat(), last=last.isoformat()),
                tx.style(9, leading=12)),
    ]
    if note:
        story.append(tx.para(note, tx.style(7.5, leading=10, grey=True)))
    period = next((t for t in tables if t.key == "period"), None)
    if period is not None and period.rows:
        story += [Spacer(1, 4 * mm), _legend(tx), _chart([str(r[0]) for r in period.rows],
                                                         [_int(r[1]) for r in period.rows],
                                                         [_int(r[2]) for r in period.rows],
                                                         regular)]
    # the label column on the side the language starts; numbers on the other side
    near, far = ("right", "left") if tx.rtl else ("left", "right")
    head = [tx.style(8.5, bold=True, leading=10, align=near),
            tx.style(8.5, bold=True, leading=10, align=far)]
    label_style = tx.style(8.5, leading=11, align=near)
    typed_style = tx.style(8.5, leading=11, align=near, typed=True)
    for t in tables:
        # header cells wrap ("Taustatyön osuus" is wider than its column)
        data: list[list[object]] = [[tx.para(c, head[1 if i else 0])
                                     for i, c in enumerate(t.columns)]]
        for n, row in enumerate(t.rows):
            minutes_cols: range | tuple[int, ...] = (
                t.minute_columns if t.minute_columns
                else (1,) if n < len(t.minute_rows) and t.minute_rows[n] else ())
            cells: list[object] = [_fmt(v, i, minutes_cols, row) for i, v in enumerate(row)]
            # labels are translated text; client names and periods are typed or codes
            cells[0] = tx.para(str(cells[0]), typed_style if t.key in ("client", "period")
                               else label_style)
            data.append(cells)
        first_width = 80 * mm if len(t.columns) == 3 else 45 * mm
        other = (170 * mm - first_width) / (len(t.columns) - 1)
        widths = [first_width] + [other] * (len(t.columns) - 1)
        if tx.rtl:  # mirrored: the label column on the right
            data = [list(reversed(r)) for r in data]
            widths.reverse()
        table = RLTable(data, colWidths=widths, repeatRows=1)
        numbers = (0, 0, -2, -1) if tx.rtl else (1, 0, -1, -1)
        table.setStyle(TableStyle([
            ("FONT", (0, 0), (-1, -1), regular, 8.5),
            ("ALIGN", numbers[:2], numbers[2:], far.upper()),
            ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
            ("LINEBELOW", (0, 0), (-1, 0), 0.6, colors.black),
            ("ROWBACKGROUNDS", (0, 1), (-1, -1), [colors.white, colors.HexColor("#f2f4f7")]),
            ("TOPPADDING", (0, 0), (-1, -1), 2),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
        ]))
        story += [tx.para(t.title, tx.style(11, bold=True, leading=14, space_before=8,
                                            space_after=3)), table]
    buf = io.BytesIO()
    doc = SimpleDocTemplate(buf, pagesize=A4, leftMargin=20 * mm, rightMargin=20 * mm,
                            topMargin=18 * mm, bottomMargin=18 * mm, title=title,
                            author="Counsel", invariant=1)
    doc.build(story)
    return buf.getvalue()


def _int(v: Value) -> int | None:
    return v if isinstance(v, int) else None

