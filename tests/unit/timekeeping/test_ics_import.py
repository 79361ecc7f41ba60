"""Calendar import: real-world-like Outlook/Google exports and hostile files."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from counsel.errors import ImportFileError
from counsel.timekeeping.ics_import import CalendarEvent, Limits, read_ics

FIXTURES = Path(__file__).parent / "fixtures"
HEL = ZoneInfo("Europe/Helsinki")
FIRST, LAST = dt.date(2026, 1, 1), dt.date(2026, 6, 30)


def load(name: str, **kw: object) -> tuple[list[CalendarEvent], list[str]]:
    parsed = read_ics((FIXTURES / name).read_bytes(), first=kw.pop("first", FIRST),  # type: ignore[arg-type]
                      last=kw.pop("last", LAST), tz=HEL, **kw)  # type: ignore[arg-type]
    return list(parsed.events), [f"{p.uid}: {p.message}" for p in parsed.problems]


def by_summary(events: list[CalendarEvent], text: str) -> list[CalendarEvent]:
    return [e for e in events if text in e.summary]


def test_outlook_series_with_exdate_moved_instance_and_windows_zones() -> None:
    events, problems = load("outlook_export.ics")
    assert problems == []
    series = by_summary(events, "Amina Yusuf")
    # COUNT=6 from 2 March: 9 March excluded, 16 March moved to the 17th at 13:30
    assert [(e.day.isoformat(), e.start.isoformat() if e.start else None) for e in series] == [
        ("2026-03-02", "09:00:00"), ("2026-03-17", "13:30:00"), ("2026-03-23", "09:00:00"),
        ("2026-03-30", "09:00:00"), ("2026-04-06", "09:00:00")]
    assert all(e.minutes == 60 for e in series)
    # the recurrence id is the original start in UTC, stable across DST (EET → EEST)
    moved = series[1]
    assert moved.recurrence_id == "20260316T070000Z"
    assert series[3].recurrence_id == "20260330T060000Z"
    assert moved.key.startswith("ics:040000008200E00074C5B7101A82E008") and "|" in moved.key
    # the folded UID was unfolded
    assert " " not in moved.uid and moved.uid.endswith("3C1F5C2E0A9D7B4B8A2C1F1E0D2B3A4C")
    # a Windows zone name without a VTIMEZONE: Berlin 10:00 is Helsinki 11:00
    berlin = by_summary(events, "Berlin")[0]
    assert (berlin.day, berlin.start) == (dt.date(2026, 3, 30), dt.time(11, 0))
    assert berlin.recurrence_id == ""


def test_outlook_all_day_cancelled_attendees_and_no_description() -> None:
    events, _ = load("outlook_export.ics")
    day = by_summary(events, "Koulutuspäivä")[0]
    assert day.all_day and day.minutes == 0 and day.day == dt.date(2026, 3, 6)
    assert by_summary(events, "Tiimipalaveri")[0].cancelled
    kela = by_summary(events, "Kela")[0]
    assert "Sari Sosiaalityö" in kela.attendees
    assert "sari.sosiaalityo@example.org" in kela.attendees
    # the event's description (free text) is not carried anywhere
    assert not any("Muistiinpanot" in repr(e) for e in events)


def test_google_export_until_in_utc_exception_and_foreign_zone() -> None:
    events, problems = load("google_export.ics")
    assert problems == []
    group = by_summary(events, "Omar")
    # Fridays 20 Mar – 10 Apr (UNTIL 06:59:59Z on the 10th excludes that day's 10:00),
    # 3 Apr excluded, 27 Mar moved to Saturday the 28th
    assert [e.day.isoformat() for e in group] == ["2026-03-20", "2026-03-28"]
    assert group[1].recurrence_id == "20260327T080000Z"
    ny = by_summary(events, "Kela liaison")[0]
    assert (ny.day, ny.start, ny.minutes) == (dt.date(2026, 3, 16), dt.time(15, 0), 30)


def test_duration_is_real_elapsed_time_across_dst_change() -> None:
    events, _ = load("google_export.ics")
    night = by_summary(events, "Yöpäivystys")[0]
    # 00:30Z-01:30Z on the night clocks go forward: 02:30 EET to 04:30 EEST, one hour
    assert (night.start, night.minutes) == (dt.time(2, 30), 60)


def test_hostile_file_reports_each_broken_event_and_reads_the_rest() -> None:
    events, problems = load("hostile.ics")
    good = {e.summary for e in events}
    assert {"Good before the mess", "Garbage lines but fine times", "No UID at all",
            "Good after the mess", "Unknown zone", "Daily with no end"} <= good
    problem_uids = {p.split(":")[0] for p in problems}
    assert problem_uids == {"no-start", "bad-start", "endless-secondly", "many-per-day",
                            "bad-rrule", "wrong-nesting", "cut-off"}
    assert any("no start time" in p for p in problems)
    unknown = by_summary(events, "Unknown zone")[0]
    assert unknown.start == dt.time(9, 0) and "Mars/Olympus_Mons" in unknown.notes[0]


def test_endless_rule_is_cut_by_the_expansion_window() -> None:
    events, _ = load("hostile.ics", first=dt.date(2026, 3, 1), last=dt.date(2026, 3, 31))
    daily = by_summary(events, "Daily with no end")
    assert len(daily) == 31
    assert len({e.key for e in daily}) == 31


def test_event_without_uid_gets_a_stable_key() -> None:
    one, _ = load("hostile.ics")
    two, _ = load("hostile.ics")
    k1 = by_summary(one, "No UID")[0].key
    assert k1.startswith("ics:nouid-") and k1 == by_summary(two, "No UID")[0].key


def test_size_limit_and_not_a_calendar() -> None:
    data = (FIXTURES / "google_export.ics").read_bytes()
    with pytest.raises(ImportFileError):
        read_ics(data, first=FIRST, last=LAST, tz=HEL, limits=Limits(max_bytes=len(data) - 1))
    with pytest.raises(ImportFileError):
        read_ics(b"PK\x03\x04 not a calendar", first=FIRST, last=LAST, tz=HEL)
    with pytest.raises(ImportFileError):
        read_ics(data, first=LAST, last=FIRST, tz=HEL)


def _many_events(n: int) -> bytes:
    body = "".join(
        f"BEGIN:VEVENT\r\nUID:ev{i}\r\nDTSTART:202603{1 + i % 28:02d}T080000Z\r\n"
        f"DTEND:202603{1 + i % 28:02d}T083000Z\r\nSUMMARY:Event {i}\r\nEND:VEVENT\r\n"
        for i in range(n))
    return f"BEGIN:VCALENDAR\r\nVERSION:2.0\r\n{body}END:VCALENDAR\r\n".encode()


def test_event_count_and_occurrence_caps_report_instead_of_hanging() -> None:
    parsed = read_ics(_many_events(300), first=FIRST, last=LAST, tz=HEL,
                      limits=Limits(max_events=200, max_occurrences=150))
    assert len(parsed.events) == 150
    assert any(p.line == 0 and "300" in p.message for p in parsed.problems)
    assert sum(1 for p in parsed.problems if p.line > 0) == 50


def test_time_budget_reports_the_remaining_events() -> None:
    parsed = read_ics(_many_events(20), first=FIRST, last=LAST, tz=HEL,
                      limits=Limits(time_budget=0.0))
    assert parsed.events == ()
    assert len(parsed.problems) == 20


def test_windows_1252_file_is_read() -> None:
    data = ("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nBEGIN:VEVENT\r\nUID:w1\r\n"
            "DTSTART:20260302T080000Z\r\nDTEND:20260302T090000Z\r\nSUMMARY:Käynti\r\n"
            "END:VEVENT\r\nEND:VCALENDAR\r\n").encode("cp1252")
    parsed = read_ics(data, first=FIRST, last=LAST, tz=HEL)
    assert [e.summary for e in parsed.events] == ["Käynti"]


GOOD = (FIXTURES / "outlook_export.ics").read_bytes().decode()
GOOD_LINES = GOOD.split("\r\n")
junk_line = st.text(st.characters(codec="utf-8", exclude_categories=["Cs"]), max_size=60)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.tuples(st.integers(0, len(GOOD_LINES)), junk_line), max_size=6))
def test_junk_lines_never_crash_the_reader(inserts: list[tuple[int, str]]) -> None:
    lines = list(GOOD_LINES)
    for pos, text in sorted(inserts, reverse=True):
        lines.insert(pos, text)
    parsed = read_ics("\r\n".join(lines).encode(), first=FIRST, last=LAST, tz=HEL,
                      limits=Limits(time_budget=5.0))
    # every event is either read or reported; nothing escapes as an exception
    assert all(isinstance(e, CalendarEvent) for e in parsed.events)
    assert all(p.message for p in parsed.problems)


@settings(max_examples=40, deadline=None)
@given(st.binary(max_size=400))
def test_random_bytes_after_a_header_never_crash(noise: bytes) -> None:
    data = b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\n" + noise
    parsed = read_ics(data, first=FIRST, last=LAST, tz=HEL, limits=Limits(time_budget=5.0))
    assert isinstance(parsed.events, tuple)


def _one(rule_or_body: str) -> bytes:
    return ("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nBEGIN:VEVENT\r\nUID:x\r\n"
            "DTSTART:20260105T090000Z\r\nDTEND:20260105T100000Z\r\n"
            f"{rule_or_body}END:VEVENT\r\nEND:VCALENDAR\r\n").encode()


@pytest.mark.parametrize("rule", ["FREQ=DAILY;BYMONTH=2;BYMONTHDAY=30",
                                  "FREQ=MONTHLY;BYMONTHDAY=31;BYMONTH=4,6,9,11"])
def test_rule_for_a_date_that_does_not_exist_is_refused_at_once(rule: str) -> None:
    parsed = read_ics(_one(f"RRULE:{rule}\r\n"), first=FIRST, last=LAST, tz=HEL,
                      limits=Limits(time_budget=5.0))
    assert parsed.events == ()
    assert "does not exist" in parsed.problems[0].message


def test_huge_count_is_bounded_by_the_window_and_the_series_cap() -> None:
    data = _one("RRULE:FREQ=DAILY;COUNT=100000000\r\n")
    assert len(read_ics(data, first=FIRST, last=LAST, tz=HEL).events) == 177
    capped = read_ics(data, first=FIRST, last=LAST, tz=HEL, limits=Limits(max_per_series=50))
    # refused before expansion, from the rule's text: 180 in the window (over 50)
    assert capped.events == () and "about 180 times" in capped.problems[0].message


def test_deeply_nested_components_are_reported_not_crashing() -> None:
    depth = 3000
    body = "BEGIN:VALARM\r\n" * depth + "END:VALARM\r\n" * depth
    good = ("BEGIN:VEVENT\r\nUID:good\r\nDTSTART:20260106T090000Z\r\n"
            "DTEND:20260106T100000Z\r\nEND:VEVENT\r\n")
    data = _one(body).replace(b"END:VCALENDAR", good.encode() + b"END:VCALENDAR")
    parsed = read_ics(data, first=FIRST, last=LAST, tz=HEL, limits=Limits(time_budget=10.0))
    uids = {e.uid for e in parsed.events}
    assert "good" in uids
    # the nested one is either read (alarms ignored) or reported, never a crash
    assert ("x" in uids) != any(p.uid == "x" for p in parsed.problems)


def test_default_size_limit_refuses_a_huge_file_before_parsing() -> None:
    huge = b"BEGIN:VCALENDAR\r\n" + b"X" * (21 * 1024 * 1024)
    with pytest.raises(ImportFileError, match="too large"):
        read_ics(huge, first=FIRST, last=LAST, tz=HEL)


def _custom_zone(offset: str) -> bytes:
    return ("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nBEGIN:VTIMEZONE\r\nTZID:Customized Time Zone\r\n"
            f"BEGIN:STANDARD\r\nDTSTART:16010101T000000\r\nTZOFFSETFROM:{offset}\r\n"
            f"TZOFFSETTO:{offset}\r\nEND:STANDARD\r\nEND:VTIMEZONE\r\nBEGIN:VEVENT\r\nUID:a\r\n"
            'DTSTART;TZID="Customized Time Zone":20260105T090000\r\n'
            'DTEND;TZID="Customized Time Zone":20260105T100000\r\nEND:VEVENT\r\n'
            "END:VCALENDAR\r\n").encode()


def test_outlook_customized_time_zones_of_two_files_do_not_mix() -> None:
    utc = ZoneInfo("UTC")
    starts = [read_ics(_custom_zone(off), first=FIRST, last=LAST, tz=utc).events[0].start
              for off in ("+0500", "+0200", "+0500")]
    assert starts == [dt.time(4, 0), dt.time(7, 0), dt.time(4, 0)]


def test_google_floating_times_use_the_calendar_zone() -> None:
    data = (b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nX-WR-TIMEZONE:America/New_York\r\n"
            b"BEGIN:VEVENT\r\nUID:f\r\nDTSTART:20260316T090000\r\nDTEND:20260316T093000\r\n"
            b"END:VEVENT\r\nEND:VCALENDAR\r\n")
    ev = read_ics(data, first=FIRST, last=LAST, tz=HEL).events[0]
    assert (ev.day, ev.start, ev.minutes) == (dt.date(2026, 3, 16), dt.time(15, 0), 30)


ZONES = {"Europe/Helsinki": "Europe/Helsinki", "America/New_York": "America/New_York",
         "Asia/Kabul": "Asia/Kabul", "Australia/Adelaide": "Australia/Adelaide",
         "W. Europe Standard Time": "Europe/Berlin", "FLE Standard Time": "Europe/Helsinki"}


def _exists(local: dt.datetime, zone: ZoneInfo) -> bool:
    """Not in a DST gap and not ambiguous (both would make the expected value unclear)."""
    a, b = local.replace(tzinfo=zone, fold=0), local.replace(tzinfo=zone, fold=1)
    return a.utcoffset() == b.utcoffset() and (
        a.astimezone(dt.UTC).astimezone(zone).replace(tzinfo=None) == local)


@settings(max_examples=60, deadline=None)
# (the last of up to 6 weekly starts stays inside the 2026 window in every zone)
@given(st.sampled_from(sorted(ZONES)),
       st.datetimes(dt.datetime(2026, 1, 15), dt.datetime(2026, 11, 15)).map(
           lambda d: d.replace(second=0, microsecond=0)),
       st.integers(1, 600), st.integers(1, 6))
def test_any_zone_start_duration_and_weekly_count_round_trip(
        tzid: str, start: dt.datetime, minutes: int, count: int) -> None:
    from hypothesis import assume

    zone = ZoneInfo(ZONES[tzid])
    starts = [start + dt.timedelta(weeks=k) for k in range(count)]
    end = start + dt.timedelta(minutes=minutes)
    assume(all(_exists(s, zone) for s in [*starts, end]))
    fmt = "%Y%m%dT%H%M%S"
    rule = f"RRULE:FREQ=WEEKLY;COUNT={count}\r\n" if count > 1 else ""
    data = ("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nBEGIN:VEVENT\r\nUID:p\r\n"
            f'DTSTART;TZID="{tzid}":{start.strftime(fmt)}\r\n'
            f'DTEND;TZID="{tzid}":{end.strftime(fmt)}\r\n{rule}'
            "END:VEVENT\r\nEND:VCALENDAR\r\n").encode()
    parsed = read_ics(data, first=dt.date(2026, 1, 1), last=dt.date(2026, 12, 31), tz=HEL)
    assert parsed.problems == ()
    expected = [s.replace(tzinfo=zone).astimezone(HEL) for s in starts]
    assert [(e.day, e.start) for e in parsed.events] == [
        (x.date(), x.time().replace(tzinfo=None)) for x in expected]
    assert len({e.key for e in parsed.events}) == count
    real = (end.replace(tzinfo=zone).astimezone(dt.UTC)
            - start.replace(tzinfo=zone).astimezone(dt.UTC)).total_seconds() // 60
    assert parsed.events[0].minutes == real


def test_cancel_stops_the_read_and_progress_reaches_the_end() -> None:
    from counsel.errors import ImportCancelled

    seen: list[tuple[int, int]] = []
    parsed = read_ics(_many_events(120), first=FIRST, last=LAST, tz=HEL,
                      progress=lambda done, total: seen.append((done, total)))
    assert len(parsed.events) == 120 and seen[0] == (0, 120) and seen[-1] == (120, 120)
    calls: list[int] = []

    def cancel() -> bool:
        calls.append(1)
        return len(calls) > 10

    with pytest.raises(ImportCancelled):
        read_ics(_many_events(120), first=FIRST, last=LAST, tz=HEL, cancel=cancel)
    assert len(calls) < 40  # stopped soon after asking, not at the end


@pytest.mark.skipif(not Path("/proc/self/statm").exists(), reason="resident memory is read "
                    "from /proc on Linux only")
def test_memory_budget_reports_the_remaining_events() -> None:
    parsed = read_ics(_many_events(20), first=FIRST, last=LAST, tz=HEL,
                      limits=Limits(max_memory_mb=-1))  # any size is over the budget
    assert parsed.events == () and len(parsed.problems) == 20
    assert all("memory" in p.message for p in parsed.problems)


def test_a_file_too_slow_to_scan_is_refused_with_advice() -> None:
    big = _many_events(5_000)  # more lines than one scanner checkpoint
    with pytest.raises(ImportFileError) as exc:
        read_ics(big, first=FIRST, last=LAST, tz=HEL, limits=Limits(time_budget=-1.0))
    assert "took longer than" in exc.value.message and "shorter period" in exc.value.help()
