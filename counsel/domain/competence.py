"""A client's competence profile: education, work, certificates, language evidence as a
history, literacy per script, steps on the path to work, and consent to be proposed.

One profile per client (``profile_id(client)``), encrypted under the client's key.
Vocabularies are here because only the path to work uses them.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import ClassVar

from counsel.domain.base import (
    Record,
    require_date,
    require_enum,
    require_id,
    require_int,
    require_text,
)
from counsel.domain.client import _require_lang
from counsel.domain.enums import LABELS, CefrLevel, Labelled, Obstacle
from counsel.errors import ValidationError
from counsel.i18n import N_
from counsel.i18n import gettext as _


class EducationLevel(Labelled):
    NONE = "none"
    PRIMARY = "primary"
    LOWER_SECONDARY = "lower_secondary"
    UPPER_SECONDARY = "upper_secondary"
    VOCATIONAL = "vocational"
    BACHELOR = "bachelor"
    MASTER = "master"
    DOCTORATE = "doctorate"


LABELS[EducationLevel] = {
    "none": N_("No schooling"),
    "primary": N_("Primary school"),
    "lower_secondary": N_("Lower secondary school"),
    "upper_secondary": N_("Upper secondary school"),
    "vocational": N_("Vocational qualification"),
    "bachelor": N_("Bachelor's degree"),
    "master": N_("Master's degree"),
    "doctorate": N_("Doctorate"),
}


class Recognition(Labelled):
    """Status of a foreign qualification with the Finnish National Agency for Education."""

    NOT_APPLIED = "not_applied"
    PENDING = "pending"
    RECOGNISED = "recognised"
    PARTIAL = "partial"


LABELS[Recognition] = {
    "not_applied": N_("Recognition not applied for"),
    "pending": N_("Recognition pending"),
    "recognised": N_("Recognised"),
    "partial": N_("Partially recognised"),
}


class SubSkill(Labelled):
    """The four sub-skills of the Finnish CEFR scale (as in YKI certificates)."""

    SPEAKING = "speaking"
    LISTENING = "listening"
    READING = "reading"
    WRITING = "writing"


LABELS[SubSkill] = {
    "speaking": N_("speaking"),
    "listening": N_("understanding speech"),
    "reading": N_("reading"),
    "writing": N_("writing"),
}


class EvidenceSource(Labelled):
    SELF = "self"
    TEACHER = "teacher"
    TEST = "test"

    @property
    def strength(self) -> int:
        return ("self", "teacher", "test").index(self.value)


LABELS[EvidenceSource] = {
    "self": N_("self-assessed"),
    "teacher": N_("teacher-assessed"),
    "test": N_("tested"),
}


class CertificateKind(Labelled):
    HYGIENE_PASSPORT = "hygiene_passport"
    SAFETY_CARD = "safety_card"
    FIRST_AID = "first_aid"
    DRIVING_LICENCE = "driving_licence"
    FORKLIFT = "forklift"
    HOT_WORK = "hot_work"
    OTHER = "other"


LABELS[CertificateKind] = {
    "hygiene_passport": N_("Hygiene passport"),
    "safety_card": N_("Occupational safety card"),
    "first_aid": N_("First aid certificate"),
    "driving_licence": N_("Driving licence"),
    "forklift": N_("Forklift licence"),
    "hot_work": N_("Hot work licence"),
    "other": N_("Other certificate"),
}


class ScriptLevel(Labelled):
    NONE = "none"
    PARTIAL = "partial"
    FLUENT = "fluent"


LABELS[ScriptLevel] = {
    "none": N_("cannot read or write"),
    "partial": N_("reads and writes a little"),
    "fluent": N_("reads and writes fluently"),
}


class PathEventKind(Labelled):
    WORK_TRIAL = "work_trial"
    JOB = "job"
    PAY_SUBSIDY = "pay_subsidy"
    STUDIES = "studies"
    APPRENTICESHIP = "apprenticeship"
    TRAINING = "labour_market_training"
    OTHER = "other"

    @property
    def is_work(self) -> bool:
        return self in (PathEventKind.JOB, PathEventKind.PAY_SUBSIDY,
                        PathEventKind.APPRENTICESHIP)


LABELS[PathEventKind] = {
    "work_trial": N_("Work trial"),
    "job": N_("Job"),
    "pay_subsidy": N_("Pay-subsidised job"),
    "studies": N_("Studies"),
    "apprenticeship": N_("Apprenticeship"),
    "labour_market_training": N_("Labour market training"),
    "other": N_("Other step"),
}


class Disclosure(Labelled):
    """What a proposal to an employer may tell about the client."""

    NAME = "name"
    CONTACT = "contact"
    LANGUAGES = "languages"
    EDUCATION = "education"
    EXPERIENCE = "experience"
    CERTIFICATES = "certificates"
    AVAILABILITY = "availability"


LABELS[Disclosure] = {
    "name": N_("Name"),
    "contact": N_("Phone number"),
    "languages": N_("Language levels"),
    "education": N_("Education"),
    "experience": N_("Work experience"),
    "certificates": N_("Cards and licences"),
    "availability": N_("Availability"),
}

#: ISO 15924 scripts a literacy entry may name (the scripts of the clients' languages)
SCRIPTS = ("Latn", "Arab", "Ethi", "Cyrl", "Hebr", "Deva", "Beng", "Thai", "Hans", "Other")


def require_isco(field: str, code: object, *, optional: bool = False) -> None:
    if optional and code == "":
        return
    if not isinstance(code, str) or not code.isdigit() or not 1 <= len(code) <= 4:
        raise ValidationError(field, _("is not an occupation code (ISCO-08)"))


@dataclasses.dataclass(frozen=True)
class Education:
    level: EducationLevel
    field: str = ""
    country: str = ""
    years: int = 0
    completed: int | None = None  # year
    recognition: Recognition = Recognition.NOT_APPLIED
    decision_date: dt.date | None = None  # the recognition decision

    def __post_init__(self) -> None:
        require_enum("education.level", self.level, EducationLevel)
        require_enum("education.recognition", self.recognition, Recognition)
        for f in ("field", "country"):
            require_text(f"education.{f}", getattr(self, f), single_line=True)
        require_int("education.years", self.years, low=0, high=30)
        if self.completed is not None:
            require_int("education.completed", self.completed, low=1930, high=2200)
        require_date("education.decision_date", self.decision_date, optional=True)


@dataclasses.dataclass(frozen=True)
class WorkExperience:
    isco: str  # ISCO-08 code, unit group (4 digits) where known
    title: str = ""
    country: str = ""
    years: int = 0
    until: int | None = None  # last year of the work

    def __post_init__(self) -> None:
        require_isco("experience.isco", self.isco)
        for f in ("title", "country"):
            require_text(f"experience.{f}", getattr(self, f), single_line=True)
        require_int("experience.years", self.years, low=0, high=60)
        if self.until is not None:
            require_int("experience.until", self.until, low=1930, high=2200)


@dataclasses.dataclass(frozen=True)
class Certificate:
    kind: CertificateKind
    detail: str = ""  # driving licence classes "B C", a card's name for OTHER
    issued: dt.date | None = None
    valid_until: dt.date | None = None

    def __post_init__(self) -> None:
        require_enum("certificates.kind", self.kind, CertificateKind)
        require_text("certificates.detail", self.detail, single_line=True)
        require_date("certificates.issued", self.issued, optional=True)
        require_date("certificates.valid_until", self.valid_until, optional=True)
        if self.issued and self.valid_until and self.valid_until < self.issued:
            raise ValidationError("certificates.valid_until", _("cannot be before the start"))

    def valid_on(self, day: dt.date) -> bool:
        return ((self.issued is None or self.issued <= day)
                and (self.valid_until is None or day <= self.valid_until))

    @property
    def classes(self) -> frozenset[str]:
        """Driving licence classes ("B", "C", "CE"…) written in ``detail``."""
        if self.kind is not CertificateKind.DRIVING_LICENCE:
            return frozenset()
        return frozenset(self.detail.replace(",", " ").upper().split())


@dataclasses.dataclass(frozen=True)
class LanguageEvidence:
    """One observation of a level in one sub-skill; the profile keeps them all."""

    language: str  # "fi", "sv", "en"…
    skill: SubSkill
    level: CefrLevel
    source: EvidenceSource
    date: dt.date
    test: str = ""  # e.g. "YKI intermediate, level 3"

    def __post_init__(self) -> None:
        _require_lang("languages.language", self.language)
        require_enum("languages.skill", self.skill, SubSkill)
        require_enum("languages.level", self.level, CefrLevel)
        require_enum("languages.source", self.source, EvidenceSource)
        require_date("languages.date", self.date)
        require_text("languages.test", self.test, single_line=True)


@dataclasses.dataclass(frozen=True)
class ScriptLiteracy:
    script: str  # ISO 15924, one of SCRIPTS
    level: ScriptLevel
    date: dt.date | None = None

    def __post_init__(self) -> None:
        if self.script not in SCRIPTS:
            raise ValidationError("scripts.script", _("has an unknown value"))
        require_enum("scripts.level", self.level, ScriptLevel)
        require_date("scripts.date", self.date, optional=True)


@dataclasses.dataclass(frozen=True)
class PathEvent:
    """A step on the path: a work trial, a job, studies… (not a plan measure)."""

    kind: PathEventKind
    start: dt.date
    end: dt.date | None = None
    title: str = ""
    isco: str = ""
    employer: str | None = None  # employer record id
    interrupted: bool = False
    note: str = ""

    def __post_init__(self) -> None:
        require_enum("events.kind", self.kind, PathEventKind)
        require_date("events.start", self.start)
        require_date("events.end", self.end, optional=True)
        if self.end and self.end < self.start:
            raise ValidationError("events.end", _("cannot be before the start"))
        require_text("events.title", self.title, single_line=True)
        require_isco("events.isco", self.isco, optional=True)
        require_id("events.employer", self.employer, optional=True)
        require_text("events.note", self.note, max_len=5000)


@dataclasses.dataclass(frozen=True)
class ObstacleResolved:
    obstacle: Obstacle
    date: dt.date
    note: str = ""

    def __post_init__(self) -> None:
        require_enum("resolved.obstacle", self.obstacle, Obstacle)
        require_date("resolved.date", self.date)
        require_text("resolved.note", self.note, single_line=True)


@dataclasses.dataclass(frozen=True)
class ProposalConsent:
    """The client's consent to be proposed to employers, with date and scope."""

    given: dt.date
    scope: tuple[Disclosure, ...]
    until: dt.date | None = None
    withdrawn: dt.date | None = None

    def __post_init__(self) -> None:
        require_date("consent.given", self.given)
        require_date("consent.until", self.until, optional=True)
        require_date("consent.withdrawn", self.withdrawn, optional=True)
        for item in self.scope:
            require_enum("consent.scope", item, Disclosure)
        if self.until and self.until < self.given:
            raise ValidationError("consent.until", _("cannot be before the start"))
        if self.withdrawn and self.withdrawn < self.given:
            raise ValidationError("consent.withdrawn", _("cannot be before the start"))

    def active_on(self, day: dt.date) -> bool:
        return (self.given <= day and (self.withdrawn is None or day < self.withdrawn)
                and (self.until is None or day <= self.until))


def profile_id(client_id: str) -> str:
    """The one competence profile of a client has an id derived from the client's."""
    return f"cp-{client_id}"[:64]


@dataclasses.dataclass(frozen=True, kw_only=True)
class CompetenceProfile(Record):
    KIND: ClassVar[str] = "competence"

    client: str
    education: tuple[Education, ...] = ()
    experience: tuple[WorkExperience, ...] = ()
    certificates: tuple[Certificate, ...] = ()
    languages: tuple[LanguageEvidence, ...] = ()  # the whole history, any order
    scripts: tuple[ScriptLiteracy, ...] = ()
    events: tuple[PathEvent, ...] = ()
    resolved: tuple[ObstacleResolved, ...] = ()
    wishes: tuple[str, ...] = ()  # ISCO codes of work the client wants
    travel_km: int = 30  # how far the client can travel to work
    available_from: dt.date | None = None
    consent: ProposalConsent | None = None
    notes: str = ""

    def __post_init__(self) -> None:
        super().__post_init__()
        require_id("client", self.client)
        for name, cls in (("education", Education), ("experience", WorkExperience),
                          ("certificates", Certificate), ("languages", LanguageEvidence),
                          ("scripts", ScriptLiteracy), ("events", PathEvent),
                          ("resolved", ObstacleResolved)):
            items = getattr(self, name)
            if not isinstance(items, tuple) or not all(isinstance(x, cls) for x in items):
                raise ValidationError(name, _("has a damaged value"))
        for code in self.wishes:
            require_isco("wishes", code)
        require_int("travel_km", self.travel_km, low=0, high=1000)
        require_date("available_from", self.available_from, optional=True)
        if self.consent is not None and not isinstance(self.consent, ProposalConsent):
            raise ValidationError("consent", _("has a damaged value"))
        require_text("notes", self.notes)

    @property
    def client_id(self) -> str | None:
        return self.client

    def consents_on(self, day: dt.date) -> bool:
        return self.consent is not None and self.consent.active_on(day)
