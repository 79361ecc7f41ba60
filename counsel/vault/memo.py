"""Answers kept until the working set changes (issue 13: the first second after unlock).

Right after unlock the client list, the quick log and the Plans page each ask for the
whole client list (10k rows: ~100 ms of the one GIL each on the large demo vault), and a
search that goes back to an earlier text asks again.  The answer depends only on the
working set, so it is kept, keyed by the query's arguments, until the working set's
connection has changed any row: SQLite's ``total_changes`` counts every insert, update
and delete made through the connection (saves, sync merges, erasures, rebuilds), so a
write can never be answered with what was true before it.  The counter is read before the
query, under the vault's lock like the query itself, so an answer is never filed under a
later state.  Answers are immutable rows (frozen dataclasses, tuples); callers get their
own list.  Locking the vault drops them (``Reading.forget``): no client names stay in memory.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Hashable
from typing import Any, TypeVar

T = TypeVar("T")

#: distinct questions kept per state (the list, a few searches, the birth dates)
SIZE = 8


class Memo:
    def __init__(self, size: int = SIZE) -> None:
        self.size = size
        self._owner: object = None
        self._changes = -1
        self._answers: dict[Hashable, list[Any]] = {}

    def get(self, db: sqlite3.Connection, owner: object, key: Hashable,
            compute: Callable[[], list[T]]) -> list[T]:
        """``compute()``'s answer for ``key``, computed again only if ``owner`` (the working
        set) was replaced or its connection ``db`` changed a row since it was kept."""
        changes = db.total_changes
        if owner is not self._owner or changes != self._changes:
            self._owner, self._changes, self._answers = owner, changes, {}
        found = self._answers.get(key)
        if found is None:
            found = compute()
            if len(self._answers) >= self.size:
                self._answers.pop(next(iter(self._answers)))
            self._answers[key] = found
        return list(found)

    def clear(self) -> None:
        self._owner, self._changes, self._answers = None, -1, {}
