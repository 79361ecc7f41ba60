"""Reading calendar (.ics) exports from Outlook/Exchange and Google into plain events.

Hostile or broken input must never hang the app or lose the good events, so the file
is not handed to icalendar in one piece.  It is first cut into components by a small
line scanner; the events of each UID (a series and its moved or changed instances) are
then parsed and expanded on their own, with the file's time zone definitions.  A
broken event becomes an :class:`ImportProblem` naming it; the others are read.

Limits, all arguments with defaults: the file size (``max_bytes``), the number of
events, an expansion window (only occurrences inside ``[first, last]`` are produced),
no repetition more often than daily or more than 24 times a day, a cap on occurrences
per series and in total, and a time budget after which the remaining events are
reported as not read.

Times: an occurrence's start is converted to the counsellor's time zone ``tz`` and
stored as a local date and time.  Time zones come from the file's VTIMEZONE
definitions, IANA names, or Outlook's Windows names ("FLE Standard Time"), all
resolved by icalendar; a floating time is in the calendar's X-WR-TIMEZONE (Google) or
else local; a TZID nothing can resolve is read the same way, with a note.
Durations are measured in real elapsed time, so an appointment across a daylight-saving
change has its true length.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import time
import warnings
from collections import OrderedDict
from collections.abc import Iterator
from typing import Any

from counsel.errors import ImportFileError
from counsel.i18n import gettext as _
from counsel.timekeeping.ics_scan import (
    Block,
    ImportProblem,
    calendar_zone,
    clean,
    decode,
    fallback_uid,
    isolate_custom_zones,
    problem,
    scan,
)

MAX_BYTES = 20 * 1024 * 1024
MAX_EVENTS = 50_000
MAX_PER_SERIES = 2_000
MAX_OCCURRENCES = 100_000
TIME_BUDGET_S = 30.0
MAX_PER_DAY = 24
_TOO_FREQUENT = frozenset({"SECONDLY", "MINUTELY", "HOURLY"})
_TIME_PROPS = ("DTSTART", "DTEND", "DURATION", "RRULE", "RDATE", "EXDATE", "RECURRENCE-ID")


@dataclasses.dataclass(frozen=True, slots=True)
class CalendarEvent:
    """One occurrence of a calendar event, in the counsellor's local time."""

    uid: str
    recurrence_id: str  # "" for a single event; the original start of this occurrence
    summary: str
    location: str
    attendees: tuple[str, ...]  # names and e-mail addresses
    day: dt.date
    start: dt.time | None  # None: all-day event
    minutes: int  # 0 for all-day events or events without an end
    cancelled: bool = False
    notes: tuple[str, ...] = ()  # translated remarks, e.g. an unknown time zone

    @property
    def key(self) -> str:
        """The dedup key stored in ``WorkEntry.source``."""
        return f"ics:{self.uid}|{self.recurrence_id}"

    @property
    def all_day(self) -> bool:
        return self.start is None


@dataclasses.dataclass(frozen=True)
class ParsedCalendar:
    events: tuple[CalendarEvent, ...]
    problems: tuple[ImportProblem, ...]
    first: dt.date
    last: dt.date


def read_ics(data: bytes, *, first: dt.date, last: dt.date, tz: dt.tzinfo | None = None,
             max_bytes: int = MAX_BYTES, max_events: int = MAX_EVENTS,
             max_per_series: int = MAX_PER_SERIES, max_occurrences: int = MAX_OCCURRENCES,
             time_budget: float = TIME_BUDGET_S) -> ParsedCalendar:
    """Every occurrence in ``[first, last]`` (local days) and every problem, in file order.

    Raises :class:`ImportFileError` only when nothing can be read: too large, not a
    calendar at all, or a range the wrong way round.
    """
    if len(data) > max_bytes:
        raise ImportFileError(_("The calendar file is too large ({mb} MB; at most {limit} MB).")
                              .format(mb=round(len(data) / 1e6, 1), limit=max_bytes // 10**6))
    if last < first:
        raise ImportFileError(_("The end date is before the start date."))
    text = decode(data)
    if "BEGIN:VCALENDAR" not in text[:4096].upper():
        raise ImportFileError(_("The file is not a calendar (.ics) file."))
    tz = tz or _local_tz()
    floating = calendar_zone(text) or tz
    zones, blocks, problems = scan(text)
    if len(blocks) > max_events:
        problems.append(ImportProblem(0, "", "", _(
            "The file has {n} events; only the first {limit} were read.").format(
                n=len(blocks), limit=max_events)))
        blocks = blocks[:max_events]
    groups: OrderedDict[str, list[Block]] = OrderedDict()
    for b in blocks:
        groups.setdefault(b.prop("UID") or fallback_uid(b), []).append(b)
    isolate_custom_zones(zones, blocks)
    _register_zones(zones, problems)
    deadline = time.monotonic() + time_budget
    events: list[CalendarEvent] = []
    for uid, group in groups.items():
        if time.monotonic() > deadline or len(events) >= max_occurrences:
            for b in group:
                problems.append(problem(b, _("Not read: the file has too many events or "
                                              "repetitions to read at once.")))
            continue
        try:
            with warnings.catch_warnings():
                # icalendar warns about guessed zones etc.; the result is still usable
                warnings.simplefilter("ignore")
                found = _expand_group(uid, group, first, last, tz, floating,
                                      min(max_per_series, max_occurrences - len(events)))
        except _EventError as exc:
            problems.append(problem(exc.block or group[0], exc.message))
            continue
        except Exception as exc:  # noqa: BLE001 - a library error on hostile input
            problems.append(problem(group[0], _("The event could not be read ({error}).")
                                     .format(error=type(exc).__name__)))
            continue
        events.extend(found)
    problems.sort(key=lambda p: p.line)
    events.sort(key=lambda e: (e.day, e.start or dt.time(0), e.uid, e.recurrence_id))
    return ParsedCalendar(tuple(events), tuple(problems), first, last)


class _EventError(Exception):
    def __init__(self, message: str, block: Block | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.block = block


def _local_tz() -> dt.tzinfo:
    return dt.datetime.now().astimezone().tzinfo or dt.UTC


def _register_zones(zones: list[Block], problems: list[ImportProblem]) -> None:
    """Parse the file's VTIMEZONEs once; icalendar keeps them for the events' TZIDs.

    Safe to share process-wide because custom zones got file-unique ids
    (:func:`~counsel.timekeeping.ics_scan.isolate_custom_zones`); parsing them once
    instead of with every event halves the import time of a large file.
    """
    import icalendar

    for z in zones:
        text = "\r\n".join(["BEGIN:VCALENDAR", "VERSION:2.0", *z.lines, "END:VCALENDAR", ""])
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                icalendar.Calendar.from_ical(text)
        except Exception:  # noqa: BLE001 - events using it will report their own times
            problems.append(problem(z, _("A time zone definition is damaged.")))


def _expand_group(uid: str, group: list[Block], first: dt.date,
                  last: dt.date, tz: dt.tzinfo, floating: dt.tzinfo,
                  cap: int) -> list[CalendarEvent]:
    import icalendar
    import recurring_ical_events

    body = "\r\n".join("\r\n".join(b.lines) for b in group)
    cal_text = "\r\n".join(["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//counsel//import//EN",
                            body, "END:VCALENDAR", ""])
    cal = icalendar.Calendar.from_ical(cal_text)
    components = cal.walk("VEVENT")
    recurring = False
    notes: list[str] = []
    for comp, block in zip(components, group, strict=False):
        notes += _check_component(comp, block)
        recurring = recurring or any(p in comp for p in ("RRULE", "RDATE", "RECURRENCE-ID"))
    # one day of slack each side: the window is in local days, the file in any zone
    lo = dt.datetime.combine(first - dt.timedelta(days=1), dt.time(0))
    hi = dt.datetime.combine(last + dt.timedelta(days=2), dt.time(0))
    out: list[CalendarEvent] = []
    for occ in recurring_ical_events.of(cal).between(lo, hi):
        ev = _occurrence(uid, occ, recurring, tz, floating, tuple(dict.fromkeys(notes)))
        if first <= ev.day <= last:
            out.append(ev)
            if len(out) > cap:
                raise _EventError(_("The event repeats too often to import ({n} times or more)."
                                    ).format(n=cap), group[0])
    return out


def _check_component(comp: Any, block: Block) -> list[str]:
    """Raise for an event that cannot be used; return notes for one that can."""
    bad = [prop for prop, _msg in getattr(comp, "errors", []) if prop in _TIME_PROPS]
    if bad:
        raise _EventError(_("The event has an invalid {field}.").format(field=bad[0]), block)
    if "DTSTART" not in comp:
        raise _EventError(_("The event has no start time (DTSTART)."), block)
    rules = comp.get("RRULE")
    for rule in rules if isinstance(rules, list) else ([rules] if rules is not None else []):
        freq = [str(f).upper() for f in rule.get("FREQ", [])]
        if any(f in _TOO_FREQUENT for f in freq):
            raise _EventError(_("The event repeats more often than once a day."), block)
        per_day = 1
        for part in ("BYHOUR", "BYMINUTE", "BYSECOND"):
            per_day *= max(1, len(rule.get(part, [])))
        if per_day > MAX_PER_DAY:
            raise _EventError(_("The event repeats more often than once an hour."), block)
        if _never_matches(rule):
            # dateutil would search for such a date for seconds; refuse at once
            raise _EventError(_("The event's repeat rule names a date that does not exist."),
                              block)
    tzid = comp["DTSTART"].params.get("TZID") if hasattr(comp["DTSTART"], "params") else None
    start = comp.decoded("DTSTART")
    if tzid and isinstance(start, dt.datetime) and start.tzinfo is None:
        return [_("Unknown time zone {tz}; read as local time.").format(tz=clean(str(tzid), 60))]
    return []


_MONTH_DAYS = (31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)


def _never_matches(rule: Any) -> bool:
    """True for BYMONTHDAY/BYMONTH combinations no calendar has (30 February)."""
    days = [int(d) for d in rule.get("BYMONTHDAY", [])]
    if not days or any(d < 0 for d in days):
        return False
    months = [int(m) for m in rule.get("BYMONTH", [])] or list(range(1, 13))
    return all(not 1 <= m <= 12 or d > _MONTH_DAYS[m - 1] for m in months for d in days)


def _stamp(value: Any) -> str:
    if isinstance(value, dt.datetime):
        if value.tzinfo is not None and value.utcoffset() is not None:
            return value.astimezone(dt.UTC).strftime("%Y%m%dT%H%M%SZ")
        return value.strftime("%Y%m%dT%H%M%S")
    if isinstance(value, dt.date):
        return value.strftime("%Y%m%d")
    return str(value)


def _occurrence(uid: str, occ: Any, recurring: bool, tz: dt.tzinfo, floating: dt.tzinfo,
                notes: tuple[str, ...]) -> CalendarEvent:
    start = occ.decoded("DTSTART")
    end = occ.decoded("DTEND") if "DTEND" in occ else None
    rid = _stamp(occ.decoded("RECURRENCE-ID")) if recurring and "RECURRENCE-ID" in occ else ""
    attendees = tuple(_attendees(occ))
    summary = clean(str(occ.get("SUMMARY", "")))
    location = clean(str(occ.get("LOCATION", "")))
    cancelled = str(occ.get("STATUS", "")).upper() == "CANCELLED"
    if not isinstance(start, dt.datetime):
        return CalendarEvent(uid[:200], rid, summary, location, attendees, start, None, 0,
                             cancelled, notes)
    if start.tzinfo is None:  # floating (or an unknown zone): the calendar's or our own
        start = start.replace(tzinfo=floating)
    if isinstance(end, dt.datetime):
        if end.tzinfo is None:
            end = end.replace(tzinfo=floating)
        minutes = int((end.astimezone(dt.UTC) - start.astimezone(dt.UTC)).total_seconds() // 60)
    else:
        minutes = 0
    local = start.astimezone(tz)
    return CalendarEvent(uid[:200], rid, summary, location, attendees, local.date(),
                         local.time().replace(second=0, microsecond=0, tzinfo=None),
                         max(0, minutes), cancelled, notes)


def _attendees(occ: Any) -> Iterator[str]:
    values = occ.get("ATTENDEE", [])
    for a in values if isinstance(values, list) else [values]:
        cn = getattr(a, "params", {}).get("CN")
        if cn:
            yield clean(str(cn), 100)
        addr = str(a)
        if addr.lower().startswith("mailto:"):
            yield addr[7:][:100]
