"""Today computed in SQL (counsel.app.today_query) equals the record-by-record computation
(counsel.app.today.compute) cut to the first items of each group, on random caseloads."""

import dataclasses
import datetime as dt
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from counsel.app import today, today_query
from counsel.domain import (
    AgreedAction,
    Client,
    Encounter,
    Measure,
    MeasureStatus,
    Plan,
    PlanStatus,
    Reminder,
    ReminderKind,
)
from counsel.vault.kdf import KdfParams
from counsel.vault.service import Vault

TODAY = dt.date(2026, 3, 2)
days = st.integers(-40, 40).map(lambda n: TODAY + dt.timedelta(days=n))
opt_days = st.none() | days
# few distinct days: many items share a day, so ties at a group's cut are common
near_days = st.none() | st.integers(-2, 2).map(lambda n: TODAY + dt.timedelta(days=n))
codes = st.sampled_from(["integration_training", "civic_orientation", "language_course"])
whats = st.sampled_from(["Soittaa Kelaan", "Tuo todistukset\nkopioitavaksi", "B", "a" * 250,
                         " x\nB"])


@st.composite
def caseload(draw):
    clients = [Client(name=draw(st.sampled_from(["Amina", "Bashir", "Carl"])),
                      preferred_name=draw(st.sampled_from(["", "Ami"])),
                      permit_date=draw(st.none() | st.integers(-1200, 0).map(
                          lambda n: TODAY + dt.timedelta(days=n))),
                      active=draw(st.booleans() | st.just(True)),
                      ended=draw(st.none() | st.just(TODAY)))
               for _ in range(draw(st.integers(1, 5)))]
    records: list = list(clients)
    ids = [c.id for c in clients]
    sources: list[str] = []
    for _ in range(draw(st.integers(0, 6))):
        made = draw(days) - dt.timedelta(days=200)
        measures = tuple(Measure(draw(codes), draw(st.sampled_from(list(MeasureStatus))),
                                 due=draw(opt_days))
                         for _ in range(draw(st.integers(0, 3))))
        plan = Plan(client=draw(st.sampled_from(ids)), made=made,
                    status=draw(st.sampled_from(list(PlanStatus))),
                    review=draw(st.none() | st.just(made + dt.timedelta(days=190))),
                    measures=measures)
        records.append(plan)
        sources += [f"plan_review:{plan.id}", f"plan_end:{plan.id}", f"measure:{plan.id}:0"]
    for _ in range(draw(st.integers(0, 12))):
        actions = tuple(AgreedAction(draw(whats), due=draw(near_days), done=draw(st.booleans()))
                        for _ in range(draw(st.integers(0, 4))))
        enc = Encounter(client=draw(st.sampled_from(ids)), date=TODAY - dt.timedelta(days=9),
                        actions=actions)
        records.append(enc)
        sources += [f"action:{enc.id}:{i}" for i in range(len(actions))]
    sources += [f"integration_training:{i}" for i in ids] + [f"plan_deadline:{i}" for i in ids]
    for _ in range(draw(st.integers(0, 5))):
        source = draw(st.just("") | st.sampled_from(sources))
        records.append(Reminder(due=draw(days), text=draw(whats),
                                kind=ReminderKind.CUSTOM,
                                client=draw(st.none() | st.sampled_from(ids)),
                                done=draw(st.booleans()), source=source))
    return records


def _old(vault, limit):
    items = today.compute(vault, TODAY)
    shown, totals = [], dict.fromkeys(today_query.BUCKETS, 0)
    for item in items:
        totals[item.bucket(TODAY)] += 1
        if totals[item.bucket(TODAY)] <= limit:
            shown.append(item)
    return shown, totals, today.clients_with_due(items, TODAY)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(records=caseload(), limit=st.integers(1, 4))
def test_summary_equals_record_by_record(records, limit):
    with tempfile.TemporaryDirectory() as tmp:
        vault, _code = Vault.create(Path(tmp) / "t.vault", "abcdefghijkl",
                                    kdf=KdfParams.fast_for_tests())
        try:
            vault.save_many(records)
            shown, totals, due_clients = _old(vault, limit)
            got = today_query.summary(vault, TODAY, limit=limit)
        finally:
            vault.lock()
    assert list(got.shown) == shown
    assert got.totals == totals
    assert got.due_clients == due_clients
    assert got.empty == (not shown)


def test_stops_between_steps(tmp_path):
    vault, _code = Vault.create(tmp_path / "t.vault", "abcdefghijkl",
                                kdf=KdfParams.fast_for_tests())
    c = Client(name="Amina")
    vault.save_many([c, Encounter(client=c.id, date=TODAY, actions=(
        AgreedAction("x", due=TODAY),))])
    asked: list[int] = []

    def stop() -> bool:
        asked.append(1)
        return len(asked) > 1

    with pytest.raises(today.Stopped):
        today_query.summary(vault, TODAY, should_stop=stop)
    assert len(asked) == 2
    vault.lock()


def test_client_names_as_display_name(tmp_path):
    vault, _code = Vault.create(tmp_path / "t.vault", "abcdefghijkl",
                                kdf=KdfParams.fast_for_tests())
    a, b = Client(name="Amina Ali", preferred_name="Ami"), Client(name="Bo", preferred_name="Bo")
    vault.save_many([a, b])
    names = today_query.client_names(vault, [a.id, b.id, "missing"])
    assert names == {a.id: a.display_name, b.id: b.display_name, "missing": ""}
    assert dataclasses.asdict(a)["name"] == "Amina Ali"
    vault.lock()


def test_ties_at_the_cut_are_ordered_by_text(tmp_path):
    """Three actions on one day, one row shown: the first by text, as the page sorts."""
    vault, _code = Vault.create(tmp_path / "t.vault", "abcdefghijkl",
                                kdf=KdfParams.fast_for_tests())
    c = Client(name="Amina")
    vault.save_many([c, Encounter(client=c.id, date=TODAY, actions=tuple(
        AgreedAction(w, due=TODAY) for w in ("c", "b", "a")))])
    got = today_query.summary(vault, TODAY, limit=1)
    assert [i.text for i in got.shown] == [today.compute(vault, TODAY)[0].text]
    assert got.shown[0].text.endswith(": a") and got.totals["today"] == 3
    vault.lock()


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(records=caseload(), limit=st.integers(1, 4), data=st.data())
def test_summary_follows_edits_deletes_and_the_unlock_cache(records, limit, data):
    """The agreed actions Today counts are kept up to date when encounters are edited
    (done, another day, actions removed) or deleted, and survive the unlock cache."""
    from counsel.vault import current

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "t.vault"
        vault, _code = Vault.create(path, "abcdefghijkl", kdf=KdfParams.fast_for_tests())
        try:
            vault.save_many(records)
            for enc in [r for r in records if isinstance(r, Encounter)]:
                change = data.draw(st.sampled_from(["keep", "done", "move", "clear", "delete"]))
                if change == "delete":
                    vault.delete(enc.id)
                    continue
                if change == "keep":
                    continue
                actions = () if change == "clear" else tuple(
                    dataclasses.replace(a, done=True) if change == "done"
                    else dataclasses.replace(a, due=data.draw(near_days))
                    for a in enc.actions)
                vault.save(dataclasses.replace(enc, actions=actions))
            shown, totals, due_clients = _old(vault, limit)
            got = today_query.summary(vault, TODAY, limit=limit)
            assert (list(got.shown), got.totals, got.due_clients) == (shown, totals, due_clients)
            old_min = current.SNAPSHOT_MIN_RECORDS
            current.SNAPSHOT_MIN_RECORDS = 0  # write the unlock cache even for a few records
            try:
                vault.lock()
                vault = Vault.unlock(path, "abcdefghijkl")
            finally:
                current.SNAPSHOT_MIN_RECORDS = old_min
            assert vault.snapshot_seq >= 0  # opened from the cache
            got = today_query.summary(vault, TODAY, limit=limit)
            assert (list(got.shown), got.totals, got.due_clients) == (shown, totals, due_clients)
        finally:
            vault.lock()


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(records=caseload(), limit=st.integers(1, 4), data=st.data())
def test_summary_follows_client_and_plan_edits_and_the_unlock_cache(records, limit, data):
    """The per-client deadlines the working set keeps (counsel.vault.deadlines) follow
    edits of clients (permit date, active, ended) and plans (status, dates, measures,
    deletion), before and after a trip through the unlock cache."""
    from counsel.vault import current

    deleted: set[str] = set()

    def edit(vault):
        for rec in [r for r in records if isinstance(r, (Client, Plan))]:
            change = data.draw(st.sampled_from(["keep", "change", "delete"]))
            if change == "keep" or rec.id in deleted or (
                    change == "delete" and isinstance(rec, Client)):
                continue
            if change == "delete":
                vault.delete(rec.id)
                deleted.add(rec.id)
            elif isinstance(rec, Client):
                vault.save(dataclasses.replace(
                    vault.get_typed(Client, rec.id),
                    permit_date=data.draw(st.none() | st.integers(-1200, 0).map(
                        lambda n: TODAY + dt.timedelta(days=n))),
                    active=data.draw(st.booleans()),
                    ended=data.draw(st.none() | st.just(TODAY))))
            else:
                vault.save(dataclasses.replace(
                    rec, status=data.draw(st.sampled_from(list(PlanStatus))),
                    review=data.draw(opt_days),
                    measures=tuple(dataclasses.replace(
                        m, status=data.draw(st.sampled_from(list(MeasureStatus))),
                        due=data.draw(opt_days)) for m in rec.measures)))

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "t.vault"
        vault, _code = Vault.create(path, "abcdefghijkl", kdf=KdfParams.fast_for_tests())
        old_min = current.SNAPSHOT_MIN_RECORDS
        current.SNAPSHOT_MIN_RECORDS = 0  # write the unlock cache even for a few records
        try:
            vault.save_many(records)
            today_query.summary(vault, TODAY, limit=limit)  # the table read once, then edited
            edit(vault)
            want = _old(vault, limit)
            got = today_query.summary(vault, TODAY, limit=limit)
            assert (list(got.shown), got.totals, got.due_clients) == want
            vault.lock()
            vault = Vault.unlock(path, "abcdefghijkl")
            assert vault.snapshot_seq >= 0  # opened from the cache
            got = today_query.summary(vault, TODAY, limit=limit)
            assert (list(got.shown), got.totals, got.due_clients) == want
            edit(vault)  # edits replayed on the cache's table
            want = _old(vault, limit)
            got = today_query.summary(vault, TODAY, limit=limit)
            assert (list(got.shown), got.totals, got.due_clients) == want
        finally:
            current.SNAPSHOT_MIN_RECORDS = old_min
            vault.lock()


def test_other_rules_are_computed_record_by_record(tmp_path):
    """Rules other than the defaults the working set keeps give their own deadlines."""
    from counsel.timekeeping.reminders import DeadlineRules, add_months

    vault, _code = Vault.create(tmp_path / "t.vault", "abcdefghijkl",
                                kdf=KdfParams.fast_for_tests())
    permit = TODAY - dt.timedelta(days=20)
    vault.save(Client(name="Amina", permit_date=permit))
    kind = ReminderKind.INTEGRATION_TRAINING
    default = today_query.summary(vault, TODAY)  # due in ~70 days: beyond the horizon
    assert [i for i in default.shown if i.kind is kind] == []
    got = today_query.summary(vault, TODAY, rules=DeadlineRules(integration_training_months=1))
    assert [i.due for i in got.shown if i.kind is kind] == [add_months(permit, 1)]
    vault.lock()
