"""Aggregate indicators of the path to work: no personal data, small cells hidden.

* time from the first residence permit to the first work or studies (median days);
* work trials that led to work (a job, pay-subsidised job or apprenticeship starting
  within :data:`TRIAL_FOLLOW_DAYS` of the trial's end);
* proposals → interviews → hires.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import statistics
from collections.abc import Iterable

from counsel.domain.client import Client
from counsel.domain.competence import CompetenceProfile, PathEventKind
from counsel.domain.employer import Proposal, ProposalStatus

TRIAL_FOLLOW_DAYS = 180
FIRST_STEP_KINDS = frozenset({PathEventKind.JOB, PathEventKind.PAY_SUBSIDY,
                              PathEventKind.APPRENTICESHIP, PathEventKind.STUDIES,
                              PathEventKind.TRAINING})


@dataclasses.dataclass(frozen=True)
class PathIndicators:
    clients: int
    first_step_clients: int | None  # clients with a permit date and a first step
    first_step_median_days: float | None
    trials_ended: int | None
    trials_to_work: int | None
    proposed: int | None
    interviews: int | None
    hired: int | None
    min_cell: int


def _cell(n: int, min_cell: int) -> int | None:
    return n if n == 0 or n >= min_cell else None


def compute(clients: Iterable[Client], profiles: Iterable[CompetenceProfile],
            proposals: Iterable[Proposal], *, min_cell: int = 5) -> PathIndicators:
    by_client = {p.client: p for p in profiles}
    clients = list(clients)
    days: list[int] = []
    trials = to_work = 0
    for c in clients:
        p = by_client.get(c.id)
        if p is None:
            continue
        firsts = [e.start for e in p.events if e.kind in FIRST_STEP_KINDS]
        if c.permit_date and firsts:
            first = min(firsts)
            if first >= c.permit_date:
                days.append((first - c.permit_date).days)
        work_starts = [e.start for e in p.events if e.kind.is_work]
        for e in p.events:
            if e.kind is PathEventKind.WORK_TRIAL and e.end is not None:
                trials += 1
                limit = e.end + dt.timedelta(days=TRIAL_FOLLOW_DAYS)
                if any(e.start <= s <= limit for s in work_starts):
                    to_work += 1
    props = list(proposals)
    interviews = sum(1 for p in props if p.interview is not None
                     or p.status in (ProposalStatus.INTERVIEW, ProposalStatus.HIRED))
    hired = sum(1 for p in props if p.status is ProposalStatus.HIRED)
    median = float(statistics.median(days)) if len(days) >= min_cell else None
    return PathIndicators(
        clients=len(clients), first_step_clients=_cell(len(days), min_cell),
        first_step_median_days=median, trials_ended=_cell(trials, min_cell),
        trials_to_work=_cell(to_work, min_cell), proposed=_cell(len(props), min_cell),
        interviews=_cell(interviews, min_cell), hired=_cell(hired, min_cell),
        min_cell=min_cell)
