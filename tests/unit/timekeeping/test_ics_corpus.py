"""Real-world calendars: Counsel's dry-run listing against an independent expansion.

The calendars are the fixtures of recurring-ical-events' own test suite (Google,
Outlook/Exchange, Thunderbird, Nextcloud, DAVx5, ... exports; LGPL), read from
``../shared/testdata/ics-corpus`` beside the project and never copied into it.

The reference expands the *whole file at once* with recurring-ical-events (no scanner,
no per-series isolation, no limits, no keys) and converts each occurrence with
``zoneinfo``.  Only the policies written down in docs/calendar-import.md are applied to
it: an occurrence belongs to the local day it starts on; a series whose starts are all
dates is all-day (no time, 0 minutes) even where its end has a time; start times and
lengths are floored to the minute; a series the library cannot expand is listed by
neither (Counsel must report it instead).
"""

from __future__ import annotations

import datetime as dt
import re
import warnings
from collections import Counter
from pathlib import Path
from zoneinfo import ZoneInfo

import icalendar
import pytest
import recurring_ical_events

from counsel.timekeeping.ics_import import read_ics

CORPUS = Path(__file__).resolve().parents[3] / ".." / "shared" / "testdata" / "ics-corpus"
FILES = sorted(CORPUS.glob("*.ics")) if CORPUS.is_dir() else []
ZONES = ("Europe/Helsinki", "America/Los_Angeles")
# the only files with something Counsel must report, and what the report must name
EXPECTED_PROBLEMS = {"bad_rrule_missing_until_event.ics": "UNTL",
                     "issue_201_test_matrix.ics": "END:VTOOD"}

pytestmark = pytest.mark.skipif(
    not FILES, reason=f"the real-world calendar corpus is not at {CORPUS} (it is kept beside "
                      "the project in shared/testdata, not in the repository)")

Row = tuple[str, dt.date, str | None, int]


def reference(data: bytes, first: dt.date, last: dt.date, zone: ZoneInfo) -> Counter[Row]:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        cal = icalendar.Calendar.from_ical(data)
        lo = dt.datetime.combine(first - dt.timedelta(days=1), dt.time())
        hi = dt.datetime.combine(last + dt.timedelta(days=2), dt.time())
        occurrences = recurring_ical_events.of(cal, skip_bad_series=True).between(lo, hi)
        dated: dict[str, bool] = {}
        for c in cal.walk("VEVENT"):
            if "DTSTART" in c:
                uid = str(c.get("UID", ""))
                is_date = not isinstance(c.decoded("DTSTART"), dt.datetime)
                dated[uid] = dated.get(uid, True) and is_date
    out: Counter[Row] = Counter()
    for o in occurrences:
        uid = str(o.get("UID", ""))
        start = o.decoded("DTSTART")
        if dated.get(uid) and isinstance(start, dt.datetime):
            start = start.date()
        if not isinstance(start, dt.datetime):
            if first <= start <= last:
                out[(uid, start, None, 0)] += 1
            continue
        start = start if start.tzinfo else start.replace(tzinfo=zone)
        local = start.astimezone(zone)
        if not first <= local.date() <= last:
            continue
        end = o.decoded("DTEND") if "DTEND" in o else None
        minutes = 0
        if isinstance(end, dt.datetime):
            end = end if end.tzinfo else end.replace(tzinfo=zone)
            minutes = max(0, int((end - start).total_seconds() // 60))
        out[(uid, local.date(), local.strftime("%H:%M"), minutes)] += 1
    return out


def windows(data: bytes) -> list[tuple[dt.date, dt.date]]:
    """Half years (each across a DST change, winter on one side and summer on the
    other) in the first and last year the file's events start in."""
    events = re.findall(rb"BEGIN:VEVENT.*?END:VEVENT", data, re.DOTALL)
    years = sorted({int(y) for ev in events
                    for y in re.findall(rb"\nDTSTART[^:\r\n]*:(\d{4})\d{4}", ev)})
    out = []
    for y in sorted({years[0], years[-1]} if years else {2020}):
        out += [(dt.date(y, 1, 1), dt.date(y, 6, 30)), (dt.date(y, 7, 1), dt.date(y, 12, 31))]
    return out


def listing(data: bytes, first: dt.date, last: dt.date, zone: ZoneInfo
            ) -> tuple[Counter[Row], list[str], list[str]]:
    parsed = read_ics(data, first=first, last=last, tz=zone)
    rows: Counter[Row] = Counter(
        ("" if e.uid.startswith("nouid-") else e.uid, e.day,
         e.start.strftime("%H:%M") if e.start else None, e.minutes) for e in parsed.events)
    return rows, [e.key for e in parsed.events], [p.message for p in parsed.problems]


@pytest.mark.parametrize("path", FILES, ids=[p.name for p in FILES])
def test_listing_equals_an_independent_expansion(path: Path) -> None:
    data = path.read_bytes()
    for name in ZONES:
        zone = ZoneInfo(name)
        for first, last in windows(data):
            ours, keys, problems = listing(data, first, last, zone)
            assert ours == reference(data, first, last, zone), (name, first, last)
            # every occurrence can be saved once: keys are unique
            assert len(keys) == len(set(keys)), (name, first, last)
            expected = EXPECTED_PROBLEMS.get(path.name)
            if expected is None:
                assert problems == [], (name, first, last)
            elif problems:
                assert all(expected in p for p in problems), problems


def test_the_comparison_sees_daylight_saving_in_both_zones() -> None:
    # Worth something only if times really move: an event at a fixed UTC time shows an
    # hour apart in winter and in summer, in both zones, and the corpus has occurrences
    # on both sides of the changes.
    utc_weekly = (b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nBEGIN:VEVENT\r\nUID:u\r\n"
                  b"DTSTART:20260105T070000Z\r\nDTEND:20260105T080000Z\r\n"
                  b"RRULE:FREQ=WEEKLY;COUNT=52\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n")
    for name in ZONES:
        rows = listing(utc_weekly, dt.date(2026, 1, 1), dt.date(2026, 12, 31), ZoneInfo(name))[0]
        assert len({r[2] for r in rows}) == 2 and rows == reference(
            utc_weekly, dt.date(2026, 1, 1), dt.date(2026, 12, 31), ZoneInfo(name))
    halves = Counter()
    for path in FILES:
        for first, last in windows(path.read_bytes()):
            n = sum(listing(path.read_bytes(), first, last, ZoneInfo(ZONES[0]))[0].values())
            halves[first.month] += n
    assert halves[1] > 100 and halves[7] > 100, halves
