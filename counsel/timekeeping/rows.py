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


def light_plans(vault: Vault) -> list[LightPlan]:
    """Plans with only what deadlines and circular referrals read (no free text)."""
    out = []
    for (data,) in vault.sql("SELECT data FROM records WHERE kind='plan' ORDER BY rowid"):
        p = json.loads(data)
        ms = tuple(LightMeasure(m["code"], MeasureStatus(m["status"]),
                                date_or_none(m.get("start")), date_or_none(m.get("due")))
                   for m in p.get("measures") or ())
        out.append(LightPlan(p["id"], p["client"], PlanStatus(p["status"]),
                             dt.date.fromisoformat(p["made"]), date_or_none(p.get("valid_until")),
                             date_or_none(p.get("review")), ms))
    return out


def client_names(vault: Vault, ids: Sequence[str]) -> dict[str, str]:
    """Display names of clients (as ``Client.display_name``), read from the client list."""
    wanted = sorted(set(ids))
    out: dict[str, str] = dict.fromkeys(wanted, "")
    for start in range(0, len(wanted), 500):
        part = wanted[start:start + 500]
        for cid, name, preferred in vault.sql(
                "SELECT r.record_id, c.name, c.preferred_name FROM clients c "
                "JOIN records r ON r.rowid=c.rowid "
                f"WHERE r.record_id IN ({','.join('?' * len(part))})", part):
            out[cid] = f"{name} ({preferred})" if preferred and preferred != name else name
    return out


def client_list_names(vault: Vault, ids: Sequence[str]) -> dict[str, str]:
    """Clients' names (``Client.name``, as the time report's client column), by id."""
    wanted = sorted(set(ids))
    out: dict[str, str] = {}
    for start in range(0, len(wanted), 500):
        part = wanted[start:start + 500]
        out.update((str(cid), str(name)) for cid, name in vault.sql(
            "SELECT r.record_id, c.name FROM clients c JOIN records r ON r.rowid=c.rowid "
            f"WHERE r.record_id IN ({','.join('?' * len(part))})", part))
    return out
