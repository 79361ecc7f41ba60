"""The client's path on one screen: every dated fact from the client record, the
competence profile, plans, encounters and proposals, exactly once and in date order.

An obstacle is *raised* by the first encounter that notes it while it is not open, and
stays open until the profile records it resolved; later encounters noting an open
obstacle add no fact.  Facts after ``today`` are what is due.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Iterable, Sequence

from counsel.domain.client import Client
from counsel.domain.competence import CompetenceProfile
from counsel.domain.employer import Proposal
from counsel.domain.encounter import Encounter
from counsel.domain.enums import Obstacle
from counsel.domain.plan import Plan
from counsel.path.history import changes


@dataclasses.dataclass(frozen=True)
class Fact:
    date: dt.date
    kind: str
    key: str  # unique: where the fact comes from
    subject: str = ""  # measure code, language, certificate kind, obstacle, event kind…
    value: str = ""  # status, level, recognition…
    extra: str = ""  # typed detail: a title, a certificate's detail, a test
    previous: str = ""  # a language level before this one


#: order of kinds on the same day (the start of something before its end)
KIND_ORDER = ("permit", "started", "plan_made", "measure_start", "event_start", "language",
              "script", "recognition", "certificate", "obstacle_raised", "obstacle_resolved",
              "consent_given", "consent_withdrawn", "proposal", "interview",
              "proposal_outcome", "event_end", "measure_end", "certificate_expires",
              "plan_review", "plan_end")
_ORDER = {k: i for i, k in enumerate(KIND_ORDER)}
#: kinds the client's printout leaves out (internal to the counsellor's work)
INTERNAL_KINDS = frozenset({"obstacle_raised", "obstacle_resolved", "consent_given",
                            "consent_withdrawn", "proposal", "interview", "proposal_outcome",
                            "script"})


def _client_facts(c: Client) -> Iterable[Fact]:
    if c.permit_date:
        yield Fact(c.permit_date, "permit", "client:permit",
                   value=c.permit_basis.value if c.permit_basis else "")
    if c.started:
        yield Fact(c.started, "started", "client:started")


def _profile_facts(p: CompetenceProfile) -> Iterable[Fact]:
    for ch in changes(p.languages):
        e = ch.evidence
        yield Fact(e.date, "language", f"lang:{ch.index}", subject=e.language, value=e.level.value,
                   extra=f"{e.skill.value}|{e.source.value}|{e.test}",
                   previous=ch.previous.value if ch.previous else "")
    for i, s in enumerate(p.scripts):
        if s.date:
            yield Fact(s.date, "script", f"script:{i}", subject=s.script, value=s.level.value)
    for i, ed in enumerate(p.education):
        if ed.decision_date:
            yield Fact(ed.decision_date, "recognition", f"edu:{i}", subject=ed.level.value,
                       value=ed.recognition.value, extra=ed.field)
    for i, cert in enumerate(p.certificates):
        if cert.issued:
            yield Fact(cert.issued, "certificate", f"cert:{i}:issued",
                       subject=cert.kind.value, extra=cert.detail)
        if cert.valid_until:
            yield Fact(cert.valid_until, "certificate_expires", f"cert:{i}:expires",
                       subject=cert.kind.value, extra=cert.detail)
    for i, ev in enumerate(p.events):
        yield Fact(ev.start, "event_start", f"event:{i}:start", subject=ev.kind.value,
                   extra=ev.title)
        if ev.end:
            yield Fact(ev.end, "event_end", f"event:{i}:end", subject=ev.kind.value,
                       value="interrupted" if ev.interrupted else "done", extra=ev.title)
    if p.consent is not None:
        yield Fact(p.consent.given, "consent_given", "consent:given",
                   value=",".join(d.value for d in p.consent.scope))
        if p.consent.withdrawn:
            yield Fact(p.consent.withdrawn, "consent_withdrawn", "consent:withdrawn")


def _plan_facts(plan: Plan) -> Iterable[Fact]:
    key = f"plan:{plan.id}"
    yield Fact(plan.made, "plan_made", f"{key}:made", value=plan.status.value)
    if plan.review:
        yield Fact(plan.review, "plan_review", f"{key}:review")
    if plan.valid_until:
        yield Fact(plan.valid_until, "plan_end", f"{key}:end")
    for i, m in enumerate(plan.measures):
        if m.start:
            yield Fact(m.start, "measure_start", f"{key}:m{i}:start", subject=m.code,
                       value=m.status.value, extra=m.provider)
        if m.due:
            yield Fact(m.due, "measure_end", f"{key}:m{i}:end", subject=m.code,
                       value=m.status.value, extra=m.provider)


def _obstacle_facts(encounters: Iterable[Encounter], profile: CompetenceProfile | None
                    ) -> Iterable[Fact]:
    # (date, 0 = noted in an encounter / 1 = resolved, obstacle, key)
    steps: list[tuple[dt.date, int, str, Obstacle]] = []
    for e in encounters:
        for o in dict.fromkeys(e.obstacles):
            steps.append((e.date, 0, e.id, o))
    for i, r in enumerate(profile.resolved if profile else ()):
        steps.append((r.date, 1, f"res:{i}", r.obstacle))
    steps.sort(key=lambda s: (s[0], s[1], s[2], s[3].value))
    open_: set[Obstacle] = set()
    for day, what, key, o in steps:
        if what == 0 and o not in open_:
            open_.add(o)
            yield Fact(day, "obstacle_raised", f"enc:{key}:{o.value}", subject=o.value)
        elif what == 1:
            open_.discard(o)
            yield Fact(day, "obstacle_resolved", key, subject=o.value)


def _proposal_facts(p: Proposal, role_titles: dict[str, str]) -> Iterable[Fact]:
    title = role_titles.get(p.role, "")
    yield Fact(p.at.date(), "proposal", f"prop:{p.id}", subject=p.employer, extra=title)
    if p.interview:
        yield Fact(p.interview, "interview", f"prop:{p.id}:interview", subject=p.employer,
                   extra=title)
    if p.outcome:
        yield Fact(p.outcome, "proposal_outcome", f"prop:{p.id}:outcome",
                   subject=p.employer, value=p.status.value, extra=title)


def assemble(client: Client, profile: CompetenceProfile | None = None,
             plans: Sequence[Plan] = (), encounters: Sequence[Encounter] = (),
             proposals: Sequence[Proposal] = (),
             role_titles: dict[str, str] | None = None) -> list[Fact]:
    """Every dated fact of the client's path, in order (date, then kind, then source)."""
    facts = list(_client_facts(client))
    if profile is not None:
        facts += _profile_facts(profile)
    for plan in plans:
        facts += _plan_facts(plan)
    facts += _obstacle_facts(encounters, profile)
    for prop in proposals:
        facts += _proposal_facts(prop, role_titles or {})
    facts.sort(key=lambda f: (f.date, _ORDER[f.kind], f.key))
    return facts


def split(facts: Sequence[Fact], today: dt.date) -> tuple[list[Fact], list[Fact]]:
    """(what has happened, what is due) — due means after ``today``."""
    return [f for f in facts if f.date <= today], [f for f in facts if f.date > today]
