"""A stacked bar chart of visible vs background minutes per period, drawn with QPainter.

No QtCharts (PySide6-Essentials lacks it).  Accessible: the whole chart as text is the
accessible description; arrow keys move through the bars and the current bar's values
become the accessible name and the tooltip.  The two series differ by colour (blue and
orange, told apart with the common colour-vision deficiencies), by a hatch on the
background part, and by an outline in the text colour, so they stay distinct in a
high-contrast or dark palette.  In a right-to-left interface time runs from right to
left and the hour axis is on the right, as the rest of the mirrored layout.
"""

from __future__ import annotations

import dataclasses
import math

from PySide6.QtCore import QPoint, QRect, QSize, Qt, Signal
from PySide6.QtGui import (
    QBrush,
    QColor,
    QFocusEvent,
    QKeyEvent,
    QMouseEvent,
    QPainter,
    QPaintEvent,
    QPalette,
    QPen,
)
from PySide6.QtWidgets import QSizePolicy, QToolTip, QWidget

from counsel.i18n import gettext as _
from counsel.timekeeping.overview import hm

VISIBLE_COLOUR = QColor("#2b6cb0")
BACKGROUND_COLOUR = QColor("#ed8936")


@dataclasses.dataclass(frozen=True, slots=True)
class Bar:
    label: str  # short, in the interface language
    visible: int  # minutes
    background: int
    title: str = ""  # longer label for the tooltip and screen readers

    @property
    def total(self) -> int:
        return self.visible + self.background


def nice_step(max_hours: float, ticks: int = 5) -> int:
    """A round hour step giving at most ``ticks`` grid lines above zero."""
    for step in (1, 2, 5, 10, 20, 25, 50, 100, 200, 250, 500, 1000):
        if max_hours / step <= ticks:
            return step
    return int(math.ceil(max_hours / ticks))


class TimeChart(QWidget):
    current_changed = Signal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._bars: list[Bar] = []
        self.loading = False
        self._legend_end = 0
        self.current = -1
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setMouseTracking(True)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setAccessibleName(_("Visible and background time per week"))

    # -- data -------------------------------------------------------------------------------
    @property
    def bars(self) -> list[Bar]:
        return list(self._bars)

    def set_loading(self) -> None:
        """Numbers are being worked out: no bars and no "no work time" sentence yet."""
        self.loading = True
        self._bars = []
        self.current = -1
        self.setAccessibleDescription(self.empty_text())
        self.update()

    def empty_text(self) -> str:
        """What the chart says when it has no bars."""
        return _("Calculating…") if self.loading else _("No work time in this period.")

    def set_bars(self, bars: list[Bar], summary: str) -> None:
        self.loading = False
        self._bars = list(bars)
        self.current = -1
        self.setAccessibleDescription(summary)
        self.setToolTip("")
        self.update()

    def bar_text(self, i: int) -> str:
        b = self._bars[i]
        return _("{period}: visible {visible}, background {background}").format(
            period=b.title or b.label, visible=hm(b.visible), background=hm(b.background))

    # -- geometry -----------------------------------------------------------------------------
    def sizeHint(self) -> QSize:  # noqa: N802
        return QSize(640, 260)

    def minimumSizeHint(self) -> QSize:  # noqa: N802
        return QSize(240, 160)

    def _rtl(self) -> bool:
        return self.layoutDirection() == Qt.LayoutDirection.RightToLeft

    def _layout(self) -> tuple[QRect, int, int]:
        """The plot rectangle, the hour step and the top of the scale (hours)."""
        fm = self.fontMetrics()
        top_minutes = max((b.total for b in self._bars), default=0)
        step = nice_step(max(top_minutes / 60, 1))
        top = max(step, int(math.ceil(top_minutes / 60 / step)) * step)
        axis_w = fm.horizontalAdvance(str(top)) + 10
        legend_h = fm.height() + 10
        label_h = fm.height() + 8
        r = self.rect().adjusted(8, 8 + legend_h, -8, -(8 + label_h))
        if self._rtl():
            r.setRight(r.right() - axis_w)
        else:
            r.setLeft(r.left() + axis_w)
        return r, step, top

    def _slot(self, plot: QRect, i: int) -> QRect:
        n = max(1, len(self._bars))
        w = plot.width() / n
        x = plot.right() - (i + 1) * w if self._rtl() else plot.left() + i * w
        return QRect(int(x), plot.top(), max(1, int(w)), plot.height())

    def bar_at(self, pos: QPoint) -> int:
        plot, _step, _top = self._layout()
        for i in range(len(self._bars)):
            if self._slot(plot, i).adjusted(0, 0, 0, 40).contains(pos):
                return i
        return -1

    # -- painting -----------------------------------------------------------------------------
    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.Antialiasing, False)
        pal = self.palette()
        text = pal.color(QPalette.ColorRole.WindowText)
        grid = QColor(text)
        grid.setAlpha(50)
        fm = self.fontMetrics()
        plot, step, top = self._layout()
        rtl = self._rtl()
        self._legend(p, text)
        if not self._bars:
            p.setPen(text)
            p.drawText(plot, Qt.AlignmentFlag.AlignCenter, self.empty_text())
            return
        # hour grid and axis labels
        for h in range(0, top + 1, step):
            y = plot.bottom() - int(plot.height() * h / top)
            p.setPen(QPen(grid, 1))
            p.drawLine(plot.left(), y, plot.right(), y)
            p.setPen(text)
            label = str(h)  # the unit is in the legend: "200 h" would reorder in RTL
            if rtl:
                box = QRect(plot.right() + 6, y - fm.height() // 2, 200, fm.height())
                p.drawText(box, Qt.AlignmentFlag.AlignAbsolute | Qt.AlignmentFlag.AlignLeft
                           | Qt.AlignmentFlag.AlignVCenter, label)
            else:
                box = QRect(plot.left() - 206, y - fm.height() // 2, 200, fm.height())
                p.drawText(box, Qt.AlignmentFlag.AlignAbsolute | Qt.AlignmentFlag.AlignRight
                           | Qt.AlignmentFlag.AlignVCenter, label)
        widest = max(fm.horizontalAdvance(b.label) for b in self._bars) + 8
        slot_w = plot.width() / len(self._bars)
        label_every = max(1, math.ceil(widest / max(slot_w, 1)))
        outline = QPen(text, 1)
        for i, b in enumerate(self._bars):
            slot = self._slot(plot, i)
            pad = max(1, int(slot.width() * 0.18))
            x, w = slot.left() + pad, max(2, slot.width() - 2 * pad)
            vis_h = int(plot.height() * b.visible / 60 / top)
            bg_h = int(plot.height() * b.background / 60 / top)
            vis = QRect(x, plot.bottom() - vis_h, w, vis_h)
            bg = QRect(x, vis.top() - bg_h, w, bg_h)
            if vis_h > 0:
                p.fillRect(vis, VISIBLE_COLOUR)
                p.setPen(outline)
                p.drawRect(vis)
            if bg_h > 0:
                p.fillRect(bg, BACKGROUND_COLOUR)
                p.fillRect(bg, QBrush(text, Qt.BrushStyle.BDiagPattern))
                p.setPen(outline)
                p.drawRect(bg)
            if i == self.current:
                p.setPen(QPen(pal.color(QPalette.ColorRole.Highlight), 2,
                              Qt.PenStyle.DashLine))
                p.drawRect(slot.adjusted(1, 1, -2, -2))
            if i % label_every == 0:
                p.setPen(text)
                box = QRect(slot.center().x() - int(widest), plot.bottom() + 4,
                            int(widest) * 2, fm.height())
                p.drawText(box, Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop,
                           b.label)
        p.setPen(QPen(text, 1))
        p.drawLine(plot.left(), plot.bottom(), plot.right(), plot.bottom())
        if 0 <= self.current < len(self._bars):
            # the selected bar's values, at the end of the legend line (keyboard users)
            room = self.width() - 16 - self._legend_end
            caption = fm.elidedText(self.bar_text(self.current), Qt.TextElideMode.ElideRight,
                                    max(0, room))
            box = QRect(8, 8, self.width() - 16, fm.height())
            side = Qt.AlignmentFlag.AlignLeft if rtl else Qt.AlignmentFlag.AlignRight
            p.drawText(box, Qt.AlignmentFlag.AlignAbsolute | side
                       | Qt.AlignmentFlag.AlignVCenter, caption)

    def _legend(self, p: QPainter, text: QColor) -> None:
        fm = self.fontMetrics()
        sw = fm.height() - 4
        y = 8
        rtl = self._rtl()
        x = self.width() - 8 if rtl else 8
        for colour, hatch, name in ((VISIBLE_COLOUR, False, _("Visible (hours)")),
                                    (BACKGROUND_COLOUR, True, _("Background (hours)"))):
            w = sw + 6 + fm.horizontalAdvance(name)
            left = x - w if rtl else x
            swatch = QRect(left + (w - sw if rtl else 0), y + 2, sw, sw)
            p.fillRect(swatch, colour)
            if hatch:
                p.fillRect(swatch, QBrush(text, Qt.BrushStyle.BDiagPattern))
            p.setPen(QPen(text, 1))
            p.drawRect(swatch)
            label = QRect(left if rtl else left + sw + 6, y, w - sw - 6, fm.height())
            p.drawText(label, Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignAbsolute
                       | Qt.AlignmentFlag.AlignLeft, name)
            x = x - w - 18 if rtl else x + w + 18
        self._legend_end = (self.width() - x) if rtl else x

    # -- interaction --------------------------------------------------------------------------
    def select(self, i: int) -> None:
        if not self._bars:
            return
        self.current = max(0, min(len(self._bars) - 1, i))
        text = self.bar_text(self.current)
        self.setAccessibleName(text)
        self.setToolTip(text)
        self.current_changed.emit(self.current)
        self.update()

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802
        key = event.key()
        # the arrows follow the picture: in a mirrored chart, left is later
        forward = Qt.Key.Key_Left if self._rtl() else Qt.Key.Key_Right
        backward = Qt.Key.Key_Right if self._rtl() else Qt.Key.Key_Left
        if key == forward:
            self.select(self.current + 1)
        elif key == backward:
            self.select(self.current - 1 if self.current >= 0 else 0)
        elif key == Qt.Key.Key_Home:
            self.select(0)
        elif key == Qt.Key.Key_End:
            self.select(len(self._bars) - 1)
        else:
            super().keyPressEvent(event)

    def focusInEvent(self, event: QFocusEvent) -> None:  # noqa: N802
        if self.current < 0 and self._bars:
            self.select(len(self._bars) - 1)  # the latest week is the one usually wanted
        super().focusInEvent(event)

    def mouseMoveEvent(self, event: QMouseEvent) -> None:  # noqa: N802
        i = self.bar_at(event.position().toPoint())
        if i >= 0:
            QToolTip.showText(event.globalPosition().toPoint(), self.bar_text(i), self)
        else:
            QToolTip.hideText()

    def mousePressEvent(self, event: QMouseEvent) -> None:  # noqa: N802
        i = self.bar_at(event.position().toPoint())
        if i >= 0:
            self.select(i)
        super().mousePressEvent(event)
