"""The manager's view: counts and minutes only, small cells suppressed.

Nothing here holds a client id, a name, a date of birth or any text a person typed:
only period labels, enum values (channel, kind of party, interpreter mode), whole
numbers and shares.

Small-cell suppression (so that no client can be singled out):

* A cell whose minutes or count come from at least one but fewer than ``min_clients``
  (default 5) distinct clients is **suppressed**: its numbers become ``None`` and the
  export shows a mark instead.  Cells with no client at all (general background work)
  say nothing about a person and are shown.
* **Complementary suppression**: within one breakdown (periods, channels, kinds of
  party), if exactly one cell is suppressed the next smallest cell is suppressed too, so
  the hidden one cannot be recovered by subtracting the others from the total.
* If the whole range comes from fewer than ``min_clients`` clients, everything is
  suppressed.
* A share is shown only when both of its numbers are shown.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable, Hashable, Iterable, Sequence

from counsel.domain import Client, Encounter, Plan, WorkEntry, WorkKind
from counsel.i18n import N_
from counsel.timekeeping.indicators import Counted, Indicators, compute_indicators
from counsel.timekeeping.reports import check_range
from counsel.timekeeping.split import (
    Period,
    Piece,
    period_label,
    period_start,
    period_starts,
    pieces,
)

MIN_CLIENTS = 5


@dataclasses.dataclass(frozen=True, slots=True)
class Cell:
    """Visible/background minutes of a cell; ``None`` when suppressed."""

    visible: int | None
    background: int | None

    @property
    def suppressed(self) -> bool:
        return self.visible is None

    @property
    def total(self) -> int | None:
        if self.visible is None or self.background is None:
            return None
        return self.visible + self.background

    @property
    def background_share(self) -> float | None:
        total = self.total
        return self.background / total if total and self.background is not None else None


@dataclasses.dataclass(frozen=True, slots=True)
class IndicatorRow:
    key: str  # stable id, e.g. "early_minutes"
    label: str  # N_-marked English; translate at display
    value: int | None  # None: suppressed
    share: float | None = None  # 0..1 where the indicator is a share


@dataclasses.dataclass(frozen=True)
class ManagerReport:
    first: dt.date
    last: dt.date
    period: Period
    min_clients: int
    total: Cell
    by_period: tuple[tuple[str, Cell], ...]  # period label → cell
    by_channel: tuple[tuple[str, Cell], ...]  # Channel value → cell
    by_party_kind: tuple[tuple[str, Cell], ...]  # PartyKind value ("" none) → cell
    indicators: tuple[IndicatorRow, ...]


@dataclasses.dataclass
class _Acc:
    visible: int = 0
    background: int = 0
    clients: set[str] = dataclasses.field(default_factory=set)

    def add(self, p: Piece) -> None:
        if p.kind is WorkKind.VISIBLE:
            self.visible += p.minutes
        elif p.kind is WorkKind.BACKGROUND:
            self.background += p.minutes
        # internal minutes (team, training, admin) are not in the client-work split
        if p.client is not None:
            self.clients.add(p.client)


def _small(n: int, k: int) -> bool:
    return 0 < n < k


def _accumulate(ps: Iterable[Piece], key: Callable[[Piece], Hashable],
                keys: Iterable[Hashable] = ()) -> dict[Hashable, _Acc]:
    acc: dict[Hashable, _Acc] = {k: _Acc() for k in keys}
    for p in ps:
        acc.setdefault(key(p), _Acc()).add(p)
    return acc


def _suppress(acc: dict[Hashable, _Acc], k: int, everything: bool) -> dict[Hashable, Cell]:
    hidden = {key for key, a in acc.items() if everything or _small(len(a.clients), k)}
    if len(hidden) == 1:
        others = [key for key, a in acc.items() if key not in hidden
                  and (a.visible + a.background or a.clients)]
        if others:
            hidden.add(min(others, key=lambda x: (len(acc[x].clients),
                                                  acc[x].visible + acc[x].background)))
    return {key: Cell(None, None) if key in hidden else Cell(a.visible, a.background)
            for key, a in acc.items()}


def _figure(c: Counted, k: int, everything: bool) -> int | None:
    return None if everything or _small(len(c.clients), k) else c.value


def _share(num: int | None, den: int | None) -> float | None:
    return num / den if num is not None and den else None


def indicator_rows(figures: Indicators, k: int,
                   everything: bool = False) -> tuple[IndicatorRow, ...]:
    def fig(c: Counted) -> int | None:
        return _figure(c, k, everything)

    rows = [
        IndicatorRow("client_minutes", N_("Time in client work"), fig(figures.client_minutes)),
        IndicatorRow("early_minutes", N_("Time in the first 90 days of a client relationship"),
                     fig(figures.early_minutes),
                     _share(fig(figures.early_minutes), fig(figures.client_minutes))),
        IndicatorRow("new_clients", N_("New client relationships"), fig(figures.new_clients)),
        IndicatorRow("encounters", N_("Appointments"), fig(figures.encounters)),
        IndicatorRow("encounter_minutes", N_("Time in appointments"),
                     fig(figures.encounter_minutes)),
        IndicatorRow("interpreted", N_("Appointments with an interpreter"),
                     fig(figures.interpreted),
                     _share(fig(figures.interpreted), fig(figures.encounters))),
    ]
    for mode, counted in figures.interpreted_by_mode:
        rows.append(IndicatorRow(f"interpreted.{mode.value}",
                                 _MODE_LABELS[mode.value], fig(counted)))
    rows += [
        IndicatorRow("field_visits", N_("Field visits"), fig(figures.field_visits),
                     _share(fig(figures.field_visits), fig(figures.encounters))),
        IndicatorRow("field_visit_minutes", N_("Time in field visits"),
                     fig(figures.field_visit_minutes),
                     _share(fig(figures.field_visit_minutes), fig(figures.encounter_minutes))),
        IndicatorRow("circular_clients",
                     N_("Clients with the same measure agreed repeatedly without progress"),
                     fig(figures.circular_clients)),
    ]
    return tuple(rows)


_MODE_LABELS = {
    "in_person": N_("… interpreter in person"),
    "phone": N_("… interpreter by phone"),
    "video": N_("… interpreter by video"),
}


def manager_report(*, first: dt.date, last: dt.date, entries: Sequence[WorkEntry],
                   clients: Sequence[Client] = (), encounters: Sequence[Encounter] = (),
                   plans: Sequence[Plan] = (), period: Period = Period.MONTH,
                   min_clients: int = MIN_CLIENTS) -> ManagerReport:
    """The aggregate report of ``[first, last]`` for a manager (see module docstring)."""
    check_range(first, last)
    if min_clients < 1:
        raise ValueError("min_clients must be at least 1")
    ps = list(pieces(entries, first, last))
    total_acc = _accumulate(ps, lambda p: 0, [0])
    everything = _small(len(total_acc[0].clients), min_clients)
    total = _suppress(total_acc, min_clients, everything)[0]
    starts = period_starts(first, last, period)
    per = _suppress(_accumulate(ps, lambda p: period_start(p.day, period), starts),
                    min_clients, everything)
    channels = _suppress(_accumulate(ps, lambda p: p.channel.value), min_clients, everything)
    parties = _suppress(
        _accumulate(ps, lambda p: p.party_kind.value if p.party_kind else ""),
        min_clients, everything)
    figures = compute_indicators(first=first, last=last, clients=clients, entries=entries,
                             encounters=encounters, plans=plans)
    return ManagerReport(
        first=first, last=last, period=period, min_clients=min_clients, total=total,
        by_period=tuple((period_label(s, period), per[s]) for s in starts),
        by_channel=tuple(sorted((str(k), v) for k, v in channels.items())),
        by_party_kind=tuple(sorted((str(k), v) for k, v in parties.items())),
        indicators=indicator_rows(figures, min_clients, everything),
    )
