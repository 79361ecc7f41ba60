"""Frozen values the vault service hands to callers (the UI, the CLI, other areas)."""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import Any

from counsel.domain import Record


@dataclasses.dataclass(frozen=True)
class Saved:
    record_id: str
    rev_id: str
    kind: str


@dataclasses.dataclass(frozen=True)
class ClientSummary:
    id: str
    name: str
    preferred_name: str
    mother_tongue: str | None
    languages: tuple[str, ...]
    municipality: str
    client_type: str
    interpreter_needed: bool
    active: bool
    permit_date: dt.date | None
    conflict: bool


@dataclasses.dataclass(frozen=True)
class EncounterSummary:
    id: str
    client: str
    date: dt.date
    minutes: int
    place: str
    interpreter_mode: str
    given: tuple[str, ...]


@dataclasses.dataclass(frozen=True)
class SearchHit:
    record_id: str
    kind: str
    client_id: str | None
    title: str


@dataclasses.dataclass(frozen=True)
class RevisionInfo:
    rev_id: str
    parents: tuple[str, ...]
    device_id: str
    local_seq: int
    deleted: bool
    record: Record | None
    damaged: str | None = None


@dataclasses.dataclass(frozen=True)
class Damaged:
    record_id: str
    rev_id: str
    kind: str
    reason: str


@dataclasses.dataclass(frozen=True)
class CheckReport:
    revisions: int
    damaged: tuple[Damaged, ...]
    #: what SQLite's ``PRAGMA integrity_check`` found wrong with the file itself
    file_problems: tuple[str, ...] = ()

    @property
    def ok(self) -> bool:
        return not self.damaged and not self.file_problems


@dataclasses.dataclass(frozen=True)
class Draft:
    draft_id: str
    data: dict[str, Any]
    updated: dt.datetime


@dataclasses.dataclass(frozen=True)
class ContactWork:
    """Work logged with a contact (for the contact's history)."""

    date: dt.date
    minutes: int
    channel: str
    client_name: str
    what: str


@dataclasses.dataclass(frozen=True)
class DueAction:
    """An open agreed action of an encounter (``index``: its place in the encounter)."""

    encounter_id: str
    index: int
    client: str
    due: dt.date
    what: str


@dataclasses.dataclass(frozen=True)
class DueActions:
    totals: dict[str, int]  # per group: "overdue", "today", "upcoming"
    rows: tuple[DueAction, ...]  # per group the first ones by day, groups in that order
    due_clients: frozenset[str]  # clients with an action due today or overdue
