"""Indicators of the encounter method, computed for one counsellor or a team.

Raw values here still know which clients they come from (sets of client ids), so that
:mod:`counsel.timekeeping.aggregate` can suppress small cells before anything leaves
the counsellor's machine.  Nothing in this module is meant for export as is.

* **Early phase**: minutes worked for a client during the first ``EARLY_DAYS`` (90)
  days of the client relationship.  The relationship starts on ``Client.started``; when
  that is empty, on the first day with work or an encounter for the client.
* **Interpreter**: encounters (appointments) with an interpreter, by mode.
* **Field visits**: encounters held as a field visit, count and minutes.
* **Circular referrals**: clients with a flag (:mod:`counsel.timekeeping.circular`)
  in the state at the end of the range.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Iterable, Sequence

from counsel.domain import Client, Encounter, InterpreterMode, Place, Plan, WorkEntry
from counsel.timekeeping.circular import DEFAULT_THRESHOLD, circular_referrals, flagged_clients
from counsel.timekeeping.reports import check_range
from counsel.timekeeping.split import pieces

EARLY_DAYS = 90


@dataclasses.dataclass(frozen=True)
class Counted:
    """A count or a sum, with the clients it is about (for small-cell suppression)."""

    value: int
    clients: frozenset[str]


@dataclasses.dataclass(frozen=True)
class Indicators:
    first: dt.date
    last: dt.date
    client_minutes: Counted  # all minutes for some client in the range
    early_minutes: Counted  # of which within a client's first 90 days
    new_clients: Counted  # relationships that started in the range
    encounters: Counted
    encounter_minutes: Counted
    interpreted: Counted
    interpreted_by_mode: tuple[tuple[InterpreterMode, Counted], ...]
    field_visits: Counted
    field_visit_minutes: Counted
    circular_clients: Counted

    @property
    def early_share(self) -> float | None:
        den = self.client_minutes.value
        return self.early_minutes.value / den if den else None

    @property
    def interpreted_share(self) -> float | None:
        return self.interpreted.value / self.encounters.value if self.encounters.value else None

    @property
    def field_visit_share(self) -> float | None:
        return self.field_visits.value / self.encounters.value if self.encounters.value else None


def relationship_starts(clients: Iterable[Client], entries: Sequence[WorkEntry],
                        encounters: Sequence[Encounter]) -> dict[str, dt.date]:
    """When each client relationship began (see the module docstring)."""
    first_seen: dict[str, dt.date] = {}
    seen = [(e.client, e.date) for e in entries] + [(c.client, c.date) for c in encounters]
    for cid, day in seen:
        if cid is not None and (cid not in first_seen or day < first_seen[cid]):
            first_seen[cid] = day
    starts = dict(first_seen)
    for c in clients:
        if c.started is not None:
            starts[c.id] = c.started
    return starts


def _counted(items: Iterable[tuple[str | None, int]]) -> Counted:
    total, who = 0, set()
    for cid, value in items:
        total += value
        if cid is not None:
            who.add(cid)
    return Counted(total, frozenset(who))


def compute_indicators(*, first: dt.date, last: dt.date, clients: Sequence[Client],
                       entries: Sequence[WorkEntry], encounters: Sequence[Encounter],
                       plans: Sequence[Plan],
                       circular_threshold: int = DEFAULT_THRESHOLD) -> Indicators:
    """The indicators for ``[first, last]``.

    ``entries`` should already include the time of encounters without a work entry
    (:func:`counsel.timekeeping.reports.encounter_time`) if the caller wants it counted.
    """
    check_range(first, last)
    starts = relationship_starts(clients, entries, encounters)
    early_end = dt.timedelta(days=EARLY_DAYS)
    client_pieces = [p for p in pieces(entries, first, last) if p.client is not None]

    def early(cid: str, day: dt.date) -> bool:
        s = starts.get(cid)
        return s is not None and s <= day < s + early_end

    in_range = [e for e in encounters if first <= e.date <= last]
    modes = [m for m in InterpreterMode if m is not InterpreterMode.NONE]
    field = [e for e in in_range if e.place is Place.FIELD_VISIT]
    flags = circular_referrals(plans, threshold=circular_threshold, as_of=last)
    return Indicators(
        first=first, last=last,
        client_minutes=_counted((p.client, p.minutes) for p in client_pieces),
        early_minutes=_counted(
            (p.client, p.minutes) for p in client_pieces if p.client and early(p.client, p.day)
        ),
        new_clients=_counted((cid, 1) for cid, s in starts.items() if first <= s <= last),
        encounters=_counted((e.client, 1) for e in in_range),
        encounter_minutes=_counted((e.client, e.minutes) for e in in_range),
        interpreted=_counted((e.client, 1) for e in in_range if e.interpreted),
        interpreted_by_mode=tuple(
            (m, _counted((e.client, 1) for e in in_range if e.interpreter_mode is m))
            for m in modes
        ),
        field_visits=_counted((e.client, 1) for e in field),
        field_visit_minutes=_counted((e.client, e.minutes) for e in field),
        circular_clients=_counted((cid, 1) for cid in sorted(flagged_clients(flags))),
    )
