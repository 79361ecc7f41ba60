"""Manager view: small cells suppressed, indicators right, and no personal data out."""

from __future__ import annotations

import datetime as dt
import re
import shutil
import subprocess

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from counsel.demo.caseload import records
from counsel.domain import (
    Channel,
    Client,
    Contact,
    Encounter,
    InterpreterMode,
    Measure,
    MeasureStatus,
    PartyKind,
    Place,
    Plan,
    WorkEntry,
    WorkKind,
)
from counsel.timekeeping.aggregate import manager_report
from counsel.timekeeping.circular import circular_referrals
from counsel.timekeeping.indicators import compute_indicators
from counsel.timekeeping.report_csv import to_csv
from counsel.timekeeping.report_pdf import render_pdf
from counsel.timekeeping.report_tables import manager_tables
from counsel.timekeeping.reports import encounter_time
from counsel.timekeeping.split import Period

D = dt.date(2026, 2, 2)  # a Monday


def clients(n: int) -> list[Client]:
    return [Client(name=f"Client {i}", started=dt.date(2026, 1, 1)) for i in range(n)]


def visit(c: Client, day: dt.date, minutes: int = 60, **kw: object) -> WorkEntry:
    return WorkEntry(kind=WorkKind.VISIBLE, date=day, minutes=minutes, client=c.id, **kw)  # type: ignore[arg-type]


def test_cells_about_few_clients_are_hidden_with_their_complement() -> None:
    cs = clients(12)
    entries = [visit(c, D) for c in cs[:10]]  # week 6: ten clients
    entries += [visit(cs[10], D + dt.timedelta(days=7))]  # week 7: one client
    entries += [visit(c, D + dt.timedelta(days=14)) for c in cs[:6]]  # week 8: six
    r = manager_report(first=D, last=D + dt.timedelta(days=20), entries=entries,
                       period=Period.WEEK)
    cells = dict(r.by_period)
    assert cells["2026-W06"].visible == 600
    assert cells["2026-W07"].suppressed
    # the smallest other week is hidden too, so W07 = total - W06 - W08 cannot be done
    assert cells["2026-W08"].suppressed
    assert r.total.visible == 17 * 60


def test_background_work_without_clients_is_not_suppressed() -> None:
    entries = [WorkEntry(kind=WorkKind.BACKGROUND, date=D, minutes=30, channel=Channel.EMAIL)]
    entries += [visit(c, D) for c in clients(5)]
    r = manager_report(first=D, last=D, entries=entries, period=Period.WEEK)
    assert dict(r.by_channel)["email"].background == 30
    assert r.total.background == 30 and r.total.visible == 300


def test_everything_hidden_when_the_whole_range_is_about_few_clients() -> None:
    cs = clients(3)
    r = manager_report(first=D, last=D, entries=[visit(c, D) for c in cs], clients=cs)
    assert r.total.suppressed
    assert all(c.suppressed for _, c in r.by_period + r.by_channel + r.by_party_kind)
    assert all(row.value is None for row in r.indicators)


def test_indicators_first_90_days_interpreter_field_visits() -> None:
    early, late = Client(name="Early", started=dt.date(2026, 1, 10)), Client(
        name="Late", started=dt.date(2025, 1, 1))
    entries = [visit(early, dt.date(2026, 4, 9), 30),  # day 89 of the relationship: early
               visit(early, dt.date(2026, 4, 10), 20),  # day 90: no longer early
               visit(late, dt.date(2026, 3, 1), 45)]
    encounters = [
        Encounter(client=early.id, date=dt.date(2026, 3, 2), minutes=60,
                  place=Place.FIELD_VISIT, interpreter_mode=InterpreterMode.PHONE,
                  interpreter_language="ti"),
        Encounter(client=late.id, date=dt.date(2026, 3, 3), minutes=30),
        Encounter(client=late.id, date=dt.date(2025, 3, 3), minutes=30),  # outside range
    ]
    figures = compute_indicators(first=dt.date(2026, 3, 1), last=dt.date(2026, 4, 30),
                             clients=[early, late], entries=entries, encounters=encounters,
                             plans=[])
    assert (figures.client_minutes.value, figures.early_minutes.value) == (95, 30)
    assert figures.early_minutes.clients == {early.id}
    assert figures.new_clients.value == 0
    assert (figures.encounters.value, figures.interpreted.value,
            figures.field_visits.value) == (2, 1, 1)
    assert dict(figures.interpreted_by_mode)[InterpreterMode.PHONE].value == 1
    assert figures.field_visit_share == 0.5 and figures.interpreted_share == 0.5


def test_encounters_without_work_entries_count_once() -> None:
    c = clients(1)[0]
    e1 = Encounter(client=c.id, date=D, minutes=45, place=Place.PHONE)
    e2 = Encounter(client=c.id, date=D, minutes=30)
    covered = visit(c, D, 30, encounter=e2.id)
    derived = encounter_time([e1, e2], [covered])
    assert [(w.minutes, w.channel, w.source) for w in derived] == [
        (45, Channel.PHONE, f"encounter:{e1.id}")]


def test_circular_referral_flag_history_and_progress_resets() -> None:
    c = clients(1)[0]

    def plan(made: dt.date, status: MeasureStatus, code: str = "work_trial") -> Plan:
        return Plan(client=c.id, made=made, measures=(Measure(code=code, status=status),))

    plans = [plan(dt.date(2025, 1, 1), MeasureStatus.PLANNED),
             plan(dt.date(2025, 4, 1), MeasureStatus.INTERRUPTED),
             plan(dt.date(2025, 8, 1), MeasureStatus.CANCELLED),
             plan(dt.date(2025, 8, 1), MeasureStatus.DONE, "pay_subsidy")]
    flags = circular_referrals(plans)
    assert [(f.code, f.repeats, len(f.history), f.since) for f in flags] == [
        ("work_trial", 3, 3, dt.date(2025, 1, 1))]
    assert circular_referrals(plans, as_of=dt.date(2025, 6, 1)) == []
    progressed = [*plans, plan(dt.date(2025, 10, 1), MeasureStatus.STARTED)]
    assert circular_referrals(progressed) == []
    again = [*progressed, *(plan(dt.date(2026, 1, d), MeasureStatus.PLANNED) for d in (1, 2, 3))]
    assert circular_referrals(again)[0].since == dt.date(2026, 1, 1)


def _identifying(rs: list[object]) -> set[str]:
    """Every identifying value and piece of free text in the demo caseload."""
    out: set[str] = set()
    for r in rs:
        if isinstance(r, Client):
            out |= {r.id, r.name, r.preferred_name, r.phone, r.education, r.work_history,
                    r.notes, r.recognised_skills}
            out |= {t for t in re.split(r"\W+", r.name) if len(t) >= 3}
            if r.birth_date:
                b = r.birth_date
                out |= {b.isoformat(), f"{b.day}.{b.month}.{b.year}", b.strftime("%d.%m.%Y")}
        elif isinstance(r, Encounter):
            out |= {r.situation, r.resources, r.possibilities, r.obstacles_text,
                    r.experiential, r.next_step, r.notes, r.others_present}
            out |= {a.what for a in r.actions}
        elif isinstance(r, WorkEntry):
            out.add(r.what)
        elif isinstance(r, Plan):
            out |= {r.goals, *(m.note for m in r.measures), *(t for _, t in r.sections)}
        elif isinstance(r, Contact):
            out |= {r.name, r.email, r.phone, r.organisation}
    # short fragments of long free text too, in case a writer truncates
    out |= {s[:24] for s in list(out) if len(s) > 24}
    return {s for s in out if s and len(s.strip()) >= 3}


@pytest.fixture(scope="module")
def demo() -> list[object]:
    return list(records("tiny", seed=5, today=dt.date(2026, 11, 27)))


def _export_text(demo: list[object], min_clients: int) -> tuple[str, bytes]:
    entries = [r for r in demo if isinstance(r, WorkEntry)]
    encounters = [r for r in demo if isinstance(r, Encounter)]
    report = manager_report(
        first=dt.date(2024, 1, 3), last=dt.date(2026, 11, 25),
        entries=entries + encounter_time(encounters, entries),
        clients=[r for r in demo if isinstance(r, Client)], encounters=encounters,
        plans=[r for r in demo if isinstance(r, Plan)], period=Period.MONTH,
        min_clients=min_clients)
    tables = manager_tables(report)
    pdf = render_pdf(tables, title="Time and indicators", first=report.first, last=report.last)
    return to_csv(tables), pdf


def _scan(text: str, needles: set[str]) -> list[str]:
    found = []
    for n in needles:
        pattern = r"(?<!\w)" + re.escape(n) + r"(?!\w)"
        if re.search(pattern, text):
            found.append(n)
    return found


@pytest.mark.parametrize("min_clients", [1, 5])
def test_manager_export_has_no_name_birth_date_or_free_text(demo: list[object],
                                                            min_clients: int) -> None:
    csv_text, pdf = _export_text(demo, min_clients)
    needles = _identifying(demo)
    assert len(needles) > 100  # the scan really has something to look for
    assert "total," in csv_text and "period," in csv_text
    assert _scan(csv_text, needles) == []
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext (poppler-utils) is not installed")
    text = subprocess.run(["pdftotext", "-", "-"], input=pdf, capture_output=True,
                          check=True).stdout.decode()
    assert "Indicators" in text
    assert _scan(text, needles) == []


def test_the_scan_would_catch_a_leak(demo: list[object]) -> None:
    client = next(r for r in demo if isinstance(r, Client))
    csv_text, _pdf = _export_text(demo, 5)
    leaked = csv_text + f"client,{client.name},1,2,3,,,\r\n"
    assert client.name in _scan(leaked, _identifying(demo))


def test_party_kinds_and_channels_are_vocabulary_values_only(demo: list[object]) -> None:
    csv_text, _ = _export_text(demo, 5)
    labels = {row.split(",")[1] for row in csv_text.splitlines()[1:]
              if row.startswith(("channel,", "party_kind,"))}
    allowed = {c.label() for c in Channel} | {p.label() for p in PartyKind} | {"No other party"}
    assert labels <= allowed


IDS = [f"client{i:04d}" for i in range(9)]


@settings(max_examples=80, deadline=None)
@given(st.lists(st.builds(
    WorkEntry, kind=st.sampled_from(WorkKind), date=st.dates(D, D + dt.timedelta(days=60)),
    minutes=st.integers(1, 600), client=st.none() | st.sampled_from(IDS),
    channel=st.sampled_from(Channel), party_kind=st.none() | st.sampled_from(PartyKind)),
    max_size=60), st.integers(2, 6))
def test_no_shown_cell_is_about_fewer_than_k_clients(entries: list[WorkEntry], k: int) -> None:
    last = D + dt.timedelta(days=60)
    r = manager_report(first=D, last=last, entries=entries, period=Period.WEEK, min_clients=k)
    for label, cell in r.by_period:
        start = dt.date.fromisocalendar(int(label[:4]), int(label[6:]), 1)
        who = {e.client for e in entries if e.client
               and start <= e.date < start + dt.timedelta(days=7)}
        if not cell.suppressed:
            assert len(who) == 0 or len(who) >= k
    hidden = [c for _, c in r.by_period if c.suppressed]
    assert len(hidden) != 1 or r.total.suppressed  # never a lone hidden cell
    if not r.total.suppressed:
        shown = sum(c.total or 0 for _, c in r.by_period)
        assert shown <= (r.total.total or 0)
