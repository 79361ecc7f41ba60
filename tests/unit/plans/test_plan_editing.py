"""The plan editor's Qt-free logic: defaults, draft state, file names, atomic export."""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from counsel.domain import Client, LanguageSkill, Measure, MeasureStatus, Plan, PlanStatus
from counsel.errors import KnownError, ValidationError
from counsel.plans import editing

CLIENT = Client(id="a" * 32, name="Amina Yusuf",
                languages=(LanguageSkill("fi"), LanguageSkill("so", mother_tongue=True)),
                permit_date=dt.date(2024, 1, 15))


def test_default_dates_follow_the_domain_rules() -> None:
    assert editing.default_dates(dt.date(2026, 11, 28)) == (dt.date(2027, 11, 28),
                                                            dt.date(2027, 5, 28))
    # month ends and leap days land on the month's last day, never fail
    assert editing.add_months(dt.date(2026, 8, 31), 6) == dt.date(2027, 2, 28)
    assert editing.add_months(dt.date(2028, 2, 29), 12) == dt.date(2029, 2, 28)
    assert editing.add_months(dt.date(2026, 1, 31), -2) == dt.date(2025, 11, 30)


@settings(max_examples=80, deadline=None)
@given(st.dates(min_value=dt.date(1990, 1, 1), max_value=dt.date(2090, 12, 31)),
       st.integers(min_value=-60, max_value=60))
def test_add_months_moves_by_whole_months(day: dt.date, months: int) -> None:
    moved = editing.add_months(day, months)
    assert (moved.year * 12 + moved.month) - (day.year * 12 + day.month) == months
    assert moved.day == day.day or (moved.day < day.day and
                                    (moved + dt.timedelta(days=1)).day == 1)


def test_deadline_notes() -> None:
    made = dt.date(2026, 3, 1)
    valid_until, review = editing.default_dates(made)
    ok = Plan(client=CLIENT.id, made=made, valid_until=valid_until, review=review)
    assert editing.deadline_notes(ok, CLIENT, first_plan=True) == []
    long = ok.replace(valid_until=dt.date(2027, 6, 1), review=dt.date(2026, 12, 1))
    notes = editing.deadline_notes(long, CLIENT, first_plan=True)
    assert len(notes) == 2 and any("one year" in n for n in notes)
    assert len(editing.deadline_notes(long, CLIENT, first_plan=False)) == 1
    late = ok.replace(made=dt.date(2027, 2, 1), valid_until=dt.date(2028, 1, 1),
                      review=dt.date(2027, 7, 1))
    assert any("three years" in n for n in editing.deadline_notes(late, CLIENT,
                                                                   first_plan=False))


def test_default_client_language_prefers_the_mother_tongue() -> None:
    assert editing.default_client_language(CLIENT) == "so"
    tigre = CLIENT.replace(languages=(LanguageSkill("tig", mother_tongue=True),
                                      LanguageSkill("ar")))
    assert editing.default_client_language(tigre) == "ar"
    assert editing.default_client_language(CLIENT.replace(languages=())) == "en"
    assert editing.print_language("pseudo") == "en"
    assert editing.print_language("fi") == "fi"


def test_language_choices_cover_the_twelve_with_review_status() -> None:
    choices = dict(editing.language_choices())
    assert list(choices) == ["fi", "sv", "en", "ar", "so", "fa", "fa_AF", "ckb", "ru", "uk",
                             "ti", "et"]
    assert choices["en"] == "reviewed"
    assert set(choices.values()) <= {"draft", "reviewed"}


def test_measure_options_in_the_counsellors_language() -> None:
    from counsel.plans.templates import load_catalogue, load_categories

    catalogue, categories = load_catalogue(), load_categories()
    en = editing.measure_options(catalogue, categories, "en")
    fi = editing.measure_options(catalogue, categories, "fi")
    assert {o.code for o in en} == set(catalogue)
    training = next(o for o in en if o.code == "integration_training")
    assert training.title == "Integration training" and training.service_code == "036/037"
    fi_training = next(o for o in fi if o.code == "integration_training")
    assert fi_training.title != training.title  # Finnish catalog applies
    # grouped: a category's measures are contiguous
    cats = [o.category for o in en]
    assert all(cats.index(c) == i or cats[i - 1] == c for i, c in enumerate(cats))


def test_state_round_trip_and_validation() -> None:
    plan = Plan(client=CLIENT.id, client_language="fa_AF", status=PlanStatus.AGREED,
                made=dt.date(2026, 3, 1), valid_until=dt.date(2027, 3, 1),
                review=dt.date(2026, 9, 1), goals="Haluan töihin.",
                sections=(("situation", "Asuu Tampereella."),),
                measures=(Measure("work_trial", MeasureStatus.STARTED, who="Amina",
                                  start=dt.date(2026, 4, 1), due=dt.date(2026, 6, 30),
                                  provider="Kauppa", note="Aamuvuoro"),))
    state = editing.state_from_plan(plan)
    assert editing.plan_from_state(state) == plan
    import json

    assert editing.plan_from_state(json.loads(json.dumps(state))) == plan
    state["measures"].append({"code": "", "who": "ignored"})
    state["sections"]["resources"] = "   "
    assert editing.plan_from_state(state) == plan
    state["measures"][0]["due"] = "31.2.2026"
    with pytest.raises(ValidationError) as err:
        editing.plan_from_state(state)
    assert err.value.field.startswith("Measure 1")
    state["measures"][0]["due"] = "2026-03-01"  # before its start
    with pytest.raises(ValidationError, match="Measure 1"):
        editing.plan_from_state(state)


def test_new_state_has_the_defaults() -> None:
    state = editing.new_state(CLIENT, "b" * 32, today=dt.date(2026, 11, 28))
    plan = editing.plan_from_state(state)
    assert (plan.valid_until, plan.review) == (dt.date(2027, 11, 28), dt.date(2027, 5, 28))
    assert plan.client_language == "so" and plan.status is PlanStatus.DRAFT


def test_draft_ids() -> None:
    draft = editing.draft_id_for("a" * 32, "b" * 32)
    assert draft == f"{'a' * 32}:plan:{'b' * 32}"
    assert editing.parse_draft_id(draft) == ("a" * 32, "b" * 32)
    assert editing.parse_draft_id(f"{'a' * 32}:encounter:{'b' * 32}") is None


@settings(max_examples=60, deadline=None)
@given(st.sampled_from(["integration_plan", "assessment", "review", "org_plan_2"]),
       st.sampled_from(editing.VARIANTS),
       st.sampled_from(["fi", "sv", "en", "ar", "so", "fa", "fa_AF", "ckb", "ru", "uk", "ti"]),
       st.dates())
def test_default_filename_is_plain_and_personal_data_free(template: str, variant: str,
                                                          lang: str, day: dt.date) -> None:
    name = editing.default_filename(template, variant, lang, day)
    assert re.fullmatch(r"[a-z0-9-]+-[0-9]{4}-[0-9]{2}-[0-9]{2}-[a-z]{2,3}(-AF)?\.pdf", name)
    assert day.isoformat() in name


def test_default_filename_examples() -> None:
    day = dt.date(2026, 11, 28)
    assert editing.default_filename("integration_plan", "standard", "ar", day) == \
        "integration-plan-2026-11-28-ar.pdf"
    assert editing.default_filename("integration_plan", "large_print", "fa_AF", day) == \
        "integration-plan-large-print-2026-11-28-fa-AF.pdf"
    assert editing.default_filename("integration_plan", "card_A6", "ti", day) == \
        "appointment-card-a6-2026-11-28-ti.pdf"


def test_write_atomic_replaces_whole_file_and_leaves_no_temp(tmp_path: Path) -> None:
    target = tmp_path / "plan.pdf"
    target.write_bytes(b"old")
    editing.write_atomic(target, b"%PDF-new")
    assert target.read_bytes() == b"%PDF-new"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["plan.pdf"]


def test_write_atomic_failure_keeps_the_old_file(tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    target = tmp_path / "plan.pdf"
    target.write_bytes(b"old")

    def broken_replace(src: str, dst: str) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", broken_replace)
    with pytest.raises(KnownError, match="No space left"):
        editing.write_atomic(target, b"new")
    assert target.read_bytes() == b"old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["plan.pdf"]


def test_write_atomic_into_missing_folder_is_a_known_error(tmp_path: Path) -> None:
    with pytest.raises(editing.ExportFailed):
        editing.write_atomic(tmp_path / "nope" / "plan.pdf", b"x")


def test_record_print_appends_a_revision_entry() -> None:
    plan = Plan(client=CLIENT.id)
    at = dt.datetime(2026, 11, 28, 10, 0, tzinfo=dt.UTC)
    once = editing.record_print(plan, b"%PDF-1", language="fa_AF", variant="card_A4", at=at)
    twice = editing.record_print(once, b"%PDF-2", language="ar", variant="standard", at=at)
    assert len(twice.printed) == 2
    first, second = twice.printed
    assert (first.language, first.variant) == ("fa_AF", "card")
    assert first.sha256 == hashlib.sha256(b"%PDF-1").hexdigest()
    assert (second.language, second.variant) == ("ar", "standard")


def test_print_details_settings_round_trip() -> None:
    details = editing.PrintDetails("Liisa", "Espoon kaupunki", "+358 40 123", "Kamreerintie 3")
    back = editing.PrintDetails.from_settings(details.to_settings())
    assert back == details
    assert editing.PrintDetails.from_settings(None) == editing.PrintDetails()
