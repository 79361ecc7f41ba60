"""Proposing a client to an employer: only with consent, only what the consent covers,
and always recorded (who, what was disclosed, when) with the contact as background work.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from counsel.domain.client import Client
from counsel.domain.competence import CompetenceProfile, Disclosure
from counsel.domain.employer import Employer, Proposal, Role
from counsel.domain.enums import Channel, PartyKind, WorkKind
from counsel.domain.work import WorkEntry
from counsel.errors import KnownError
from counsel.i18n import N_, display
from counsel.i18n import gettext as _
from counsel.path import occupations
from counsel.path.history import current

EMPLOYER_SOURCE = "employer:"


class NoConsent(KnownError):
    help_text = N_("Ask the client first and record their consent, with its date and what it "
                   "covers, in the competence profile. Nothing was disclosed.")


def employer_source(employer_id: str) -> str:
    return f"{EMPLOYER_SOURCE}{employer_id}"


def disclosure_summary(client: Client, profile: CompetenceProfile,
                       items: Iterable[Disclosure], on: dt.date) -> str:
    """The text given to the employer: only the ``items`` (already limited to consent)."""
    allowed = set(items)
    iso = display.isolate  # names, numbers, dates and typed texts keep their own order
    lines = []
    if Disclosure.NAME in allowed:
        lines.append(iso(client.display_name))
    else:
        lines.append(_("Candidate (name not disclosed)"))
    if Disclosure.CONTACT in allowed and client.phone:
        lines.append(_("Phone: {phone}").format(phone=iso(client.phone)))
    if Disclosure.LANGUAGES in allowed:
        for (lang, skill), e in sorted(current(profile.languages, on).items(),
                                       key=lambda kv: (kv[0][0], kv[0][1].value)):
            lines.append(_("{language} {skill}: {level} ({source}, {date})").format(
                language=display.language(lang), skill=skill.label(), level=iso(e.level.label()),
                source=e.source.label(), date=iso(display.date(e.date))))
    if Disclosure.EDUCATION in allowed:
        for ed in profile.education:
            parts = [ed.level.label(), iso(ed.field), iso(ed.country), ed.recognition.label()]
            lines.append(" · ".join(p for p in parts if p))
    if Disclosure.EXPERIENCE in allowed:
        for w in profile.experience:
            lines.append(_("{occupation}: {years} years").format(
                occupation=iso(w.title) if w.title else occupations.title(w.isco),
                years=w.years))
    if Disclosure.CERTIFICATES in allowed:
        for cert in profile.certificates:
            if cert.valid_on(on):
                name = f"{cert.kind.label()} {iso(cert.detail)}".strip()
                until = (_(" (valid until {date})").format(
                    date=iso(display.date(cert.valid_until))) if cert.valid_until else "")
                lines.append(name + until)
    if Disclosure.AVAILABILITY in allowed and profile.available_from:
        lines.append(_("Available from {date}").format(
            date=iso(display.date(profile.available_from))))
    return "\n".join(lines)


def make_proposal(client: Client, profile: CompetenceProfile | None, role: Role,
                  *, by: str, items: Iterable[Disclosure], at: dt.datetime) -> Proposal:
    """A proposal disclosing ``items`` as far as the client's consent covers them.

    Raises :class:`NoConsent` when the client has not consented on that day, or when the
    consent covers none of ``items``: then nothing is disclosed."""
    day = at.date()
    if profile is None or profile.client != client.id or not profile.consents_on(day):
        raise NoConsent(_("{name} has not consented to be proposed to employers.").format(
            name=client.display_name))
    assert profile.consent is not None
    scope = set(profile.consent.scope)
    wanted = set(items)
    disclosed = tuple(d for d in Disclosure if d in wanted and d in scope)
    if not disclosed:
        raise NoConsent(_("The client's consent does not cover what you chose to disclose."))
    return Proposal(client=client.id, role=role.id, employer=role.employer, at=at, by=by,
                    disclosed=disclosed,
                    summary=disclosure_summary(client, profile, disclosed, day))


def contact_entry(employer: Employer, day: dt.date, minutes: int, *,
                  channel: Channel = Channel.PHONE, what: str = "",
                  client: str | None = None, start: dt.time | None = None) -> WorkEntry:
    """A contact with an employer as background work (in the time split like any other)."""
    return WorkEntry(kind=WorkKind.BACKGROUND, date=day, minutes=minutes, client=client,
                     party_kind=PartyKind.EMPLOYER, channel=channel, start=start,
                     what=what or employer.name, source=employer_source(employer.id))


def proposal_records(proposal: Proposal, employer: Employer, role: Role, *,
                     minutes: int = 15, channel: Channel = Channel.EMAIL
                     ) -> tuple[Proposal, WorkEntry]:
    """The records to save together: the proposal and its background-work entry."""
    entry = contact_entry(employer, proposal.at.date(), minutes, channel=channel,
                          client=proposal.client, start=proposal.at.time().replace(
                              second=0, microsecond=0),
                          what=_("Proposed for {role}").format(role=role.title))
    return proposal, entry


def contacts_with(entries: Iterable[WorkEntry], employer_id: str) -> list[WorkEntry]:
    """The background work recorded with one employer, newest first."""
    key = employer_source(employer_id)
    return sorted((w for w in entries if w.source == key), key=lambda w: w.date, reverse=True)
