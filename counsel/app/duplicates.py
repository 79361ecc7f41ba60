"""Is the client being created probably already in the vault?

Offices meet the same person again after months, under another spelling ("Ahmad
Hassan" / "Ahmed Hasan" / "أحمد حسن").  A probable duplicate is a client whose name
has the same words by their phonetic keys (``textnorm.phonetic_key``) and whose birth
date does not contradict (equal, or missing on either side).  The check only warns:
two people may share a name and a birthday.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from counsel.domain import Client
from counsel.errors import RecordNotFound
from counsel.vault.textnorm import phonetic_key, tokens

if TYPE_CHECKING:
    from counsel.vault.service import Vault

MAX_CANDIDATES = 200


def name_key(name: str) -> tuple[str, ...]:
    return tuple(sorted(phonetic_key(t) or t for t in tokens(name)))


def probable_duplicates(vault: Vault, name: str, birth_date: dt.date | None,
                        exclude: str | None = None) -> list[Client]:
    key = name_key(name)
    if not key:
        return []
    out: list[Client] = []
    # every client's name by its keys (one light query; ten thousand names take
    # milliseconds), so a spelling in another script is found too
    candidates = [c for c in vault.clients("") if c.id != exclude
                  and key in (name_key(c.name), name_key(c.preferred_name))]
    for summary in candidates[:MAX_CANDIDATES]:
        try:
            other = vault.get_typed(Client, summary.id)
        except RecordNotFound:
            continue
        if birth_date and other.birth_date and birth_date != other.birth_date:
            continue
        out.append(other)
    return out
