"""Values on the counsellor's screen, in the interface language."""

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from counsel.i18n import display, set_language


@pytest.fixture
def lang():
    yield set_language
    set_language("en")


def test_dates_follow_the_interface_language(lang):
    day = dt.date(2026, 3, 4)
    lang("fi")
    assert display.date(day) == "4.3.2026"
    lang("sv")
    assert "mars" in display.date(day)
    lang("en")
    assert display.date(day) == "Mar 4, 2026"
    assert display.date(None) == ""


def test_language_names_and_minutes(lang):
    lang("fi")
    assert display.language("so") == "somali"
    assert display.minutes(95) == "1 h 35 min"
    assert display.minutes(1) == "1 minuutti" and display.minutes(120) == "2 tuntia"
    lang("en")
    assert display.language("fa_AF") == "Persian (Afghanistan)"
    assert display.language("zz_not") == "zz_not"


def test_days_from(lang):
    today = dt.date(2026, 3, 4)
    assert display.days_from(today, today) == "today"
    assert display.days_from(today, dt.date(2026, 3, 1)) == "3 days overdue"
    assert display.days_from(today, dt.date(2026, 3, 5)) == "in 1 day"


@pytest.mark.parametrize(("text", "expected"), [
    ("2026-03-04", dt.date(2026, 3, 4)), ("4.3.2026", dt.date(2026, 3, 4)),
    ("4/3/2026", dt.date(2026, 3, 4)), (" 04.03.26 ", dt.date(2026, 3, 4)), ("", None),
])
def test_parse_date(text, expected):
    assert display.parse_date(text) == expected


@pytest.mark.parametrize("text", ["tomorrow", "31.2.2026", "1.2", "2026-13-01"])
def test_parse_date_refuses(text):
    with pytest.raises(ValueError):
        display.parse_date(text)


@settings(max_examples=50)
@given(st.dates(dt.date(1950, 1, 1), dt.date(2099, 12, 31)))
def test_finnish_written_dates_read_back(day):
    assert display.parse_date(f"{day.day}.{day.month}.{day.year}") == day


def test_time_totals_read_as_hours_and_minutes_with_grouping():
    from counsel.i18n import set_language
    from counsel.i18n.display import total_minutes
    from counsel.timekeeping.overview import hm

    try:
        set_language("fi")
        assert hm(17053 * 60 + 46) == "17\xa0053 h 46 min"
        assert total_minutes(5) == "5 min" and total_minutes(-65) == "-1 h 05 min"
        set_language("en")
        assert hm(17053 * 60 + 46) == "17,053 h 46 min"
        set_language("ar")
        assert "17" in hm(17053 * 60 + 46) and ":" not in hm(17053 * 60 + 46)
    finally:
        set_language("en")


@pytest.mark.parametrize(("code", "shown"), [
    ("fi", "12.9.2004"), ("ar", "12\u200f/9\u200f/2004"), ("sv", "2004-09-12"),
    # CLDR's short pattern has a two-digit year here ("9/12/04"): a birth in 1904 or 2004?
    ("en", "9/12/2004"), ("uk", "12.09.2004"),
])
def test_short_date_is_the_short_pattern_with_the_whole_year(lang, code, shown):
    lang(code)
    assert display.short_date(dt.date(2004, 9, 12)) == shown
    assert "1925" in display.short_date(dt.date(1925, 1, 2))
    assert display.short_date(None) == ""


_SHIPPED = ["en", "fi", "ar", "ckb", "et", "fa", "fa_AF", "ru", "so", "sv", "ti", "uk"]


@settings(max_examples=200, deadline=None)
@given(code=st.sampled_from(_SHIPPED),
       day=st.dates(min_value=dt.date(1, 1, 1), max_value=dt.date(9999, 12, 31)))
def test_short_date_fast_path_equals_babel(code, day):
    """Numeric patterns are filled without Babel: the same text as Babel's own apply, in
    every interface language shipped (the locales folder) and on any day."""
    from counsel.i18n import babel_locale

    locale, pattern = display._full_year_short(babel_locale(code))
    assert display._numeric_template(pattern.format) is not None  # the fast path is taken
    try:
        set_language(code)
        assert display.short_date(day) == str(pattern.apply(day, locale))
    finally:
        set_language("en")


def test_short_date_other_patterns_go_through_babel():
    assert display._numeric_template("%(d)s. %(MMM)s %(y)s") is None  # a month name
    assert display._numeric_template("100% %(d)s") is None
    assert display._numeric_template("{%(dd)s} %% %(y)s").format(dt.date(5, 1, 2)) == \
        "{02} % 5"  # literal braces and percent signs kept
