"""The timeline shows every dated fact exactly once, in order, in every UI language."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import HealthCheck, given, settings
from pathgen import timelines

from counsel.domain import Client, Encounter, Plan
from counsel.domain.competence import CompetenceProfile
from counsel.domain.employer import Proposal
from counsel.i18n import UI_LANGUAGES, display, set_language
from counsel.path.timeline import assemble
from counsel.path.timeline_text import rows


def expected_keys(client: Client, profile: CompetenceProfile, plans: list[Plan],
                  encounters: list[Encounter], proposals: list[Proposal]) -> dict[str, dt.date]:
    """Every dated fact of the input, worked out here without the timeline module."""
    out: dict[str, dt.date] = {}
    if client.permit_date:
        out["client:permit"] = client.permit_date
    if client.started:
        out["client:started"] = client.started
    for i, e in enumerate(profile.languages):
        out[f"lang:{i}"] = e.date
    for i, s in enumerate(profile.scripts):
        if s.date:
            out[f"script:{i}"] = s.date
    for i, ed in enumerate(profile.education):
        if ed.decision_date:
            out[f"edu:{i}"] = ed.decision_date
    for i, c in enumerate(profile.certificates):
        if c.issued:
            out[f"cert:{i}:issued"] = c.issued
        if c.valid_until:
            out[f"cert:{i}:expires"] = c.valid_until
    for i, ev in enumerate(profile.events):
        out[f"event:{i}:start"] = ev.start
        if ev.end:
            out[f"event:{i}:end"] = ev.end
    if profile.consent:
        out["consent:given"] = profile.consent.given
        if profile.consent.withdrawn:
            out["consent:withdrawn"] = profile.consent.withdrawn
    for p in plans:
        out[f"plan:{p.id}:made"] = p.made
        if p.review:
            out[f"plan:{p.id}:review"] = p.review
        if p.valid_until:
            out[f"plan:{p.id}:end"] = p.valid_until
        for i, m in enumerate(p.measures):
            if m.start:
                out[f"plan:{p.id}:m{i}:start"] = m.start
            if m.due:
                out[f"plan:{p.id}:m{i}:end"] = m.due
    # an obstacle is raised when noted while not open; a resolution closes it
    for i, r in enumerate(profile.resolved):
        out[f"res:{i}"] = r.date
    for o in {o for e in encounters for o in e.obstacles}:
        marks = sorted([(e.date, 0, e.id) for e in encounters if o in e.obstacles]
                       + [(r.date, 1, "") for r in profile.resolved if r.obstacle == o])
        is_open = False
        for day, kind, enc_id in marks:
            if kind == 1:
                is_open = False
            elif not is_open:
                is_open = True
                out[f"enc:{enc_id}:{o.value}"] = day
    for p in proposals:
        out[f"prop:{p.id}"] = p.at.date()
        if p.interview:
            out[f"prop:{p.id}:interview"] = p.interview
        if p.outcome:
            out[f"prop:{p.id}:outcome"] = p.outcome
    return out


@pytest.fixture(autouse=True)
def _english_after() -> object:
    yield
    set_language("en")


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=timelines())
def test_every_dated_fact_exactly_once_in_order_in_every_language(data: tuple) -> None:
    client, profile, plans, encounters, proposals = data
    want = expected_keys(client, profile, plans, encounters, proposals)
    facts = assemble(client, profile, plans, encounters, proposals, {"r" * 32: "Kokki"})
    today = dt.date(2026, 6, 1)
    for lang in UI_LANGUAGES:
        set_language(lang)
        shown = rows(facts, today)
        keys = [r.key for r in shown]
        assert len(keys) == len(set(keys)), "a fact is shown twice"
        assert set(keys) == set(want)
        dates = [want[k] for k in keys]
        assert dates == sorted(dates)
        for row, day in zip(shown, dates, strict=True):
            assert row.date == display.date(day)
            assert row.text.strip()
            assert row.upcoming == (day > today)
