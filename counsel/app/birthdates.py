"""Clients' birth dates by id, for the lists and pickers where many share a name (24
"Sahra Warsame" in a large caseload): one named query over the working set."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from counsel.vault.service import Vault

def birth_dates(vault: Vault) -> dict[str, dt.date]:
    out = {}
    for record_id, text in vault.client_birth_dates():
        try:
            out[record_id] = dt.date.fromisoformat(text)
        except (TypeError, ValueError):
            continue
    return out
