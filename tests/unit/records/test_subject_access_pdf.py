"""The client's copy in Arabic, Somali and Tigrinya: every line shaped as HarfBuzz shapes
it straight from the font file, in the order python-bidi gives, fonts embedded, no
missing glyph, headings in the client's language, text extractable."""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess
import unicodedata
from collections.abc import Callable
from functools import cache
from typing import Any

import pytest
import uharfbuzz as hb
from bidi import get_display

from counsel.domain import AgreedAction, Client, Encounter, LanguageSkill
from counsel.plans import textlayout as tl
from counsel.records.export import collect
from counsel.records.export_pdf import render_export
from counsel.vault.kdf import KdfParams
from counsel.vault.service import Vault

TYPED = {
    "ar": ("مريم السيد", "أبحث عن عمل في مطبخ مطعم منذ 2024، وأتعلم الفنلندية A2.1."),
    "so": ("Maryan Cali", "Waxaan raadinayaa shaqo jikada makhaayad, waxaan bartaa af-Finnish."),
    "ti": ("ሰላም ተስፋይ", "ኣብ ምግቢ ቤት ስራሕ እደሊ ኣለኹ፣ ፊንላንድኛ ድማ እመሃር ኣለኹ።"),
}
PHONE = "+358 40 123 4567"
TITLE = {"ar": "معلوماتك في سجلاتنا", "so": "Macluumaadkaaga ku jira diiwaankayaga",
         "ti": "ኣብ መዝገብና ዘሎ ሓበሬታኻ"}


@cache
def _hb_font(path: str) -> hb.Font:
    with open(path, "rb") as fp:
        return hb.Font(hb.Face(hb.Blob(fp.read())))


def _hb_glyphs(run: tl.Run) -> list[int]:
    buf = hb.Buffer()
    buf.add_str(run.text)
    buf.guess_segment_properties()
    buf.direction = "rtl" if run.rtl else "ltr"
    hb.shape(_hb_font(str(run.face.path)), buf, {"kern": True, "liga": True})
    return [g.codepoint for g in buf.glyph_infos]


def _drawn_glyphs(run: tl.Run) -> list[int]:
    from reportlab.pdfbase import pdfmetrics

    c2g = pdfmetrics.getFont(run.face.name).face.charToGlyph
    return [c2g[ord(ch)] for ch in run.shaped.text]


def _visual(line: tl.Line) -> str:
    text = "".join(r.text[::-1] if r.rtl else r.text for r in line.runs)
    return "".join(c for c in text if unicodedata.category(c) != "Cf").translate(
        str.maketrans("()[]{}<>", "(" * 8))


def _reference_visual(text: str, rtl: bool) -> str:
    if rtl and not any(unicodedata.bidirectional(c) in ("L", "R", "AL") for c in text):
        text = f"\u2066{text}\u2069"  # digits typed alone read as typed (UAX #9 isolate)
    shown = str(get_display(text, base_dir="R" if rtl else "L"))
    return "".join(c for c in shown if unicodedata.category(c) != "Cf").translate(
        str.maketrans("()[]{}<>", "(" * 8))


@pytest.fixture
def drawn(monkeypatch: pytest.MonkeyPatch) -> list[tl.Line]:
    lines: list[tl.Line] = []
    original: Callable[..., Any] = tl.draw_line

    def spy(canvas: Any, line: tl.Line, *args: Any, **kwargs: Any) -> None:
        lines.append(line)
        original(canvas, line, *args, **kwargs)

    monkeypatch.setattr(tl, "draw_line", spy)
    return lines


def _pdf(tmp_path: Any, lang: str) -> bytes:
    v, _ = Vault.create(tmp_path / "v.vault", "abcdefghijkl", kdf=KdfParams.fast_for_tests())
    name, typed = TYPED[lang]
    client = Client(name=name, languages=(LanguageSkill(lang, mother_tongue=True),),
                    notes=typed, started=dt.date(2024, 2, 1), phone=PHONE)
    v.save_many([client, Encounter(client=client.id, date=dt.date(2025, 5, 6), situation=typed,
                                   actions=(AgreedAction(typed, due=dt.date(2025, 6, 1)),))])
    v.save(client.replace(notes=typed + " 2"))
    access = collect(v, client.id, now=dt.datetime(2026, 3, 16, 12, tzinfo=dt.UTC))
    v.lock()
    assert access.language == lang
    return render_export(access, counsellor_lang="fi")


@pytest.mark.parametrize("lang", ["ar", "so", "ti"])
def test_every_drawn_line_is_shaped_like_harfbuzz_and_ordered_like_bidi(
        lang: str, drawn: list[tl.Line], tmp_path: Any) -> None:
    pdf = _pdf(tmp_path, lang)
    assert pdf.startswith(b"%PDF") and f"/Lang ({lang})".encode() in pdf
    assert len(drawn) > 20
    rtl_lines = 0
    for line in drawn:
        for run in line.runs:
            glyphs = _drawn_glyphs(run)
            assert 0 not in glyphs, f"a .notdef box (tofu) for {run.text!r}"
            assert glyphs == _hb_glyphs(run), run.text
        if len(line.runs) == 1 and not any(unicodedata.category(c) == "Cf"
                                           for c in line.runs[0].text):
            run = line.runs[0]
            assert _visual(line) == _reference_visual(run.text, line.rtl), run.text
        rtl_lines += line.rtl
    (phone,) = [ln for ln in drawn if "".join(r.text for r in ln.runs) == PHONE]
    assert _visual(phone) == PHONE  # not "4567 123 40 358+" in a right-to-left copy
    if lang == "ar":
        assert rtl_lines > 10  # headings, labels and the typed Arabic run right to left
        assert phone.rtl  # on the right-hand side, with the other values
        assert any(r.face.family == "noto_arabic" for ln in drawn for r in ln.runs)
    else:
        assert rtl_lines == 0
    if lang == "ti":
        assert any(r.face.family == "noto_ethiopic" for ln in drawn for r in ln.runs)


def test_the_comparison_can_fail() -> None:
    """Unshaped glyphs (each letter's isolated form, logical order) and a line left in
    logical order both differ from the references: the checks above can fail."""
    from counsel.plans.fonts import font_set

    style = tl.TextStyle(fonts=font_set("standard").regular, size=12, rtl=True)
    (line,) = tl.layout(TITLE["ar"], style, 2000)
    run = max(line.runs, key=lambda r: len(r.text))
    face = _hb_font(str(run.face.path)).face
    unshaped = [face.get_nominal_glyph(ord(c)) for c in run.text] \
        if hasattr(face, "get_nominal_glyph") else [ord(c) for c in run.text]
    assert _drawn_glyphs(run) == _hb_glyphs(run) != unshaped
    assert _visual(line) == _reference_visual(TITLE["ar"], True) != TITLE["ar"]


@pytest.mark.skipif(shutil.which("pdftotext") is None or shutil.which("pdffonts") is None,
                    reason="poppler-utils not installed")
@pytest.mark.parametrize("lang", ["ar", "so", "ti"])
def test_fonts_embedded_text_in_the_clients_language(lang: str, tmp_path: Any) -> None:
    pdf = _pdf(tmp_path, lang)
    src = tmp_path / "copy.pdf"
    src.write_bytes(pdf)
    fonts = subprocess.run(["pdffonts", str(src)], capture_output=True, check=True,
                           text=True).stdout.splitlines()[2:]
    assert fonts and all(line.split()[-5] == "yes" for line in fonts), fonts  # emb
    text = subprocess.run(["pdftotext", str(src), "-"], capture_output=True, check=True
                          ).stdout.decode()
    squeezed = "".join(text.split())
    assert "".join(TITLE[lang].split()) in squeezed
    assert "Your information" not in text  # the heading is not the English source
    if lang != "ar":  # Arabic comes out of pdftotext in presentation forms
        assert "".join(TYPED[lang][1].split()) in squeezed
