"""Splitting and aggregation never lose or double-count a minute."""

from __future__ import annotations

import datetime as dt

from hypothesis import given, settings
from hypothesis import strategies as st

from counsel.domain import Channel, PartyKind, WorkEntry, WorkKind
from counsel.timekeeping.aggregate import manager_report
from counsel.timekeeping.reports import Split, time_report
from counsel.timekeeping.split import Period, day_parts, period_label, period_start

CLIENTS = [f"client{i:04d}" for i in range(8)]

entries_st = st.lists(
    st.builds(
        WorkEntry,
        kind=st.sampled_from(WorkKind),
        # around the 2025/2026 year change: ISO week 1 of 2026 starts on 29 Dec 2025
        date=st.dates(dt.date(2025, 12, 20), dt.date(2026, 3, 5)),
        minutes=st.integers(1, 24 * 60),
        start=st.none() | st.times().map(lambda t: t.replace(second=0, microsecond=0)),
        client=st.none() | st.sampled_from(CLIENTS),
        channel=st.sampled_from(Channel),
        party_kind=st.none() | st.sampled_from(PartyKind),
    ),
    max_size=40,
)


def _inside(entries: list[WorkEntry], first: dt.date, last: dt.date) -> int:
    return sum(m for e in entries for d, m in day_parts(e) if first <= d <= last)


@settings(max_examples=120, deadline=None)
@given(entries_st, st.sampled_from(list(Period)))
def test_every_breakdown_adds_up_to_the_total(entries: list[WorkEntry], period: Period) -> None:
    first, last = dt.date(2025, 12, 20), dt.date(2026, 3, 6)  # all pieces fall inside
    r = time_report(entries, first, last, period)
    assert r.total.total == sum(e.minutes for e in entries)
    assert r.total.visible == sum(e.minutes for e in entries if e.kind is WorkKind.VISIBLE)
    for cells in (r.by_client, r.by_channel, r.by_party_kind):
        assert sum((s for _, s in cells), Split()) == r.total
        assert len({k for k, _ in cells}) == len(cells)
    assert sum((row.split for row in r.by_period), Split()) == r.total


@settings(max_examples=120, deadline=None)
@given(entries_st, st.dates(dt.date(2025, 12, 20), dt.date(2026, 3, 5)),
       st.sampled_from(list(Period)))
def test_adjacent_ranges_add_up(entries: list[WorkEntry], cut: dt.date, period: Period) -> None:
    first, last = dt.date(2025, 12, 1), dt.date(2026, 4, 1)
    whole = time_report(entries, first, last, period).total
    left = time_report(entries, first, cut, period).total
    right = time_report(entries, cut + dt.timedelta(days=1), last, period).total
    assert left + right == whole
    assert left.total == _inside(entries, first, cut)


@given(st.builds(WorkEntry, kind=st.just(WorkKind.BACKGROUND),
                 date=st.dates(dt.date(2020, 1, 1), dt.date(2030, 1, 1)),
                 minutes=st.integers(1, 1440),
                 start=st.none() | st.times().map(lambda t: t.replace(second=0, microsecond=0))))
@settings(max_examples=150, deadline=None)
def test_day_parts_conserve_minutes(entry: WorkEntry) -> None:
    parts = day_parts(entry)
    assert sum(m for _, m in parts) == entry.minutes
    assert all(m > 0 for _, m in parts)
    assert 1 <= len(parts) <= 2
    assert parts[0][0] == entry.date


@settings(max_examples=60, deadline=None)
@given(entries_st)
def test_manager_report_unsuppressed_cells_match_the_counsellor_report(
        entries: list[WorkEntry]) -> None:
    first, last = dt.date(2025, 12, 20), dt.date(2026, 3, 6)
    mine = time_report(entries, first, last, Period.WEEK)
    agg = manager_report(first=first, last=last, entries=entries, period=Period.WEEK,
                         min_clients=1)
    assert agg.total.visible == mine.total.visible
    assert agg.total.background == mine.total.background
    # the manager report is about client work: internal time is in neither
    assert sum(c.total or 0 for _, c in agg.by_period) == mine.total.client_work
    assert sum(c.total or 0 for _, c in agg.by_channel) == mine.total.client_work


def test_midnight_split_crosses_week_and_year_boundary() -> None:
    # Sunday 2026-01-04 23:30 + 90 min: 30 min in ISO week 1, 60 min in week 2
    e = WorkEntry(kind=WorkKind.VISIBLE, date=dt.date(2026, 1, 4), start=dt.time(23, 30),
                  minutes=90)
    assert day_parts(e) == [(dt.date(2026, 1, 4), 30), (dt.date(2026, 1, 5), 60)]
    r = time_report([e], dt.date(2026, 1, 1), dt.date(2026, 1, 11), Period.WEEK)
    assert [(row.label, row.split.visible) for row in r.by_period] == [
        ("2026-W01", 30), ("2026-W02", 60)]
    # 31 Dec 2025 is in ISO week 1 of 2026
    assert period_label(period_start(dt.date(2025, 12, 31), Period.WEEK), Period.WEEK) == "2026-W01"


def test_entry_ending_exactly_at_midnight_stays_on_its_day() -> None:
    e = WorkEntry(kind=WorkKind.VISIBLE, date=dt.date(2026, 1, 31), start=dt.time(23, 0),
                  minutes=60)
    assert day_parts(e) == [(dt.date(2026, 1, 31), 60)]


def test_background_share_and_empty_periods() -> None:
    es = [WorkEntry(kind=WorkKind.VISIBLE, date=dt.date(2026, 2, 2), minutes=60, client=CLIENTS[0]),
          WorkEntry(kind=WorkKind.BACKGROUND, date=dt.date(2026, 2, 3), minutes=20,
                    client=CLIENTS[0], channel=Channel.EMAIL, party_kind=PartyKind.KELA)]
    r = time_report(es, dt.date(2026, 1, 1), dt.date(2026, 3, 31), Period.MONTH)
    assert [row.label for row in r.by_period] == ["2026-01", "2026-02", "2026-03"]
    assert r.by_period[0].split == Split()
    assert r.total.background_share == 20 / 80
    assert dict(r.by_party_kind) == {PartyKind.KELA: Split(0, 20), None: Split(60, 0)}
    assert r.entries == 2


def test_internal_time_is_reported_beside_the_client_work_split() -> None:
    """Issue 14: team meetings, training and admin are their own kind; the old kinds
    read as before and the visible/background split stays about clients."""
    import datetime as dt

    from counsel.domain import WorkEntry, WorkKind
    from counsel.domain.codec import dumps, loads
    from counsel.timekeeping.reports import time_report

    day = dt.date(2026, 3, 2)
    entries = [WorkEntry(kind=WorkKind.VISIBLE, date=day, minutes=60, client="a" * 32),
               WorkEntry(kind=WorkKind.BACKGROUND, date=day, minutes=30, client="a" * 32),
               WorkEntry(kind=WorkKind.INTERNAL, date=day, minutes=90, what="tiimipalaveri")]
    rep = time_report(entries, day, day)
    assert (rep.total.visible, rep.total.background, rep.total.internal) == (60, 30, 90)
    assert rep.total.client_work == 90 and rep.total.background_share == pytest_approx(1 / 3)
    assert loads(WorkEntry, dumps(entries[2])) == entries[2]
    # a record written before the internal kind existed reads as it did
    old = b'{"id": "' + b"1" * 32 + b'", "kind": "background", "date": "2026-03-02", "minutes": 5}'
    assert loads(WorkEntry, old).kind is WorkKind.BACKGROUND


def pytest_approx(x: float):  # type: ignore[no-untyped-def]
    import pytest as _pytest

    return _pytest.approx(x)
