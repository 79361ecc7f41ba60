"""The calendar-import review: clients who share a name can be told apart in its picker,
and its count of events that could not be read counts events only."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from counsel.domain import Client
from counsel.timekeeping.import_review import ImportReview, problem_counts, problem_title
from counsel.vault.kdf import KdfParams
from counsel.vault.service import Vault

HEL = ZoneInfo("Europe/Helsinki")
DAY = dt.date(2026, 11, 3)
# one good event, one event without a start, a to-do closed with a typo (not an event),
# and a time-zone definition cut off by the end of the file (not an event either)
ICS = (
    b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\n"
    b"BEGIN:VEVENT\r\nUID:ok\r\nSUMMARY:Sahra Warsame\r\nDTSTART:20261103T090000\r\n"
    b"DTEND:20261103T100000\r\nEND:VEVENT\r\n"
    b"BEGIN:VEVENT\r\nUID:nostart\r\nSUMMARY:Ei alkuaikaa\r\nDTEND:20261103T100000\r\n"
    b"END:VEVENT\r\n"
    b"BEGIN:VTODO\r\nUID:todo\r\nSUMMARY:Soita\r\nEND:VTOOD\r\n"
    b"BEGIN:VTIMEZONE\r\nTZID:Europe/Helsinki\r\nBEGIN:STANDARD\r\n"
)


@pytest.fixture
def vault(tmp_path: Path) -> Vault:
    v, _code = Vault.create(tmp_path / "p.vault", "correct horse battery staple",
                            kdf=KdfParams.fast_for_tests())
    v.save_many([
        Client(id="1" * 32, name="Sahra Warsame", birth_date=dt.date(1990, 4, 2),
               municipality="Turku"),
        Client(id="2" * 32, name="Sahra Warsame", birth_date=dt.date(1984, 11, 20),
               municipality="Turku"),
        Client(id="3" * 32, name="Sahra Warsame", municipality="Turku"),
    ])
    return v


def test_clients_with_one_name_have_distinct_labels_with_birth_dates(vault: Vault) -> None:
    review = ImportReview.load(vault, ICS, first=DAY, last=DAY, tz=HEL)
    labels = review.client_labels
    assert len(set(labels.values())) == 3, labels
    assert "4/2/1990" in labels["1" * 32] and "11/20/1984" in labels["2" * 32]
    assert all("Sahra Warsame" in label for label in labels.values())
    # the table names the proposed client the same way as the picker
    (row,) = [r for r in review.rows if r.proposal.event.summary == "Sahra Warsame"]
    if row.proposal.client:
        assert review.client_label(row.proposal.client) == labels[row.proposal.client]


@pytest.mark.parametrize(("lang", "first", "second"), [
    ("fi", "2.4.1990", "20.11.1984"),
    ("ar", "2\u200f/4\u200f/1990", "20\u200f/11\u200f/1984"),
])
def test_picker_birth_dates_are_written_as_the_client_list_writes_them(
        vault: Vault, lang: str, first: str, second: str) -> None:
    """The same date format as the client list's Born column (not ISO), isolated."""
    from counsel.i18n import set_language

    set_language(lang)
    try:
        labels = ImportReview.load(vault, ICS, first=DAY, last=DAY, tz=HEL).client_labels
    finally:
        set_language("en")
    assert f"\u2068{first}\u2069" in labels["1" * 32], labels
    assert f"\u2068{second}\u2069" in labels["2" * 32], labels
    assert "1990-04-02" not in labels["1" * 32]


def test_the_problem_title_counts_events_only(vault: Vault) -> None:
    review = ImportReview.load(vault, ICS, first=DAY, last=DAY, tz=HEL)
    assert len(review.problems) == 3  # all three are listed, with their lines
    assert problem_counts(review.problems) == (1, 2)
    title = problem_title(review.problems)
    assert title.startswith("1 event could not be read"), title
    assert "2 other problems" in title
    only_other = [p for p in review.problems if not p.event]
    assert problem_title(only_other).startswith("2 problems"), problem_title(only_other)
