"""The today view's items: whole caseload at once and client by client agree."""

import datetime as dt

import pytest

from counsel.app import today
from counsel.domain import AgreedAction, Client, Encounter, Plan, PlanStatus, Reminder, ReminderKind
from counsel.vault.kdf import KdfParams
from counsel.vault.service import Vault

TODAY = dt.date(2026, 3, 2)


@pytest.fixture
def vault(tmp_path):
    v, _code = Vault.create(tmp_path / "t.vault", "abcdefghijkl", kdf=KdfParams.fast_for_tests())
    a = Client(name="Amina", permit_date=TODAY - dt.timedelta(days=80))
    b = Client(name="Bashir", permit_date=TODAY - dt.timedelta(days=400))
    gone = Client(name="Old", active=False)
    calm = Client(name="Carl")  # no permit date, nothing agreed: nothing due
    v.save_many([
        a, b, gone, calm,
        Encounter(client=a.id, date=TODAY - dt.timedelta(days=5), actions=(
            AgreedAction("Soittaa Kelaan", due=TODAY), AgreedAction("Done", due=TODAY,
                                                                    done=True))),
        Plan(client=b.id, status=PlanStatus.AGREED, made=TODAY - dt.timedelta(days=200),
             review=TODAY + dt.timedelta(days=3)),
        Reminder(due=TODAY - dt.timedelta(days=1), text="Own reminder", client=gone.id),
        Reminder(due=TODAY, text="No client"),
        Reminder(due=TODAY, text="Finished", client=a.id, done=True),
    ])
    yield v
    v.lock()


def _key(items):
    return sorted((i.due, i.kind, i.client_id, i.text) for i in items)


def test_by_client_equals_whole_caseload(vault):
    whole = today.compute(vault, TODAY)
    assert _key(today.compute_by_client(vault, TODAY)) == _key(whole)
    texts = {i.text for i in whole}
    assert any("Soittaa Kelaan" in t for t in texts)
    assert "Own reminder" in texts and "No client" in texts and "Finished" not in texts
    assert not any(t.endswith(": Done") for t in texts)
    kinds = {i.kind for i in whole}
    assert ReminderKind.PLAN_REVIEW in kinds and ReminderKind.INTEGRATION_TRAINING in kinds


def test_buckets_and_due_clients(vault):
    items = today.compute(vault, TODAY)
    buckets = {i.bucket(TODAY) for i in items}
    assert {"overdue", "today", "upcoming"} <= buckets
    due = today.clients_with_due(items, TODAY)
    names = {vault.get_typed(Client, c).name for c in due}
    # Amina: action due today; Bashir: training overdue (permit 400 days ago);
    # Old: own reminder overdue even though inactive
    assert names == {"Amina", "Bashir", "Old"}


def test_mark_done_dismisses_a_computed_item(vault):
    item = next(i for i in today.compute(vault, TODAY) if i.kind is ReminderKind.PLAN_REVIEW)
    vault.save(today.mark_done(item))
    assert all(i.source != item.source for i in today.compute(vault, TODAY))


def test_measure_codes_shown_by_name():
    from counsel.i18n import set_language

    set_language("fi")
    try:
        assert today.measure_title("integration_training") == "Kotoutumiskoulutus"
    finally:
        set_language("en")
    assert today.measure_title("integration_training") == "Integration training"
    assert today.measure_title("no_such_code") == "no_such_code"
