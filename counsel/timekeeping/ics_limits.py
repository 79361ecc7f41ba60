"""Checks on an event's repeat rules, made on the text before any parser or expansion.

A repeat rule can cost anything: "every hour since the year 1" makes a recurrence
library walk millions of times before it reaches the import period, and a misspelt
part ("UNTL") makes it fail with an exception name.  So each RRULE is checked here
first: its parts and values (:func:`rule_problem`, a message that names the part and
says what to do), and an estimate of the work it asks for (:func:`rule_cost`): how
many occurrences fall inside the import period, and how many steps lie between the
series' start and the period.  A rule over a limit is refused at once, with its reason.

Time zone definitions get the same treatment (:func:`zone_problem`): their rules must
change the clock at most a few times a year.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import difflib
import re
from collections.abc import Callable

from counsel.i18n import gettext as _

RULE_PARTS = ("FREQ", "UNTIL", "COUNT", "INTERVAL", "BYSECOND", "BYMINUTE", "BYHOUR", "BYDAY",
              "BYMONTHDAY", "BYYEARDAY", "BYWEEKNO", "BYMONTH", "BYSETPOS", "WKST")
FREQS = ("SECONDLY", "MINUTELY", "HOURLY", "DAILY", "WEEKLY", "MONTHLY", "YEARLY")
_PERIOD_DAYS = {"DAILY": 1.0, "WEEKLY": 7.0, "MONTHLY": 30.44, "YEARLY": 365.25}
_INT_PARTS = {"BYSECOND": (0, 60), "BYMINUTE": (0, 59), "BYHOUR": (0, 23),
              "BYMONTHDAY": (-31, 31), "BYYEARDAY": (-366, 366), "BYWEEKNO": (-53, 53),
              "BYMONTH": (1, 12), "BYSETPOS": (-366, 366)}
_DAY = re.compile(r"^([+-]?\d{1,2})?(MO|TU|WE|TH|FR|SA|SU)$")
_DATE = re.compile(r"(\d{8})")
MAX_LIST = 400  # values in one BY... part


def parse_rule(value: str) -> dict[str, str]:
    """The parts of a rule value ("FREQ=DAILY;COUNT=3"), names upper-cased."""
    parts: dict[str, str] = {}
    for item in value.split(";"):
        if item.strip():
            name, _sep, v = item.partition("=")
            parts.setdefault(name.strip().upper(), v.strip())
    return parts


def rule_problem(value: str) -> str | None:
    """Why the RRULE value cannot be used, in words; ``None`` if it can."""
    seen: set[str] = set()
    for item in value.split(";"):
        if not item.strip():
            continue
        name, sep, v = item.partition("=")
        name = name.strip().upper()
        if name not in RULE_PARTS or not sep:
            close = difflib.get_close_matches(name, RULE_PARTS, n=1, cutoff=0.6)
            hint = _(" (did you mean {part}?)").format(part=close[0]) if close else ""
            return _("Its repeat rule (RRULE) has an unknown part “{part}”{hint}. Correct the "
                     "rule in your calendar program and export again.").format(
                part=name[:30], hint=hint)
        if name in seen:
            return _("Its repeat rule (RRULE) has the part {part} twice.").format(part=name)
        seen.add(name)
        bad = _value_problem(name, v.strip().upper())
        if bad:
            return _("Its repeat rule (RRULE) has an invalid {part} value “{value}”: {reason}"
                     ).format(part=name, value=v.strip()[:40], reason=bad)
    if "FREQ" not in seen:
        return _("Its repeat rule (RRULE) does not say how often it repeats (FREQ is missing).")
    return None


def _value_problem(name: str, v: str) -> str | None:
    if name == "FREQ" and v not in FREQS:
        return _("use DAILY, WEEKLY, MONTHLY or YEARLY.")
    if name in ("COUNT", "INTERVAL"):
        if not re.fullmatch(r"[+-]?\d{1,9}", v) or (name == "INTERVAL" and int(v) < 1):
            return _("a whole number is needed.")
    if name == "UNTIL" and not re.fullmatch(r"\d{8}(T\d{6}Z?)?", v):
        return _("a date like 20261231 or 20261231T235959Z is needed.")
    if name == "WKST" and v not in ("MO", "TU", "WE", "TH", "FR", "SA", "SU"):
        return _("a weekday like MO is needed.")
    items = v.split(",")
    if name.startswith("BY") and len(items) > MAX_LIST:
        return _("more than {n} values.").format(n=MAX_LIST)
    if name == "BYDAY" and not all(_DAY.match(x.strip()) for x in items):
        return _("weekdays like MO or 1MO are needed.")
    if name in _INT_PARTS:
        lo, hi = _INT_PARTS[name]
        for x in items:
            if not re.fullmatch(r"[+-]?\d{1,3}", x.strip()) or not lo <= int(x) <= hi \
                    or (int(x) == 0 and lo < 0):
                return _("whole numbers from {lo} to {hi} are needed.").format(lo=lo, hi=hi)
    return None


@dataclasses.dataclass(frozen=True)
class RuleCost:
    in_window: int  # occurrences the rule may have inside the window (an upper estimate)
    before: int  # steps a recurrence library walks from the start to the window's end
    per_day: int  # occurrences on one day


def first_date(text: str) -> dt.date | None:
    """The first YYYYMMDD date in a property value."""
    m = _DATE.search(text)
    if m is None:
        return None
    try:
        return dt.datetime.strptime(m.group(1), "%Y%m%d").date()
    except ValueError:
        return None


def rule_cost(value: str, start: str, lo: dt.date, hi: dt.date) -> RuleCost:
    """The work a (valid) rule from ``start`` (a DTSTART value) asks for in ``[lo, hi]``."""
    parts = parse_rule(value)

    def count(name: str) -> int:
        return len([x for x in parts.get(name, "").split(",") if x.strip()])

    per_day = max(1, count("BYHOUR")) * max(1, count("BYMINUTE")) * max(1, count("BYSECOND"))
    freq = parts.get("FREQ", "DAILY").upper()
    if freq not in _PERIOD_DAYS:  # more often than daily: refused on its own account
        return RuleCost(10**9, 10**9, 10**9)
    days = _days_per_period(freq, parts, count)
    n = days * per_day
    if count("BYSETPOS"):
        n = min(n, count("BYSETPOS"))
    interval = max(1, int(parts.get("INTERVAL", "1") or 1))
    period = _PERIOD_DAYS[freq] * interval
    first = first_date(start) or lo
    until = first_date(parts["UNTIL"]) if "UNTIL" in parts else None
    end = min(hi, until) if until else hi
    span = (end - max(lo, first)).days + 1
    in_window = 0 if span <= 0 else int((span / period + 1) * n)
    cnt = parts.get("COUNT", "")
    if cnt.isdigit():
        in_window = min(in_window, int(cnt))
    walked = max(0, (end - first).days)
    # dateutil builds every period's set of days (a year's 366) on its way to the window
    before = int((walked / period + 1) * (min(_PERIOD_DAYS[freq], 366) + n))
    return RuleCost(in_window, before, per_day)


def _days_per_period(freq: str, parts: dict[str, str], c: Callable[[str], int]) -> int:
    by_day = [x for x in parts.get("BYDAY", "").split(",") if x.strip()]
    ordinal = sum(1 for x in by_day if re.match(r"^[+-]?\d", x.strip()))
    plain = len(by_day) - ordinal
    months = max(1, c("BYMONTH"))
    if freq == "DAILY":
        return 1
    if freq == "WEEKLY":
        return max(1, len(by_day))
    if freq == "MONTHLY":
        if c("BYMONTHDAY"):
            return c("BYMONTHDAY")
        return max(1, ordinal + 5 * plain)
    if c("BYYEARDAY"):
        return c("BYYEARDAY")
    if c("BYWEEKNO"):
        return c("BYWEEKNO") * max(1, len(by_day) or 7)
    if c("BYMONTHDAY"):
        return c("BYMONTHDAY") * months
    if by_day:
        return max(1, (ordinal + 5 * plain) * months if c("BYMONTH") else ordinal + 53 * plain)
    return months


MAX_ZONE_CHANGES = 5_000  # clock changes a zone definition's rules produce up to 2040


def zone_problem(lines: list[str]) -> str | None:
    """Why a VTIMEZONE's rules cannot be used: invalid, changing the clock more than
    yearly, or producing more clock changes than any real zone has."""
    changes = 0
    start: dt.date | None = None
    rule: dict[str, str] | None = None
    for ln in lines:
        head = ln[:16].upper()
        if head.startswith(("BEGIN:STANDARD", "BEGIN:DAYLIGHT")):
            start, rule = None, None
        elif head.startswith(("DTSTART:", "DTSTART;")):
            start = first_date(ln.partition(":")[2])
        elif head.startswith(("RDATE:", "RDATE;")):
            changes += ln.count(",") + 1
        elif head.startswith(("RRULE:", "RRULE;")):
            value = ln.partition(":")[2]
            bad = rule_problem(value)
            if bad:
                return bad
            rule = parse_rule(value)
            if rule.get("FREQ", "").upper() != "YEARLY":
                return _("its rules change the clock more often than once a year.")
        elif head.startswith(("END:STANDARD", "END:DAYLIGHT")) and rule is not None:
            until = first_date(rule.get("UNTIL", "")) or dt.date(2040, 1, 1)
            changes += max(0, min(until.year, 2040) - (start.year if start else 1))
        if changes > MAX_ZONE_CHANGES:
            return _("its rules describe more than {n} clock changes.").format(
                n=MAX_ZONE_CHANGES)
    return None
