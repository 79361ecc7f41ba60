"""Matching open roles and clients, with the reason for each match and its gaps.

:class:`MatchIndex` is built once from decoded records: only clients who are active and
have consented, on the index's day, to be proposed are in it at all — a client without
that consent can never appear in a result.  Per role, the hard requirements are checked
as columns over the whole index (one list per language sub-skill, per card or licence,
per occupation, per municipality, cached across roles), clients with more than
``max_hard_gaps`` missing hard requirements are dropped, the rest ranked, and only the
listed ones explained by :func:`explain` — the one function that states reasons and gaps.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable, Iterable, Sequence

from counsel.domain.client import Client
from counsel.domain.competence import (
    Certificate,
    CertificateKind,
    CompetenceProfile,
    LanguageEvidence,
    SubSkill,
    WorkExperience,
)
from counsel.domain.employer import CertificateRequirement, Role
from counsel.path import occupations, places
from counsel.path.history import at_least, current
from counsel.path.points import Point, PointKind

#: how much each kind of fit adds to a match's score (hard gaps rank first anyway)
WEIGHTS = {"exact": 3.0, "related": 1.5, "wish": 2.0, "wish_related": 1.0,
           "soft_language": 1.0, "near": 1.0, "far": -1.0, "soft_gap": -1.0,
           "later": -0.5}


def cert_key(kind: CertificateKind, detail: str = "") -> str:
    detail = detail.strip().casefold()
    return f"{kind.value}:{detail}" if detail else kind.value


def _cert_keys(cert: Certificate) -> list[str]:
    keys = [cert_key(cert.kind)]
    if cert.kind is CertificateKind.DRIVING_LICENCE:
        keys += [cert_key(cert.kind, c) for c in cert.classes]
    elif cert.detail:
        keys.append(cert_key(cert.kind, cert.detail))
    return keys


@dataclasses.dataclass(frozen=True)
class Candidate:
    """What matching needs of one consenting client, decoded once."""

    client_id: str
    name: str
    municipality: str
    coords: tuple[float, float] | None
    travel_km: int
    available_from: dt.date | None
    levels: dict[tuple[str, SubSkill], LanguageEvidence]
    certs: dict[str, Certificate]  # cert_key -> a certificate valid on the index day
    experience: tuple[WorkExperience, ...]
    wishes: tuple[str, ...]

    @classmethod
    def of(cls, client: Client, profile: CompetenceProfile, on: dt.date) -> Candidate:
        certs: dict[str, Certificate] = {}
        for cert in profile.certificates:
            if not cert.valid_on(on):
                continue
            for key in _cert_keys(cert):
                old = certs.get(key)
                if old is None or (old.valid_until is not None and (
                        cert.valid_until is None or cert.valid_until > old.valid_until)):
                    certs[key] = cert
        return cls(client.id, client.display_name, client.municipality,
                   places.centre(client.municipality), profile.travel_km,
                   profile.available_from, current(profile.languages, on), certs,
                   profile.experience, profile.wishes)

    def language(self, language: str, skill: SubSkill) -> LanguageEvidence | None:
        return self.levels.get((language, skill))

    def experience_in(self, isco: str) -> tuple[str, int, str]:
        """(best relation, years in exact+related work, the code of the best) for ``isco``."""
        best, years, code = "", 0, ""
        for w in self.experience:
            rel = occupations.relation(w.isco, isco)
            if rel is None:
                continue
            years += w.years
            if rel == "exact" and best != "exact":
                best, code = rel, w.isco
            elif not best:
                best, code = rel, w.isco
        return best, years, code

    def wish_for(self, isco: str) -> tuple[str, str]:
        best, code = "", ""
        for w in self.wishes:
            rel = occupations.relation(w, isco) or occupations.relation(isco, w)
            if rel == "exact":
                return "exact", w
            if rel and not best:
                best, code = rel, w
        return best, code

    def km_to(self, municipality: str) -> float | None:
        target = places.centre(municipality) if municipality else None
        if self.coords is None or target is None:
            return None
        return places.km_between(self.coords, target)


@dataclasses.dataclass(frozen=True)
class Match:
    client_id: str
    name: str
    role_id: str
    score: float
    hard_gaps: int
    reasons: tuple[Point, ...]
    gaps: tuple[Point, ...]


def _lang_met(c: Candidate, language: str, skill: SubSkill, level: object) -> bool:
    e = c.levels.get((language, skill))
    return e is not None and at_least(e.level, level)  # type: ignore[arg-type]


def explain(c: Candidate, role: Role, on: dt.date) -> tuple[list[Point], list[Point]]:
    """The reasons (``met``) and gaps (not met) of ``c`` for ``role``."""
    reasons: list[Point] = []
    gaps: list[Point] = []
    for req in role.languages:
        e = c.language(req.language, req.skill)
        met = e is not None and at_least(e.level, req.level)
        (reasons if met else gaps).append(Point(
            PointKind.LANGUAGE, met, req.hard, language=req.language, skill=req.skill,
            have=e.level if e else None, need=req.level, source=e.source if e else None,
            evidence_date=e.date if e else None))
    for creq in role.certificates:
        cert = c.certs.get(cert_key(creq.kind, creq.detail))
        (reasons if cert else gaps).append(Point(
            PointKind.CERTIFICATE, cert is not None, creq.hard, certificate=creq.kind,
            detail=creq.detail, valid_until=cert.valid_until if cert else None))
    if role.isco:
        rel, years, code = c.experience_in(role.isco)
        if role.experience_years:
            met = years >= role.experience_years
            (reasons if met else gaps).append(Point(
                PointKind.EXPERIENCE, met, role.experience_hard, isco=role.isco,
                years=years, need_years=role.experience_years))
        if rel:
            reasons.append(Point(PointKind.OCCUPATION, True, isco=code, relation=rel,
                                 years=years))
        wrel, wcode = c.wish_for(role.isco)
        if wrel:
            reasons.append(Point(PointKind.WISH, True, isco=wcode, relation=wrel))
    km = c.km_to(role.municipality)
    if km is not None:
        near = km <= c.travel_km
        (reasons if near else gaps).append(Point(PointKind.DISTANCE, near, km=km,
                                                 limit_km=c.travel_km))
    start = max(role.starts or on, on)
    if c.available_from is not None:
        ready = c.available_from <= start
        (reasons if ready else gaps).append(Point(PointKind.AVAILABILITY, ready,
                                                  day=c.available_from))
    return reasons, gaps


def score_of(reasons: Sequence[Point], gaps: Sequence[Point]) -> float:
    """The ranking score of an explained match (the same sum :class:`MatchIndex` takes
    over columns)."""
    s = 0.0
    for p in reasons:
        if p.kind is PointKind.LANGUAGE and not p.hard:
            s += WEIGHTS["soft_language"]
        elif p.kind is PointKind.OCCUPATION:
            s += WEIGHTS[p.relation]
        elif p.kind is PointKind.WISH:
            s += WEIGHTS["wish" if p.relation == "exact" else "wish_related"]
        elif p.kind is PointKind.DISTANCE and p.km is not None:
            s += WEIGHTS["near"] * (1.0 - p.km / max(p.limit_km, 1))
    for p in gaps:
        if p.kind is PointKind.DISTANCE:
            s += WEIGHTS["far"]
        elif p.kind is PointKind.AVAILABILITY:
            s += WEIGHTS["later"]
        elif not p.hard:
            s += WEIGHTS["soft_gap"]
    return s


class MatchIndex:
    """Consenting clients, ready for matching against many roles."""

    def __init__(self, candidates: Iterable[Candidate], on: dt.date) -> None:
        self.on = on
        self.candidates = list(candidates)
        self._by_id = {c.client_id: i for i, c in enumerate(self.candidates)}
        self._cols: dict[tuple[str, ...], list[float]] = {}

    @classmethod
    def build(cls, clients: Iterable[Client], profiles: Iterable[CompetenceProfile],
              on: dt.date | None = None) -> MatchIndex:
        on = on or dt.date.today()
        by_client = {p.client: p for p in profiles}
        cands = []
        for client in clients:
            profile = by_client.get(client.id)
            if client.active and profile is not None and profile.consents_on(on):
                cands.append(Candidate.of(client, profile, on))
        return cls(cands, on)

    def __len__(self) -> int:
        return len(self.candidates)

    def candidate(self, client_id: str) -> Candidate | None:
        i = self._by_id.get(client_id)
        return None if i is None else self.candidates[i]

    def _col(self, key: tuple[str, ...], fn: Callable[[Candidate], float]) -> list[float]:
        col = self._cols.get(key)
        if col is None:
            col = self._cols[key] = [fn(c) for c in self.candidates]
        return col

    def _lang_col(self, language: str, skill: SubSkill, level: object) -> list[float]:
        return self._col(("lang", language, skill.value, str(level)),
                         lambda c: float(_lang_met(c, language, skill, level)))

    def _cert_col(self, req: CertificateRequirement) -> list[float]:
        key = cert_key(req.kind, req.detail)
        return self._col(("cert", key), lambda c: float(key in c.certs))

    def _role_columns(self, role: Role) -> tuple[list[float], list[float]]:
        """(missing hard requirements, score) per candidate."""
        n = len(self.candidates)
        hard = [0.0] * n
        score = [0.0] * n
        for req in role.languages:
            col = self._lang_col(req.language, req.skill, req.level)
            if req.hard:
                hard = [h + 1.0 - m for h, m in zip(hard, col, strict=True)]
            else:
                w, g = WEIGHTS["soft_language"], WEIGHTS["soft_gap"]
                score = [s + (w if m else g) for s, m in zip(score, col, strict=True)]
        for creq in role.certificates:
            col = self._cert_col(creq)
            if creq.hard:
                hard = [h + 1.0 - m for h, m in zip(hard, col, strict=True)]
            else:
                g = WEIGHTS["soft_gap"]
                score = [s + (0.0 if m else g) for s, m in zip(score, col, strict=True)]
        if role.isco:
            isco, need = role.isco, role.experience_years
            occ = self._col(("occ", isco), lambda c: _occ_score(c, isco))
            score = [s + o for s, o in zip(score, occ, strict=True)]
            if need:
                years = self._col(("years", isco), lambda c: float(c.experience_in(isco)[1]))
                if role.experience_hard:
                    hard = [h + (y < need) for h, y in zip(hard, years, strict=True)]
                else:
                    g = WEIGHTS["soft_gap"]
                    score = [s + (g if y < need else 0.0)
                             for s, y in zip(score, years, strict=True)]
        if role.municipality:
            muni = role.municipality
            near = self._col(("km", muni), lambda c: _km_score(c, muni))
            score = [s + k for s, k in zip(score, near, strict=True)]
        start = max(role.starts or self.on, self.on)
        later = self._col(("start", start.isoformat()), lambda c: (
            WEIGHTS["later"] if c.available_from and c.available_from > start else 0.0))
        score = [s + v for s, v in zip(score, later, strict=True)]
        return hard, score

    def match_role(self, role: Role, *, limit: int = 20, max_hard_gaps: int = 1
                   ) -> list[Match]:
        """The best ``limit`` consenting clients for ``role``, best first."""
        hard, score = self._role_columns(role)
        picked = [i for i, h in enumerate(hard) if h <= max_hard_gaps]
        picked.sort(key=lambda i: (hard[i], -score[i], self.candidates[i].name))
        out = []
        for i in picked[:limit]:
            c = self.candidates[i]
            reasons, gaps = explain(c, role, self.on)
            out.append(Match(c.client_id, c.name, role.id, score[i], int(hard[i]),
                             tuple(reasons), tuple(gaps)))
        return out

    def roles_for(self, client_id: str, roles: Iterable[Role], *, limit: int = 20,
                  max_hard_gaps: int = 1) -> list[Match]:
        """The open roles that fit one client, best first; empty without consent."""
        c = self.candidate(client_id)
        if c is None:
            return []
        out = []
        for role in roles:
            if not role.open or (role.closes is not None and role.closes < self.on):
                continue
            reasons, gaps = explain(c, role, self.on)
            hard = sum(1 for g in gaps if g.hard)
            if hard <= max_hard_gaps:
                out.append(Match(c.client_id, c.name, role.id, score_of(reasons, gaps), hard,
                                 tuple(reasons), tuple(gaps)))
        out.sort(key=lambda m: (m.hard_gaps, -m.score, m.role_id))
        return out[:limit]


def _occ_score(c: Candidate, isco: str) -> float:
    rel, _years, _code = c.experience_in(isco)
    wrel, _w = c.wish_for(isco)
    s = WEIGHTS[rel] if rel else 0.0
    if wrel:
        s += WEIGHTS["wish" if wrel == "exact" else "wish_related"]
    return s


def _km_score(c: Candidate, municipality: str) -> float:
    km = c.km_to(municipality)
    if km is None:
        return 0.0
    if km <= c.travel_km:
        return WEIGHTS["near"] * (1.0 - km / max(c.travel_km, 1))
    return WEIGHTS["far"]
