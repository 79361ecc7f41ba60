"""Light rows read from the working set for computations over a whole caseload.

A plan here carries only its dates, status and measures (code, status, start, due) —
what deadlines and circular referrals read — without building the full record, and
client names come from the client list's columns.  Qt-free.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Sequence
from typing import TYPE_CHECKING

from counsel.domain import MeasureStatus, Plan, PlanStatus

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


def light_plans(vault: Vault) -> list[LightPlan]:
    """Plans with only what deadlines and circular referrals read (no free text)."""
    out = []
    for p in vault.record_dicts(Plan):
        ms = tuple(LightMeasure(m["code"], MeasureStatus(m["status"]),
                                date_or_none(m.get("start")), date_or_none(m.get("due")))
                   for m in p.get("measures") or ())
        out.append(LightPlan(p["id"], p["client"], PlanStatus(p["status"]),
                             dt.date.fromisoformat(p["made"]), date_or_none(p.get("valid_until")),
                             date_or_none(p.get("review")), ms))
    return out


def client_names(vault: Vault, ids: Sequence[str]) -> dict[str, str]:
    """Display names of clients (as ``Client.display_name``), read from the client list."""
    return vault.client_names(ids)


def client_list_names(vault: Vault, ids: Sequence[str]) -> dict[str, str]:
    """Clients' names (``Client.name``, as the time report's client column), by id."""
    return vault.client_names(ids, display=False)
