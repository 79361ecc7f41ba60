"""Circular referrals: the same kind of measure agreed again and again without progress.

The encounter method sets out to remove "routine referrals that go round in circles"
(DOMAIN.md).  The signal here is deliberately simple and explainable to the client's
counsellor: for one client, walk the measures of all their plans in the order they were
agreed; an instance of a measure code that was only planned, interrupted or cancelled
adds to a run; one that started or was done is progress and ends the run.  A run of
``threshold`` or more (default 3) raises a flag, with the whole history of that code so
the client page can show what happened.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections import defaultdict
from collections.abc import Iterable

from counsel.domain import MeasureStatus, Plan

NO_PROGRESS = frozenset({MeasureStatus.PLANNED, MeasureStatus.INTERRUPTED, MeasureStatus.CANCELLED})
DEFAULT_THRESHOLD = 3


@dataclasses.dataclass(frozen=True, slots=True)
class MeasureEvent:
    """One time a measure was agreed in a plan."""

    plan_id: str
    agreed: dt.date  # the plan's date, or the measure's own start if later
    code: str
    status: MeasureStatus
    due: dt.date | None

    @property
    def progressed(self) -> bool:
        return self.status not in NO_PROGRESS


@dataclasses.dataclass(frozen=True, slots=True)
class CircularFlag:
    client: str
    code: str  # measure catalogue code
    repeats: int  # length of the current run without progress
    history: tuple[MeasureEvent, ...]  # every instance of this code, oldest first

    @property
    def since(self) -> dt.date:
        """When the current run without progress began."""
        return self.history[len(self.history) - self.repeats].agreed


def measure_history(plans: Iterable[Plan]) -> dict[tuple[str, str], list[MeasureEvent]]:
    """Every measure instance per ``(client, code)``, oldest first (ties: plan id)."""
    out: dict[tuple[str, str], list[MeasureEvent]] = defaultdict(list)
    for plan in plans:
        for m in plan.measures:
            agreed = max(plan.made, m.start) if m.start else plan.made
            event = MeasureEvent(plan.id, agreed, m.code, m.status, m.due)
            out[(plan.client, m.code)].append(event)
    for events in out.values():
        events.sort(key=lambda e: (e.agreed, e.plan_id))
    return out


def circular_referrals(plans: Iterable[Plan], *, threshold: int = DEFAULT_THRESHOLD,
                       as_of: dt.date | None = None) -> list[CircularFlag]:
    """Flags for every client and measure code whose current run reaches ``threshold``.

    ``as_of`` ignores plans made after that day (the state at the end of a period).
    """
    if threshold < 2:
        raise ValueError("threshold must be at least 2")
    chosen = [p for p in plans if as_of is None or p.made <= as_of]
    flags: list[CircularFlag] = []
    for (client, code), events in measure_history(chosen).items():
        run = 0
        for e in events:
            run = 0 if e.progressed else run + 1
        if run >= threshold:
            flags.append(CircularFlag(client, code, run, tuple(events)))
    flags.sort(key=lambda f: (f.client, f.code))
    return flags


def client_flags(plans: Iterable[Plan], client_id: str, *,
                 threshold: int = DEFAULT_THRESHOLD) -> list[CircularFlag]:
    """The flags of one client, with their history (the client page)."""
    return circular_referrals((p for p in plans if p.client == client_id), threshold=threshold)


def flagged_clients(flags: Iterable[CircularFlag]) -> set[str]:
    return {f.client for f in flags}
