"""Hostile and damaged calendar files (issue 12), made on demand, and their benchmark.

``python -m counsel.devtools ics-bench [NAME ...]`` reads each named file (default:
all, plus an Outlook-like export of 5,000 events) with the import's default limits and
prints its size, the seconds taken, the problems reported and the process's peak memory
so far; run one name per process (under ``/usr/bin/time -v``) for a clean peak.
The tests generate the same files (tests/unit/timekeeping/test_ics_hostile.py); none is
stored in the repository.
"""

from __future__ import annotations

import datetime as dt
import sys
import time
from collections.abc import Callable, Iterable


def _cal(*parts: str) -> bytes:
    return ("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//counsel//hostile//EN\r\n"
            + "".join(parts) + "END:VCALENDAR\r\n").encode()


def _event(uid: str, body: str = "", start: str = "20260302T080000Z",
           end: str = "20260302T090000Z", summary: str = "") -> str:
    return (f"BEGIN:VEVENT\r\nUID:{uid}\r\nSUMMARY:{summary or uid}\r\nDTSTART:{start}\r\n"
            f"DTEND:{end}\r\n{body}END:VEVENT\r\n")


def _zone(tzid: str, n: int = 1) -> str:
    return (f"BEGIN:VTIMEZONE\r\nTZID:{tzid}\r\n"
            + "BEGIN:STANDARD\r\nDTSTART:16011028T040000\r\n"
              "RRULE:FREQ=YEARLY;BYDAY=-1SU;BYMONTH=10\r\nTZOFFSETFROM:+0300\r\n"
              "TZOFFSETTO:+0200\r\nEND:STANDARD\r\n" * n + "END:VTIMEZONE\r\n")


GOOD_UIDS = frozenset({"good-before", *(f"good-{i}" for i in range(14))})
WINDOW = (dt.date(2026, 1, 1), dt.date(2026, 6, 30))


def hostile_calendars(names: Iterable[str] | None = None) -> dict[str, bytes]:
    """Name -> file (all, or the ``names``).  Each has 15 good events (:data:`GOOD_UIDS`)
    around the bad part, so a reader that gives up on the whole file, or loses what
    follows the damage, shows."""
    return {name: make() for name, make in _makers().items() if names is None or name in names}


def _makers() -> dict[str, Callable[[], bytes]]:
    good = _event("good-before") + "{}" + "".join(
        _event(f"good-{i}", start=f"202603{3 + i:02d}T080000Z", end=f"202603{3 + i:02d}T083000Z")
        for i in range(14))
    hours = ",".join(str(h) for h in range(24))
    year_one = "".join(_event(f"year1-{i}", f"RRULE:FREQ=DAILY;BYHOUR={hours}\r\n",
                              start=f"0001{1 + i % 12:02d}01T000000Z",
                              end=f"0001{1 + i % 12:02d}01T003000Z") for i in range(200))

    def zones() -> str:
        return "".join(_zone(f"Zone {i}", 20) for i in range(19 * 10**6 // 2700))

    def used_zones() -> str:
        return "".join(_zone(f"Big {i}", 480) for i in range(100)) + "".join(
            f'BEGIN:VEVENT\r\nUID:in-big-{i}\r\nDTSTART;TZID="Big {i}":20260310T090000\r\n'
            f'DTEND;TZID="Big {i}":20260310T100000\r\nEND:VEVENT\r\n' for i in range(100))

    return {
        # a to-do closed with a typo used to swallow every event after it
        "vtood": lambda: _cal(good.format(
            "BEGIN:VTODO\r\nUID:todo\r\nSUMMARY:To do\r\nEND:VTOOD\r\n")),
        # 200 daily series from the year 1, 24 times a day (38 KB; 32 s and 2 GB before)
        "year-one": lambda: _cal(year_one, good.format("")),
        # 19 MB of time zone definitions (55 s before, outside the time budget)
        "zones-19mb": lambda: _cal(zones(), good.format("")),
        # 100 large (60 KB) custom zones, each used by an event: all of them are parsed
        "zones-used": lambda: _cal(used_zones(), good.format("")),
        "misspelt-until": lambda: _cal(good.format(_event(
            "bad-until", "RRULE:FREQ=WEEKLY;BYDAY=TH;UNTL=20261023\r\n"))),
        "cut-in-zone": lambda: _cal(good.format(""), _zone("Customized Time Zone", 1)[:-60]),
        "deep-nesting": lambda: _cal(good.format(_event(
            "deep", "BEGIN:VALARM\r\n" * 100_000 + "END:VALARM\r\n" * 100_000))),
        "nul-bytes": lambda: _cal(good.format(_event(
            "nul\x00uid", "X-NOTE:\x00\x00\r\n", summary="Tea\x00time"))),
        "15mb-line": lambda: _cal(good.format(_event("long-summary", summary="x" * 15_000_000))),
        "15mb-description": lambda: _cal(good.format(_event(
            "long-description", "DESCRIPTION:" + "\r\n ".join(["y" * 74] * 200_000) + "\r\n"))),
        "huge-rdate": lambda: _cal(good.format(_event("rdates", "RDATE:" + ",".join(
            f"{2026 + i // 365:04d}0101T{i % 24:02d}0000Z" for i in range(200_000)) + "\r\n"))),
        "many-rdates": lambda: _cal(good.format(_event("rdates-short", "".join(
            f"RDATE:2026{1 + i % 12:02d}{1 + i % 28:02d}T{i % 24:02d}0000Z\r\n"
            for i in range(20_000))))),
        "huge-exdate": lambda: _cal(good.format(_event(
            "exdates", "RRULE:FREQ=DAILY\r\n" + "".join(
                f"EXDATE:2026{1 + i % 12:02d}{1 + i % 28:02d}T080000Z\r\n"
                for i in range(50_000))))),
        "hourly-all-year": lambda: _cal(good.format(_event(
            "every-hour", f"RRULE:FREQ=DAILY;BYHOUR={hours}\r\n", start="20250101T000000Z",
            end="20250101T001500Z"))),
    }


def _peak_mb() -> float:
    try:
        with open("/proc/self/status", encoding="ascii") as f:
            for line in f:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return float("nan")


def main(argv: list[str] | None = None) -> int:
    import zoneinfo

    from counsel.demo.synthetic import outlook_like_ics
    from counsel.errors import ImportFileError
    from counsel.timekeeping.ics_import import read_ics

    names = list(sys.argv[1:] if argv is None else argv)
    wanted = names or [*_makers(), "outlook-5000"]
    tz = zoneinfo.ZoneInfo("Europe/Helsinki")
    print(f"{'input':18} {'MB':>6} {'seconds':>8} {'events':>7} {'problems':>8} {'peak MB':>8}")
    for name in wanted:
        if name == "outlook-5000":
            data = outlook_like_ics(5_000)
            first, last = dt.date(2025, 12, 1), dt.date(2026, 12, 31)
        else:
            data = hostile_calendars([name])[name]
            first, last = WINDOW
        t = time.perf_counter()
        try:
            parsed = read_ics(data, first=first, last=last, tz=tz)
            n_events, n_problems = str(len(parsed.events)), str(len(parsed.problems))
        except ImportFileError as exc:
            n_events, n_problems = "-", exc.message[:40]
        seconds = time.perf_counter() - t
        print(f"{name:18} {len(data) / 1e6:6.1f} {seconds:8.2f} {n_events:>7} {n_problems:>8} "
              f"{_peak_mb():8.0f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
