"""The listed local time is zoneinfo's, whatever the zone, the import day and the instant.

The counsellor's zone comes from the environment here (``TZ``, as the app reads it),
not from an argument: the bug was a zone frozen at the import day's UTC offset.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import time
import zoneinfo
from collections.abc import Iterator
from zoneinfo import ZoneInfo

from hypothesis import assume, given, settings
from hypothesis import strategies as st

from counsel.timekeeping.ics_import import read_ics
from counsel.timekeeping.import_review import IMPORT_PAST_DAYS
from counsel.timekeeping.localzone import local_zone, zone_from_env

ALL_ZONES = sorted(z for z in zoneinfo.available_timezones() if "/" in z)


@contextlib.contextmanager
def tz_env(name: str) -> Iterator[None]:
    old = os.environ.get("TZ")
    os.environ["TZ"] = name
    time.tzset()
    try:
        yield
    finally:
        if old is None:
            del os.environ["TZ"]
        else:
            os.environ["TZ"] = old
        time.tzset()


def one_event(start: dt.datetime, minutes: int, floating_in: str = "") -> bytes:
    """An event at ``start`` (aware: written in UTC; naive: a floating time)."""
    head = f"X-WR-TIMEZONE:{floating_in}\r\n" if floating_in else ""
    end = start + dt.timedelta(minutes=minutes)
    fmt = "%Y%m%dT%H%M%SZ" if start.tzinfo else "%Y%m%dT%H%M%S"
    return ("BEGIN:VCALENDAR\r\nVERSION:2.0\r\n" + head + "BEGIN:VEVENT\r\nUID:t\r\n"
            f"DTSTART:{start.strftime(fmt)}\r\nDTEND:{end.strftime(fmt)}\r\n"
            "END:VEVENT\r\nEND:VCALENDAR\r\n").encode()


@settings(max_examples=150, deadline=None)
@given(zone=st.sampled_from(ALL_ZONES),
       today=st.dates(dt.date(2000, 1, 1), dt.date(2036, 12, 31)),
       offset=st.integers(0, IMPORT_PAST_DAYS * 24 * 3600 - 1))
def test_listed_time_is_zoneinfo_conversion(zone: str, today: dt.date, offset: int) -> None:
    # the app's default period: the year up to the import day; an instant inside it
    first = today - dt.timedelta(days=IMPORT_PAST_DAYS - 1)
    instant = dt.datetime.combine(first, dt.time(), dt.UTC) + dt.timedelta(seconds=offset)
    expected = instant.astimezone(ZoneInfo(zone))
    assume(first <= expected.date() <= today)
    with tz_env(zone):
        parsed = read_ics(one_event(instant, 45), first=first, last=today)
    assert parsed.problems == ()
    [ev] = parsed.events
    assert (ev.day, ev.start, ev.minutes) == (
        expected.date(), expected.time().replace(second=0, tzinfo=None), 45)


@settings(max_examples=80, deadline=None)
@given(cal_zone=st.sampled_from(ALL_ZONES), zone=st.sampled_from(ALL_ZONES),
       local=st.datetimes(dt.datetime(2020, 1, 1), dt.datetime(2030, 12, 31)).map(
           lambda d: d.replace(second=0, microsecond=0)))
def test_floating_times_are_in_the_calendars_declared_zone(cal_zone: str, zone: str,
                                                           local: dt.datetime) -> None:
    cz = ZoneInfo(cal_zone)
    a, b = local.replace(tzinfo=cz, fold=0), local.replace(tzinfo=cz, fold=1)
    assume(a.utcoffset() == b.utcoffset())  # not in a gap or an overlap of that zone
    assume(a.astimezone(dt.UTC).astimezone(cz).replace(tzinfo=None) == local)
    expected = a.astimezone(ZoneInfo(zone))
    day = expected.date()
    with tz_env(zone):
        parsed = read_ics(one_event(local, 30, cal_zone), first=day, last=day)
    [ev] = parsed.events
    assert (ev.day, ev.start) == (day, expected.time().replace(tzinfo=None))


def test_local_zone_honours_tz_in_its_forms() -> None:
    for value in ("Europe/Helsinki", ":Europe/Helsinki"):
        with tz_env(value):
            zone, named = local_zone()
        assert named and isinstance(zone, ZoneInfo)
        summer = dt.datetime(2026, 7, 1, 12, tzinfo=dt.UTC).astimezone(zone)
        winter = dt.datetime(2026, 1, 1, 12, tzinfo=dt.UTC).astimezone(zone)
        assert (summer.hour, winter.hour) == (15, 14)
    path = zone_from_env("/usr/share/zoneinfo/America/Los_Angeles")
    if os.path.exists("/usr/share/zoneinfo/America/Los_Angeles"):
        assert path is not None and dt.datetime(2026, 7, 1, 12, tzinfo=dt.UTC).astimezone(
            path).hour == 5
    assert zone_from_env("CET-1CEST,M3.5.0,M10.5.0/3") is None
    assert zone_from_env("") is None
