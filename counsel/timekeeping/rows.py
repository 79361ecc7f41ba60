"""Light rows read from the working set for computations over a whole caseload.

A plan here carries only its dates, status and measures (code, status, start, due) —
what deadlines and circular referrals read — without building the full record, and
client names come from the client list's columns.  Qt-free.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from collections.abc import Sequence
from typing import TYPE_CHECKING

from counsel.domain import MeasureStatus, PlanStatus

if TYPE_CHECKING:
    from counsel.vault.service import Vault


@dataclasses.dataclass(frozen=True, slots=True)
class LightMeasure:
    code: str
    status: MeasureStatus
    start: dt.date | None
    due: dt.date | None


@dataclasses.dataclass(frozen=True, slots=True)
class LightPlan:
    id: str
    client: str
    status: PlanStatus
    made: dt.date
    valid_until: dt.date | None
    review: dt.date | None
    measures: tuple[LightMeasure, ...]


def date_or_none(text: str | None) -> dt.date | None:
    return dt.date.fromisoformat(text) if text else None


_MEASURE_STATUS = {s.value: s for s in MeasureStatus}
_PLAN_STATUS = {s.value: s for s in PlanStatus}


def light_plans(vault: Vault) -> list[LightPlan]:
    """Plans with only what deadlines and circular referrals read (no free text); the
    fields are picked out by SQLite, not by parsing every plan whole here."""
    return [light_plan(row) for row in vault.agenda.plan_rows()]


def light_plan(row: Sequence[str | None]) -> LightPlan:
    """A plan from its row (id, client, status, made, valid until, review, measures as
    JSON), as ``Agenda.plan_rows`` and counsel.vault.deadlines read it."""
    pid, client, status, made, valid_until, review, measures = row
    day = dt.date.fromisoformat
    ms = tuple(LightMeasure(m["code"], _MEASURE_STATUS[m["status"]],
                            day(m["start"]) if m.get("start") else None,
                            day(m["due"]) if m.get("due") else None)
               for m in json.loads(measures or "[]"))
    return LightPlan(str(pid), str(client), _PLAN_STATUS[str(status)], day(str(made)),
                     day(valid_until) if valid_until else None,
                     day(review) if review else None, ms)


def client_names(vault: Vault, ids: Sequence[str]) -> dict[str, str]:
    """Display names of clients (as ``Client.display_name``), read from the client list."""
    return vault.client_names(ids)


def client_list_names(vault: Vault, ids: Sequence[str]) -> dict[str, str]:
    """Clients' names (``Client.name``, as the time report's client column), by id."""
    return vault.client_names(ids, display=False)
