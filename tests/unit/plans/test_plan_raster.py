"""Rendering a plan's variants and rasterising them in memory for the preview."""

from __future__ import annotations

import datetime as dt
import importlib.util
import shutil
import tempfile
from pathlib import Path

import pytest

from counsel.domain import Client, LanguageSkill, Measure, Plan
from counsel.plans import editing, raster

CLIENT = Client(id="a" * 32, name="أحمد السيد", interpreter_needed=True,
                interpreter_language="ar", languages=(LanguageSkill("ar", mother_tongue=True),))
PLAN = Plan(client=CLIENT.id, client_language="ar", made=dt.date(2026, 11, 28),
            review=dt.date(2027, 5, 28), goals="أريد أن أعمل طباخا",
            measures=(Measure("integration_training", who="Ahmad"),))
BACKENDS = [b for b, ok in (("pdfium", importlib.util.find_spec("pypdfium2") is not None),
                            ("pdftoppm", shutil.which("pdftoppm") is not None)) if ok]


@pytest.fixture(scope="module")
def pdfs() -> dict[str, bytes]:
    details = editing.PrintDetails(counsellor_name="Liisa", place="Kamreerintie 3",
                                   card_when=dt.datetime(2027, 5, 28, 9, 30))
    return {v: editing.render_variant(PLAN, CLIENT, v, counsellor_lang="fi", details=details)
            for v in editing.VARIANTS}


def test_every_variant_renders(pdfs: dict[str, bytes]) -> None:
    assert all(pdf.startswith(b"%PDF") for pdf in pdfs.values())
    assert pdfs["standard"] != pdfs["large_print"]
    with pytest.raises(ValueError):
        editing.render_variant(PLAN, CLIENT, "poster", counsellor_lang="fi")


@pytest.mark.skipif(not BACKENDS, reason="no rasteriser installed")
@pytest.mark.parametrize("backend", BACKENDS)
def test_rasterise_in_memory(backend: str, pdfs: dict[str, bytes], tmp_path: Path,
                             monkeypatch: pytest.MonkeyPatch) -> None:
    tmp = tmp_path / "tmp"
    tmp.mkdir()
    monkeypatch.setenv("TMPDIR", str(tmp))
    monkeypatch.setattr(tempfile, "tempdir", None)
    pages = raster.rasterise(pdfs["standard"], 40, using=backend)
    assert pages and all(p.width < p.height for p in pages)  # A4 portrait
    first = pages[0]
    assert len(first.rgb) == first.stride * first.height
    assert abs(first.width - round(210 / 25.4 * 40)) <= 1
    assert min(first.rgb) < 128 < max(first.rgb)  # ink on paper
    card = raster.rasterise(pdfs["card_A6"], 40, using=backend)
    assert len(card) == 1 and abs(card[0].width - round(105 / 25.4 * 40)) <= 1
    assert list(tmp.iterdir()) == []


@pytest.mark.skipif(len(BACKENDS) < 2, reason="needs both rasterisers")
def test_backends_agree(pdfs: dict[str, bytes]) -> None:
    a = raster.rasterise(pdfs["large_print"], 30, using="pdfium")
    b = raster.rasterise(pdfs["large_print"], 30, using="pdftoppm")
    assert [(p.width, p.height) for p in a] == [(p.width, p.height) for p in b]


def test_rasterise_rejects_garbage_and_bad_dpi() -> None:
    with pytest.raises(ValueError):
        raster.rasterise(b"%PDF", 1000)
    for backend in BACKENDS:
        with pytest.raises(ValueError):
            raster.rasterise(b"not a pdf at all", 50, using=backend)
    with pytest.raises(raster.PreviewUnavailable):
        raster.rasterise(b"%PDF", 50, using="none")


def test_parse_ppm_stream() -> None:
    one = b"P6\n2 1\n255\n" + bytes([255, 0, 0, 0, 0, 255])
    two = b"P6 # comment\n1 1 255\n" + bytes([1, 2, 3])
    pages = raster.parse_ppm_stream(one + two)
    assert [(p.width, p.height, p.rgb) for p in pages] == [
        (2, 1, bytes([255, 0, 0, 0, 0, 255])), (1, 1, bytes([1, 2, 3]))]
    with pytest.raises(ValueError):
        raster.parse_ppm_stream(one[:-1])
    with pytest.raises(ValueError):
        raster.parse_ppm_stream(b"P5\n1 1\n255\n\x00")


@pytest.mark.skipif(importlib.util.find_spec("pypdfium2") is None, reason="needs pypdfium2")
def test_card_says_whether_an_interpreter_is_booked() -> None:
    import pypdfium2 as pdfium

    def text(details: editing.PrintDetails) -> str:
        pdf = editing.render_variant(PLAN, CLIENT, "card_A6", counsellor_lang="fi",
                                     details=details)
        doc = pdfium.PdfDocument(pdf)
        try:
            return str(doc[0].get_textpage().get_text_range())
        finally:
            doc.close()

    assert "Tulkki on tilattu" in text(editing.PrintDetails())  # the client needs one
    assert "Ei tulkkia" in text(editing.PrintDetails(card_interpreter=False))
    no_need = CLIENT.replace(interpreter_needed=False)
    pdf = editing.render_variant(PLAN, no_need, "card_A6", counsellor_lang="fi")
    doc = pdfium.PdfDocument(pdf)
    assert "Ei tulkkia" in str(doc[0].get_textpage().get_text_range())
    doc.close()
