"""Deadlines of the integration path, agreed actions and measures."""

from __future__ import annotations

import datetime as dt

from hypothesis import given
from hypothesis import strategies as st

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
from counsel.timekeeping.reminders import DeadlineRules, DueStatus, add_months, compute_reminders

TODAY = dt.date(2026, 3, 10)
ALL = DeadlineRules(horizon_days=5000)


def kinds(items):  # type: ignore[no-untyped-def]
    return {(i.kind, i.due, i.status) for i in items}


def test_new_client_gets_training_and_plan_deadlines() -> None:
    c = Client(name="Amina Yusuf", permit_date=dt.date(2026, 1, 15))
    items = compute_reminders([c], [], [], [], TODAY, ALL)
    assert kinds(items) == {
        (ReminderKind.INTEGRATION_TRAINING, dt.date(2026, 4, 15), DueStatus.UPCOMING),
        (ReminderKind.PLAN_DEADLINE, dt.date(2029, 1, 15), DueStatus.UPCOMING),
    }
    # with the default 60-day horizon only the training start shows
    assert [i.kind for i in compute_reminders([c], [], [], [], TODAY)] == [
        ReminderKind.INTEGRATION_TRAINING]


def test_plan_review_end_measures_and_training_started() -> None:
    c = Client(name="Omar Haji", permit_date=dt.date(2025, 6, 1))
    plan = Plan(client=c.id, status=PlanStatus.AGREED, made=dt.date(2025, 9, 1),
                measures=(Measure(code="integration_training", status=MeasureStatus.STARTED),
                          Measure(code="work_trial", due=dt.date(2026, 3, 20)),
                          Measure(code="pay_subsidy", status=MeasureStatus.DONE,
                                  due=dt.date(2026, 1, 1))))
    items = compute_reminders([c], [plan], [], [], TODAY, ALL)
    assert kinds(items) == {
        (ReminderKind.PLAN_REVIEW, dt.date(2026, 3, 1), DueStatus.OVERDUE),
        (ReminderKind.PLAN_END, dt.date(2026, 9, 1), DueStatus.UPCOMING),
        (ReminderKind.MEASURE_DUE, dt.date(2026, 3, 20), DueStatus.DUE_SOON),
    }
    assert next(i for i in items if i.kind is ReminderKind.MEASURE_DUE).detail == "work_trial"
    assert items[0].kind is ReminderKind.PLAN_REVIEW  # most urgent first


def test_agreed_actions_overrides_and_custom_reminders() -> None:
    c = Client(name="Hodan Ali")
    enc = Encounter(client=c.id, date=dt.date(2026, 3, 1), actions=(
        AgreedAction(what="Bring the Kela decision", due=dt.date(2026, 3, 5), client_step=True),
        AgreedAction(what="Call the school", due=dt.date(2026, 3, 6), done=True),
        AgreedAction(what="Ask about the work trial", due=dt.date(2026, 3, 12)),
    ))
    items = compute_reminders([c], [], [enc], [], TODAY, ALL)
    assert [(i.detail, i.status) for i in items] == [
        ("Bring the Kela decision", DueStatus.OVERDUE),
        ("Ask about the work trial", DueStatus.DUE_SOON)]
    dismiss = Reminder(due=TODAY, text="done", source=items[0].source, done=True, client=c.id)
    snooze = Reminder(due=dt.date(2026, 4, 1), text="later", source=items[1].source, client=c.id)
    own = Reminder(due=dt.date(2026, 3, 11), text="Order interpreter\nfor Friday")
    after = compute_reminders([c], [], [enc], [dismiss, snooze, own], TODAY, ALL)
    assert [(i.detail, i.due, i.status) for i in after] == [
        ("Order interpreter", dt.date(2026, 3, 11), DueStatus.DUE_SOON),
        ("Ask about the work trial", dt.date(2026, 4, 1), DueStatus.UPCOMING)]


def test_inactive_clients_get_no_computed_items() -> None:
    c = Client(name="Ended", permit_date=dt.date(2026, 1, 1), started=dt.date(2026, 1, 2),
               ended=dt.date(2026, 2, 1))
    assert compute_reminders([c], [], [], [], TODAY, ALL) == []


@given(st.dates(dt.date(1990, 1, 1), dt.date(2100, 12, 31)), st.integers(-240, 240))
def test_add_months_lands_in_the_right_month_and_never_overshoots(day: dt.date, n: int) -> None:
    out = add_months(day, n)
    assert (out.year * 12 + out.month) - (day.year * 12 + day.month) == n
    assert out.day == day.day or (out.day < day.day and (out + dt.timedelta(days=1)).day == 1)
