"""Proposals for imported events, remembered rules, review before saving, no duplicates."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from counsel.domain import Channel, Client, PartyKind, WorkKind
from counsel.errors import ValidationError
from counsel.timekeeping.ics_import import read_ics
from counsel.timekeeping.matching import (
    Action,
    MatchField,
    MatchRule,
    accepted_entries,
    learn,
    propose,
    rules_from_json,
    rules_to_json,
)

FIXTURES = Path(__file__).parent / "fixtures"
AMINA = Client(name="Amina Yusuf", preferred_name="Amina")
OMAR = Client(name="Omar Haji")


def events(name: str = "outlook_export.ics"):  # type: ignore[no-untyped-def]
    return read_ics((FIXTURES / name).read_bytes(), first=dt.date(2026, 1, 1),
                    last=dt.date(2026, 6, 30), tz=ZoneInfo("Europe/Helsinki")).events


def test_name_in_title_is_only_a_suggestion_and_other_events_wait_for_a_decision() -> None:
    props = propose(events(), clients=[AMINA, OMAR])
    amina = [p for p in props if "Amina" in p.event.summary]
    assert amina and all(p.action is Action.VISIBLE and p.client == AMINA.id
                         and not p.confirmed for p in amina)
    reasons = {p.event.summary: p.reason for p in props if p.action is Action.SKIP}
    assert reasons["Koulutuspäivä"] == "All-day event"
    assert reasons["Canceled: Tiimipalaveri"] == "Cancelled"
    kela = next(p for p in props if p.event.summary.startswith("Kela"))
    assert kela.action is Action.SKIP and not kela.confirmed
    assert kela.channel is Channel.VIDEO  # "Microsoft Teams" in the location


def test_rules_decide_and_most_specific_rule_wins() -> None:
    general = MatchRule(pattern="amina", action=Action.BACKGROUND)
    specific = MatchRule(pattern="Amina Yusuf - ohjausaika", action=Action.VISIBLE,
                         client=AMINA.id)
    kela = MatchRule(pattern="sari.sosiaalityo@", field=MatchField.ATTENDEE,
                     action=Action.BACKGROUND, party_kind=PartyKind.SOCIAL_WORKER,
                     channel=Channel.PHONE)
    props = {p.event.key: p for p in propose(events(), rules=[general, specific, kela])}
    amina = [p for p in props.values() if p.event.summary.startswith("Amina")]
    assert {p.action for p in amina} == {Action.VISIBLE}
    assert {p.rule for p in amina} == {specific.id}
    k = next(p for p in props.values() if p.event.summary.startswith("Kela"))
    assert (k.action, k.party_kind, k.channel, k.confirmed) == (
        Action.BACKGROUND, PartyKind.SOCIAL_WORKER, Channel.PHONE, True)


def test_rules_round_trip_and_damaged_json_is_refused() -> None:
    rules = (MatchRule(pattern="Amina", action=Action.VISIBLE, client=AMINA.id, exact=True),
             MatchRule(pattern="Kela", action=Action.BACKGROUND, field=MatchField.ANY,
                       party_kind=PartyKind.KELA, channel=Channel.PHONE))
    assert rules_from_json(rules_to_json(rules)) == rules
    for bad in ("", "{}", '{"rules": [{"id": "x"}]}', '{"rules": [{"id": "abcdefgh12", '
                '"pattern": "a", "action": "dance"}]}'):
        with pytest.raises(ValidationError):
            rules_from_json(bad)


def test_review_then_learn_then_reimport_creates_no_duplicates() -> None:
    rules: tuple[MatchRule, ...] = ()
    first = propose(events(), rules, clients=[AMINA])
    reviewed = []
    for p in first:
        if p.event.summary.startswith("Kela"):
            p = p.decide(Action.BACKGROUND, client=AMINA.id, party_kind=PartyKind.KELA)
            rules = learn(rules, p)
        elif not p.confirmed and p.action is Action.VISIBLE:
            p = p.decide(Action.VISIBLE, client=p.client)
            rules = learn(rules, p)
        reviewed.append(p)
    saved = accepted_entries(reviewed)
    assert len(saved) == 6  # five Amina appointments and the Kela call; the rest skipped
    assert {e.kind for e in saved} == {WorkKind.VISIBLE, WorkKind.BACKGROUND}
    assert all(e.source.startswith("ics:") for e in saved)
    assert len({e.source for e in saved}) == len(saved)
    # second import of the same file: everything already there is skipped
    again = propose(events(), rules, clients=[AMINA],
                    existing_sources=[e.source for e in saved])
    assert accepted_entries(again) == []
    # ...and the learned rules now decide without asking
    fresh = propose(events(), rules, clients=[AMINA])
    assert all(p.confirmed for p in fresh if p.action is not Action.SKIP)


def test_decide_refuses_time_for_an_all_day_event() -> None:
    allday = next(p for p in propose(events()) if p.event.all_day)
    with pytest.raises(ValidationError):
        allday.decide(Action.BACKGROUND)


def test_dry_run_line_has_date_time_decision_and_key() -> None:
    p = propose(events(), clients=[AMINA])[0]
    line = p.line()
    assert line.startswith("2026-03-02 09:00") and "visible?" in line and p.key in line
