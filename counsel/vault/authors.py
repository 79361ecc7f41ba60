"""Who wrote a time record in a team's vault.

A team copy (a member's copy of a team vault, ``counsel.teams``) keeps the account it
belongs to in its sync state (:data:`TEAM_ACCOUNT`, written with the member's grant).
Every encounter and work entry saved into such a copy is stamped here, on the one save
path (``Records.save_many``), with its author: a new record gets this account, an edit keeps
the author of the version it replaces — whatever the record in hand says, so the author
is never typed and a colleague's correction does not make the time theirs.  A personal
vault has no team account: its records are left as they are (all of them its owner's).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Sequence

from counsel.domain import Encounter, Record, WorkEntry

TEAM_ACCOUNT = "team.account"  # sync state of a team copy: this member's account
AUTHORED = (Encounter, WorkEntry)


def stamp(records: Sequence[Record], account: str,
          stored: Callable[[str], str | None]) -> list[Record]:
    """``records`` with their authors set (``stored``: the author of the current
    version, None if there is none)."""
    out: list[Record] = []
    for r in records:
        if isinstance(r, AUTHORED):
            before = stored(r.id)
            author = account if before is None else before
            if r.author != author:
                r = dataclasses.replace(r, author=author)
        out.append(r)
    return out
