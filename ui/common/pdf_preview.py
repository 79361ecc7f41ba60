"""An in-app PDF preview: pages rasterised in memory off the UI thread, shown as images.

PySide6-Essentials has no QtPdf, so the PDF is rasterised by ``counsel.plans.raster``
(PDFium in-process, or pdftoppm through pipes).  Neither the PDF nor the page images
ever touch the disk: they hold client data.  The caller supplies a function that makes
the PDF; it runs on the reader pool together with the rasterising.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QImage, QPalette, QPixmap
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from counsel.errors import KnownError
from counsel.i18n import N_, ngettext
from counsel.i18n import gettext as _
from counsel.plans import raster
from counsel_ui.common.ops import Op
from counsel_ui.common.widgets import named

VARIANT_LABELS = {
    "standard": N_("Standard"),
    "large_print": N_("Large print"),
    "card_A6": N_("Appointment card (A6)"),
    "card_A4": N_("Appointment card (A4)"),
}
PREVIEW_DPI = 96.0


def to_image(page: raster.RasterPage) -> QImage:
    image = QImage(page.rgb, page.width, page.height, page.stride, QImage.Format.Format_RGB888)
    return image.copy()  # detach from the Python bytes, which may be freed


def _shown(image: QImage, width: int) -> tuple[QImage, QImage]:
    """``image`` and its copy as shown: at most ``width`` wide, in the format a pixmap
    takes without converting (thread-safe: QImage is not a widget)."""
    scaled = image if width >= image.width() else image.scaledToWidth(
        width, Qt.TransformationMode.SmoothTransformation)
    return image, scaled.convertToFormat(QImage.Format.Format_RGB32)


def paint_pages(printer: Any, pages: list[raster.RasterPage]) -> bool:
    """Paint rasterised pages onto a started-or-not printer, one per sheet, scaled to fit.
    False when the printer could not be started."""
    from PySide6.QtCore import QRectF, QSize
    from PySide6.QtGui import QPainter

    painter = QPainter()
    if not painter.begin(printer):
        return False
    try:
        rect = printer.pageLayout().fullRectPixels(printer.resolution())
        for n, page in enumerate(pages):
            if n:
                printer.newPage()
            image = to_image(page)
            size = QSize(image.width(), image.height()).scaled(
                rect.size(), Qt.AspectRatioMode.KeepAspectRatio)
            painter.drawImage(QRectF(0, 0, size.width(), size.height()), image)
    finally:
        painter.end()
    return True


class PdfPreview(QWidget):
    """Variant picker, an "Update" button and the rendered pages.

    ``wanted`` asks the owner for a new render (variant changed or Update pressed); the
    owner answers with :meth:`show_pdf_of`.
    """

    wanted = Signal()
    rendered = Signal(int)  # page count

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._seq = 0
        self.pdf: bytes | None = None  # the PDF last shown (memory only)
        self.pages: list[QImage] = []
        self._scaled: list[QImage] = []  # the pages as shown, made with them off the UI thread
        self._labels: list[QLabel] = []
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        top = QHBoxLayout()
        self.variant = QComboBox()
        for key, label in VARIANT_LABELS.items():
            self.variant.addItem(_(label), key)
        named(self.variant, _("Print variant"))
        top.addWidget(self.variant, 1)
        self.update_button = QPushButton(_("&Update preview"))
        named(self.update_button, _("Update preview"))
        top.addWidget(self.update_button)
        lay.addLayout(top)
        self.status = QLabel()
        self.status.setWordWrap(True)
        self.status.setAccessibleName(_("Preview status"))
        lay.addWidget(self.status)
        self.scroller = QScrollArea()
        self.scroller.setWidgetResizable(True)
        self.scroller.setMinimumWidth(200)
        self.scroller.viewport().installEventFilter(self)
        self.scroller.setAlignment(Qt.AlignmentFlag.AlignHCenter)
        named(self.scroller, _("Preview pages"))
        body = QWidget()
        body.setBackgroundRole(QPalette.ColorRole.Mid)
        body.setAutoFillBackground(True)
        self.page_box = QVBoxLayout(body)
        self.page_box.setSpacing(12)
        self.page_box.addStretch(1)
        self.scroller.setWidget(body)
        lay.addWidget(self.scroller, 1)
        self.variant.currentIndexChanged.connect(lambda _i: self.wanted.emit())
        self.update_button.clicked.connect(self.wanted.emit)

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:  # noqa: N802
        if obj is self.scroller.viewport() and event.type() == QEvent.Type.Resize:
            self._fit()
        return super().eventFilter(obj, event)

    def current_variant(self) -> str:
        return str(self.variant.currentData())

    def set_variant(self, variant: str) -> None:
        i = self.variant.findData(variant)
        if i >= 0:
            self.variant.setCurrentIndex(i)

    def show_pdf_of(self, make_pdf: Callable[[], bytes]) -> None:
        """Render ``make_pdf()`` and its pages on the reader pool; only the newest
        request is shown."""

        def make(dpi: float) -> tuple[bytes, list[raster.RasterPage] | None, str]:
            pdf = make_pdf()
            try:
                return pdf, raster.rasterise(pdf, dpi), ""
            except raster.PreviewUnavailable as exc:
                return pdf, None, f"{exc.message} {exc.help()}"

        self.show_rendered(make)

    def show_rendered(self, make: Callable[[float], tuple[bytes, list[raster.RasterPage] | None,
                                                        str]]) -> None:
        """Show ``make(dpi)`` — the PDF, its pages at ``dpi`` (None: cannot rasterise) and
        a note why not — run on the reader pool (the plan editor's renders it in a helper
        process); only the newest request is shown."""
        self._seq += 1
        seq = self._seq
        self.status.setText(_("Rendering the preview…"))
        dpi = PREVIEW_DPI * max(1.0, self.devicePixelRatioF())
        width = self._fit_width()

        def work() -> tuple[bytes, list[tuple[QImage, QImage]] | None, str]:
            # the images made and scaled here, off the UI thread (3 pages: ~100 ms there)
            pdf, pages, note = make(dpi)
            if pages is None:
                return pdf, None, note
            return pdf, [_shown(to_image(p), width) for p in pages], note

        def done(result: tuple[bytes, list[tuple[QImage, QImage]] | None, str]) -> None:
            if seq != self._seq:
                return
            pdf, pages, note = result
            self.pdf = pdf
            if pages is None:
                self._set_pages([])
                self.status.setText(note)
            else:
                self._set_pages([full for full, _scaled in pages], [s for _f, s in pages])
                self.status.setText(ngettext(
                    "{n} page. Nothing is saved until you print or save the PDF.",
                    "{n} pages. Nothing is saved until you print or save the PDF.",
                    len(pages)).format(n=len(pages)))
            self.rendered.emit(len(self.pages))

        def failed(exc: BaseException) -> None:
            if seq != self._seq:
                return
            self.pdf = None
            self._set_pages([])
            if isinstance(exc, KnownError):
                self.status.setText(f"{exc.message} — {exc.help()}")
            else:
                from counsel_ui.common.errors import show_error

                self.status.setText(_("The preview could not be made."))
                show_error(self, exc)

        Op(self, work, write=False).success(done).failure(failed).run()

    def clear(self) -> None:
        self._seq += 1
        self.pdf = None
        self._set_pages([])
        self.status.setText("")

    def _set_pages(self, images: list[QImage], scaled: list[QImage] | None = None) -> None:
        while self.page_box.count() > 1:
            item = self.page_box.takeAt(0)
            widget = item.widget() if item is not None else None
            if widget is not None:
                widget.deleteLater()
        self.pages = images
        self._scaled = scaled or []
        self._labels = []
        for n, _image in enumerate(images, 1):
            label = QLabel()
            label.setAlignment(Qt.AlignmentFlag.AlignHCenter)
            label.setAccessibleName(_("Page {n} of {total}").format(n=n, total=len(images)))
            self.page_box.insertWidget(n - 1, label)
            self._labels.append(label)
        self._fit()

    def _fit_width(self) -> int:
        """How wide a page is shown, in device pixels (pages are never enlarged)."""
        room = max(80, self.scroller.viewport().width() - 24)
        return int(room * max(1.0, self.devicePixelRatioF()))

    def _fit(self) -> None:
        """Pages fit the width of the pane (never enlarged past their rendered size)."""
        ratio = max(1.0, self.devicePixelRatioF())
        fit = self._fit_width()
        for n, (label, image) in enumerate(zip(self._labels, self.pages, strict=True)):
            ready = self._scaled[n] if n < len(self._scaled) else None
            scaled = ready if ready is not None and ready.width() == min(image.width(), fit) \
                else _shown(image, fit)[1]
            pixmap = QPixmap.fromImage(scaled)
            pixmap.setDevicePixelRatio(ratio)
            label.setPixmap(pixmap)
