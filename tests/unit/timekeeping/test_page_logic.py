"""The Time page's Qt-free logic: overview, exports, atomic writes, import review."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from counsel.domain import Channel, Client, Setting, WorkEntry, WorkKind
from counsel.domain.setting import setting_id
from counsel.timekeeping import overview as ov
from counsel.timekeeping.import_review import RULES_SETTING, ImportReview, save_review
from counsel.timekeeping.matching import Action, rules_from_json
from counsel.timekeeping.reports import time_report
from counsel.timekeeping.split import Period
from counsel.vault.kdf import KdfParams
from counsel.vault.service import Vault

PASS = "correct horse battery staple"
AMINA = "a" * 32
OMAR = "b" * 32
DAY = dt.date(2026, 3, 2)  # a Monday

ICS = """BEGIN:VCALENDAR
VERSION:2.0
PRODID:-//test//EN
BEGIN:VEVENT
UID:weekly-amina
DTSTART:20260302T090000Z
DTEND:20260302T100000Z
RRULE:FREQ=WEEKLY;COUNT=3
SUMMARY:Amina Yusuf ohjaus
END:VEVENT
BEGIN:VEVENT
UID:team-1
DTSTART:20260303T120000Z
DTEND:20260303T123000Z
SUMMARY:Tiimipalaveri
END:VEVENT
BEGIN:VEVENT
UID:team-2
DTSTART:20260310T120000Z
DTEND:20260310T124500Z
SUMMARY:Tiimipalaveri
END:VEVENT
BEGIN:VEVENT
UID:allday
DTSTART;VALUE=DATE:20260305
SUMMARY:Koulutuspäivä
END:VEVENT
BEGIN:VEVENT
UID:broken
SUMMARY:Ei alkuaikaa
DTEND:20260306T100000Z
END:VEVENT
END:VCALENDAR
""".replace("\n", "\r\n").encode()


@pytest.fixture
def vault(tmp_path: Path):  # type: ignore[no-untyped-def]
    v, _code = Vault.create(tmp_path / "t.vault", PASS, kdf=KdfParams.fast_for_tests())
    v.save_many([
        Client(id=AMINA, name="Amina Yusuf"),
        Client(id=OMAR, name="Omar Haji", started=DAY - dt.timedelta(days=10)),
        WorkEntry(kind=WorkKind.VISIBLE, date=DAY, start=dt.time(9), minutes=60, client=AMINA),
        WorkEntry(kind=WorkKind.BACKGROUND, date=DAY + dt.timedelta(days=1), minutes=25,
                  client=AMINA, channel=Channel.PHONE),
        WorkEntry(kind=WorkKind.BACKGROUND, date=DAY + dt.timedelta(days=8), minutes=40,
                  client=OMAR),
        WorkEntry(kind=WorkKind.BACKGROUND, date=DAY + dt.timedelta(days=9), minutes=15),
        # starts the evening before the range: only its 30 minutes after midnight count
        WorkEntry(kind=WorkKind.VISIBLE, date=DAY - dt.timedelta(days=1), start=dt.time(23, 30),
                  minutes=60, client=OMAR),
        # before the range: must not count
        WorkEntry(kind=WorkKind.VISIBLE, date=DAY - dt.timedelta(days=40), minutes=50,
                  client=OMAR),
    ])
    yield v
    v.lock()


def test_range_choices() -> None:
    today = dt.date(2026, 1, 20)
    assert ov.range_for(ov.RangeChoice.THIS_MONTH, today) == (dt.date(2026, 1, 1), today)
    assert ov.range_for(ov.RangeChoice.LAST_3_MONTHS, today) == (dt.date(2025, 11, 1), today)
    assert ov.range_for(ov.RangeChoice.LAST_3_MONTHS, dt.date(2026, 5, 31))[0] == \
        dt.date(2026, 3, 1)
    custom = (dt.date(2025, 1, 1), dt.date(2025, 2, 1))
    assert ov.range_for(ov.RangeChoice.CUSTOM, today, custom) == custom
    with pytest.raises(ValueError):
        ov.range_for(ov.RangeChoice.CUSTOM, today)
    assert ov.chart_period(today, today + dt.timedelta(days=7 * 25)) is Period.WEEK
    assert ov.chart_period(today, today + dt.timedelta(days=7 * 30)) is Period.MONTH


def test_overview_equals_the_report(vault: Vault) -> None:
    first, last = DAY, DAY + dt.timedelta(days=20)
    o = ov.compute_overview(vault, first, last)
    direct = time_report(ov.work_entries(vault), first, last, Period.WEEK)
    assert o.report == direct
    assert o.report.total.visible == 90 and o.report.total.background == 80
    assert [r.name for r in o.clients] == ["Amina Yusuf", "Omar Haji", "Not for one client"]
    assert o.clients[0].split.total == 85
    # Omar started 10 days before the range: all his minutes are in his first 90 days
    assert o.indicators.early_minutes.value == 60 + 25 + 40 + 30
    summary = ov.chart_summary(o.report)
    assert "1 h 30 min" in summary and "1 h 20 min" in summary and "2026-W10" in summary


def test_report_export_matches_cli(vault: Vault, tmp_path: Path,
                                   monkeypatch: pytest.MonkeyPatch) -> None:
    from counsel.cli.main import main

    first, last = DAY, DAY + dt.timedelta(days=20)
    data = ov.export_bytes(vault, ov.ExportKind.REPORT, "csv", first, last)
    vault_file = tmp_path / "t.vault"
    out = tmp_path / "cli.csv"
    vault.lock()
    monkeypatch.setenv("COUNSEL_PASSPHRASE", PASS)
    assert main(["--vault", str(vault_file), "report", "time", "--from", first.isoformat(),
                 "--to", last.isoformat(), "--out", str(out)]) == 0
    assert data == out.read_bytes()


def test_manager_export_has_no_names(vault: Vault) -> None:
    first, last = DAY, DAY + dt.timedelta(days=20)
    text = ov.export_bytes(vault, ov.ExportKind.MANAGER, "csv", first, last).decode()
    assert "indicators" in text and "Amina" not in text and AMINA not in text
    named = ov.export_bytes(vault, ov.ExportKind.REPORT, "csv", first, last,
                            by_client=True).decode()
    assert "Amina Yusuf" in named
    pdf = ov.export_bytes(vault, ov.ExportKind.MANAGER, "pdf", first, last)
    assert pdf.startswith(b"%PDF")


@settings(max_examples=30, deadline=None)
@given(first=st.dates(dt.date(2000, 1, 1), dt.date(2090, 1, 1)),
       days=st.integers(0, 4000), kind=st.sampled_from(list(ov.ExportKind)),
       fmt=st.sampled_from(["pdf", "csv"]))
def test_default_filename_is_plain(first: dt.date, days: int, kind: ov.ExportKind,
                                   fmt: str) -> None:
    last = first + dt.timedelta(days=days)
    name = ov.default_filename(kind, first, last, fmt)
    assert name.endswith("." + fmt) and "/" not in name and " " not in name
    assert first.isoformat() in name and last.isoformat() in name


def test_write_atomic_replaces_whole_or_not_at_all(tmp_path: Path) -> None:
    target = tmp_path / "r.csv"
    ov.write_atomic(target, b"old")
    ov.write_atomic(target, b"new")
    assert target.read_bytes() == b"new"
    with pytest.raises(TypeError):
        ov.write_atomic(target, "not bytes")  # type: ignore[arg-type]
    assert target.read_bytes() == b"new"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["r.csv"]


def test_import_review_save_and_reimport(vault: Vault) -> None:
    review = ImportReview.load(vault, ICS, today=DAY + dt.timedelta(days=30), tz=dt.UTC)
    titles = [r.proposal.event.summary for r in review.rows]
    assert titles.count("Amina Yusuf ohjaus") == 3 and titles.count("Tiimipalaveri") == 2
    assert len(review.problems) == 1 and review.problems[0].summary == "Ei alkuaikaa"
    amina = [i for i, r in enumerate(review.rows) if r.proposal.event.uid == "weekly-amina"]
    # a name in the title is only a guess: not saved unless the counsellor accepts it
    assert all(review.rows[i].proposal.client == AMINA for i in amina)
    assert not any(review.rows[i].accepted for i in amina)
    assert review.entries() == []
    allday = next(i for i, r in enumerate(review.rows) if r.proposal.event.uid == "allday")
    assert not review.set_accepted(allday, True)

    # deciding one team meeting decides the other one of the same title
    team = [i for i, r in enumerate(review.rows) if r.proposal.event.summary == "Tiimipalaveri"]
    changed = review.decide([team[0]], Action.BACKGROUND, remember=True)
    assert changed == team
    assert review.set_accepted(amina[0], True)
    review.set_accepted(team[1], False)  # the counsellor unticks one
    entries = review.entries()
    assert sorted((e.kind, e.minutes, e.client) for e in entries) == [
        (WorkKind.BACKGROUND, 30, None), (WorkKind.VISIBLE, 60, AMINA)]
    records = review.records()
    setting = next(r for r in records if isinstance(r, Setting))
    assert setting.id == setting_id(RULES_SETTING)
    assert save_review(vault, records) == 2
    saved = [e for e in vault.all(WorkEntry) if e.source]
    assert len(saved) == 2
    assert save_review(vault, records) == 0  # the same review saved twice: no duplicates

    again = ImportReview.load(vault, ICS, today=DAY + dt.timedelta(days=30), tz=dt.UTC)
    keys = {e.source for e in saved}
    assert {r.proposal.key for r in again.rows if r.already} == keys
    # only the remembered rule's unsaved team meeting is new
    assert [e.source for e in again.entries()] == ["ics:team-2|"]
    # the remembered rule now decides the unsaved team meeting, confirmed
    left = next(r for r in again.rows if r.proposal.event.uid == "team-2")
    assert left.proposal.action is Action.BACKGROUND and left.proposal.confirmed
    assert left.accepted
    rules = rules_from_json(vault.settings.get(RULES_SETTING))
    assert [r.pattern for r in rules] == ["Tiimipalaveri"]
    # events after "today" are not work done yet: not proposed
    early = ImportReview.load(vault, ICS, today=DAY + dt.timedelta(days=1), tz=dt.UTC)
    assert {r.proposal.event.day for r in early.rows} == {DAY, DAY + dt.timedelta(days=1)}
