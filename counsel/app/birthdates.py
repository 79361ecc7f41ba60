"""Clients' birth dates by id, for the lists and pickers where many share a name (24
"Sahra Warsame" in a large caseload): one read-only query over the working set."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from counsel.vault.service import Vault

_QUERY = ("SELECT r.record_id, c.birth_date FROM clients c JOIN records r ON r.rowid = c.rowid "
          "WHERE c.birth_date IS NOT NULL AND c.birth_date != ''")


def birth_dates(vault: Vault) -> dict[str, dt.date]:
    out = {}
    for record_id, text in vault.sql(_QUERY):
        try:
            out[record_id] = dt.date.fromisoformat(text)
        except (TypeError, ValueError):
            continue
    return out
