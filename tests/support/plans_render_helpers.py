"""Helpers shared by the rendering tests (imported by name: this folder has no __init__)."""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess
from pathlib import Path

import pytest

GOLDEN = Path(__file__).resolve().parents[1] / "unit" / "plans" / "golden"
PRINTED = dt.date(2026, 3, 16)


def pdftotext(pdf: bytes, tmp_path: Path, *args: str) -> str:
    src = tmp_path / "in.pdf"
    src.write_bytes(pdf)
    out = subprocess.run(["pdftotext", *args, str(src), "-"], check=True, capture_output=True)
    return out.stdout.decode("utf-8")


def pdf_pages(pdf: bytes) -> int:
    return pdf.count(b"/Type /Page\n")


requires_poppler = pytest.mark.skipif(
    shutil.which("pdftotext") is None or shutil.which("pdftoppm") is None,
    reason="poppler-utils not installed",
)
