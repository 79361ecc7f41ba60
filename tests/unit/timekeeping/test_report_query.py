"""Reports computed in SQL (counsel.timekeeping.report_query) equal the record-by-record
computation (reports.time_report, compute_indicators, overview_of, manager_report) on
random work, encounters, clients and plans; ranges are worked through in many steps."""

import dataclasses
import datetime as dt
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from counsel.domain import (
    Channel,
    Client,
    Encounter,
    InterpreterMode,
    Measure,
    MeasureStatus,
    PartyKind,
    Place,
    Plan,
    PlanStatus,
    WorkEntry,
    WorkKind,
)
from counsel.timekeeping import aggregate, report_query
from counsel.timekeeping.indicators import compute_indicators
from counsel.timekeeping.overview import load_sources, overview_of
from counsel.timekeeping.reports import time_report
from counsel.timekeeping.split import Period
from counsel.vault.kdf import KdfParams
from counsel.vault.service import Vault

BASE = dt.date(2026, 1, 26)  # a Monday; ranges below start around it
days = st.integers(-120, 60).map(lambda n: BASE + dt.timedelta(days=n))
times = st.none() | st.builds(dt.time, st.integers(0, 23), st.sampled_from([0, 15, 30, 59]))


@st.composite
def vault_records(draw):
    clients = [Client(name=f"Asiakas {i}", started=draw(st.none() | days))
               for i in range(draw(st.integers(1, 4)))]
    ids = [c.id for c in clients]
    who = st.none() | st.sampled_from(ids)
    records: list = list(clients)
    encounters = []
    for _ in range(draw(st.integers(0, 8))):
        e = Encounter(client=draw(st.sampled_from(ids)), date=draw(days), start=draw(times),
                      minutes=draw(st.sampled_from([0, 30, 90, 600])),
                      place=draw(st.sampled_from(list(Place))),
                      interpreter_mode=draw(st.sampled_from(list(InterpreterMode))),
                      interpreter_language="ar")
        encounters.append(e)
    records += encounters
    for _ in range(draw(st.integers(0, 12))):
        covered = draw(st.none() | st.sampled_from([e.id for e in encounters] or [None]))
        records.append(WorkEntry(
            kind=draw(st.sampled_from(list(WorkKind))), date=draw(days), start=draw(times),
            minutes=draw(st.sampled_from([1, 45, 200, 1439, 1440])), client=draw(who),
            channel=draw(st.sampled_from(list(Channel))),
            party_kind=draw(st.none() | st.sampled_from(list(PartyKind))), encounter=covered))
    for _ in range(draw(st.integers(0, 4))):
        records.append(Plan(
            client=draw(st.sampled_from(ids)), made=draw(days),
            status=draw(st.sampled_from(list(PlanStatus))),
            measures=tuple(Measure(draw(codes), draw(st.sampled_from(list(MeasureStatus))),
                                   start=draw(st.none() | days))
                           for _ in range(draw(st.integers(0, 3))))))
    return records


codes = st.sampled_from(["language_course", "work_trial"])


@pytest.fixture(scope="module")
def mp():
    m = pytest.MonkeyPatch()
    yield m
    m.undo()


@settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                   HealthCheck.function_scoped_fixture])
@given(records=vault_records(), first=days, length=st.integers(0, 100),
       period=st.sampled_from(list(Period)), step=st.integers(1, 40), k=st.integers(1, 3))
def test_sql_reports_equal_record_by_record(mp, records, first, length, period, step, k):
    mp.setattr(report_query, "STEP_DAYS", step)
    last = first + dt.timedelta(days=length)
    with tempfile.TemporaryDirectory() as tmp:
        vault, _code = Vault.create(Path(tmp) / "t.vault", "abcdefghijkl",
                                    kdf=KdfParams.fast_for_tests())
        try:
            vault.save_many(records)
            src = load_sources(vault)
            assert report_query.time_report(vault, first, last, period) == \
                time_report(src.entries, first, last, period)
            assert report_query.indicators(vault, first, last) == compute_indicators(
                first=first, last=last, clients=src.clients, entries=src.entries,
                encounters=src.encounters, plans=src.plans)
            assert report_query.overview(vault, first, last) == overview_of(src, first, last)
            assert report_query.manager_report(vault, first, last, period, k) == \
                aggregate.manager_report(first=first, last=last, entries=src.entries,
                                         clients=src.clients, encounters=src.encounters,
                                         plans=src.plans, period=period, min_clients=k)
        finally:
            vault.lock()


def test_stops_between_steps(tmp_path, monkeypatch):
    vault, _code = Vault.create(tmp_path / "t.vault", "abcdefghijkl",
                                kdf=KdfParams.fast_for_tests())
    monkeypatch.setattr(report_query, "STEP_DAYS", 1)
    asked: list[int] = []

    def stop() -> bool:
        asked.append(1)
        return len(asked) > 3

    with pytest.raises(report_query.Stopped):
        report_query.time_report(vault, BASE, BASE + dt.timedelta(days=30), should_stop=stop)
    assert len(asked) == 4
    vault.lock()


@st.composite
def plans_of(draw, ids):
    out = []
    for _ in range(draw(st.integers(0, 8))):
        out.append(Plan(
            client=draw(st.sampled_from(ids)), made=draw(days),
            status=draw(st.sampled_from(list(PlanStatus))),
            measures=tuple(Measure(draw(codes), draw(st.sampled_from(list(MeasureStatus))),
                                   start=draw(st.none() | days))
                           for _ in range(draw(st.integers(0, 4))))))
    return out


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data(), threshold=st.integers(2, 3))
def test_circular_clients_follow_plan_edits_and_the_unlock_cache(data, threshold):
    """The measures the working set keeps give the clients circular_referrals flags, on
    any day, after plans are edited or deleted and after a trip through the unlock cache."""
    from counsel.timekeeping.circular import circular_referrals, flagged_clients
    from counsel.vault import current

    clients = [Client(name=f"Asiakas {i}") for i in range(data.draw(st.integers(1, 3)))]
    ids = [c.id for c in clients]
    plans = data.draw(plans_of(ids))

    def check(vault):
        for as_of in data.draw(st.lists(days, min_size=1, max_size=3)):
            want = flagged_clients(circular_referrals(vault.all(Plan), threshold=threshold,
                                                      as_of=as_of))
            assert vault.time_queries.circular_clients(as_of, threshold) == want

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "t.vault"
        vault, _code = Vault.create(path, "abcdefghijkl", kdf=KdfParams.fast_for_tests())
        old_min = current.SNAPSHOT_MIN_RECORDS
        current.SNAPSHOT_MIN_RECORDS = 0  # write the unlock cache even for a few records
        try:
            vault.save_many([*clients, *plans])
            check(vault)
            for plan in plans:
                change = data.draw(st.sampled_from(["keep", "edit", "delete"]))
                if change == "delete":
                    vault.delete(plan.id)
                elif change == "edit":
                    vault.save(plan.replace(measures=tuple(
                        dataclasses.replace(
                            m, status=data.draw(st.sampled_from(list(MeasureStatus))))
                        for m in plan.measures)))
            check(vault)
            vault.lock()
            vault = Vault.unlock(path, "abcdefghijkl")
            assert vault.snapshot_seq >= 0  # opened from the cache
            check(vault)
        finally:
            current.SNAPSHOT_MIN_RECORDS = old_min
            vault.lock()
