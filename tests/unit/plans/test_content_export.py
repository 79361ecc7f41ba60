"""Structured JSON / CSV export of plans for the national systems."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json

from counsel.domain import Measure, MeasureStatus, Plan, PlanStatus, new_id
from counsel.domain.plan import PrintRecord
from counsel.plans.export import CSV_COLUMNS, plan_to_json, plans_to_csv
from counsel.plans.templates import load_catalogue

CANARY = "CANARY lost his family, sees a psychologist"


def make_plan(**changes: object) -> Plan:
    values: dict[str, object] = dict(
        client=new_id(),
        status=PlanStatus.AGREED,
        made=dt.date(2026, 3, 2),
        valid_until=dt.date(2027, 3, 1),
        review=dt.date(2026, 9, 1),
        client_language="ar",
        goals="Work as a nurse " + CANARY,
        sections=(("situation", CANARY),),
        measures=(
            Measure(code="integration_training", status=MeasureStatus.STARTED, who="Client",
                    start=dt.date(2026, 4, 1), due=dt.date(2027, 1, 31), provider="Omnia",
                    note=CANARY),
            Measure(code="work_trial", who="=HYPERLINK(\"http://x\")", due=dt.date(2026, 12, 1)),
            Measure(code="retired_org_measure"),
        ),
        printed=(PrintRecord(at=dt.datetime(2026, 3, 2, 10, 30, tzinfo=dt.UTC), language="ar",
                             variant="standard", sha256="ab" * 32),),
    )
    values.update(changes)
    return Plan(**values)  # type: ignore[arg-type]


def test_plan_to_json_carries_service_codes_and_iso_dates() -> None:
    plan = make_plan()
    data = plan_to_json(plan, load_catalogue())
    assert data["plan_id"] == plan.id and data["client_id"] == plan.client
    assert data["made"] == "2026-03-02" and data["review"] == "2026-09-01"
    assert data["status"] == "agreed" and data["template"] == "integration_plan"
    first, second, third = data["measures"]
    assert first["service_code"] == "036/037" and first["status"] == "started"
    assert first["start"] == "2026-04-01" and first["due"] == "2027-01-31"
    assert second["service_code"] == "018" and second["start"] is None
    assert third == third | {"in_catalogue": False, "service_code": None, "title": None}
    assert "not a register" in data["source"]
    assert json.loads(json.dumps(data)) == data


def test_free_text_only_on_request() -> None:
    plan = make_plan()
    assert CANARY not in json.dumps(plan_to_json(plan, load_catalogue()), ensure_ascii=False)
    full = plan_to_json(plan, load_catalogue(), include_text=True)
    assert full["sections"] == {"situation": CANARY}
    assert CANARY in full["goals"] and full["measures"][0]["note"] == CANARY


def test_csv_has_one_row_per_measure_and_a_row_for_a_plan_without_measures() -> None:
    plans = [make_plan(), make_plan(measures=())]
    text = plans_to_csv(plans, load_catalogue())
    rows = list(csv.DictReader(io.StringIO(text)))
    assert list(rows[0]) == list(CSV_COLUMNS)
    assert len(rows) == 4
    assert [r["service_code"] for r in rows[:3]] == ["036/037", "018", ""]
    assert rows[0]["start"] == "2026-04-01" and rows[0]["measure_title"] == "Integration training"
    assert rows[3]["plan_id"] == plans[1].id and rows[3]["measure_code"] == ""
    assert CANARY not in text


def test_csv_defuses_spreadsheet_formulas() -> None:
    rows = list(csv.DictReader(io.StringIO(plans_to_csv([make_plan()], load_catalogue()))))
    assert rows[1]["who"].startswith("'=")


def test_many_plans_in_one_document() -> None:
    from counsel.plans.export import plans_to_json

    plans = [make_plan(), make_plan(measures=())]
    at = dt.datetime(2026, 11, 28, 12, 0, tzinfo=dt.UTC)
    doc = plans_to_json(plans, load_catalogue(), exported_at=at)
    assert doc["exported_at"] == "2026-11-28T12:00:00+00:00"
    assert [p["plan_id"] for p in doc["plans"]] == [p.id for p in plans]
    assert doc["plans"][1]["measures"] == []
    assert json.loads(json.dumps(doc)) == doc
