"""One event series (all components of one UID) into occurrences in local time.

Each series is checked on its text first (:mod:`~counsel.timekeeping.ics_limits`), then
parsed by icalendar and expanded lazily by recurring-ical-events, one occurrence at a
time, so the per-series cap and the caller's checkpoint (time budget, cancel) act
during the expansion, not after it.

Times: each occurrence's start is converted to the counsellor's zone with the rules of
*its own* day (a ``zoneinfo`` zone), floored to the minute; a floating time is in the
calendar's X-WR-TIMEZONE or else the counsellor's.  An event whose start is a date is
all-day, whatever its end says.

Keys: ``ics:UID|RECURRENCE-ID`` with the original start of the occurrence in UTC (as
the file names it in RECURRENCE-ID), empty for a single event.  Occurrences moved by a
``RANGE=THISANDFUTURE`` change keep their *own* original start, not the one of the
change, so every occurrence has its own key and a re-import finds it again.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import warnings
from collections import Counter
from collections.abc import Callable, Iterator
from collections.abc import Set as AbstractSet
from typing import Any

from counsel.i18n import gettext as _
from counsel.timekeeping.ics_limits import first_date, rule_cost, rule_problem
from counsel.timekeeping.ics_scan import Block, clean

MAX_PER_DAY = 24
_TOO_FREQUENT = frozenset({"SECONDLY", "MINUTELY", "HOURLY"})
_TIME_PROPS = ("DTSTART", "DTEND", "DURATION", "RRULE", "RDATE", "EXDATE", "RECURRENCE-ID")
_MONTH_DAYS = (31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)


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
class Window:
    first: dt.date  # local days, both included
    last: dt.date
    tz: dt.tzinfo  # the counsellor's zone
    floating: dt.tzinfo  # floating times: the calendar's zone or the counsellor's
    calendar_zone: str  # X-WR-TIMEZONE (a valid zone name) or ""
    max_per_series: int
    max_before: int
    bad_zones: AbstractSet[str] = frozenset()  # zone definitions that could not be used


class EventError(Exception):
    def __init__(self, message: str, block: Block | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.block = block


def check_group(group: list[Block], w: Window) -> None:
    """Refuse a series whose rules are invalid or would cost too much, before parsing."""
    lo, hi = w.first - dt.timedelta(days=1), w.last + dt.timedelta(days=2)
    for b in group:
        start = b.prop("DTSTART")
        for ln in b.lines:
            if ln[:6].upper() not in ("RRULE:", "RRULE;"):
                continue
            value = ln.partition(":")[2].strip()
            if not value:  # "RRULE:" with nothing: no rule (as the parser reads it)
                continue
            bad = rule_problem(value)
            if bad:
                raise EventError(bad, b)
            freq = value.upper().split("FREQ=", 1)[1].split(";", 1)[0]
            if freq in _TOO_FREQUENT:
                raise EventError(_("It repeats more often than once a day."), b)
            cost = rule_cost(value, start, lo, hi)
            if cost.per_day > MAX_PER_DAY:
                raise EventError(_("It repeats more often than once an hour."), b)
            if _never_matches(value):
                raise EventError(_("Its repeat rule names a date that does not exist."), b)
            if cost.before > w.max_before:
                raise EventError(_(
                    "It repeats since {start}: working out its dates up to the import period "
                    "would take too long. Shorten the series in your calendar program (a "
                    "later start) and export again.").format(start=_day(start)), b)
            if cost.in_window > w.max_per_series:
                raise EventError(_(
                    "It repeats about {n} times in the import period (at most {limit}). "
                    "Import a shorter period.").format(n=cost.in_window, limit=w.max_per_series),
                    b)


def _day(start: str) -> str:
    day = first_date(start)
    return day.isoformat() if day else start[:20]


def _never_matches(value: str) -> bool:
    """True for BYMONTHDAY/BYMONTH combinations no calendar has (30 February)."""
    from counsel.timekeeping.ics_limits import parse_rule

    parts = parse_rule(value)
    try:
        days = [int(d) for d in parts.get("BYMONTHDAY", "").split(",") if d.strip()]
        months = [int(m) for m in parts.get("BYMONTH", "").split(",") if m.strip()]
    except ValueError:
        return False
    if not days or any(d < 0 for d in days):
        return False
    months = months or list(range(1, 13))
    return all(not 1 <= m <= 12 or d > _MONTH_DAYS[m - 1] for m in months for d in days)


def expand_group(uid: str, group: list[Block], w: Window, cap: int,
                 checkpoint: Callable[[], None]) -> list[CalendarEvent]:
    """The occurrences of one series inside the window (at most ``cap``)."""
    import icalendar

    body = "\r\n".join("\r\n".join(b.lines) for b in group) + "\r\n"
    with warnings.catch_warnings():
        # icalendar warns about guessed zones etc.; the result is still usable
        warnings.simplefilter("ignore")
        components = [c for c in icalendar.Event.from_ical(body, multiple=True)
                      if c.name == "VEVENT"]
        notes: list[str] = []
        recurring = False
        all_day = True  # every start a date: occurrences are days, even if the end has a time
        for comp, block in zip(components, group, strict=False):
            notes += _check_component(comp, block, w.bad_zones)
            all_day = all_day and not isinstance(comp.decoded("DTSTART"), dt.datetime)
            recurring = recurring or any(p in comp for p in ("RRULE", "RDATE", "RECURRENCE-ID"))
        remarks = tuple(dict.fromkeys(notes))
        if not recurring and len(components) == 1 and not w.calendar_zone:
            simple = _simple(components[0])
            if simple is not None:
                # a plain single event (most of a calendar): no recurrence library needed
                ev = _occurrence(uid, simple, "", w, remarks, all_day)
                return [ev] if w.first <= ev.day <= w.last else []
        out = _expand(uid, group, components, w, cap, checkpoint, recurring, remarks, all_day)
    return list(_unique_keys(out))


def _simple(comp: Any) -> Any | None:
    """A single event of the common shape, with DURATION as DTEND; ``None`` for any other
    (an end before the start, a date mixed with a time), which the recurrence library
    reads with its own corrections."""
    start = comp.decoded("DTSTART")
    end = comp.decoded("DTEND") if "DTEND" in comp else None
    duration = comp.decoded("DURATION") if "DURATION" in comp else None
    if end is not None and duration is not None:
        return None
    if not isinstance(start, dt.datetime):
        ok = end is None and duration is None or (
            type(end) is dt.date and end >= start)  # noqa: E721 - a date, not a datetime
        return comp if ok else None
    if isinstance(duration, dt.timedelta) and duration >= dt.timedelta(0):
        comp = comp.copy()
        comp.add("DTEND", start + duration)
        return comp
    if duration is not None:
        return None
    if end is None:
        return comp
    if not isinstance(end, dt.datetime) or (end.tzinfo is None) != (start.tzinfo is None):
        return None
    return comp if end >= start else None


def _expand(uid: str, group: list[Block], components: list[Any], w: Window, cap: int,
            checkpoint: Callable[[], None], recurring: bool, remarks: tuple[str, ...],
            all_day: bool) -> list[CalendarEvent]:
    import icalendar
    import recurring_ical_events

    cal = icalendar.Calendar()
    if w.calendar_zone:
        cal.add("X-WR-TIMEZONE", w.calendar_zone)
    moves: dict[str, tuple[Any, Any]] = {}
    for comp in components:
        cal.add_component(comp)
        rid = comp.get("RECURRENCE-ID")
        if rid is not None and str(rid.params.get("RANGE", "")).upper() == "THISANDFUTURE":
            moves[_stamp(rid.dt)] = (comp.decoded("DTSTART"), rid.dt)
    # one day of slack each side: the window is in local days, the file in any zone
    lo = dt.datetime.combine(w.first - dt.timedelta(days=1), dt.time(0))
    hi = dt.datetime.combine(w.last + dt.timedelta(days=2), dt.time(0))
    out: list[CalendarEvent] = []
    for series in recurring_ical_events.of(cal).series:
        for occ in series.between(lo, hi):
            checkpoint()
            comp = occ.as_component(False)
            rid = _recurrence_id(comp, moves) if recurring else ""
            ev = _occurrence(uid, comp, rid, w, remarks, all_day)
            if w.first <= ev.day <= w.last:
                out.append(ev)
                if len(out) > cap:
                    raise EventError(_("It repeats too often to import ({n} times or "
                                       "more).").format(n=cap), group[0])
    return out


def _unique_keys(events: list[CalendarEvent]) -> Iterator[CalendarEvent]:
    """Two occurrences with one original start (a damaged series) get #2, #3, ..."""
    seen: Counter[str] = Counter()
    for ev in sorted(events, key=lambda e: (e.day, e.start or dt.time(0), e.recurrence_id)):
        seen[ev.recurrence_id] += 1
        n = seen[ev.recurrence_id]
        yield ev if n == 1 else dataclasses.replace(ev, recurrence_id=f"{ev.recurrence_id}#{n}")


def _check_component(comp: Any, block: Block, bad_zones: AbstractSet[str]) -> list[str]:
    """Raise for an event that cannot be used; return notes for one that can."""
    bad = [prop for prop, _msg in getattr(comp, "errors", []) if prop in _TIME_PROPS]
    if bad:
        raise EventError(_("Its {field} cannot be read. Check the event in your calendar "
                           "program and export again.").format(field=bad[0]), block)
    if "DTSTART" not in comp:
        raise EventError(_("It has no start time (DTSTART)."), block)
    tzid = comp["DTSTART"].params.get("TZID") if hasattr(comp["DTSTART"], "params") else None
    start = comp.decoded("DTSTART")
    if tzid and isinstance(start, dt.datetime) and start.tzinfo is None:
        name = clean(str(tzid), 60)
        if str(tzid) in bad_zones:
            raise EventError(_("The definition of its time zone “{tz}” could not be used "
                               "(see the time zone's line), so its time is not known.").format(
                tz=name.split(" #")[0]), block)
        return [_("Unknown time zone {tz}; read as local time.").format(tz=name)]
    return []


def _stamp(value: Any) -> str:
    if isinstance(value, dt.datetime):
        if value.tzinfo is not None and value.utcoffset() is not None:
            return value.astimezone(dt.UTC).strftime("%Y%m%dT%H%M%SZ")
        return value.strftime("%Y%m%dT%H%M%S")
    if isinstance(value, dt.date):
        return value.strftime("%Y%m%d")
    return str(value)


def _recurrence_id(comp: Any, moves: dict[str, tuple[Any, Any]]) -> str:
    """The original start of this occurrence (see the module doc)."""
    prop = comp.get("RECURRENCE-ID")
    if prop is None:
        return _stamp(comp.decoded("DTSTART"))
    stamp = _stamp(prop.dt)
    move = moves.get(stamp)
    start = comp.decoded("DTSTART")
    if move is not None and start != move[0]:
        # a later occurrence shifted by a THISANDFUTURE change: undo the shift
        try:
            return _stamp(start - (move[0] - move[1]))
        except TypeError:  # a date and a date-time mixed: the start itself identifies it
            return _stamp(start)
    return stamp


def _occurrence(uid: str, occ: Any, rid: str, w: Window, notes: tuple[str, ...],
                all_day: bool) -> CalendarEvent:
    start = occ.decoded("DTSTART")
    if all_day and isinstance(start, dt.datetime):
        start = start.date()
    end = occ.decoded("DTEND") if "DTEND" in occ else None
    attendees = tuple(_attendees(occ))
    summary = clean(str(occ.get("SUMMARY", "")))
    location = clean(str(occ.get("LOCATION", "")))
    cancelled = str(occ.get("STATUS", "")).upper() == "CANCELLED"
    if not isinstance(start, dt.datetime):
        return CalendarEvent(uid[:200], rid, summary, location, attendees, start, None, 0,
                             cancelled, notes)
    if start.tzinfo is None:  # floating (or an unknown zone): the calendar's or our own
        start = start.replace(tzinfo=w.floating)
    if isinstance(end, dt.datetime):
        if end.tzinfo is None:
            end = end.replace(tzinfo=w.floating)
        minutes = int((end.astimezone(dt.UTC) - start.astimezone(dt.UTC)).total_seconds() // 60)
    else:
        minutes = 0
    local = start.astimezone(w.tz)
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
