from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from counsel.domain import (
    AgreedAction,
    CefrLevel,
    Client,
    Encounter,
    Given,
    InterpreterMode,
    LanguageSkill,
    Measure,
    Obstacle,
    Place,
    Plan,
    WorkEntry,
    WorkKind,
    new_id,
)
from counsel.domain.codec import dumps, from_dict, loads, to_dict
from counsel.errors import ValidationError
from counsel.i18n import set_language

text = st.text(max_size=200)
line = st.text(max_size=60).filter(lambda s: "\n" not in s and "\r" not in s and "\x00" not in s)
dates = st.dates(min_value=dt.date(1990, 1, 1), max_value=dt.date(2030, 12, 31))


@st.composite
def clients(draw: st.DrawFn) -> Client:
    return Client(
        name=draw(line.filter(lambda s: s.strip())),
        languages=tuple(
            draw(
                st.lists(
                    st.builds(
                        LanguageSkill,
                        st.sampled_from(["ar", "so", "fa_AF", "ckb", "ti", "fi", "sv"]),
                        st.just(False),
                        st.none() | st.sampled_from(list(CefrLevel)),
                    ),
                    max_size=3,
                )
            )
        ),
        permit_date=draw(st.none() | dates),
        municipality=draw(line),
        education=draw(text.filter(lambda s: "\x00" not in s)),
    )


@settings(max_examples=100)
@given(clients())
def test_client_round_trips_through_the_codec(c: Client) -> None:
    assert loads(Client, dumps(c)) == c


@settings(max_examples=100)
@given(
    st.dictionaries(
        st.sampled_from(
            [
                "name",
                "birth_date",
                "languages",
                "permit_basis",
                "client_type",
                "active",
                "municipality",
                "literacy",
            ]
        ),
        st.one_of(
            st.none(),
            st.integers(),
            st.text(max_size=20),
            st.booleans(),
            st.lists(st.integers(), max_size=2),
        ),
    )
)
def test_damaged_dicts_raise_validation_error_never_anything_else(data: dict[str, object]) -> None:
    try:
        from_dict(Client, data)
    except ValidationError as exc:
        assert exc.field  # names the field
    except TypeError as exc:  # a required field missing
        assert "name" in str(exc)


@settings(max_examples=60)
@given(minutes=st.integers(-100, 3000))
def test_work_minutes_bounds(minutes: int) -> None:
    if 1 <= minutes <= 1440:
        assert (
            WorkEntry(kind=WorkKind.VISIBLE, date=dt.date(2026, 1, 1), minutes=minutes).minutes
            == minutes
        )
    else:
        with pytest.raises(ValidationError) as err:
            WorkEntry(kind=WorkKind.VISIBLE, date=dt.date(2026, 1, 1), minutes=minutes)
        assert err.value.field == "minutes"


def test_errors_name_the_field_and_translate() -> None:
    with pytest.raises(ValidationError) as err:
        Client(name="  ")
    assert err.value.field == "name"
    with pytest.raises(ValidationError) as err:
        Encounter(client=new_id(), date=dt.date(2026, 1, 1), interpreter_mode=InterpreterMode.PHONE)
    assert err.value.field == "interpreter_language"
    with pytest.raises(ValidationError) as err:
        Plan(client=new_id(), made=dt.date(2026, 5, 1), valid_until=dt.date(2026, 1, 1))
    assert err.value.field == "valid_until"
    with pytest.raises(ValidationError):
        Measure("work_trial", start=dt.date(2026, 5, 1), due=dt.date(2026, 4, 1))
    with pytest.raises(ValidationError):
        Client(name="x", birth_date=dt.date.today() + dt.timedelta(days=3))


def test_encounter_holds_the_method() -> None:
    e = Encounter(
        client=new_id(),
        date=dt.date(2026, 3, 4),
        place=Place.FIELD_VISIT,
        interpreter_mode=InterpreterMode.VIDEO,
        interpreter_language="ti",
        given=(Given.INFORMATION, Given.GUIDANCE),
        situation="omin sanoin",
        obstacles=(Obstacle.PERSON_FEAR_BENEFITS, Obstacle.EMPLOYER_LANGUAGE_DEMANDS),
        actions=(AgreedAction("hakee koulutukseen", "asiakas", dt.date(2026, 4, 1), True),),
    )
    assert from_dict(Encounter, to_dict(e)) == e
    assert {o.side for o in e.obstacles} == {"person", "employer"}
    with pytest.raises(ValidationError):
        Encounter(client=new_id(), date=dt.date(2026, 1, 1), given=(Given.ADVICE, Given.ADVICE))


def test_labels_translate_with_the_interface_language() -> None:
    assert Place.FIELD_VISIT.label() == "Field visit"
    set_language("fi")
    try:
        label = Place.FIELD_VISIT.label()
    finally:
        set_language("en")
    assert label == "Kenttäkäynti"  # translated through the interface catalog


def test_every_demo_record_round_trips_and_damaged_nested_values_name_their_field() -> None:
    """The codec's decoders (built once per type hint) on every kind of record the demo
    caseload makes, and on damaged values deep inside tuples and nested records."""
    from counsel.demo.caseload import records

    kinds = set()
    for r in records("tiny", 3):
        assert from_dict(type(r), to_dict(r)) == r
        kinds.add(type(r).__name__)
    assert {"Client", "Encounter", "Plan", "WorkEntry"} <= kinds
    e = to_dict(Encounter(client="c" * 32, date=dt.date(2026, 1, 2),
                          actions=(AgreedAction("x", due=dt.date(2026, 1, 3)),)))
    for field, bad in (("actions", [["x"]]), ("actions", 5), ("given", ["no-such"]),
                       ("date", 20260102), ("minutes", True), ("actions", [{"what": 1}])):
        with pytest.raises(ValidationError) as err:
            from_dict(Encounter, {**e, field: bad})
        assert err.value.field in (field, "what", "AgreedAction"), (field, bad)
