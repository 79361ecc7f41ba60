"""Dedup keys: one per occurrence under every RECURRENCE-ID form, stable across imports."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from counsel.timekeeping.ics_import import read_ics
from counsel.timekeeping.import_review import ImportReview, save_review
from counsel.timekeeping.matching import Action
from counsel.vault.kdf import KdfParams
from counsel.vault.service import Vault

HEL = ZoneInfo("Europe/Helsinki")
START = dt.datetime(2026, 1, 7, 9, 0)  # a Wednesday, Helsinki time


def series(count: int, changes: list[tuple[int, int, bool]]) -> bytes:
    """A weekly series of ``count`` in Helsinki time; each change ``(k, hours, future)``
    moves occurrence k by some hours, with ``RANGE=THISANDFUTURE`` when ``future``."""
    fmt = "%Y%m%dT%H%M%S"
    parts = ["BEGIN:VEVENT\r\nUID:weekly@example.org\r\nSUMMARY:Group\r\n"
             f"DTSTART;TZID=Europe/Helsinki:{START:{fmt}}\r\nDURATION:PT1H\r\n"
             f"RRULE:FREQ=WEEKLY;COUNT={count}\r\nEND:VEVENT\r\n"]
    for k, hours, future in changes:
        original = START + dt.timedelta(weeks=k)
        moved = original + dt.timedelta(hours=hours)
        rng = ";RANGE=THISANDFUTURE" if future else ""
        parts.append(
            f"BEGIN:VEVENT\r\nUID:weekly@example.org\r\nSUMMARY:Group (moved)\r\nSEQUENCE:1\r\n"
            f"RECURRENCE-ID;TZID=Europe/Helsinki{rng}:{original:{fmt}}\r\n"
            f"DTSTART;TZID=Europe/Helsinki:{moved:{fmt}}\r\nDURATION:PT1H\r\nEND:VEVENT\r\n")
    return ("BEGIN:VCALENDAR\r\nVERSION:2.0\r\n" + "".join(parts)
            + "END:VCALENDAR\r\n").encode()


YEAR = (dt.date(2026, 1, 1), dt.date(2026, 12, 31))


def test_this_and_future_gives_every_later_occurrence_its_own_key() -> None:
    parsed = read_ics(series(42, [(9, 2, True)]), first=YEAR[0], last=YEAR[1], tz=HEL)
    keys = [e.key for e in parsed.events]
    assert len(keys) == 42 and len(set(keys)) == 42
    # the later occurrences keep their own original start (UTC), two hours later in time
    eleventh = next(e for e in parsed.events if e.day == dt.date(2026, 3, 25))
    assert eleventh.start == dt.time(11, 0)
    assert eleventh.recurrence_id == "20260325T070000Z"


@pytest.fixture
def vault(tmp_path: Path) -> Vault:
    v, _code = Vault.create(tmp_path / "k.vault", "correct horse battery staple",
                            kdf=KdfParams.fast_for_tests())
    return v


def test_in_an_empty_vault_nothing_is_already_imported_and_a_reimport_adds_nothing(
        vault: Vault) -> None:
    data = series(42, [(9, 2, True), (20, -1, False), (30, 3, True)])
    review = ImportReview.load(vault, data, first=YEAR[0], last=YEAR[1], tz=HEL)
    assert len(review.rows) == 42 and not any(r.already for r in review.rows)
    review.decide([0], Action.BACKGROUND, same_title=False)
    review.decide(range(1, 42), Action.BACKGROUND, same_title=False)
    assert save_review(vault, review.records()) == 42
    again = ImportReview.load(vault, data, first=YEAR[0], last=YEAR[1], tz=HEL)
    assert all(r.already for r in again.rows) and again.records() == []
    # a longer period that overlaps the first: only what is new can be saved
    wider = ImportReview.load(vault, series(50, [(9, 2, True), (20, -1, False), (30, 3, True)]),
                              first=YEAR[0], last=dt.date(2027, 3, 31), tz=HEL)
    assert sum(1 for r in wider.rows if not r.already) == 8
    vault.lock()


changes = st.lists(st.tuples(st.integers(0, 39), st.integers(-30, 30).filter(bool),
                             st.booleans()), max_size=5, unique_by=lambda c: c[0])


@settings(max_examples=40, deadline=None)
@given(changes, st.integers(0, 200))
def test_keys_are_unique_and_the_same_in_every_window(ch: list[tuple[int, int, bool]],
                                                      cut: int) -> None:
    data = series(40, ch)
    whole = read_ics(data, first=dt.date(2025, 12, 1), last=dt.date(2027, 1, 31), tz=HEL)
    keys = [e.key for e in whole.events]
    assert len(keys) == len(set(keys)) and whole.problems == ()
    # a re-import of a shorter period finds the same keys for the same occurrences
    split = dt.date(2026, 1, 1) + dt.timedelta(days=cut)
    part = read_ics(data, first=split, last=dt.date(2027, 1, 31), tz=HEL)
    assert {(e.key, e.day, e.start) for e in part.events} <= {
        (e.key, e.day, e.start) for e in whole.events}
