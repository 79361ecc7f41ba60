"""A reason or a gap of a match: structured (so a test can check it against the data)
and worded in the counsellor's language only when shown."""

from __future__ import annotations

import dataclasses
import datetime as dt
from enum import StrEnum

from counsel.domain.competence import CertificateKind, EvidenceSource, SubSkill
from counsel.domain.enums import CefrLevel
from counsel.i18n import display
from counsel.i18n import gettext as _
from counsel.path import occupations


class PointKind(StrEnum):
    LANGUAGE = "language"
    CERTIFICATE = "certificate"
    EXPERIENCE = "experience"  # a required number of years
    OCCUPATION = "occupation"  # has worked in the role's occupation (not required)
    WISH = "wish"
    DISTANCE = "distance"
    AVAILABILITY = "availability"


@dataclasses.dataclass(frozen=True)
class Point:
    kind: PointKind
    met: bool
    hard: bool = False
    language: str = ""
    skill: SubSkill | None = None
    have: CefrLevel | None = None
    need: CefrLevel | None = None
    source: EvidenceSource | None = None
    evidence_date: dt.date | None = None
    certificate: CertificateKind | None = None
    detail: str = ""
    valid_until: dt.date | None = None
    isco: str = ""
    relation: str = ""
    years: int = 0
    need_years: int = 0
    km: float | None = None
    limit_km: int = 0
    day: dt.date | None = None

    def text(self) -> str:
        return _TEXTS[self.kind](self)


def _lang(p: Point) -> str:
    skill = p.skill.label() if p.skill else ""
    name = display.language(p.language)
    need = p.need.label() if p.need else ""
    if p.met:
        have = p.have.label() if p.have else ""
        src = p.source.label() if p.source else ""
        return _("{language} {skill} {have} ≥ {need} required ({source}, {date})").format(
            language=name, skill=skill, have=have, need=need, source=src,
            date=display.date(p.evidence_date))
    if p.have is None:
        return _("{language} {skill}: {need} required, no level recorded").format(
            language=name, skill=skill, need=need)
    return _("{language} {skill}: {need} required, has {have}").format(
        language=name, skill=skill, need=need, have=p.have.label())


def _cert_name(p: Point) -> str:
    name = p.certificate.label() if p.certificate else ""
    return f"{name} {p.detail}" if p.detail else name


def _cert(p: Point) -> str:
    if not p.met:
        return _("no valid {certificate}").format(certificate=_cert_name(p))
    if p.valid_until is None:
        return _("{certificate} valid").format(certificate=_cert_name(p))
    return _("{certificate} valid until {date}").format(certificate=_cert_name(p),
                                                        date=display.date(p.valid_until))


def _experience(p: Point) -> str:
    occ = occupations.title(p.isco)
    if p.met:
        return _("{years} years of work as {occupation} (≥ {need} required)").format(
            years=p.years, occupation=occ, need=p.need_years)
    return _("{need} years of work as {occupation} required, has {years}").format(
        years=p.years, occupation=occ, need=p.need_years)


def _occupation(p: Point) -> str:
    occ = occupations.title(p.isco)
    if p.relation == "exact":
        return _("has worked as {occupation} ({years} years)").format(occupation=occ,
                                                                      years=p.years)
    return _("has worked in a related occupation: {occupation} ({years} years)").format(
        occupation=occ, years=p.years)


def _wish(p: Point) -> str:
    occ = occupations.title(p.isco)
    if p.relation == "exact":
        return _("wants to work as {occupation}").format(occupation=occ)
    return _("wants to work in a related occupation: {occupation}").format(occupation=occ)


def _distance(p: Point) -> str:
    km = display.number(round(p.km or 0.0))
    if not p.met:
        return _("lives {km} km away (travels up to {limit} km)").format(
            km=km, limit=p.limit_km)
    if (p.km or 0.0) < 1.0:
        return _("lives in the same municipality")
    return _("lives {km} km away").format(km=km)


def _availability(p: Point) -> str:
    if p.met:
        return _("available from {date}").format(date=display.date(p.day))
    return _("available only from {date}").format(date=display.date(p.day))


_TEXTS = {
    PointKind.LANGUAGE: _lang,
    PointKind.CERTIFICATE: _cert,
    PointKind.EXPERIENCE: _experience,
    PointKind.OCCUPATION: _occupation,
    PointKind.WISH: _wish,
    PointKind.DISTANCE: _distance,
    PointKind.AVAILABILITY: _availability,
}
