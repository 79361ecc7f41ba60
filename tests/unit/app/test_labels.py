"""counsel.app.labels: the picker's labels, in bulk and one by one, are the name, the birth
date and the place, each isolated, after a mark of the interface direction."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from counsel import i18n
from counsel.app.labels import FSI, LRM, PDI, RLM, client_label, client_labels
from counsel.i18n import display


@pytest.fixture(scope="module", autouse=True)
def restore_language() -> Iterator[None]:
    before = i18n.current_language()
    yield
    i18n.set_language(before)


NAMES = st.sampled_from(["أحمد الحسن", "Amina Yusuf", "Олена Шевченко", "ሰላም ተስፋይ", ""])
DATES = st.one_of(st.none(), st.dates(dt.date(1930, 1, 1), dt.date(2020, 12, 31)))
PLACES = st.sampled_from(["Vantaa", "", "Jyväskylä"])


@settings(max_examples=40, deadline=None)
@given(rows=st.lists(st.tuples(NAMES, DATES, PLACES), max_size=30),
       lang=st.sampled_from(["fi", "ar", "sv", "fa"]))
def test_bulk_labels_equal_one_by_one(rows: list[tuple[str, dt.date | None, str]],
                                      lang: str) -> None:
    i18n.set_language(lang)
    rows = rows + rows[:3]  # repeated dates and names: the formatted date is reused
    mark = RLM if i18n.is_rtl(lang) else LRM
    want = [" · ".join([mark + (f"{FSI}{n}{PDI}" if n else "")]
                       + ([f"{FSI}{display.short_date(d)}{PDI}"] if d else [])
                       + ([f"{FSI}{m}{PDI}"] if m else [])) for n, d, m in rows]
    assert client_labels(rows) == want
    assert [client_label(n, d, m) for n, d, m in rows] == want
