"""Values inside printed lines keep their own direction (Unicode isolates, UAX #9).

The header of an Arabic plan printed for a client with a Latin name read
"Sahra Warsame  ·  022026/12/": the Arabic date "02\u200f/12\u200f/2026" (with its
right-to-left marks) was reordered into the left-to-right name's line.  Each value is now
an isolate (FSI … PDI) in a line that reads in the client's direction.  References built
without counsel.plans.textlayout: python-bidi's own ``get_display`` of the date alone in
the client's direction (how the body of the plan and Qt show it), and of the whole line.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import unicodedata

import pytest
from bidi import get_display
from plans_render_helpers import PRINTED

from counsel.demo.synthetic import sample_client, sample_plan
from counsel.plans import textlayout as tl
from counsel.plans.printing import Lang, languages_for
from counsel.plans.render_plan import render_plan
from counsel.plans.templates import load_catalogue, load_templates

LATIN = "Sahra Warsame"


def isolate(text: str) -> str:  # FSI … PDI, written out: the reference does not use ours
    return f"\u2068{text}\u2069"


def _visual(line: tl.Line) -> str:
    return "".join(run.text[::-1] if run.rtl else run.text for run in line.runs)


def _plain(text: str) -> str:
    return "".join(c for c in text if unicodedata.category(c) != "Cf")


def _alone(text: str, lang: Lang) -> str:
    """``text`` as it shows on a line of its own in ``lang``'s direction."""
    return _plain(str(get_display(text, base_dir="R" if lang.rtl else "L")))


def _header(record_lines: list[tl.Line], name: str) -> tl.Line:
    """The header line with the client's name (drawn on every page: the same line)."""
    words = [_plain(str(get_display(w))) for w in name.split()]
    found = {id(ln): ln for ln in record_lines
             if "·" in _visual(ln) and all(w in _plain(_visual(ln)) for w in words)}
    (line,) = found.values()
    return line


@pytest.mark.parametrize("lang", ["ar", "fa", "ckb"])
@pytest.mark.parametrize("latin", [True, False], ids=["latin-name", "own-script-name"])
def test_header_date_is_whole_beside_any_name(lang: str, latin: bool,
                                              record_lines: list[tl.Line]) -> None:
    client = sample_client(lang)
    if latin:
        client = dataclasses.replace(client, name=LATIN)
    render_plan(sample_plan(lang, repeat=1), client, load_templates()["integration_plan"],
                load_catalogue(), counsellor_lang="fi", client_lang=lang, printed=PRINTED)
    for_client, _ = languages_for(lang, "fi")
    shown = _plain(_visual(_header(record_lines, client.name)))
    date = _alone(for_client.date(PRINTED, "medium"), for_client)
    name = _alone(client.name, for_client)
    # (own-script names: the name alone reads the same in the line as on its own)
    assert date in shown, f"{shown!r} does not contain the date as {date!r}"
    assert name in shown
    # right to left: the name is read first, so it is on the right
    assert shown.index(name) > shown.index(date)


def test_the_whole_header_is_ordered_like_python_bidi(record_lines: list[tl.Line]) -> None:
    client = dataclasses.replace(sample_client("ar"), name=LATIN)
    render_plan(sample_plan("ar", repeat=1), client, load_templates()["integration_plan"],
                load_catalogue(), counsellor_lang="fi", client_lang="ar", printed=PRINTED)
    for_client, _ = languages_for("ar", "fi")
    text = f"{isolate(LATIN)}  ·  {isolate(for_client.date(PRINTED, 'medium'))}"
    assert _plain(_visual(_header(record_lines, LATIN))) == _alone(text, for_client)


@pytest.mark.parametrize("text", ["02\u200f/12\u200f/2026", "Kela, Turku 2", "۲ دسامبر ۲۰۲۶"])
@pytest.mark.parametrize("rtl", [True, False])
def test_layout_honours_isolates(text: str, rtl: bool, style: tl.TextStyle) -> None:
    """The layout's order of an isolate inside a line of the other direction is
    python-bidi's, and the isolate is drawn whole, as it would be on its own."""
    other = "المكان" if not rtl else "Paikka"
    line_text = f"{other}: {isolate(text)} ·"
    (line,) = tl.layout(line_text, style.replace(rtl=rtl), 5000)
    reference = _plain(str(get_display(line_text, base_dir="R" if rtl else "L")))
    assert _plain(_visual(line)) == reference
    own = _plain(str(get_display(isolate(text))))
    assert own in _plain(_visual(line))


def test_control_without_isolates_is_garbled(style: tl.TextStyle) -> None:
    """The fault the isolates prevent: the same date after a Latin name, not isolated."""
    (line,) = tl.layout(f"{LATIN}  ·  02\u200f/12\u200f/2026", style, 5000)
    assert "2026/12/02" not in _plain(_visual(line))


def _drawn_at(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, float, float]]:
    """(visual text, left edge, box right edge) of every line drawn."""
    drawn: list[tuple[str, float, float]] = []
    original = tl.draw_line

    def spy(canvas: object, line: tl.Line, style: tl.TextStyle, x: float, baseline: float,
            width: float) -> None:
        drawn.append((_plain(_visual(line)), tl.line_x(line, style, x, width), x + width))
        original(canvas, line, style, x, baseline, width)

    monkeypatch.setattr(tl, "draw_line", spy)
    return drawn


def test_latin_name_under_an_arabic_title_is_on_the_right(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """The name heading stands where the Arabic title starts (the right edge), not on
    the left beside the counsellor's Finnish lines."""
    drawn = _drawn_at(monkeypatch)
    client = dataclasses.replace(sample_client("ar"), name=LATIN)
    render_plan(sample_plan("ar", repeat=1), client, load_templates()["integration_plan"],
                load_catalogue(), counsellor_lang="fi", client_lang="ar", printed=PRINTED)
    (left, right), *_ = [(x, edge) for text, x, edge in drawn if text == LATIN]
    assert left > right / 2, "the name is drawn on the left half"


def test_timeline_name_and_typed_values_keep_their_direction(
        monkeypatch: pytest.MonkeyPatch) -> None:
    from counsel.path.timeline import Fact
    from counsel.path.timeline_pdf import render_timeline

    drawn = _drawn_at(monkeypatch)
    client = dataclasses.replace(sample_client("ar"), name=LATIN)
    facts = [Fact(dt.date(2026, 3, 2), "certificate", "cert:0", subject="hygiene_passport",
                  extra="Evira 2026 / Turku 12")]
    render_timeline(client, facts, client_lang="ar", counsellor_lang="fi",
                    today=dt.date(2026, 12, 2))
    (left, right), *_ = [(x, edge) for text, x, edge in drawn if text == LATIN]
    assert left > right / 2
    typed = _plain(str(get_display(isolate("Evira 2026 / Turku 12"))))
    assert any(typed in text for text, _x, _e in drawn), [t for t, _x, _e in drawn]
