"""A plausible employer network and competence profiles for the synthetic caseload.

Employers in the caseload's municipalities (restaurants, cleaning, logistics, care,
building, retail), open roles with the language levels, cards and licences such work
asks for, competence profiles for most clients (about 60 % consenting to be proposed),
a few proposals and the background work of contacting employers.  Uses its own random
generator, so the rest of the caseload stays as it was for a given seed.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Iterator, Sequence

from counsel.domain import Client, Employer, Proposal, Record, Role
from counsel.domain.competence import (
    Certificate,
    CertificateKind,
    CompetenceProfile,
    Disclosure,
    Education,
    EducationLevel,
    EvidenceSource,
    LanguageEvidence,
    PathEvent,
    PathEventKind,
    ProposalConsent,
    Recognition,
    ScriptLevel,
    ScriptLiteracy,
    SubSkill,
    WorkExperience,
    profile_id,
)
from counsel.domain.employer import (
    CertificateRequirement,
    ContactPerson,
    LanguageRequirement,
    ProposalStatus,
    Support,
)
from counsel.domain.enums import CefrLevel, Channel, Obstacle
from counsel.path.proposals import contact_entry, disclosure_summary

#: (sector, name pattern, [(role title, ISCO, Finnish speaking level, cards)])
SECTORS: list[tuple[str, str, list[tuple[str, str, CefrLevel, tuple[str, ...]]]]] = [
    ("Ravintola-ala", "Ravintola {x}", [
        ("Kokki", "5120", CefrLevel.A2_1, ("hygiene_passport",)),
        ("Keittiöapulainen", "9412", CefrLevel.A1_2, ("hygiene_passport",)),
        ("Tarjoilija", "5131", CefrLevel.B1_1, ("hygiene_passport",))]),
    ("Siivous ja kiinteistöpalvelut", "{x} Siivouspalvelut Oy", [
        ("Laitossiivooja", "9112", CefrLevel.A1_3, ()),
        ("Kiinteistönhoitaja", "5153", CefrLevel.A2_2, ("safety_card", "driving_licence:B"))]),
    ("Logistiikka", "{x} Logistiikka Oy", [
        ("Varastotyöntekijä", "4321", CefrLevel.A2_1, ("forklift", "safety_card")),
        ("Kuorma-autonkuljettaja", "8332", CefrLevel.A2_2, ("driving_licence:C",)),
        ("Lähetti", "9621", CefrLevel.A2_1, ("driving_licence:B",))]),
    ("Hoiva-ala", "Hoivakoti {x}", [
        ("Hoiva-avustaja", "5322", CefrLevel.B1_1, ("first_aid",)),
        ("Lähihoitaja", "5321", CefrLevel.B1_2, ("first_aid",))]),
    ("Rakentaminen", "{x} Rakennus Oy", [
        ("Rakennusapulainen", "9313", CefrLevel.A2_1, ("safety_card",)),
        ("Hitsaaja", "7212", CefrLevel.A2_2, ("safety_card", "hot_work")),
        ("Maalari", "7131", CefrLevel.A2_1, ("safety_card",))]),
    ("Kauppa", "Market {x}", [
        ("Myyjä", "5223", CefrLevel.B1_1, ()),
        ("Kassatyöntekijä", "5230", CefrLevel.A2_2, ())]),
    ("Elintarviketeollisuus", "{x} Leipomo Oy", [
        ("Leipuri", "7512", CefrLevel.A2_1, ("hygiene_passport",)),
        ("Pakkaaja", "9321", CefrLevel.A1_2, ("hygiene_passport",))]),
]
PLACES = ["Aura", "Kaleva", "Linna", "Sampo", "Tähti", "Pohjola", "Kaski", "Ilves", "Helmi",
          "Kide", "Satama", "Ranta", "Kulma", "Sointu", "Vakka"]
PEOPLE = ["Mikko Laine", "Sari Niemi", "Jukka Koskinen", "Anna Heikkinen", "Petri Mäkelä",
          "Riikka Salo", "Timo Järvinen", "Hanna Lehtonen", "Karin Lindqvist"]
SKILL_CODES = ["5120", "9412", "5131", "9112", "5153", "4321", "8332", "9621", "5322",
               "5321", "9313", "7212", "7131", "5223", "5230", "7512", "9321", "2353",
               "2341", "3221", "7115", "8322", "5141", "2142", "2411"]
SCALE = [CefrLevel.A1_1, CefrLevel.A1_2, CefrLevel.A1_3, CefrLevel.A2_1, CefrLevel.A2_2,
         CefrLevel.B1_1, CefrLevel.B1_2, CefrLevel.B2_1]
COUNT = {"tiny": 6, "small": 25, "large": 110}


def _cert(key: str) -> CertificateRequirement:
    kind, _sep, detail = key.partition(":")
    return CertificateRequirement(CertificateKind(kind), detail)


def employers(rng: random.Random, n: int, towns: Sequence[str], today: dt.date
              ) -> Iterator[Employer | Role]:
    for i in range(n):
        sector, pattern, roles = SECTORS[i % len(SECTORS)]
        town = rng.choice(towns)
        employer = Employer(
            name=pattern.format(x=PLACES[i % len(PLACES)]) + (f" {i // len(PLACES) + 1}"
                                                            if i >= len(PLACES) else ""),
            sector=sector, municipality=town, address=f"Teollisuuskatu {rng.randint(1, 60)}",
            languages=("fi",) + (("en",) if rng.random() < 0.4 else ()),
            contacts=(ContactPerson(rng.choice(PEOPLE), rng.choice(
                ["HR-päällikkö", "Ravintolapäällikkö", "Työnjohtaja", "Toimitusjohtaja"]),
                f"+358 50 {rng.randint(1000000, 9999999)}", f"rekry{i}@example.fi"),),
            supports_used=tuple(rng.sample([Support.WORK_TRIAL, Support.PAY_SUBSIDY],
                                           rng.randint(0, 2))),
            supports_accepted=tuple(rng.sample(list(Support), rng.randint(1, 3))),
            obstacles=tuple(rng.sample([o for o in Obstacle if o.side == "employer"],
                                       rng.randint(0, 2))),
            obstacles_text=rng.choice(["", "Työturvallisuusohjeet vain suomeksi.",
                                       "Ei aiempaa kokemusta maahanmuuttajista.",
                                       "Rekrytointiin ei ole aikaa sesongin aikana."]),
        )
        yield employer
        for title, isco, level, certs in rng.sample(roles, rng.randint(1, min(3, len(roles)))):
            yield Role(
                employer=employer.id, title=title, isco=isco, municipality=town,
                opened=today - dt.timedelta(days=rng.randint(3, 60)),
                closes=today + dt.timedelta(days=rng.randint(10, 90)),
                languages=(LanguageRequirement("fi", SubSkill.SPEAKING, level),
                           LanguageRequirement("fi", SubSkill.READING, level,
                                               hard=rng.random() < 0.3)),
                certificates=tuple(_cert(c) for c in certs),
                experience_years=rng.choice([0, 0, 1, 2]), experience_hard=False,
                supports=tuple(rng.sample(list(employer.supports_accepted),
                                          len(employer.supports_accepted))),
            )


def profile(rng: random.Random, client: Client, today: dt.date) -> CompetenceProfile:
    start = client.started or client.permit_date or today - dt.timedelta(days=400)
    fi = client.level_in("fi")
    base = SCALE.index(fi) if fi in SCALE else 0
    evidence = []
    for step, days in enumerate(sorted(rng.sample(range(30, 900), rng.randint(1, 4)))):
        day = start + dt.timedelta(days=days)
        if day > today:
            break
        lvl = SCALE[min(len(SCALE) - 1, base + step)]
        source = rng.choice([EvidenceSource.SELF, EvidenceSource.TEACHER, EvidenceSource.TEST])
        for skill in rng.sample(list(SubSkill), rng.randint(1, 4)):
            evidence.append(LanguageEvidence("fi", skill, lvl, source, day,
                                             "YKI" if source is EvidenceSource.TEST else ""))
    certs = []
    for kind in rng.sample(list(CertificateKind)[:6], rng.randint(0, 3)):
        issued = start + dt.timedelta(days=rng.randint(20, 600))
        if issued > today:
            continue
        years = {CertificateKind.HYGIENE_PASSPORT: None, CertificateKind.DRIVING_LICENCE: 15,
                 CertificateKind.SAFETY_CARD: 5, CertificateKind.FIRST_AID: 3}.get(kind, 5)
        until = issued + dt.timedelta(days=365 * years) if years else None
        detail = rng.choice(["B", "B C", "C"]) if kind is CertificateKind.DRIVING_LICENCE else ""
        certs.append(Certificate(kind, detail, issued, until))
    events = []
    if rng.random() < 0.35:
        trial = start + dt.timedelta(days=rng.randint(120, 700))
        if trial < today:
            end = trial + dt.timedelta(days=rng.choice([30, 60, 90]))
            events.append(PathEvent(PathEventKind.WORK_TRIAL, trial, end if end < today else None,
                                    title="Työkokeilu", isco=rng.choice(SKILL_CODES[:10]),
                                    interrupted=rng.random() < 0.2))
            if end < today and rng.random() < 0.4:
                events.append(PathEvent(rng.choice([PathEventKind.JOB,
                                                    PathEventKind.PAY_SUBSIDY]),
                                        end + dt.timedelta(days=rng.randint(5, 120)),
                                        title="Työsuhde"))
    if rng.random() < 0.15:
        events.append(PathEvent(PathEventKind.STUDIES, start + dt.timedelta(days=200),
                                title="Ammatillinen koulutus"))
    consent = None
    if rng.random() < 0.6:
        consent = ProposalConsent(start + dt.timedelta(days=rng.randint(30, 200)),
                                  tuple(d for d in Disclosure if rng.random() < 0.8))
    edu_level = rng.choice(list(EducationLevel))
    recog = rng.choice(list(Recognition)) if edu_level in (
        EducationLevel.BACHELOR, EducationLevel.MASTER, EducationLevel.VOCATIONAL) else \
        Recognition.NOT_APPLIED
    decided = recog in (Recognition.RECOGNISED, Recognition.PARTIAL)
    return CompetenceProfile(
        id=profile_id(client.id), client=client.id,
        education=(Education(edu_level, years=rng.randint(0, 16), country="",
                              recognition=recog,
                              decision_date=start + dt.timedelta(days=150) if decided else None),),
        experience=tuple(WorkExperience(code, years=rng.randint(1, 12))
                         for code in rng.sample(SKILL_CODES, rng.randint(0, 2))),
        certificates=tuple(certs), languages=tuple(evidence), events=tuple(events),
        scripts=(ScriptLiteracy("Latn", rng.choice(list(ScriptLevel))),),
        wishes=tuple(rng.sample(SKILL_CODES[:17], rng.randint(0, 2))),
        travel_km=rng.choice([10, 20, 30, 50]),
        available_from=rng.choice([None, today + dt.timedelta(days=rng.randint(1, 90))]),
        consent=consent if consent and consent.given <= today else None,
    )


def records(size: str, seed: int, clients: Sequence[Client], towns: Sequence[str],
            today: dt.date) -> Iterator[Record]:
    rng = random.Random(seed * 7919 + 17)
    network = list(employers(rng, COUNT.get(size, 25), towns, today))
    yield from network
    emps = [r for r in network if isinstance(r, Employer)]
    roles = [r for r in network if isinstance(r, Role)]
    for client in clients:
        if rng.random() > 0.85:
            continue
        prof = profile(rng, client, today)
        yield prof
        if prof.consent is None or rng.random() > 0.15 or not roles:
            continue
        role = rng.choice(roles)
        employer = next(e for e in emps if e.id == role.employer)
        at = dt.datetime.combine(today - dt.timedelta(days=rng.randint(1, 120)),
                                 dt.time(rng.randint(8, 15), 0))
        status = rng.choice(list(ProposalStatus))
        disclosed = prof.consent.scope
        yield Proposal(client=client.id, role=role.id, employer=employer.id, at=at,
                       by="Demo-ohjaaja", disclosed=disclosed,
                       summary=disclosure_summary(client, prof, disclosed, at.date()),
                       status=status,
                       interview=at.date() + dt.timedelta(days=7) if status in (
                           ProposalStatus.INTERVIEW, ProposalStatus.HIRED) else None,
                       outcome=at.date() + dt.timedelta(days=14) if status in (
                           ProposalStatus.HIRED, ProposalStatus.NOT_SELECTED) else None)
        yield contact_entry(employer, at.date(), rng.choice([10, 15, 20, 30]),
                            channel=rng.choice([Channel.PHONE, Channel.EMAIL]),
                            client=client.id, what=f"Ehdotettu: {role.title}")
