"""Path indicators: first steps, work trials leading to work, the proposal funnel, with
small cells hidden."""

from __future__ import annotations

import datetime as dt

from counsel.domain import Client, Proposal
from counsel.domain.competence import CompetenceProfile, PathEvent, PathEventKind
from counsel.domain.employer import ProposalStatus
from counsel.path.indicators import compute

D = dt.date(2025, 1, 1)


def _client(i: int, trial_then_job: bool) -> tuple[Client, CompetenceProfile]:
    c = Client(name=f"C{i}", permit_date=D)
    events = [PathEvent(PathEventKind.WORK_TRIAL, D + dt.timedelta(days=100 + i),
                        D + dt.timedelta(days=130 + i))]
    if trial_then_job:
        events.append(PathEvent(PathEventKind.JOB, D + dt.timedelta(days=200 + i)))
    else:  # work long after the trial does not count as the trial leading to work
        events.append(PathEvent(PathEventKind.JOB, D + dt.timedelta(days=700)))
    return c, CompetenceProfile(client=c.id, events=tuple(events))


def test_indicators_count_what_happened_and_hide_small_cells() -> None:
    people = [_client(i, i < 6) for i in range(8)]
    clients = [c for c, _p in people]
    profiles = [p for _c, p in people]
    props = [Proposal(client=clients[i].id, role="r" * 32, employer="e" * 32,
                      at=dt.datetime(2026, 1, 1, 9), by="L", disclosed=(), summary="",
                      status=s, interview=D if s is ProposalStatus.HIRED else None)
             for i, s in enumerate([ProposalStatus.PROPOSED, ProposalStatus.INTERVIEW,
                                    ProposalStatus.HIRED, ProposalStatus.NOT_SELECTED,
                                    ProposalStatus.HIRED, ProposalStatus.PROPOSED])]
    ind = compute(clients, profiles, props, min_cell=5)
    assert (ind.clients, ind.first_step_clients, ind.trials_ended, ind.trials_to_work) == (
        8, 8, 8, 6)
    # first job: days 200..205 for six clients, day 700 for two → median of 8 values
    assert ind.first_step_median_days == 203.5
    assert ind.proposed == 6
    assert ind.interviews is None and ind.hired is None  # 3 and 2: fewer than 5, hidden
    small = compute(clients, profiles, props, min_cell=1)
    assert (small.interviews, small.hired) == (3, 2)
