"""Draft dict ↔ Encounter: what the editor autosaves and what it finally saves."""

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from counsel.app.encounter_draft import fresh, from_encounter, to_encounter
from counsel.domain import AgreedAction, Client, Encounter, Given, InterpreterMode, Obstacle, Place
from counsel.errors import ValidationError

CID, EID = "c" * 32, "e" * 32
texts = st.text(st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00\r"),
                max_size=40)


@st.composite
def encounters(draw):
    mode = draw(st.sampled_from(list(InterpreterMode)))
    actions = draw(st.lists(st.builds(
        AgreedAction, what=texts.map(lambda t: t.strip() or "x"),
        who=st.text(st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00\r\n"),
                    max_size=20).map(str.strip),
        due=st.none() | st.dates(dt.date(2000, 1, 1), dt.date(2100, 1, 1)),
        client_step=st.booleans(), done=st.booleans()), max_size=3))
    return Encounter(
        id=EID, client=CID, date=draw(st.dates(dt.date(2000, 1, 1), dt.date(2100, 1, 1))),
        start=draw(st.none() | st.times().map(lambda t: t.replace(second=0, microsecond=0))),
        minutes=draw(st.integers(0, 600)), place=draw(st.sampled_from(list(Place))),
        interpreter_mode=mode, interpreter_language="ar" if mode is not InterpreterMode.NONE
        else "",
        given=tuple(draw(st.sets(st.sampled_from(list(Given))))),
        obstacles=tuple(draw(st.lists(st.sampled_from(list(Obstacle)), max_size=3,
                                      unique=True))),
        actions=tuple(actions), situation=draw(texts), notes=draw(texts),
        others_present=draw(st.text(st.characters(blacklist_categories=("Cs",),
                                                  blacklist_characters="\x00\r\n"),
                                    max_size=20)).strip(),
    )


@settings(max_examples=60)
@given(encounters())
def test_round_trip_keeps_everything(enc):
    assert to_encounter(from_encounter(enc), encounter_id=EID, client_id=CID) == enc


def test_fresh_uses_the_clients_interpreter_language():
    now = dt.datetime(2026, 3, 4, 9, 30)
    client = Client(name="A", interpreter_needed=True, interpreter_language="so")
    data = fresh(client, now)
    assert data["date"] == "2026-03-04" and data["start"] == "09:30"
    assert data["interpreter_language"] == "so"
    assert "interpreter_language" not in fresh(Client(name="B"), now)


def test_typed_dates_in_finnish_order_and_empty_rows():
    data = {"date": "4.3.2026", "start": "", "actions": [
        {"what": "Soittaa Kelaan", "due": "31.3.2026"}, {"what": "  ", "due": "nonsense"}]}
    enc = to_encounter(data, encounter_id=EID, client_id=CID)
    assert enc.date == dt.date(2026, 3, 4) and enc.start is None
    assert [a.due for a in enc.actions] == [dt.date(2026, 3, 31)]


@pytest.mark.parametrize("data", [
    {"date": ""},
    {"date": "2026-02-30"},
    {"date": "2026-03-04", "actions": [{"what": "x", "due": "tomorrow"}]},
    {"date": "2026-03-04", "start": "25:99"},
    {"date": "2026-03-04", "interpreter_mode": "phone"},  # language missing
])
def test_bad_input_is_a_known_error(data):
    with pytest.raises(ValidationError):
        to_encounter(data, encounter_id=EID, client_id=CID)
