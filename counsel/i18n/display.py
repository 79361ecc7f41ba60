"""Formatting values for the counsellor's screen: dates, minutes, language names.

Locale-aware through Babel, in the interface language (``counsel.i18n``).  Qt-free.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from functools import lru_cache
from typing import Any

from counsel.i18n import format_locale, gettext, ngettext


def _locale() -> str:
    return format_locale()


def isolate(text: str) -> str:
    """``text`` as a unit with its own direction inside a line of either direction (FSI …
    PDI, UAX #9): a phone number, a date or a typed Latin title inside an Arabic line is
    otherwise reordered ("+358 40 123" read "123 40 358+").  A value with no letters
    (a phone number) reads left to right."""
    return f"\u2068{text}\u2069" if text else text


def date(value: dt.date | None, fmt: str = "medium") -> str:
    if value is None:
        return ""
    from babel.dates import format_date

    return str(format_date(value, format=fmt, locale=_locale()))


def short_date(value: dt.date | None) -> str:
    """The interface language's short numeric date with the whole year (fi ``12.9.2004``,
    ar ``12/9/2004`` with its marks, en ``9/12/2004``): CLDR's short pattern, whose
    two-digit year (en ``9/12/04``) cannot tell a birth in 1925 from one in 2025."""
    if value is None:
        return ""
    locale, pattern = _full_year_short(_locale())
    template = _numeric_template(pattern.format)
    if template is not None:  # digits only: filled here (a third of Babel's time per date)
        return template.format(value)
    return str(pattern.apply(value, locale))


#: Babel's numeric day, month and year fields (Latin digits, zero-padded to the field's
#: length; the year as it is) as ``str.format`` fields of the date: a 10 000-client
#: picker formats a birth date per client.
_NUMERIC = {"d": "{0.day}", "dd": "{0.day:02d}", "M": "{0.month}", "MM": "{0.month:02d}",
            "y": "{0.year}"}


@lru_cache(maxsize=16)
def _numeric_template(fmt: str) -> str | None:
    """A parsed pattern's ``%(x)s`` format as a ``str.format`` template of the date when its
    fields are all numeric day, month and year fields (else None: Babel formats it)."""
    parts = re.split(r"%\((\w+)\)s", fmt)
    literals, names = parts[0::2], parts[1::2]
    if not names or any(n not in _NUMERIC for n in names) or \
            any("%" in lit.replace("%%", "") for lit in literals):
        return None
    out = []
    for i, lit in enumerate(literals):
        out.append(lit.replace("%%", "%").replace("{", "{{").replace("}", "}}"))
        if i < len(names):
            out.append(_NUMERIC[names[i]])
    return "".join(out)


@lru_cache(maxsize=16)
def _full_year_short(locale: str) -> tuple[Any, Any]:
    """The Babel locale and its parsed pattern, once per locale: a list of 10 000
    clients formats 10 000 birth dates (half the time of ``format_date`` each)."""
    from babel import Locale
    from babel.dates import get_date_format, parse_pattern

    loc = Locale.parse(locale)
    pattern = get_date_format("short", locale=loc).pattern
    # "yy" (two digits) → "y" (the year as it is); quoted literals hold no y in CLDR
    return loc, parse_pattern(re.sub(r"(?<!y)yy(?!y)", "y", pattern))


def time(value: dt.time | None) -> str:
    if value is None:
        return ""
    from babel.dates import format_time

    return str(format_time(value, format="short", locale=_locale()))


def number(value: float) -> str:
    from babel.numbers import format_decimal

    return str(format_decimal(value, locale=_locale()))


def minutes(value: int) -> str:
    """``45 min`` / ``1 h 30 min`` in the interface language."""
    h, m = divmod(int(value), 60)
    if h and m:
        return ngettext("{h} h {m} min", "{h} h {m} min", m).format(h=h, m=m)
    if h:
        return ngettext("{h} hour", "{h} hours", h).format(h=h)
    return ngettext("{m} minute", "{m} minutes", m).format(m=m)


def total_minutes(value: int) -> str:
    """A time total for reading, not parsing: ``17 053 h 46 min`` with the interface
    language's digit grouping (never ``17053:46``); ``45 min`` below an hour."""
    from babel.numbers import format_decimal

    sign = "-" if value < 0 else ""
    h, m = divmod(abs(int(value)), 60)
    if not h:
        return sign + gettext("{m} min").format(m=m)
    hours = str(format_decimal(h, locale=_locale()))
    return sign + ngettext("{h} h {m} min", "{h} h {m} min", m).format(h=hours, m=f"{m:02d}")


def join(items: Iterable[str]) -> str:
    """A list in the interface language's own way (Arabic comma "، ", Finnish "ja"...)."""
    from babel.lists import format_list

    values = [i for i in items if i]
    if not values:
        return ""
    try:
        return format_list(values, locale=_locale())
    except (ValueError, KeyError):  # a locale without list patterns
        return ", ".join(values)


@lru_cache(maxsize=512)
def _language_name(code: str, ui: str) -> str:
    from babel import Locale, UnknownLocaleError

    try:
        name = Locale.parse(code.replace("-", "_")).get_display_name(ui)
    except (UnknownLocaleError, ValueError, TypeError):
        return code
    return name or code


def language(code: str | None) -> str:
    """A language code as a name in the interface language (``ar`` → ``arabia``)."""
    if not code:
        return ""
    return _language_name(code, _locale())


def days_from(today: dt.date, due: dt.date) -> str:
    delta = (due - today).days
    if delta == 0:
        return ngettext("today", "today", 1)
    if delta < 0:
        return ngettext("{n} day overdue", "{n} days overdue", -delta).format(n=-delta)
    return ngettext("in {n} day", "in {n} days", delta).format(n=delta)


def parse_date(text: str) -> dt.date | None:
    """Read a date typed as ``2026-03-04``, ``4.3.2026`` or ``4/3/2026`` (day first).

    Empty text is ``None``; anything else unreadable raises ``ValueError``.
    """
    text = text.strip()
    if not text:
        return None
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        pass
    for sep in (".", "/", "-"):
        parts = text.split(sep)
        if len(parts) == 3 and all(p.strip().isdigit() for p in parts):
            d, m, y = (int(p) for p in parts)
            if y < 100:
                y += 2000
            return dt.date(y, m, d)
    raise ValueError(text)


def warm() -> None:
    """Load what the first pages' dates and numbers need — Babel's data for the interface
    language and the parsed short pattern, ~25 ms at their first use — ahead of time (a
    reader thread calls this while the key is derived, not in the first second after
    unlock)."""
    sample = dt.date(2000, 1, 31)
    date(sample)
    short_date(sample)
    time(dt.time(9, 30))
    total_minutes(75)
    join(["a", "b"])
