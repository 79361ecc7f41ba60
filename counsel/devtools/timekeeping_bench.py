"""Benchmark of the time reports and the calendar import on synthetic data.

``python -m counsel.devtools time-bench [N]`` prints how long the reports take on N work
entries (default 100,000) as ratios against a baseline measured in the same run: one
plain pass summing the minutes of the same entries (QUALITY.md: shared, noisy machines).
"""

from __future__ import annotations

import datetime as dt
import sys
import time
from collections.abc import Callable

from counsel.demo.synthetic import caseload, outlook_like_ics


def _best(fn: Callable[[], object], repeat: int = 3) -> float:
    best = float("inf")
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - t)
    return best


def bench_reports(n: int = 100_000) -> list[tuple[str, float, float]]:
    """``(name, seconds, ratio to baseline)`` for each report on ``n`` entries."""
    from counsel.timekeeping.aggregate import manager_report
    from counsel.timekeeping.report_csv import to_csv
    from counsel.timekeeping.report_tables import manager_tables
    from counsel.timekeeping.reports import time_report
    from counsel.timekeeping.split import Period

    data = caseload(clients=max(50, n // 30), entries=n)
    first, last = dt.date(2025, 1, 1), dt.date(2026, 6, 30)

    def baseline() -> int:
        return sum(e.minutes for e in data.entries if first <= e.date <= last)

    cases: list[tuple[str, Callable[[], object]]] = [
        ("time report by week", lambda: time_report(data.entries, first, last, Period.WEEK)),
        ("time report by month", lambda: time_report(data.entries, first, last, Period.MONTH)),
        ("manager report + indicators", lambda: manager_report(
            first=first, last=last, entries=data.entries, clients=data.clients,
            encounters=data.encounters, plans=data.plans)),
        ("manager report as CSV", lambda: to_csv(manager_tables(manager_report(
            first=first, last=last, entries=data.entries, clients=data.clients,
            encounters=data.encounters, plans=data.plans)))),
    ]
    base = _best(baseline)
    return [("baseline: sum of minutes", base, 1.0)] + [
        (name, t, t / base) for name, fn in cases for t in [_best(fn)]]


def bench_ics(n: int = 5_000) -> list[tuple[str, float, float]]:
    """Import of ``n`` events against icalendar + recurring-ical-events on the whole file
    at once (what the import would cost without per-event isolation and limits)."""
    import zoneinfo

    import icalendar
    import recurring_ical_events

    from counsel.timekeeping.ics_import import read_ics

    data = outlook_like_ics(n)
    tz = zoneinfo.ZoneInfo("Europe/Helsinki")
    first, last = dt.date(2025, 12, 1), dt.date(2026, 12, 31)

    def baseline() -> int:
        cal = icalendar.Calendar.from_ical(data)
        return len(recurring_ical_events.of(cal).between(first, last))

    base = _best(baseline, 1)
    t = _best(lambda: read_ics(data, first=first, last=last, tz=tz), 1)
    return [("baseline: whole file, no isolation", base, 1.0),
            (f"read_ics, {n} events", t, t / base)]


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    n = int(args[0]) if args else 100_000
    print(f"{'workload':36} {'seconds':>9} {'× baseline':>11}   ({n} work entries)")
    for name, seconds, ratio in bench_reports(n):
        print(f"{name:36} {seconds:9.3f} {ratio:11.1f}")
    print()
    for name, seconds, ratio in bench_ics():
        print(f"{name:36} {seconds:9.3f} {ratio:11.1f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
