"""PDF pages as RGB pixels for an on-screen preview, entirely in memory.

The app shows a plan before it is printed, but PySide6-Essentials has no QtPdf.  Two
rasterisers are used, whichever is present, and neither ever writes a file:

* ``pypdfium2`` (PDFium, in-process; ~50 ms for a three-page plan at 80 dpi), and
* Poppler's ``pdftoppm`` reading the PDF from stdin and writing raw PPM to stdout
  (~0.5 s; Poppler keeps stdin in memory).

The preview holds client data, so it lives only in the returned bytes; nothing goes to
a temporary folder.
"""

# i18n-domain: counsel  (its messages are for the counsellor, not printed for the client)

from __future__ import annotations

import dataclasses
import shutil
import subprocess

from counsel.errors import KnownError
from counsel.i18n import N_
from counsel.i18n import gettext as _

MAX_DPI = 600
MAX_PAGES = 200


@dataclasses.dataclass(frozen=True)
class RasterPage:
    """One page: ``height`` rows of ``stride`` bytes, 3 bytes (R, G, B) per pixel."""

    width: int
    height: int
    stride: int
    rgb: bytes


class PreviewUnavailable(KnownError):
    help_text = N_("Install PDFium (the pypdfium2 package) or Poppler's pdftoppm to see "
                   "previews and print from Counsel. Saving the PDF still works: print it "
                   "from a PDF reader.")


def backend() -> str | None:
    """``"pdfium"``, ``"pdftoppm"`` or None when neither is installed."""
    try:
        import pypdfium2  # noqa: F401
    except ImportError:
        pass
    else:
        return "pdfium"
    return "pdftoppm" if shutil.which("pdftoppm") else None


def rasterise(pdf: bytes, dpi: float = 96, *, using: str | None = None) -> list[RasterPage]:
    """Every page of ``pdf`` at ``dpi``.  Raises :class:`PreviewUnavailable` when no
    rasteriser is installed, ``ValueError`` for bytes that are not a readable PDF."""
    if not 1 <= dpi <= MAX_DPI:
        raise ValueError(f"dpi out of range: {dpi}")
    which = using or backend()
    if which == "pdfium":
        return _pdfium(pdf, dpi)
    if which == "pdftoppm":
        return _pdftoppm(pdf, dpi)
    raise PreviewUnavailable(_("No PDF previewer is installed."))


def _pdfium(pdf: bytes, dpi: float) -> list[RasterPage]:
    import pypdfium2 as pdfium

    try:
        doc = pdfium.PdfDocument(pdf)
    except pdfium.PdfiumError as exc:
        raise ValueError(f"not a readable PDF: {exc}") from None
    pages: list[RasterPage] = []
    try:
        for i in range(min(len(doc), MAX_PAGES)):
            page = doc[i]
            try:
                bitmap = page.render(scale=dpi / 72, rev_byteorder=True)  # RGB, not BGR
                try:
                    pages.append(RasterPage(bitmap.width, bitmap.height, bitmap.stride,
                                            bytes(bitmap.buffer)))
                finally:
                    bitmap.close()
            finally:
                page.close()
    finally:
        doc.close()
    return pages


def _pdftoppm(pdf: bytes, dpi: float) -> list[RasterPage]:
    exe = shutil.which("pdftoppm")
    if exe is None:
        raise PreviewUnavailable(_("No PDF previewer is installed."))
    # "-" reads stdin; with no output root the pages go to stdout as concatenated PPMs
    out = subprocess.run([exe, "-r", f"{dpi:g}", "-l", str(MAX_PAGES), "-"], input=pdf,
                         capture_output=True, check=False)
    if out.returncode != 0:
        raise ValueError("not a readable PDF (pdftoppm failed)")
    return parse_ppm_stream(out.stdout)


def parse_ppm_stream(data: bytes) -> list[RasterPage]:
    """Split concatenated binary PPMs (``P6``, maxval 255) into pages."""
    pages: list[RasterPage] = []
    pos = 0
    while pos < len(data):
        fields: list[bytes] = []
        while len(fields) < 4:
            while pos < len(data) and data[pos:pos + 1].isspace():
                pos += 1
            if data[pos:pos + 1] == b"#":  # a comment runs to the end of the line
                pos = data.find(b"\n", pos) + 1 or len(data)
                continue
            start = pos
            while pos < len(data) and not data[pos:pos + 1].isspace():
                pos += 1
            if start == pos:
                raise ValueError("truncated PPM header")
            fields.append(data[start:pos])
        pos += 1  # the single whitespace byte after maxval
        if fields[0] != b"P6" or fields[3] != b"255":
            raise ValueError("not a binary 8-bit PPM")
        width, height = int(fields[1]), int(fields[2])
        size = width * height * 3
        if width <= 0 or height <= 0 or pos + size > len(data):
            raise ValueError("truncated PPM data")
        pages.append(RasterPage(width, height, width * 3, data[pos:pos + size]))
        pos += size
    return pages
