"""Appointment card details and the translator's proof."""

from __future__ import annotations

import datetime as dt
import math
from pathlib import Path

import pytest
from plans_render_helpers import pdftotext, requires_poppler
from reportlab.graphics.shapes import Line

from counsel.cli import main as cli
from counsel.plans import textlayout as tl
from counsel.plans.printing import Lang, UnknownLanguage
from counsel.plans.proof import ProofError, render_proof
from counsel.plans.render_card import Appointment, clock_face, render_card

APPOINTMENT = Appointment(
    when=dt.datetime(2026, 3, 18, 14, 30), place="Hämeenkatu 10 B", minutes=45,
    counsellor_name="Anna Virtanen", counsellor_phone="+358 40 123 4567",
    interpreter_language="ar", client_name="Laila")


def _texts(lines: list[tl.Line]) -> list[str]:
    return ["".join(r.text for r in sorted(line.runs, key=lambda r: r.start)) for line in lines]


@pytest.mark.parametrize(("lang", "weekday", "time"), [
    ("fi", "keskiviikko", "14.30"),
    ("ar", "الأربعاء", "2:30"),
    ("fa", "چهارشنبه", "۱۴:۳۰"),  # CLDR: Persian uses its own digits
    ("fa_AF", "چهارشنبه", "۱۴:۳۰"),  # Dari via Babel's fa_AF (Babel has no "prs")
    ("ckb", "چوارشەممە", "٢:٣٠"),
    ("ti", "ረቡዕ", "2:30"),
])
def test_card_weekday_and_time_in_the_clients_language(lang: str, weekday: str, time: str,
                                                      record_lines: list[tl.Line]) -> None:
    render_card(APPOINTMENT, client_lang=lang, counsellor_lang="fi")
    texts = _texts(record_lines)
    assert weekday in texts
    assert any(time in t for t in texts), texts


def test_card_interpreter_booked_or_not(record_lines: list[tl.Line],
                                        monkeypatch: pytest.MonkeyPatch) -> None:
    render_card(APPOINTMENT, client_lang="en", counsellor_lang="en")
    assert "Interpreter booked: Arabic" in _texts(record_lines)
    record_lines.clear()
    none = Appointment(**{**APPOINTMENT.__dict__, "interpreter_language": ""})
    render_card(none, client_lang="en", counsellor_lang="en")
    assert "No interpreter" in _texts(record_lines)


def test_card_phone_number_keeps_its_digit_order_in_rtl(record_lines: list[tl.Line]) -> None:
    render_card(APPOINTMENT, client_lang="ar", counsellor_lang="fi")
    phone = [line for line in record_lines if any("358" in r.text for r in line.runs)]
    assert phone
    visual = "".join(r.text[::-1] if r.rtl else r.text for r in phone[0].runs)
    assert "+358 40 123 4567" in visual


@pytest.mark.parametrize(("hour", "minute"), [(3, 0), (9, 0), (14, 30), (0, 45)])
def test_clock_hands_point_at_the_time(hour: int, minute: int) -> None:
    d = clock_face(hour, minute, 100, "Helvetica")
    lines = [s for s in d.contents if isinstance(s, Line) and (s.x1, s.y1) == (50, 50)]
    hour_hand, minute_hand = lines
    def angle(s: Line) -> float:  # clockwise from 12, degrees
        return math.degrees(math.atan2(s.x2 - 50, s.y2 - 50)) % 360
    assert angle(minute_hand) == pytest.approx(minute * 6, abs=0.01)
    assert angle(hour_hand) == pytest.approx(((hour % 12) + minute / 60) * 30, abs=0.01)


def test_card_sizes_and_bad_input() -> None:
    a6 = render_card(APPOINTMENT, client_lang="so", size="A6")
    a4 = render_card(APPOINTMENT, client_lang="so", size="A4")
    assert b"/MediaBox [ 0 0 297.6378 419.5276 ]" in a6
    assert b"/MediaBox [ 0 0 595.2756 841.8898 ]" in a4
    with pytest.raises(UnknownLanguage):
        render_card(APPOINTMENT, client_lang="tlh")
    with pytest.raises(ValueError, match="size"):
        render_card(APPOINTMENT, client_lang="fi", size="B5")


def test_native_digits_only_where_cldr_uses_them() -> None:
    assert Lang("fa", str).digits("2026") == "۲۰۲۶"
    assert Lang("ckb", str).digits("12") == "١٢"
    assert Lang("ar", str).digits("12") == "12"  # CLDR default for "ar" is latn
    assert Lang("ti", str).digits("12") == "12"


PO = """
msgid ""
msgstr ""
"Content-Type: text/plain; charset=UTF-8\\n"
"X-Review-Status: draft\\n"

#. template integration_plan: title
msgid "Integration plan"
msgstr "خطة الاندماج"

msgid "Your goals"
msgstr ""

#, fuzzy
msgid "School and work"
msgstr "المدرسة"
"""


@requires_poppler
def test_proof_of_a_po_file_being_edited(tmp_path: Path, record_lines: list[tl.Line]) -> None:
    pdf = render_proof("ar", PO.encode(), source_name="ar.po")
    texts = _texts(record_lines)
    assert "خطة الاندماج" in texts and "Integration plan" in texts
    assert any("missing" in t for t in texts)
    assert any("[fuzzy]" in t for t in texts)
    text = pdftotext(pdf, tmp_path)
    assert "Your goals" in text and "3 strings, 1 missing, 1 fuzzy" in " ".join(text.split())


def test_proof_of_the_installed_catalog_lists_every_plan_string(
        record_lines: list[tl.Line]) -> None:
    from counsel.plans.proof import catalog_bytes, read_entries

    data, _ = catalog_bytes("so")
    entries, _ = read_entries(data, "so")
    assert len(entries) > 50
    render_proof("so")
    drawn = " ".join(" ".join(_texts(record_lines)).split())
    missing = [e.msgid for e in entries if " ".join(e.msgid.split()) not in drawn]
    assert not missing


def test_proof_of_a_damaged_file_is_a_known_error() -> None:
    with pytest.raises(ProofError):
        render_proof("ar", b'msgid "x\nmsgstr ""\n\x00\xff')


def test_cli_proof_and_sample(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    po = tmp_path / "ar.po"
    po.write_text(PO, encoding="utf-8")
    out = tmp_path / "proof.pdf"
    assert cli.main(["plans", "proof", "--lang", "ar", "--po", str(po), "--out", str(out)]) == 0
    assert out.read_bytes().startswith(b"%PDF")
    sample = tmp_path / "sample.pdf"
    assert cli.main(["plans", "sample", "--lang", "ti", "--counsellor-lang", "fi",
                     "--out", str(sample)]) == 0
    assert sample.read_bytes().startswith(b"%PDF")
    assert cli.main(["plans", "sample", "--lang", "xx", "--out", str(sample)]) == 1
    assert "xx" in capsys.readouterr().err


def test_long_card_text_shrinks_to_stay_on_the_card(monkeypatch: pytest.MonkeyPatch) -> None:
    drawn: dict[int, list[tuple[float, float]]] = {}  # per attempt (canvas): baseline, size
    keep_alive: list[object] = []  # so that no two attempts' canvases share an id()
    original = tl.draw_line

    def spy(canvas: object, line: tl.Line, style: tl.TextStyle, x: float, baseline: float,
            width: float) -> None:
        keep_alive.append(canvas)
        drawn.setdefault(id(canvas), []).append((baseline, style.size))
        original(canvas, line, style, x, baseline, width)  # type: ignore[arg-type]

    monkeypatch.setattr(tl, "draw_line", spy)
    render_card(APPOINTMENT, client_lang="ar", counsellor_lang="fi")
    (normal,) = drawn.values()
    assert min(b for b, _ in normal) > 0
    drawn.clear()
    long_place = Appointment(**{**APPOINTMENT.__dict__, "place": "Hämeenkatu 10 B " * 25})
    render_card(long_place, client_lang="ar", counsellor_lang="fi")
    attempts = list(drawn.values())
    assert len(attempts) > 1, "a card that overflows must be drawn again, smaller"
    assert min(b for b, _ in attempts[0]) < 0, "the first attempt did overflow"
    kept = attempts[-1]
    assert min(b for b, _ in kept) > 0
    assert max(s for _, s in kept) < max(s for _, s in normal)


def test_translation_with_broken_placeholder_falls_back_and_is_flagged(
        monkeypatch: pytest.MonkeyPatch, record_lines: list[tl.Line]) -> None:
    from counsel.plans import templates

    broken = {"Interpreter booked: {language}": "Tulkki varattu: {kieli}",
              "{minutes} minutes": "{minutes} minuuttia"}
    monkeypatch.setattr(templates, "plan_gettext",
                        lambda lang, extra_dirs=(): lambda m: broken.get(m, m))
    render_card(APPOINTMENT, client_lang="fi", counsellor_lang="fi")
    texts = _texts(record_lines)
    assert "45 minuuttia" in texts  # a good translation with a placeholder
    assert any("[en] Interpreter booked: arabia" in t for t in texts)  # the broken one
    record_lines.clear()
    po = PO + '\nmsgid "Interpreter booked: {language}"\nmsgstr "Tulkki: {kieli}"\n'
    render_proof("fi", po.encode())
    assert any("placeholders differ" in t for t in _texts(record_lines))
