"""Issue 14 item 2: a new encounter follows the profile's interpreter need, and the card
printed from an encounter never tells a client who needs an interpreter "No interpreter"."""

from __future__ import annotations

import datetime as dt

from counsel.app import encounter_draft
from counsel.domain import Client, Encounter, InterpreterMode, LanguageSkill
from counsel.plans import textlayout as tl
from counsel.plans.appointment import card_language, interpreter_warning, render_encounter_card

AHMAD = Client(name="أحمد السيد", languages=(LanguageSkill("ar", mother_tongue=True),),
               interpreter_needed=True, interpreter_language="ar")


def _texts(lines: list[tl.Line]) -> list[str]:
    return ["".join(r.text for r in sorted(line.runs, key=lambda r: r.start)) for line in lines]


def test_new_encounter_books_the_profiles_interpreter():
    data = encounter_draft.fresh(AHMAD, dt.datetime(2026, 12, 2, 10, 0))
    assert data["interpreter_mode"] != InterpreterMode.NONE.value
    assert data["interpreter_language"] == "ar"
    enc = encounter_draft.to_encounter(data, encounter_id="e" * 32, client_id=AHMAD.id)
    assert enc.interpreter_mode is InterpreterMode.IN_PERSON
    plain = Client(name="Amina")
    assert "interpreter_mode" not in encounter_draft.fresh(plain, dt.datetime(2026, 12, 2))


def test_card_from_an_encounter_says_what_the_record_says(record_lines):
    enc = Encounter(client=AHMAD.id, date=dt.date(2026, 12, 9), start=dt.time(13, 15),
                    interpreter_mode=InterpreterMode.PHONE, interpreter_language="ar")
    render_encounter_card(enc, AHMAD, counsellor_lang="fi", counsellor_name="Anna")
    texts = _texts(record_lines)
    assert card_language(AHMAD, enc) == "ar"
    assert any("مترجم" in t for t in texts) and "بدون مترجم" not in texts
    assert interpreter_warning(enc, AHMAD) == ""


def test_card_never_tells_a_client_who_needs_one_no_interpreter(record_lines):
    enc = Encounter(client=AHMAD.id, date=dt.date(2026, 12, 9))
    assert interpreter_warning(enc, AHMAD)
    render_encounter_card(enc, AHMAD, counsellor_lang="fi", counsellor_name="Anna")
    texts = _texts(record_lines)
    assert "بدون مترجم" not in texts and not any("مترجم" in t for t in texts)
