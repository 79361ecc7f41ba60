"""The plan review meeting's sheet: the client's path as the counsellor needs it there.

Worked out from the timeline's facts (:func:`counsel.path.timeline.assemble`), so it
shows what the timeline shows, nothing else:

* what is **overdue** — measures of the current plan (the one made last) whose end date
  has passed while they are still planned or started;
* what is **due** — every fact after ``today`` up to the horizon (about six months), and
  how many come later;
* the obstacles still **open** (noted in an encounter, not resolved);
* the client's own **figures** — days from the residence permit to the first work or
  studies, the current plan's measures by status, work trials and whether work followed,
  proposals → interviews → hires, language level changes since the plan was made;
* the **history**: every fact up to ``today``.

Internal facts are included: the sheet is the counsellor's, not the client's.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Sequence

from counsel.domain.competence import PathEventKind
from counsel.path.indicators import FIRST_STEP_KINDS, TRIAL_FOLLOW_DAYS
from counsel.path.timeline import Fact

HORIZON_DAYS = 183
OPEN_STATUSES = frozenset({"planned", "started"})


@dataclasses.dataclass(frozen=True)
class Figures:
    days_since_permit: int | None
    days_permit_to_first_step: int | None  # None: no first work or studies yet
    measures: tuple[tuple[str, int], ...]  # (status, count) of the current plan
    trials_ended: int
    trials_to_work: int
    proposed: int
    interviews: int
    hired: int
    language_changes: int  # level changes since the current plan was made


@dataclasses.dataclass(frozen=True)
class ReviewSheet:
    today: dt.date
    plan_made: dt.date | None
    review: dt.date | None  # the next plan review (on or after today), else the last one
    overdue: tuple[Fact, ...]
    due: tuple[Fact, ...]
    later: int  # facts after the horizon
    open_obstacles: tuple[Fact, ...]
    history: tuple[Fact, ...]
    figures: Figures


def _plan_id(f: Fact) -> str:
    return f.key.split(":")[1] if f.key.startswith("plan:") else ""


def _measure_key(f: Fact) -> str:
    """``plan:ID:mN`` of a measure fact."""
    return f.key.rsplit(":", 1)[0]


def review_sheet(facts: Sequence[Fact], today: dt.date,
                 horizon_days: int = HORIZON_DAYS) -> ReviewSheet:
    made = [f for f in facts if f.kind == "plan_made"]
    current = max(made, key=lambda f: (f.date, f.key)) if made else None
    plan = _plan_id(current) if current else ""
    reviews = [f.date for f in facts if f.kind == "plan_review" and _plan_id(f) == plan]
    upcoming = [d for d in reviews if d >= today]
    horizon = today + dt.timedelta(days=horizon_days)
    measures: dict[str, str] = {}
    overdue = []
    for f in facts:
        if f.kind in ("measure_start", "measure_end") and _plan_id(f) == plan:
            measures[_measure_key(f)] = f.value
            if f.kind == "measure_end" and f.date <= today and f.value in OPEN_STATUSES:
                overdue.append(f)
    counts: dict[str, int] = {}
    for status in measures.values():
        counts[status] = counts.get(status, 0) + 1
    open_obstacles: dict[str, Fact] = {}
    for f in facts:
        if f.date > today:
            continue
        if f.kind == "obstacle_raised":
            open_obstacles[f.subject] = f
        elif f.kind == "obstacle_resolved":
            open_obstacles.pop(f.subject, None)
    return ReviewSheet(
        today=today, plan_made=current.date if current else None,
        review=min(upcoming) if upcoming else (max(reviews) if reviews else None),
        overdue=tuple(overdue),
        due=tuple(f for f in facts if today < f.date <= horizon),
        later=sum(1 for f in facts if f.date > horizon),
        open_obstacles=tuple(open_obstacles.values()),
        history=tuple(f for f in facts if f.date <= today),
        figures=_figures(facts, today, current.date if current else None, counts),
    )


def _figures(facts: Sequence[Fact], today: dt.date, plan_made: dt.date | None,
             measures: dict[str, int]) -> Figures:
    past = [f for f in facts if f.date <= today]
    permit = next((f.date for f in past if f.kind == "permit"), None)
    firsts = [f.date for f in past if f.kind == "event_start"
              and PathEventKind(f.subject) in FIRST_STEP_KINDS and (permit is None
                                                                    or f.date >= permit)]
    work_starts = [f.date for f in past if f.kind == "event_start"
                   and PathEventKind(f.subject).is_work]
    trial_ends = [f.date for f in past if f.kind == "event_end"
                  and f.subject == PathEventKind.WORK_TRIAL.value]
    to_work = sum(1 for end in trial_ends if any(
        end <= s <= end + dt.timedelta(days=TRIAL_FOLLOW_DAYS) for s in work_starts))
    return Figures(
        days_since_permit=(today - permit).days if permit else None,
        days_permit_to_first_step=(min(firsts) - permit).days if permit and firsts else None,
        measures=tuple(sorted(measures.items())),
        trials_ended=len(trial_ends), trials_to_work=to_work,
        proposed=sum(1 for f in past if f.kind == "proposal"),
        interviews=sum(1 for f in past if f.kind == "interview"),
        hired=sum(1 for f in past if f.kind == "proposal_outcome" and f.value == "hired"),
        language_changes=sum(1 for f in past if f.kind == "language" and f.previous
                             and f.previous != f.value
                             and (plan_made is None or f.date >= plan_made)),
    )
