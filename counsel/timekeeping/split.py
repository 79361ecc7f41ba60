"""Splitting work time into days and reporting periods.

Conventions (every report in this package follows them, and the property tests hold
them to it):

* Times are the counsellor's local wall-clock times; a ``WorkEntry`` has a local
  ``date`` and an optional local ``start``.
* An entry without a start time counts wholly on its ``date``.
* An entry with a start time that runs past midnight is split at midnight: the minutes
  before midnight belong to ``date``, the rest to the next day (an entry is at most 24 h,
  so it touches at most two days).  A week or month boundary is always at a midnight, so
  this one rule decides every boundary case.
* Weeks are ISO weeks (Monday to Sunday, the ISO week-numbering year); months are
  calendar months.
* A report for ``[first, last]`` (both days included) counts exactly the minutes on
  days inside the range.  An entry straddling the range edge contributes only its
  inside part, so adjacent ranges add up to the combined range.
* Every minute goes to exactly one period and exactly one value of every dimension
  (client, channel, kind of party); a missing value is its own bucket (``None``).

Minutes are whole numbers everywhere, so no rounding can lose or invent a minute.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Iterable, Iterator
from enum import StrEnum

from counsel.domain import Channel, PartyKind, WorkEntry, WorkKind

DAY_MINUTES = 24 * 60


class Period(StrEnum):
    DAY = "day"
    WEEK = "week"
    MONTH = "month"


@dataclasses.dataclass(frozen=True, slots=True)
class Piece:
    """The minutes of one entry that fall on one day."""

    day: dt.date
    minutes: int
    kind: WorkKind
    client: str | None
    channel: Channel
    party_kind: PartyKind | None
    entry_id: str


def day_parts(entry: WorkEntry) -> list[tuple[dt.date, int]]:
    """``(day, minutes)`` for each day the entry touches (one or two days)."""
    if entry.start is None:
        return [(entry.date, entry.minutes)]
    start_min = entry.start.hour * 60 + entry.start.minute
    first = min(entry.minutes, DAY_MINUTES - start_min)
    if first >= entry.minutes:
        return [(entry.date, entry.minutes)]
    return [(entry.date, first), (entry.date + dt.timedelta(days=1), entry.minutes - first)]


def pieces(entries: Iterable[WorkEntry], first: dt.date | None = None,
           last: dt.date | None = None) -> Iterator[Piece]:
    """Every entry's per-day pieces that fall inside ``[first, last]`` (open ends allowed)."""
    for e in entries:
        for day, minutes in day_parts(e):
            if (first is not None and day < first) or (last is not None and day > last):
                continue
            yield Piece(day, minutes, e.kind, e.client, e.channel, e.party_kind, e.id)


def period_start(day: dt.date, period: Period) -> dt.date:
    """The first day of the period holding ``day`` (Monday of its ISO week, 1st of month)."""
    if period is Period.WEEK:
        return day - dt.timedelta(days=day.weekday())
    if period is Period.MONTH:
        return day.replace(day=1)
    return day


def period_label(start: dt.date, period: Period) -> str:
    """A stable, language-neutral label: ``2026-W02``, ``2026-01`` or ``2026-01-05``."""
    if period is Period.WEEK:
        year, week, _ = start.isocalendar()
        return f"{year}-W{week:02d}"
    if period is Period.MONTH:
        return f"{start.year}-{start.month:02d}"
    return start.isoformat()


def period_starts(first: dt.date, last: dt.date, period: Period) -> list[dt.date]:
    """Every period touching ``[first, last]``, in order, including empty ones."""
    out: list[dt.date] = []
    cur = period_start(first, period)
    while cur <= last:
        out.append(cur)
        if period is Period.WEEK:
            cur += dt.timedelta(days=7)
        elif period is Period.MONTH:
            cur = (cur.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
        else:
            cur += dt.timedelta(days=1)
    return out
