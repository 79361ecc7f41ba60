"""Benchmark of the time reports on a synthetic caseload, and the caseload itself.

``python -m counsel.timekeeping.bench [N]`` prints how long the reports take on N work
entries (default 100,000) as ratios against a baseline measured in the same run: one
plain pass summing the minutes of the same entries (QUALITY.md: shared, noisy machines).
The caseload generator is also what the tests scan the manager export against.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import random
import sys
import time
from collections.abc import Callable

from counsel.domain import (
    AgreedAction,
    Channel,
    Client,
    Encounter,
    InterpreterMode,
    Measure,
    MeasureStatus,
    PartyKind,
    PermitBasis,
    Place,
    Plan,
    PlanStatus,
    WorkEntry,
    WorkKind,
)

_FIRST = ["Amina", "Hodan", "Fatima", "Omar", "Abdirahman", "Yonas", "Mariam", "Ahmad",
          "Zahra", "Olena", "Dmytro", "Saba", "Ali", "Leila", "Nasrin", "Mohammed",
          "أمينة", "محمد", "زهرا", "Ирина", "Олена", "ሳባ", "ዮናስ", "Ikram", "Shukri"]
_LAST = ["Yusuf", "Haji", "Ali", "Hassan", "Tesfay", "Kebede", "Rahimi", "Ahmadi",
         "Shevchenko", "Kovalenko", "Abdi", "Warsame", "Karimi", "حسینی", "Коваленко",
         "ገብረመድህን", "Mohamed", "Nur", "Osman", "Jama"]
_SITUATIONS = [
    "Lost his family, has worked through it with a psychologist.",
    "It turned out this week that she cannot read a clock.",
    "Worried about the housing allowance decision from Kela.",
    "Wants to work as a bus driver; needs a Finnish licence first.",
]
_MEASURES = ["integration_training", "work_trial", "job_coaching", "literacy_training",
             "pay_subsidy", "labour_market_training", "multi_agency_support"]


@dataclasses.dataclass(frozen=True)
class Caseload:
    clients: tuple[Client, ...]
    entries: tuple[WorkEntry, ...]
    encounters: tuple[Encounter, ...]
    plans: tuple[Plan, ...]


def caseload(*, clients: int = 300, entries: int = 5_000, seed: int = 7,
             first: dt.date = dt.date(2025, 1, 1), days: int = 540) -> Caseload:
    """A reproducible synthetic caseload with names in the clients' scripts."""
    rnd = random.Random(seed)
    cs: list[Client] = []
    for i in range(clients):
        birth = dt.date(1960, 1, 1) + dt.timedelta(days=rnd.randrange(40 * 365))
        permit = first + dt.timedelta(days=rnd.randrange(days))
        cs.append(Client(
            name=f"{rnd.choice(_FIRST)} {rnd.choice(_LAST)} {i}",
            preferred_name=rnd.choice(_FIRST) if i % 3 == 0 else "",
            birth_date=birth, permit_date=permit, permit_basis=rnd.choice(list(PermitBasis)),
            started=permit + dt.timedelta(days=rnd.randrange(30)),
            municipality="Tampere", phone=f"+358 40 {rnd.randrange(10**6, 10**7)}",
            notes=rnd.choice(_SITUATIONS) + f" (note {i})",
        ))
    es: list[WorkEntry] = []
    for _ in range(entries):
        c = rnd.choice(cs) if rnd.random() < 0.9 else None
        visible = rnd.random() < 0.5
        start = dt.time(rnd.randrange(7, 24), rnd.choice((0, 15, 30, 45)))
        es.append(WorkEntry(
            kind=WorkKind.VISIBLE if visible else WorkKind.BACKGROUND,
            date=first + dt.timedelta(days=rnd.randrange(days)),
            start=start if rnd.random() < 0.8 else None,
            minutes=rnd.choice((10, 15, 20, 30, 45, 60, 90, 120)),
            client=c.id if c else None,
            channel=Channel.MEETING if visible else rnd.choice(list(Channel)),
            party_kind=None if visible else rnd.choice(list(PartyKind)),
            what=f"Called about {rnd.choice(_SITUATIONS)[:40]}",
        ))
    encs: list[Encounter] = []
    for _ in range(max(1, entries // 4)):
        c = rnd.choice(cs)
        mode = rnd.choice(list(InterpreterMode))
        encs.append(Encounter(
            client=c.id, date=first + dt.timedelta(days=rnd.randrange(days)),
            minutes=rnd.choice((30, 45, 60)), place=rnd.choice(list(Place)),
            interpreter_mode=mode,
            interpreter_language="ar" if mode is not InterpreterMode.NONE else "",
            situation=rnd.choice(_SITUATIONS), next_step="Bring the papers next time",
            actions=(AgreedAction(what="Apply for the course", due=first),),
        ))
    plans: list[Plan] = []
    for c in cs:
        code = rnd.choice(_MEASURES)
        for k in range(rnd.choice((1, 1, 2, 3, 4))):
            plans.append(Plan(
                client=c.id, status=PlanStatus.AGREED,
                made=(c.started or first) + dt.timedelta(days=120 * k),
                goals="Work as a nurse", measures=(Measure(
                    code=code, note="Client's own wish",
                    status=rnd.choice((MeasureStatus.PLANNED, MeasureStatus.INTERRUPTED,
                                       MeasureStatus.CANCELLED, MeasureStatus.STARTED))),),
            ))
    return Caseload(tuple(cs), tuple(es), tuple(encs), tuple(plans))


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


def outlook_like_ics(n: int) -> bytes:
    """An Outlook-style export: Windows zone with VTIMEZONE, every 10th event weekly x10."""
    zone = ("BEGIN:VTIMEZONE\r\nTZID:FLE Standard Time\r\nBEGIN:STANDARD\r\n"
            "DTSTART:16011028T040000\r\nRRULE:FREQ=YEARLY;BYDAY=-1SU;BYMONTH=10\r\n"
            "TZOFFSETFROM:+0300\r\nTZOFFSETTO:+0200\r\nEND:STANDARD\r\nBEGIN:DAYLIGHT\r\n"
            "DTSTART:16010325T030000\r\nRRULE:FREQ=YEARLY;BYDAY=-1SU;BYMONTH=3\r\n"
            "TZOFFSETFROM:+0200\r\nTZOFFSETTO:+0300\r\nEND:DAYLIGHT\r\nEND:VTIMEZONE\r\n")
    events = []
    for i in range(n):
        d = dt.date(2026, 1, 1) + dt.timedelta(days=i % 300)
        rule = "RRULE:FREQ=WEEKLY;COUNT=10\r\n" if i % 10 == 0 else ""
        events.append(
            f"BEGIN:VEVENT\r\nUID:ev{i}@example.org\r\nSUMMARY:Appointment {i}\r\n"
            f'DTSTART;TZID="FLE Standard Time":{d:%Y%m%d}T090000\r\n'
            f'DTEND;TZID="FLE Standard Time":{d:%Y%m%d}T100000\r\n{rule}END:VEVENT\r\n')
    return ("BEGIN:VCALENDAR\r\nVERSION:2.0\r\n" + zone + "".join(events)
            + "END:VCALENDAR\r\n").encode()


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
