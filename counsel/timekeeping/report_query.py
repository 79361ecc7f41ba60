"""Time reports, indicators and the Time page computed where the data is (SQL).

The record-by-record path (:func:`counsel.timekeeping.reports.time_report` over every
:class:`~counsel.domain.WorkEntry`, :func:`~counsel.timekeeping.indicators.
compute_indicators`) builds a Python record for each of a caseload's hundreds of
thousands of work entries and encounters.  Here the working set's SQL splits entries
at midnight (the rule of :mod:`counsel.timekeeping.split`) and sums the pieces per
period, client, channel and kind of party; only the sums leave SQLite.  A range is
worked through one :data:`STEP_DAYS` slice at a time (every figure adds up across
slices), so the vault is free for a search between two steps and the work can stop.

Relationship start dates (for the early-phase indicator) are one query over the whole
vault: :func:`relationship_starts` — callers that show several ranges compute them once.

The results equal the record-by-record functions (the tests check this on random data).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable, Hashable, Sequence
from typing import TYPE_CHECKING, Any, cast

from counsel.domain import Channel, InterpreterMode, PartyKind, Place
from counsel.timekeeping.circular import DEFAULT_THRESHOLD, circular_referrals, flagged_clients
from counsel.timekeeping.indicators import EARLY_DAYS, Counted, Indicators
from counsel.timekeeping.reports import PeriodRow, Split, TimeReport, check_range
from counsel.timekeeping.rows import LightPlan
from counsel.timekeeping.split import Period, period_label, period_starts

if TYPE_CHECKING:
    from counsel.vault.service import Vault

#: Days per step; a month's report is one step, a year's twelve.
STEP_DAYS = 31


class Stopped(Exception):
    """``should_stop`` said so between two steps."""


@dataclasses.dataclass
class Acc:
    """Visible, background and internal minutes of one cell, and the clients it is about."""

    visible: int = 0
    background: int = 0
    clients: set[str] = dataclasses.field(default_factory=set)
    internal: int = 0

    def add(self, visible: int, background: int, clients: str | None,
            internal: int = 0) -> None:
        self.visible += visible
        self.background += background
        self.internal += internal
        if clients:
            self.clients.update(clients.split(","))

    @property
    def split(self) -> Split:
        return Split(self.visible, self.background, self.internal)


@dataclasses.dataclass
class Cells:
    """Everything a report needs from the pieces of ``[first, last]``, summed."""

    first: dt.date
    last: dt.date
    period: Period
    by_period: dict[dt.date, Acc]
    by_client: dict[str | None, Acc]
    by_channel: dict[str, Acc]
    by_party_kind: dict[str | None, Acc]
    early: dict[str, int]  # client → minutes in their first 90 days (clients with any)
    entries: int

    @property
    def total(self) -> Acc:
        out = Acc()
        for a in self.by_period.values():
            out.visible += a.visible
            out.background += a.background
            out.internal += a.internal
        out.clients = {c for c in self.by_client if c is not None}
        return out


def relationship_starts(vault: Vault) -> dict[str, dt.date]:
    """When each client relationship began (as ``indicators.relationship_starts``):
    ``Client.started``, else the first day with work or an encounter for the client."""
    return vault.time_queries.relationship_starts()


@dataclasses.dataclass(frozen=True)
class Basis:
    """What every range's report reads from the whole vault; kept until records change."""

    starts: dict[str, dt.date]  # relationship start per client
    #: for circular referrals (None: from the measures the working set keeps, in SQL)
    plans: tuple[LightPlan, ...] | None = None


def basis(vault: Vault) -> Basis:
    return Basis(relationship_starts(vault))


def _steps(first: dt.date, last: dt.date) -> list[tuple[dt.date, dt.date]]:
    out = []
    day = first
    while day <= last:
        end = min(last, day + dt.timedelta(days=STEP_DAYS - 1))
        out.append((day, end))
        day = end + dt.timedelta(days=1)
    return out


def cells(vault: Vault, first: dt.date, last: dt.date, period: Period, *,
          starts: dict[str, dt.date] | None = None,
          with_clients: bool = False,
          should_stop: Callable[[], bool] | None = None,
          author: str | None = None) -> Cells:
    """Sum the pieces of ``[first, last]`` per period, client, channel and kind of party
    (with ``author``: of the entries and encounters that account wrote, in a team copy)."""
    check_range(first, last)
    early_end = dt.timedelta(days=EARLY_DAYS)
    starts = starts or {}
    q = vault.time_queries
    out = Cells(first, last, period, {s: Acc() for s in period_starts(first, last, period)},
                {}, {}, {}, {}, 0)
    for low, high in _steps(first, last):
        if should_stop is not None and should_stop():
            raise Stopped
        for per, kind, channel, party, minutes, n, clients in q.pieces(
                period.value, low, high, first, with_clients=with_clients, author=author):
            out.entries += n
            v = minutes if kind == "visible" else 0
            b = minutes if kind == "background" else 0
            i = minutes if kind == "internal" else 0
            targets: tuple[tuple[dict[Any, Acc], Hashable], ...] = (
                (out.by_period, dt.date.fromisoformat(per)), (out.by_channel, channel),
                (out.by_party_kind, party or None))
            who = clients.split(",") if clients else ()
            for target, key in targets:
                acc = target.setdefault(key, Acc())
                acc.visible, acc.background, acc.internal = \
                    acc.visible + v, acc.background + b, acc.internal + i
                acc.clients.update(who)
    if should_stop is not None and should_stop():
        raise Stopped
    for client, visible, background, internal in q.client_minutes(first, last, author):
        out.by_client[client] = Acc(visible, background, set(), internal)
    # only clients whose early phase overlaps the range can have early minutes in it
    phases = [(c, s, s + early_end) for c, s in sorted(starts.items())
              if s <= last and s + early_end > first]
    out.early = {str(c): m for c, m in q.early_minutes(first, last, phases, author)}
    return out


def report_from(c: Cells) -> TimeReport:
    """The counsellor's :class:`TimeReport` from summed cells."""
    channels = list(Channel)
    parties = list(PartyKind)
    return TimeReport(
        first=c.first, last=c.last, period=c.period, total=c.total.split,
        by_period=tuple(PeriodRow(period_label(s, c.period), s, a.split)
                        for s, a in sorted(c.by_period.items())),
        by_client=tuple(sorted(((k, a.split) for k, a in c.by_client.items()),
                               key=lambda kv: (kv[0] is None, kv[0] or ""))),
        by_channel=tuple(sorted(((Channel(k), a.split) for k, a in c.by_channel.items()),
                                key=lambda kv: channels.index(kv[0]))),
        by_party_kind=tuple(sorted(
            ((PartyKind(k) if k else None, a.split) for k, a in c.by_party_kind.items()),
            key=lambda kv: (kv[0] is None, parties.index(kv[0]) if kv[0] else 0))),
        entries=c.entries,
    )


def time_report(vault: Vault, first: dt.date, last: dt.date, period: Period = Period.WEEK,
                should_stop: Callable[[], bool] | None = None) -> TimeReport:
    """As ``reports.time_report(work entries incl. encounter time, first, last, period)``."""
    return report_from(cells(vault, first, last, period, should_stop=should_stop))


def _counted(pairs: dict[str | None, int]) -> Counted:
    return Counted(sum(pairs.values()), frozenset(k for k in pairs if k is not None))


def indicators_from(vault: Vault, c: Cells, starts: dict[str, dt.date],
                    circular_threshold: int = DEFAULT_THRESHOLD,
                    plans: Sequence[LightPlan] | None = None,
                    author: str | None = None) -> Indicators:
    """As ``indicators.compute_indicators`` (entries incl. encounter time) for ``c``'s range.

    With ``author`` (a team copy, ``c`` summed for that account): the encounters are that
    account's, and a client counts as new or circular only if the account worked with
    them in the range — a team's clients are not each member's caseload."""
    first, last = c.first, c.last
    if author:
        starts = {k: v for k, v in starts.items() if k in c.by_client}
    client_minutes = {k: a.visible + a.background + a.internal for k, a in c.by_client.items()
                      if k is not None}
    enc: dict[str, tuple[int, set[str]]] = {}

    def add(name: str, value: int, clients: set[str]) -> None:
        total, who = enc.get(name, (0, set()))
        enc[name] = (total + value, who | clients)

    modes = [m for m in InterpreterMode if m is not InterpreterMode.NONE]
    for mode, field, n, minutes, clients in vault.time_queries.encounter_counts(
            first, last, Place.FIELD_VISIT.value, author=author):
        who = set(clients.split(",")) if clients else set()
        add("encounters", n, who)
        add("minutes", minutes or 0, who)
        if mode != InterpreterMode.NONE.value:
            add("interpreted", n, who)
            add(f"mode:{mode}", n, who)
        if field:
            add("field", n, who)
            add("field_minutes", minutes or 0, who)

    def figure(name: str) -> Counted:
        total, who = enc.get(name, (0, set()))
        return Counted(total, frozenset(who))

    if plans is None:  # the measures the working set keeps, in SQL
        if circular_threshold < 2:
            raise ValueError("threshold must be at least 2")
        circular = vault.time_queries.circular_clients(last, circular_threshold)
    else:
        circular = flagged_clients(circular_referrals(cast(Any, plans),
                                                      threshold=circular_threshold, as_of=last))
    if author:
        circular = {k for k in circular if k in c.by_client}
    return Indicators(
        first=first, last=last,
        client_minutes=_counted(cast(Any, client_minutes)),
        early_minutes=_counted(cast(Any, c.early)),
        new_clients=_counted({cid: 1 for cid, s in starts.items() if first <= s <= last}),
        encounters=figure("encounters"),
        encounter_minutes=figure("minutes"),
        interpreted=figure("interpreted"),
        interpreted_by_mode=tuple((m, figure(f"mode:{m.value}")) for m in modes),
        field_visits=figure("field"),
        field_visit_minutes=figure("field_minutes"),
        circular_clients=_counted(dict.fromkeys(sorted(circular), 1)),
    )


def indicators(vault: Vault, first: dt.date, last: dt.date,
               starts: dict[str, dt.date] | None = None) -> Indicators:
    if starts is None:
        starts = relationship_starts(vault)
    return indicators_from(vault, cells(vault, first, last, Period.DAY, starts=starts),
                           starts)


def manager_report(vault: Vault, first: dt.date, last: dt.date, period: Period = Period.MONTH,
                   min_clients: int | None = None,
                   should_stop: Callable[[], bool] | None = None) -> Any:
    """As ``aggregate.manager_report`` over the whole vault (entries incl. encounter time)."""
    from counsel.timekeeping import aggregate

    k = aggregate.MIN_CLIENTS if min_clients is None else min_clients
    if k < 1:
        raise ValueError("min_clients must be at least 1")
    starts = relationship_starts(vault)
    c = cells(vault, first, last, period, starts=starts, with_clients=True,
              should_stop=should_stop)

    def accs(d: dict[Any, Acc], key: Callable[[Any], Hashable]) -> dict[Hashable, Any]:
        return {key(x): aggregate._Acc(a.visible, a.background, set(a.clients))
                for x, a in d.items()}

    total = c.total
    everything = aggregate._small(len(total.clients), k)
    total_cell = aggregate._suppress({0: aggregate._Acc(total.visible, total.background,
                                                        total.clients)}, k, everything)[0]
    per = aggregate._suppress(accs(c.by_period, lambda s: s), k, everything)
    channels = aggregate._suppress(accs(c.by_channel, str), k, everything)
    parties = aggregate._suppress(accs(c.by_party_kind, lambda x: x or ""), k, everything)
    ind = indicators_from(vault, c, starts)
    return aggregate.ManagerReport(
        first=first, last=last, period=period, min_clients=k, total=total_cell,
        by_period=tuple((period_label(s, period), per[s]) for s in sorted(c.by_period)),
        by_channel=tuple(sorted((str(x), v) for x, v in channels.items())),
        by_party_kind=tuple(sorted((str(x), v) for x, v in parties.items())),
        indicators=aggregate.indicator_rows(ind, k, everything),
    )


def overview(vault: Vault, first: dt.date, last: dt.date, period: Period | None = None, *,
             base: Basis | None = None,
             should_stop: Callable[[], bool] | None = None) -> Any:
    """The Time page's :class:`~counsel.timekeeping.overview.Overview` (as ``overview_of``);
    ``base`` from :func:`basis` can be kept between ranges."""
    from counsel.i18n import gettext as _
    from counsel.timekeeping.overview import ClientRow, Overview, chart_period
    from counsel.timekeeping.rows import client_names

    if base is None:
        base = basis(vault)
    c = cells(vault, first, last, period or chart_period(first, last), starts=base.starts,
              should_stop=should_stop)
    report = report_from(c)
    ind = indicators_from(vault, c, base.starts, plans=base.plans)
    names = client_names(vault, [cid for cid, _s in report.by_client if cid])
    rows = [ClientRow(cid, (names.get(cid) or cid) if cid else _("Not for one client"), s)
            for cid, s in report.by_client]
    rows.sort(key=lambda r: (r.client is None, -r.split.total, r.name.casefold()))
    return Overview(report, ind, tuple(rows))
