"""Hypothesis strategies for competence profiles, roles and timelines (shared by tests)."""

from __future__ import annotations

import datetime as dt

from hypothesis import strategies as st

from counsel.domain import Client, Encounter, Plan
from counsel.domain.competence import (
    Certificate,
    CertificateKind,
    CompetenceProfile,
    Disclosure,
    Education,
    EducationLevel,
    EvidenceSource,
    LanguageEvidence,
    ObstacleResolved,
    PathEvent,
    PathEventKind,
    ProposalConsent,
    Recognition,
    ScriptLevel,
    ScriptLiteracy,
    SubSkill,
    WorkExperience,
)
from counsel.domain.employer import (
    CertificateRequirement,
    LanguageRequirement,
    Proposal,
    ProposalStatus,
    Role,
)
from counsel.domain.enums import CefrLevel, MeasureStatus, Obstacle
from counsel.domain.plan import Measure

ON = dt.date(2026, 6, 1)
EMPLOYER = "e" * 32
TOWNS = ["Helsinki", "Espoo", "Vantaa", "Turku", "Oulu", "Nowhere-on-the-list"]
ISCO = ["5120", "5131", "9412", "9112", "8332", "8322", "2353", "51", "94"]

days = st.dates(min_value=dt.date(2020, 1, 1), max_value=dt.date(2027, 12, 31))
levels = st.sampled_from(list(CefrLevel))


@st.composite
def certificates(draw: st.DrawFn) -> Certificate:
    kind = draw(st.sampled_from(list(CertificateKind)))
    detail = draw(st.sampled_from(["", "B", "C", "B C", "CE"])) if kind is \
        CertificateKind.DRIVING_LICENCE else draw(st.sampled_from(["", "ABC card"]))
    issued = draw(st.none() | days)
    until = draw(st.none() | days)
    if issued and until and until < issued:
        issued, until = until, issued
    return Certificate(kind, detail, issued, until)


# biased to Finnish speaking so that requirements and evidence often meet
langs = st.sampled_from(["fi", "fi", "fi", "sv"])
skills = st.sampled_from([SubSkill.SPEAKING] * 4 + list(SubSkill))
evidence = st.builds(LanguageEvidence, language=langs, skill=skills, level=levels,
                     source=st.sampled_from(list(EvidenceSource)),
                     # few dates: same-day evidence from different sources is common
                     date=st.sampled_from([dt.date(2025, 1, 1), dt.date(2026, 5, 31), ON,
                                           dt.date(2026, 6, 2)]))
experience = st.builds(WorkExperience, isco=st.sampled_from(ISCO),
                       years=st.integers(0, 12))


@st.composite
def consents(draw: st.DrawFn) -> ProposalConsent | None:
    if draw(st.booleans()) and draw(st.booleans()):
        return None
    given = draw(days)
    until = draw(st.none() | days.filter(lambda d: d >= given))
    withdrawn = draw(st.none() | days.filter(lambda d: d >= given))
    scope = tuple(draw(st.sets(st.sampled_from(list(Disclosure)), min_size=0)))
    return ProposalConsent(given, scope, until, withdrawn)


@st.composite
def client_and_profile(draw: st.DrawFn) -> tuple[Client, CompetenceProfile]:
    client = Client(name=draw(st.sampled_from(["Amina", "Bashir", "ሰላም", "Ольга"])),
                    municipality=draw(st.sampled_from(TOWNS)), phone="+358 40 1234567",
                    active=draw(st.booleans() | st.just(True)))
    profile = CompetenceProfile(
        client=client.id,
        languages=tuple(draw(st.lists(evidence, max_size=8))),
        certificates=tuple(draw(st.lists(certificates(), max_size=4))),
        experience=tuple(draw(st.lists(experience, max_size=3))),
        wishes=tuple(draw(st.lists(st.sampled_from(ISCO), max_size=2))),
        travel_km=draw(st.integers(0, 200)),
        available_from=draw(st.none() | days),
        consent=draw(consents()),
    )
    return client, profile


@st.composite
def roles(draw: st.DrawFn) -> Role:
    isco = draw(st.sampled_from([""] + ISCO))
    return Role(
        employer=EMPLOYER, title="Role", isco=isco,
        municipality=draw(st.sampled_from(TOWNS + [""])),
        starts=draw(st.none() | days),
        languages=tuple(draw(st.lists(st.builds(
            LanguageRequirement, language=langs, skill=skills,
            level=st.sampled_from([lv for lv in CefrLevel if lv is not CefrLevel.NOT_TESTED]),
            hard=st.booleans()), max_size=3))),
        certificates=tuple(draw(st.lists(st.builds(
            CertificateRequirement, kind=st.sampled_from(list(CertificateKind)),
            detail=st.sampled_from(["", "C", "B"]), hard=st.booleans()), max_size=3))),
        experience_years=draw(st.integers(0, 5)) if isco else 0,
        experience_hard=draw(st.booleans()),
    )


@st.composite
def timelines(draw: st.DrawFn) -> tuple[Client, CompetenceProfile, list[Plan], list[Encounter],
                                        list[Proposal]]:
    permit = draw(st.none() | days)
    client = Client(name="Amina", permit_date=permit, started=draw(st.none() | days))
    edu = tuple(Education(draw(st.sampled_from(list(EducationLevel))),
                          recognition=draw(st.sampled_from(list(Recognition))),
                          decision_date=draw(st.none() | days))
                for _ in range(draw(st.integers(0, 2))))
    events = []
    for _ in range(draw(st.integers(0, 3))):
        start = draw(days)
        end = draw(st.none() | days.filter(lambda d, s=start: d >= s))
        events.append(PathEvent(draw(st.sampled_from(list(PathEventKind))), start, end,
                                title="Keittiö", interrupted=draw(st.booleans())))
    resolved = tuple(ObstacleResolved(draw(st.sampled_from(list(Obstacle)[:6])), draw(days))
                     for _ in range(draw(st.integers(0, 3))))
    scripts = tuple(ScriptLiteracy(draw(st.sampled_from(["Latn", "Arab", "Ethi"])),
                                   draw(st.sampled_from(list(ScriptLevel))),
                                   draw(st.none() | days))
                    for _ in range(draw(st.integers(0, 2))))
    profile = CompetenceProfile(
        client=client.id, languages=tuple(draw(st.lists(evidence, max_size=6))),
        certificates=tuple(draw(st.lists(certificates(), max_size=3))), education=edu,
        events=tuple(events), resolved=resolved, scripts=scripts, consent=draw(consents()))
    plans = []
    for _ in range(draw(st.integers(0, 2))):
        made = draw(days)
        measures = []
        for _ in range(draw(st.integers(0, 3))):
            start = draw(st.none() | days)
            due = draw(st.none() | days)
            if start and due and due < start:
                start, due = due, start
            measures.append(Measure(draw(st.sampled_from(["work_trial", "integration_training",
                                                          "no_such_code"])),
                                    status=draw(st.sampled_from(list(MeasureStatus))),
                                    start=start, due=due))
        plans.append(Plan(client=client.id, made=made,
                          review=draw(st.none() | days.filter(lambda d, m=made: d >= m)),
                          valid_until=draw(st.none() | days.filter(lambda d, m=made: d >= m)),
                          measures=tuple(measures)))
    encounters = [Encounter(client=client.id, date=draw(days),
                            obstacles=tuple(draw(st.sets(st.sampled_from(list(Obstacle)[:6]),
                                                         max_size=3))))
                  for _ in range(draw(st.integers(0, 4)))]
    proposals = []
    for _ in range(draw(st.integers(0, 3))):
        at = draw(days)
        later = days.filter(lambda d, a=at: d >= a)
        proposals.append(Proposal(
            client=client.id, role="r" * 32, employer="e" * 32,
            at=dt.datetime.combine(at, dt.time(10, 0)), by="Anna", disclosed=(), summary="",
            status=draw(st.sampled_from(list(ProposalStatus))),
            interview=draw(st.none() | later), outcome=draw(st.none() | later)))
    return client, profile, plans, encounters, proposals
