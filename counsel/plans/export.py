"""Plans as structured JSON and CSV for the national systems.

The records of truth live elsewhere (DOMAIN.md): non-jobseekers' assessments and plans in
the national integration customer data system (ICDS), jobseekers' plans in the employment
services' systems.  Counsel is the counsellor's working tool beside them, so an export
says what it is (``"source"``) and carries what those systems need to take a plan over:
the measure catalogue codes, their employment-service codes, statuses and ISO dates.
Labels are English msgids (stable identifiers for a person reading the file), never
translated, so the same plan always exports the same way.

Free text (section texts, goals, measure notes) is what the counsellor typed, often
health or family details; it is included only when the caller asks for it.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Iterable, Mapping
from typing import Any

from counsel.domain.plan import Measure, Plan
from counsel.plans.catalogue import MeasureType

FORMAT = "counsel.plan-export"
FORMAT_VERSION = 1
SOURCE = "Counsel (counsellor's working tool; not a register)"

CSV_COLUMNS = (
    "plan_id", "client_id", "template", "plan_status", "made", "valid_until", "review",
    "client_language", "measure_code", "service_code", "measure_title", "category",
    "measure_status", "who", "start", "due", "provider",
)
#: spreadsheet programs run a cell starting with one of these as a formula
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _iso(value: dt.date | None) -> str | None:
    return value.isoformat() if value is not None else None


def measure_to_json(measure: Measure, catalogue: Mapping[str, MeasureType], *,
                    include_text: bool = False) -> dict[str, Any]:
    kind = catalogue.get(measure.code)
    data: dict[str, Any] = {
        "code": measure.code,
        "service_code": kind.service_code if kind else None,
        "title": kind.title if kind else None,
        "category": kind.category if kind else None,
        "in_catalogue": kind is not None,
        "status": measure.status.value,
        "who": measure.who,
        "start": _iso(measure.start),
        "due": _iso(measure.due),
        "provider": measure.provider,
    }
    if include_text:
        data["note"] = measure.note
    return data


def plan_to_json(plan: Plan, catalogue: Mapping[str, MeasureType], *,
                 include_text: bool = False) -> dict[str, Any]:
    """A JSON-ready dict of one plan.

    ``include_text`` adds the counsellor's free text (sections, goals, measure notes).
    A measure whose code is not in ``catalogue`` (e.g. an organisation measure since
    removed) is exported with ``"in_catalogue": false`` and no service code.
    """
    data: dict[str, Any] = {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "source": SOURCE,
        "plan_id": plan.id,
        "client_id": plan.client,
        "template": plan.template,
        "status": plan.status.value,
        "client_language": plan.client_language,
        "made": _iso(plan.made),
        "valid_until": _iso(plan.valid_until),
        "review": _iso(plan.review),
        "measures": [measure_to_json(m, catalogue, include_text=include_text)
                     for m in plan.measures],
        "printed": [
            {"at": p.at.isoformat(), "language": p.language, "variant": p.variant,
             "sha256": p.sha256}
            for p in plan.printed
        ],
    }
    if include_text:
        data["goals"] = plan.goals
        data["sections"] = dict(plan.sections)
    return data


def plans_to_json(plans: Iterable[Plan], catalogue: Mapping[str, MeasureType], *,
                  include_text: bool = False,
                  exported_at: dt.datetime | None = None) -> dict[str, Any]:
    """Many plans in one document: ``{"format", "format_version", "source", "exported_at",
    "plans": [...]}`` (each plan as :func:`plan_to_json`)."""
    at = exported_at or dt.datetime.now(dt.UTC)
    return {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "source": SOURCE,
        "exported_at": at.isoformat(timespec="seconds"),
        "plans": [plan_to_json(p, catalogue, include_text=include_text) for p in plans],
    }


def _cell(value: object) -> str:
    text = "" if value is None else str(value)
    if text.startswith(_FORMULA_START):
        return "'" + text
    return text


def plans_to_csv(plans: Iterable[Plan], catalogue: Mapping[str, MeasureType]) -> str:
    """One row per measure (a plan without measures gets one row with empty measure
    columns), columns :data:`CSV_COLUMNS`, ISO dates, UTF-8 text with a header row.

    Cells that a spreadsheet would run as a formula are prefixed with ``'``.
    """
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    for plan in plans:
        head = [plan.id, plan.client, plan.template, plan.status.value, _iso(plan.made),
                _iso(plan.valid_until), _iso(plan.review), plan.client_language]
        if not plan.measures:
            writer.writerow([_cell(v) for v in head] + [""] * (len(CSV_COLUMNS) - len(head)))
            continue
        for measure in plan.measures:
            m = measure_to_json(measure, catalogue)
            row = head + [m["code"], m["service_code"], m["title"], m["category"], m["status"],
                          m["who"], m["start"], m["due"], m["provider"]]
            writer.writerow([_cell(v) for v in row])
    return out.getvalue()
