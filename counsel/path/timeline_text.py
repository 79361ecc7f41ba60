"""Timeline facts worded for the counsellor (interface language, domain "counsel")."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Mapping, Sequence

from counsel.domain.competence import (
    CertificateKind,
    EducationLevel,
    EvidenceSource,
    PathEventKind,
    Recognition,
    ScriptLevel,
    SubSkill,
)
from counsel.domain.employer import ProposalStatus
from counsel.domain.enums import CefrLevel, MeasureStatus, Obstacle, PermitBasis
from counsel.i18n import current_language, display
from counsel.i18n import gettext as _
from counsel.path.timeline import Fact


@dataclasses.dataclass(frozen=True)
class Row:
    key: str
    date: str
    text: str
    upcoming: bool


def _measure(code: str) -> str:
    """A measure's title in the interface language (the plans catalog, as the plan editor
    shows it), or its code when the catalogue does not have it."""
    from counsel.plans.catalogue import load_catalogue
    from counsel.plans.editing import print_language
    from counsel.plans.templates import plan_gettext

    measure = load_catalogue().get(code)
    if measure is None:
        return code
    return plan_gettext(print_language(current_language()))(measure.title)


def _lang(f: Fact) -> str:
    skill, source, test = (f.extra.split("|") + ["", "", ""])[:3]
    src = EvidenceSource(source).label() if source else ""
    if test:
        src = f"{src}: {test}"
    text = _("{language} {skill}: {level} ({source})").format(
        language=display.language(f.subject), skill=SubSkill(skill).label(),
        level=CefrLevel(f.value).label(), source=src)
    if f.previous and f.previous != f.value:
        text += " " + _("(was {level})").format(level=CefrLevel(f.previous).label())
    return text


def _cert(f: Fact) -> str:
    name = CertificateKind(f.subject).label()
    return f"{name} {f.extra}".strip()


def _employer(f: Fact, names: Mapping[str, str]) -> str:
    return names.get(f.subject, _("an employer"))


_TEXT: dict[str, Callable[[Fact, Mapping[str, str]], str]] = {
    "permit": lambda f, n: _("Residence permit") + (
        f" ({PermitBasis(f.value).label()})" if f.value else ""),
    "started": lambda f, n: _("Client relationship started"),
    "plan_made": lambda f, n: _("Integration plan made"),
    "plan_review": lambda f, n: _("Plan review"),
    "plan_end": lambda f, n: _("Plan ends"),
    "measure_start": lambda f, n: _("{measure} starts ({status})").format(
        measure=_measure(f.subject), status=MeasureStatus(f.value).label()),
    "measure_end": lambda f, n: _("{measure} ends ({status})").format(
        measure=_measure(f.subject), status=MeasureStatus(f.value).label()),
    "language": lambda f, n: _lang(f),
    "script": lambda f, n: _("Reading and writing, {script}: {level}").format(
        script=f.subject, level=ScriptLevel(f.value).label()),
    "recognition": lambda f, n: _("Qualification {level} {field}: {status}").format(
        level=EducationLevel(f.subject).label(), field=f.extra,
        status=Recognition(f.value).label()),
    "certificate": lambda f, n: _("{certificate} obtained").format(certificate=_cert(f)),
    "certificate_expires": lambda f, n: _("{certificate} expires").format(
        certificate=_cert(f)),
    "event_start": lambda f, n: _("{kind} started: {title}").format(
        kind=PathEventKind(f.subject).label(), title=f.extra).rstrip(": "),
    "event_end": lambda f, n: (
        _("{kind} interrupted: {title}") if f.value == "interrupted"
        else _("{kind} ended: {title}")).format(
            kind=PathEventKind(f.subject).label(), title=f.extra).rstrip(": "),
    "obstacle_raised": lambda f, n: _("Obstacle noted: {obstacle}").format(
        obstacle=Obstacle(f.subject).label()),
    "obstacle_resolved": lambda f, n: _("Obstacle resolved: {obstacle}").format(
        obstacle=Obstacle(f.subject).label()),
    "consent_given": lambda f, n: _("Consent to be proposed to employers"),
    "consent_withdrawn": lambda f, n: _("Consent to be proposed withdrawn"),
    "proposal": lambda f, n: _("Proposed to {employer}: {role}").format(
        employer=_employer(f, n), role=f.extra),
    "interview": lambda f, n: _("Interview at {employer}: {role}").format(
        employer=_employer(f, n), role=f.extra),
    "proposal_outcome": lambda f, n: _("{status} at {employer}: {role}").format(
        status=ProposalStatus(f.value).label(), employer=_employer(f, n), role=f.extra),
}


def fact_text(fact: Fact, employer_names: Mapping[str, str] | None = None) -> str:
    return _TEXT[fact.kind](fact, employer_names or {})


def rows(facts: Sequence[Fact], today: object, employer_names: Mapping[str, str] | None = None
         ) -> list[Row]:
    """One row per fact, in the facts' order, worded in the interface language."""
    return [Row(f.key, display.date(f.date), fact_text(f, employer_names),
                f.date > today)  # type: ignore[operator]
            for f in facts]
