"""Golden images: page 1 of a plan and an appointment card per client language.

The catalogs are replaced by a small fixed table so that the images depend on the
renderer and fonts only, not on translation work in progress.  Regenerate after an
intended change with ``COUNSEL_UPDATE_GOLDEN=1 pytest tests/unit/plans_render`` and look
at every changed image before committing it.
"""

from __future__ import annotations

import datetime as dt
import os
import subprocess
from pathlib import Path

import pytest
from PIL import Image, ImageChops, ImageOps
from plans_render_helpers import GOLDEN, PRINTED, requires_poppler

from counsel.demo.synthetic import sample_client, sample_plan
from counsel.i18n import CLIENT_LANGUAGES
from counsel.plans import render_plan as rp
from counsel.plans import templates
from counsel.plans.render_card import Appointment, render_card
from counsel.plans.templates import ReviewStatus

TABLE = {
    "fi": {"Integration plan": "Kotoutumissuunnitelma", "Your life now": "Elämäsi nyt",
           "Appointment": "Tapaaminen", "Time": "Aika", "Place": "Paikka"},
    "ar": {"Integration plan": "خطة الاندماج", "Your life now": "حياتك الآن",
           "Appointment": "موعد", "Time": "الوقت", "Place": "المكان"},
    "fa": {"Integration plan": "برنامه‌ی ادغام", "Appointment": "قرار ملاقات"},
    "ckb": {"Integration plan": "پلانی تێکەڵبوون", "Appointment": "ژوانی"},
    "ti": {"Integration plan": "መደብ ምውህሃድ", "Appointment": "ቆጸራ"},
    "ru": {"Integration plan": "План интеграции", "Appointment": "Встреча"},
    "uk": {"Integration plan": "План інтеграції", "Appointment": "Зустріч"},
}
CARD = Appointment(when=dt.datetime(2026, 3, 18, 14, 30), place="Hämeenkatu 10 B, huone 204",
                   counsellor_name="Anna Virtanen", counsellor_phone="+358 40 123 4567",
                   minutes=45, interpreter_language="ar", client_name="Laila")
UPDATE = os.environ.get("COUNSEL_UPDATE_GOLDEN") == "1"


@pytest.fixture(autouse=True)
def _fixed_catalogs(monkeypatch: pytest.MonkeyPatch) -> None:
    def plan_gettext(lang: str, extra_dirs: object = ()) -> object:
        table = TABLE.get(lang, TABLE.get(lang.split("_")[0], {}))
        return lambda msgid: table.get(msgid, msgid)

    monkeypatch.setattr(templates, "plan_gettext", plan_gettext)
    monkeypatch.setattr(rp, "review_status",
                        lambda lang: ReviewStatus(lang, "draft", "", None))


def rasterize(pdf: bytes, tmp_path: Path, dpi: int) -> Image.Image:
    src = tmp_path / "page.pdf"
    src.write_bytes(pdf)
    subprocess.run(["pdftoppm", "-png", "-gray", "-r", str(dpi), "-f", "1", "-l", "1",
                    "-singlefile", str(src), str(tmp_path / "page")], check=True)
    with Image.open(tmp_path / "page.png") as img:
        return img.convert("L")


def differs(image: Image.Image, golden: Image.Image) -> str:
    """'' when the images match within tolerance, else why not."""
    if image.size != golden.size:
        return f"size {image.size} != {golden.size}"
    diff = ImageChops.difference(image, golden)
    hist = diff.histogram()
    total = image.size[0] * image.size[1]
    mean = sum(i * n for i, n in enumerate(hist)) / total
    strong = sum(hist[64:])
    # Rendering here is deterministic (same fonts, same poppler), so the tolerance is
    # tight: a shade of anti-aliasing may move, but three digits drawn with other glyphs
    # change about 17 pixels strongly at 60 dpi, and that must fail.
    if mean > 0.25 or strong > 8:
        return f"mean difference {mean:.3f}, {strong} of {total} pixels changed strongly"
    return ""


def check(name: str, image: Image.Image, tmp_path: Path) -> None:
    path = GOLDEN / f"{name}.png"
    if UPDATE or not path.exists():
        if not UPDATE:
            pytest.fail(f"no golden image {path.name}; run with COUNSEL_UPDATE_GOLDEN=1")
        image.save(path, optimize=True)
        return
    with Image.open(path) as golden:
        problem = differs(image, golden.convert("L"))
    if problem:
        actual = tmp_path / f"{name}.actual.png"
        image.save(actual)
        pytest.fail(f"{name}: {problem} (rendered: {actual})")


def plan_page(lang: str, tmp_path: Path) -> Image.Image:
    pdf = rp.render_plan(sample_plan(lang, repeat=1), sample_client(lang),
                         templates.load_templates()["integration_plan"],
                         templates.load_catalogue(), counsellor_lang="fi", client_lang=lang,
                         printed=PRINTED, organisation="Kaupungin kotoutumispalvelut")
    return rasterize(pdf, tmp_path, 60)


@requires_poppler
@pytest.mark.parametrize("lang", CLIENT_LANGUAGES)
def test_plan_first_page_matches_golden(lang: str, tmp_path: Path) -> None:
    check(f"plan-{lang}", plan_page(lang, tmp_path), tmp_path)


@requires_poppler
@pytest.mark.parametrize("lang", ["fi", "ar", "fa", "fa_AF", "ckb", "ti", "uk", "so"])
def test_card_matches_golden(lang: str, tmp_path: Path) -> None:
    pdf = render_card(CARD, client_lang=lang, counsellor_lang="fi", size="A6")
    check(f"card-{lang}", rasterize(pdf, tmp_path, 60), tmp_path)


@requires_poppler
def test_comparison_detects_wrong_renders(tmp_path: Path) -> None:
    """Controls: another language's page, a mirrored page and a page with one band of
    text moved by a pixel must all fail the comparison against the Arabic golden."""
    with Image.open(GOLDEN / "plan-ar.png") as img:
        golden = img.convert("L")
    assert differs(plan_page("ar", tmp_path), golden) == ""
    assert differs(plan_page("fa", tmp_path), golden)
    assert differs(ImageOps.mirror(golden), golden)
    # the densest 12-pixel band of text, moved sideways by one pixel
    w, h = golden.size
    px = golden.load()
    ink = [sum(255 - px[x, y] for x in range(w)) for y in range(h)]  # type: ignore[index]
    top = max(range(h - 12), key=lambda y: sum(ink[y:y + 12]))
    shifted = golden.copy()
    shifted.paste(golden.crop((0, top, w, top + 12)), (1, top))
    assert differs(shifted, golden)
