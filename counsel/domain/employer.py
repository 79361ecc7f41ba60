"""The employer network: employers, their open roles, and proposals of clients to them.

Employers and roles are the counsellor's network (vault key).  A proposal discloses a
client's data to an employer, so it is the client's record (client key) and says who
proposed, what was disclosed and when.
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
from counsel.domain.competence import CertificateKind, Disclosure, SubSkill, require_isco
from counsel.domain.enums import LABELS, CefrLevel, Labelled, Obstacle
from counsel.errors import ValidationError
from counsel.i18n import N_
from counsel.i18n import gettext as _


class Support(Labelled):
    WORK_TRIAL = "work_trial"
    PAY_SUBSIDY = "pay_subsidy"
    MENTOR = "mentor"
    INTERPRETER = "interpreter"
    APPRENTICESHIP = "apprenticeship"
    RECRUITMENT_TRAINING = "recruitment_training"


LABELS[Support] = {
    "work_trial": N_("Work trial"),
    "pay_subsidy": N_("Pay subsidy"),
    "mentor": N_("Mentor"),
    "interpreter": N_("Interpreter"),
    "apprenticeship": N_("Apprenticeship"),
    "recruitment_training": N_("Recruitment training"),
}


class ProposalStatus(Labelled):
    PROPOSED = "proposed"
    INTERVIEW = "interview"
    HIRED = "hired"
    NOT_SELECTED = "not_selected"
    WITHDRAWN = "withdrawn"


LABELS[ProposalStatus] = {
    "proposed": N_("Proposed"),
    "interview": N_("Interview"),
    "hired": N_("Hired"),
    "not_selected": N_("Not selected"),
    "withdrawn": N_("Withdrawn"),
}


def _require_tuple(field: str, items: object, cls: type) -> None:
    if not isinstance(items, tuple) or not all(isinstance(x, cls) for x in items):
        raise ValidationError(field, _("has a damaged value"))


@dataclasses.dataclass(frozen=True)
class ContactPerson:
    name: str
    role: str = ""
    phone: str = ""
    email: str = ""

    def __post_init__(self) -> None:
        require_text("contacts.name", self.name, required=True, single_line=True)
        for f in ("role", "phone", "email"):
            require_text(f"contacts.{f}", getattr(self, f), single_line=True)


@dataclasses.dataclass(frozen=True, kw_only=True)
class Employer(Record):
    KIND: ClassVar[str] = "employer"

    name: str
    sector: str = ""
    municipality: str = ""
    address: str = ""
    languages: tuple[str, ...] = ()  # languages used at work
    contacts: tuple[ContactPerson, ...] = ()
    supports_used: tuple[Support, ...] = ()
    supports_accepted: tuple[Support, ...] = ()
    obstacles: tuple[Obstacle, ...] = ()  # the employer's side of the taxonomy
    obstacles_text: str = ""
    notes: str = ""
    active: bool = True

    def __post_init__(self) -> None:
        super().__post_init__()
        require_text("name", self.name, required=True, single_line=True)
        for f in ("sector", "municipality", "address"):
            require_text(f, getattr(self, f), single_line=True)
        for code in self.languages:
            _require_lang("languages", code)
        _require_tuple("contacts", self.contacts, ContactPerson)
        for s in self.supports_used + self.supports_accepted:
            require_enum("supports", s, Support)
        for o in self.obstacles:
            require_enum("obstacles", o, Obstacle)
            if o.side != "employer":
                raise ValidationError("obstacles", _("lists an obstacle of the person's side"))
        require_text("obstacles_text", self.obstacles_text)
        require_text("notes", self.notes)


@dataclasses.dataclass(frozen=True)
class LanguageRequirement:
    language: str
    skill: SubSkill
    level: CefrLevel
    hard: bool = True

    def __post_init__(self) -> None:
        _require_lang("languages.language", self.language)
        require_enum("languages.skill", self.skill, SubSkill)
        require_enum("languages.level", self.level, CefrLevel)


@dataclasses.dataclass(frozen=True)
class CertificateRequirement:
    kind: CertificateKind
    detail: str = ""  # driving licence class ("C"), or the name of an OTHER card
    hard: bool = True

    def __post_init__(self) -> None:
        require_enum("certificates.kind", self.kind, CertificateKind)
        require_text("certificates.detail", self.detail, single_line=True)


@dataclasses.dataclass(frozen=True, kw_only=True)
class Role(Record):
    """An open role (or one that was open) at an employer."""

    KIND: ClassVar[str] = "role"

    employer: str
    title: str
    isco: str = ""
    municipality: str = ""
    open: bool = True
    opened: dt.date | None = None
    closes: dt.date | None = None
    starts: dt.date | None = None
    languages: tuple[LanguageRequirement, ...] = ()
    certificates: tuple[CertificateRequirement, ...] = ()
    experience_years: int = 0  # in the same occupation (sub-major group)
    experience_hard: bool = False
    supports: tuple[Support, ...] = ()  # support the employer accepts for this role
    description: str = ""

    def __post_init__(self) -> None:
        super().__post_init__()
        require_id("employer", self.employer)
        require_text("title", self.title, required=True, single_line=True)
        require_isco("isco", self.isco, optional=True)
        require_text("municipality", self.municipality, single_line=True)
        for f in ("opened", "closes", "starts"):
            require_date(f, getattr(self, f), optional=True)
        _require_tuple("languages", self.languages, LanguageRequirement)
        _require_tuple("certificates", self.certificates, CertificateRequirement)
        require_int("experience_years", self.experience_years, low=0, high=40)
        if self.experience_years and not self.isco:
            raise ValidationError("experience_years", _("needs an occupation code"))
        for s in self.supports:
            require_enum("supports", s, Support)
        require_text("description", self.description)


@dataclasses.dataclass(frozen=True, kw_only=True)
class Proposal(Record):
    """A client proposed to an employer for a role: who, what was disclosed, when."""

    KIND: ClassVar[str] = "proposal"

    client: str
    role: str
    employer: str
    at: dt.datetime
    by: str  # the counsellor who proposed
    disclosed: tuple[Disclosure, ...]
    summary: str  # exactly the text given to the employer
    status: ProposalStatus = ProposalStatus.PROPOSED
    interview: dt.date | None = None
    outcome: dt.date | None = None  # date of hired / not selected / withdrawn

    def __post_init__(self) -> None:
        super().__post_init__()
        for f in ("client", "role", "employer"):
            require_id(f, getattr(self, f))
        if not isinstance(self.at, dt.datetime):
            raise ValidationError("at", _("must be a date"))
        require_text("by", self.by, required=True, single_line=True)
        for item in self.disclosed:
            require_enum("disclosed", item, Disclosure)
        require_text("summary", self.summary, max_len=20_000)
        require_enum("status", self.status, ProposalStatus)
        require_date("interview", self.interview, optional=True)
        require_date("outcome", self.outcome, optional=True)

    @property
    def client_id(self) -> str | None:
        return self.client
