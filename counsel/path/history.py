"""Language levels as a history: the level in force on a day, and when it changed."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Iterable

from counsel.domain.competence import LanguageEvidence, SubSkill
from counsel.domain.enums import CefrLevel

#: order of the Finnish CEFR sub-scale; "not tested" says nothing and ranks lowest
RANK: dict[CefrLevel, int] = {level: i - 1 for i, level in enumerate(CefrLevel)}


def rank(level: CefrLevel | None) -> int:
    return -1 if level is None else RANK[level]


def at_least(have: CefrLevel | None, need: CefrLevel) -> bool:
    return have is not None and have is not CefrLevel.NOT_TESTED and rank(have) >= rank(need)


def _order(e: LanguageEvidence) -> tuple[dt.date, int]:
    return e.date, e.source.strength


def current(evidence: Iterable[LanguageEvidence], on: dt.date,
            ) -> dict[tuple[str, SubSkill], LanguageEvidence]:
    """The evidence in force on ``on`` per (language, sub-skill): the latest by date; on
    the same day a test outranks a teacher's assessment, which outranks a self-assessment;
    of equals, the one entered last (later in the list) counts."""
    best: dict[tuple[str, SubSkill], LanguageEvidence] = {}
    for e in evidence:
        if e.date > on or e.level is CefrLevel.NOT_TESTED:
            continue
        key = (e.language, e.skill)
        old = best.get(key)
        if old is None or _order(e) >= _order(old):
            best[key] = e
    return best


@dataclasses.dataclass(frozen=True)
class LevelChange:
    evidence: LanguageEvidence
    previous: CefrLevel | None  # the level in force before, None for the first
    index: int  # position of the evidence in the list given to :func:`changes`

    @property
    def direction(self) -> int:
        if self.previous is None:
            return 0
        return (rank(self.evidence.level) > rank(self.previous)) - (
            rank(self.evidence.level) < rank(self.previous))


def changes(evidence: Iterable[LanguageEvidence]) -> list[LevelChange]:
    """Every piece of evidence in date order, with the level that was in force before it."""
    items = sorted(enumerate(evidence), key=lambda ie: (
        ie[1].date, ie[1].language, ie[1].skill.value, ie[1].source.strength, ie[0]))
    last: dict[tuple[str, SubSkill], CefrLevel] = {}
    out = []
    for i, e in items:
        key = (e.language, e.skill)
        out.append(LevelChange(e, last.get(key), i))
        if e.level is not CefrLevel.NOT_TESTED:
            last[key] = e.level
    return out
