"""The benchmark helpers run, and the import agrees with a plain whole-file expansion."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import icalendar
import recurring_ical_events

from counsel.demo.synthetic import caseload, outlook_like_ics
from counsel.devtools.timekeeping_bench import bench_reports
from counsel.timekeeping.ics_import import read_ics


def test_bench_reports_runs_on_a_small_caseload() -> None:
    rows = bench_reports(300)
    assert [r[0] for r in rows][0].startswith("baseline")
    assert len(rows) == 5 and all(seconds >= 0 for _, seconds, _ in rows)


def test_caseload_is_reproducible() -> None:
    a, b = caseload(clients=20, entries=50, seed=4), caseload(clients=20, entries=50, seed=4)
    assert [e.minutes for e in a.entries] == [e.minutes for e in b.entries]
    assert [c.name for c in a.clients] == [c.name for c in b.clients]


def test_import_finds_the_same_occurrences_as_a_whole_file_expansion() -> None:
    data = outlook_like_ics(120)
    first, last = dt.date(2025, 12, 1), dt.date(2026, 12, 31)
    cal = icalendar.Calendar.from_ical(data)
    plain = recurring_ical_events.of(cal).between(first, last)
    ours = read_ics(data, first=first, last=last, tz=ZoneInfo("Europe/Helsinki"))
    assert ours.problems == ()
    assert len(ours.events) == len(plain) == 12 * 10 + 108
    assert sorted(str(o["UID"]) for o in plain) == sorted(e.uid for e in ours.events)
