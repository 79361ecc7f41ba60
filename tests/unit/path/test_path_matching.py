"""Matching: every listed reason is true of the data, every missing hard requirement is
listed as a gap, and a client without consent to be proposed never appears."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pathgen import ON, client_and_profile, roles

from counsel.domain import Client
from counsel.domain.competence import (
    Certificate,
    CertificateKind,
    CompetenceProfile,
    Disclosure,
    EvidenceSource,
    LanguageEvidence,
    ProposalConsent,
    SubSkill,
    WorkExperience,
)
from counsel.domain.employer import CertificateRequirement, LanguageRequirement, Role
from counsel.domain.enums import CefrLevel
from counsel.path import places
from counsel.path.matching import MatchIndex
from counsel.path.points import Point, PointKind

# the sub-scale written out again here, independently of counsel.path.history
SCALE = ["below_A1.1", "A1.1", "A1.2", "A1.3", "A2.1", "A2.2", "B1.1", "B1.2", "B2.1",
         "B2.2", "C1.1"]
STRENGTH = {"self": 0, "teacher": 1, "test": 2}


def level_in_force(profile: CompetenceProfile, lang: str, skill: SubSkill,
                   on: dt.date) -> list[str]:
    """The level in force: the latest evidence, the strongest source on the same day, the
    last entered of equals."""
    usable = [e for e in profile.languages if e.language == lang and e.skill == skill
              and e.date <= on and e.level.value != "not_tested"]
    if not usable:
        return []
    top = max((e.date, STRENGTH[e.source.value]) for e in usable)
    return [[e.level.value for e in usable if (e.date, STRENGTH[e.source.value]) == top][-1]]


def reaches(level: str, need: str) -> bool:
    return SCALE.index(level) >= SCALE.index(need)


def valid_certs(profile: CompetenceProfile, kind: CertificateKind, detail: str,
                on: dt.date) -> list[Certificate]:
    out = []
    for c in profile.certificates:
        if c.kind != kind or (c.issued and c.issued > on) or (c.valid_until and
                                                             c.valid_until < on):
            continue
        if detail:
            if kind is CertificateKind.DRIVING_LICENCE:
                if detail.upper() not in c.detail.replace(",", " ").upper().split():
                    continue
            elif c.detail.casefold() != detail.casefold():
                continue
        out.append(c)
    return out


def lang_requirement_met(profile: CompetenceProfile, req: LanguageRequirement) -> bool:
    return any(reaches(lv, req.level.value)
               for lv in level_in_force(profile, req.language, req.skill, ON))


def check_reason(p: Point, client: Client, profile: CompetenceProfile, role: Role) -> None:
    if p.kind is PointKind.LANGUAGE:
        assert p.have is not None and p.need is not None
        assert p.have.value in level_in_force(profile, p.language, p.skill, ON)  # type: ignore
        assert reaches(p.have.value, p.need.value)
        assert any(r.language == p.language and r.skill == p.skill and r.level == p.need
                   for r in role.languages)
    elif p.kind is PointKind.CERTIFICATE:
        assert p.certificate is not None
        found = valid_certs(profile, p.certificate, p.detail, ON)
        assert found and p.valid_until in [c.valid_until for c in found]
    elif p.kind is PointKind.DISTANCE:
        km = places.distance_km(client.municipality, role.municipality)
        assert km is not None and abs(km - (p.km or 0)) < 1e-6 and km <= profile.travel_km
    elif p.kind is PointKind.OCCUPATION:
        assert any(w.isco == p.isco for w in profile.experience)
        assert p.isco[:2] == role.isco[:2]
        if p.relation == "exact":
            assert p.isco == role.isco or p.isco.startswith(role.isco)
        years = sum(w.years for w in profile.experience if w.isco[:2] == role.isco[:2])
        assert p.years == years
    elif p.kind is PointKind.EXPERIENCE:
        years = sum(w.years for w in profile.experience if w.isco[:2] == role.isco[:2])
        assert p.years == years >= role.experience_years
    elif p.kind is PointKind.WISH:
        assert p.isco in profile.wishes and p.isco[:2] == role.isco[:2]
    elif p.kind is PointKind.AVAILABILITY:
        assert profile.available_from == p.day
        assert p.day is not None and p.day <= max(role.starts or ON, ON)
    else:  # pragma: no cover - a new kind needs its check here
        pytest.fail(f"unchecked reason kind {p.kind}")


def missing_hard(profile: CompetenceProfile, role: Role) -> list[tuple[str, object]]:
    out: list[tuple[str, object]] = []
    for req in role.languages:
        if req.hard and not lang_requirement_met(profile, req):
            out.append(("language", (req.language, req.skill, req.level)))
    for creq in role.certificates:
        if creq.hard and not valid_certs(profile, creq.kind, creq.detail, ON):
            out.append(("certificate", (creq.kind, creq.detail)))
    if role.experience_hard and role.experience_years:
        years = sum(w.years for w in profile.experience if w.isco[:2] == role.isco[:2])
        if years < role.experience_years:
            out.append(("experience", role.experience_years))
    return out


def gap_key(p: Point) -> tuple[str, object]:
    if p.kind is PointKind.LANGUAGE:
        return "language", (p.language, p.skill, p.need)
    if p.kind is PointKind.CERTIFICATE:
        return "certificate", (p.certificate, p.detail)
    return str(p.kind.value), p.need_years


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(people=st.lists(client_and_profile(), min_size=1, max_size=4), role=roles())
def test_reasons_are_true_gaps_complete_and_no_consent_no_listing(
        people: list[tuple[Client, CompetenceProfile]], role: Role) -> None:
    index = MatchIndex.build([c for c, _p in people], [p for _c, p in people], ON)
    by_id = {c.id: (c, p) for c, p in people}
    for max_gaps in (0, 1, 99):
        for m in index.match_role(role, limit=50, max_hard_gaps=max_gaps):
            client, profile = by_id[m.client_id]
            assert client.active and profile.consent is not None
            assert profile.consent.given <= ON and (profile.consent.withdrawn is None
                                                    or ON < profile.consent.withdrawn)
            assert profile.consent.until is None or ON <= profile.consent.until
            for reason in m.reasons:
                assert reason.met
                check_reason(reason, client, profile, role)
                assert reason.text()
            listed = [gap_key(g) for g in m.gaps if g.hard]
            assert sorted(map(repr, listed)) == sorted(map(repr, missing_hard(profile, role)))
            assert m.hard_gaps == len(listed) <= max_gaps
            assert all(not g.met and g.text() for g in m.gaps)
    for client, profile in people:
        found = index.roles_for(client.id, [role], max_hard_gaps=99)
        if not (client.active and profile.consents_on(ON)):
            assert found == []
        else:
            assert len(found) == 1
            assert sorted(map(repr, [gap_key(g) for g in found[0].gaps if g.hard])) == \
                sorted(map(repr, missing_hard(profile, role)))


def _person(consent: ProposalConsent | None, level: CefrLevel = CefrLevel.B1_1
            ) -> tuple[Client, CompetenceProfile]:
    client = Client(name="Amina", municipality="Vantaa")
    return client, CompetenceProfile(
        client=client.id, consent=consent,
        languages=(LanguageEvidence("fi", SubSkill.SPEAKING, level, EvidenceSource.TEST,
                                    dt.date(2026, 2, 3), test="YKI 3"),),
        certificates=(Certificate(CertificateKind.HYGIENE_PASSPORT,
                                  valid_until=dt.date(2030, 1, 1)),),
        experience=(WorkExperience("5120", years=4),))


ROLE = Role(employer="e" * 32, title="Kokki", isco="5120", municipality="Helsinki",
            languages=(LanguageRequirement("fi", SubSkill.SPEAKING, CefrLevel.A2_2),),
            certificates=(CertificateRequirement(CertificateKind.HYGIENE_PASSPORT),
                          CertificateRequirement(CertificateKind.DRIVING_LICENCE, "B")))


def test_the_issue_example_reads_as_promised() -> None:
    from counsel.i18n import set_language

    set_language("en")
    client, profile = _person(ProposalConsent(dt.date(2026, 1, 1), (Disclosure.NAME,)))
    [m] = MatchIndex.build([client], [profile], ON).match_role(ROLE)
    texts = [r.text() for r in m.reasons]
    assert "Finnish speaking B1.1 ≥ A2.2 required (tested, Feb 3, 2026)" in texts
    assert "Hygiene passport valid until Jan 1, 2030" in texts
    assert "lives 14 km away" in texts
    assert [g.text() for g in m.gaps] == ["no valid Driving licence B"]


@pytest.mark.parametrize("consent", [
    None,
    ProposalConsent(dt.date(2026, 7, 1), (Disclosure.NAME,)),  # not yet given
    ProposalConsent(dt.date(2026, 1, 1), (Disclosure.NAME,), withdrawn=dt.date(2026, 5, 1)),
    ProposalConsent(dt.date(2025, 1, 1), (Disclosure.NAME,), until=dt.date(2026, 1, 1)),
])
def test_a_client_without_consent_never_appears(consent: ProposalConsent | None) -> None:
    client, profile = _person(consent, CefrLevel.C1_1)  # the best fit there is
    index = MatchIndex.build([client], [profile], ON)
    assert index.match_role(ROLE, max_hard_gaps=99) == []
    assert index.roles_for(client.id, [ROLE], max_hard_gaps=99) == []
    assert len(index) == 0


def test_a_hard_gap_too_many_drops_the_client_and_ranking_puts_fewer_gaps_first() -> None:
    ok = ProposalConsent(dt.date(2026, 1, 1), (Disclosure.NAME,))
    good, good_p = _person(ok)
    weak, weak_p = _person(ok, CefrLevel.A1_1)
    index = MatchIndex.build([good, weak], [good_p, weak_p], ON)
    assert [m.client_id for m in index.match_role(ROLE, max_hard_gaps=2)] == [good.id, weak.id]
    assert [m.client_id for m in index.match_role(ROLE, max_hard_gaps=1)] == [good.id]
