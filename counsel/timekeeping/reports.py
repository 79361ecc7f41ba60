"""Visible vs background time: the counsellor's own report (may name clients by id).

Pure functions over ``WorkEntry`` lists; see :mod:`counsel.timekeeping.split` for how
minutes are assigned to days and periods.  The manager's view without personal data is
:mod:`counsel.timekeeping.aggregate`.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable, Hashable, Iterable, Sequence
from typing import Any, TypeVar

from counsel.domain import Channel, Encounter, PartyKind, Place, WorkEntry, WorkKind
from counsel.errors import KnownError
from counsel.i18n import gettext as _
from counsel.timekeeping.split import (
    Period,
    Piece,
    period_label,
    period_start,
    period_starts,
    pieces,
)

K = TypeVar("K", bound=Hashable)

#: Longest range a report may cover (days); a typo like 2206 for 2026 fails clearly.
MAX_RANGE_DAYS = 20 * 366


@dataclasses.dataclass(frozen=True, slots=True)
class Split:
    """Visible and background minutes of one cell (the client work), and beside them
    internal minutes (team meetings, training, admin).  ``total`` counts every minute;
    the background share is of the client work only (visible + background)."""

    visible: int = 0
    background: int = 0
    internal: int = 0

    @property
    def total(self) -> int:
        return self.visible + self.background + self.internal

    @property
    def client_work(self) -> int:
        return self.visible + self.background

    @property
    def background_share(self) -> float | None:
        """Share of background in the client work, 0..1; ``None`` when there is none."""
        return self.background / self.client_work if self.client_work else None

    def __add__(self, other: Split) -> Split:
        return Split(self.visible + other.visible, self.background + other.background,
                     self.internal + other.internal)


@dataclasses.dataclass(frozen=True, slots=True)
class PeriodRow:
    label: str  # "2026-W02", "2026-01" (split.period_label)
    start: dt.date
    split: Split


@dataclasses.dataclass(frozen=True)
class TimeReport:
    """Minutes in ``[first, last]`` split visible/background, by several dimensions.

    Each ``by_*`` tuple partitions ``total``: the cells add up to it exactly.
    """

    first: dt.date
    last: dt.date
    period: Period
    total: Split
    by_period: tuple[PeriodRow, ...]
    by_client: tuple[tuple[str | None, Split], ...]  # None: work not for one client
    by_channel: tuple[tuple[Channel, Split], ...]
    by_party_kind: tuple[tuple[PartyKind | None, Split], ...]  # None: no other party
    entries: int  # work entries with at least one minute in the range


def check_range(first: dt.date, last: dt.date) -> None:
    if last < first:
        raise KnownError(_("The end date is before the start date."),
                         help_text=_("Give the earlier date first."))
    if (last - first).days > MAX_RANGE_DAYS:
        raise KnownError(_("The date range is too long."),
                         help_text=_("Choose a range of at most 20 years."))


def group(items: Iterable[Piece], key: Callable[[Piece], K]) -> dict[K, Split]:
    """Sum visible/background minutes per key (one pass, plain ints)."""
    acc: dict[K, list[int]] = {}
    for p in items:
        cell = acc.get(key(p))
        if cell is None:
            cell = acc[key(p)] = [0, 0, 0]
        cell[_COLUMN[p.kind]] += p.minutes
    return {k: Split(v[0], v[1], v[2]) for k, v in acc.items()}


_COLUMN = {WorkKind.VISIBLE: 0, WorkKind.BACKGROUND: 1, WorkKind.INTERNAL: 2}


def _sorted_cells(cells: dict[K, Split],
                  order: Callable[[K], Any]) -> tuple[tuple[K, Split], ...]:
    return tuple(sorted(cells.items(), key=lambda kv: order(kv[0])))


def time_report(entries: Iterable[WorkEntry], first: dt.date, last: dt.date,
                period: Period = Period.WEEK) -> TimeReport:
    """The visible/background split of ``entries`` over ``[first, last]`` (days inclusive)."""
    check_range(first, last)
    ps = list(pieces(entries, first, last))
    total = group(ps, lambda p: 0).get(0, Split())
    per = group(ps, lambda p: period_start(p.day, period))
    by_period = tuple(
        PeriodRow(period_label(s, period), s, per.get(s, Split()))
        for s in period_starts(first, last, period)
    )
    return TimeReport(
        first=first, last=last, period=period, total=total, by_period=by_period,
        by_client=_sorted_cells(group(ps, lambda p: p.client),
                                lambda k: (k is None, k or "")),
        by_channel=_sorted_cells(group(ps, lambda p: p.channel), lambda k: list(Channel).index(k)),
        by_party_kind=_sorted_cells(group(ps, lambda p: p.party_kind),
                                    lambda k: (k is None, list(PartyKind).index(k) if k else 0)),
        entries=len({p.entry_id for p in ps}),
    )


_PLACE_CHANNEL = {
    Place.OFFICE: Channel.MEETING, Place.FIELD_VISIT: Channel.MEETING,
    Place.PHONE: Channel.PHONE, Place.VIDEO: Channel.VIDEO,
}


def encounter_time(encounters: Iterable[Encounter],
                   entries: Sequence[WorkEntry]) -> list[WorkEntry]:
    """Visible work entries for encounters that no work entry accounts for yet.

    An encounter's appointment time is normally a visible ``WorkEntry`` whose
    ``encounter`` names it; an encounter recorded without one still took the
    counsellor's time.  Adding these to ``entries`` counts every encounter once.
    The returned entries are derived, not saved (``source`` is ``"encounter:<id>"``).
    """
    covered = {e.encounter for e in entries if e.encounter}
    return [
        WorkEntry(
            id=enc.id, kind=WorkKind.VISIBLE, date=enc.date, start=enc.start,
            minutes=enc.minutes, client=enc.client, channel=_PLACE_CHANNEL[enc.place],
            encounter=enc.id, source=f"encounter:{enc.id}",
        )
        for enc in encounters
        if enc.id not in covered and enc.minutes > 0
    ]
