"""Working-set rows of encounters and work entries straight from their decoded dicts.

A rebuild of the working set (first unlock on a device) opens every head: on a large
vault 100k encounters and 185k work entries.  Building each as a validated dataclass
only to read a dozen fields back cost a third of the rebuild, so these two kinds go from
the payload dict to rows directly.  Every rule the domain checks for these two types is
checked here too (same limits, same enums, same date range); anything unexpected — a
missing or unknown-typed field, a value the checks here do not cover — raises
:class:`NotFast` and the caller decodes that record the ordinary way, which validates it
fully and marks it damaged if it is.  ``tests/unit/vault/test_bulkrows.py`` compares the
rows with those of the decoded record, and feeds damaged dicts to both.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import Any

from counsel.domain import Encounter, WorkEntry
from counsel.domain.base import MAX_LINE, MAX_TEXT
from counsel.domain.enums import (
    Channel,
    Given,
    InterpreterMode,
    Obstacle,
    PartyKind,
    Place,
    WorkKind,
)
from counsel.vault import textnorm
from counsel.vault.rows import actions_json_rows
from counsel.vault.workingset import Batch


class NotFast(Exception):
    """This dict is not one the fast path handles; decode the record instead."""


_EARLIEST, _LATEST_YEAR = dt.date(1900, 1, 1), 2200
_PLACE = frozenset(Place._value2member_map_)
_MODE = frozenset(InterpreterMode._value2member_map_)
_GIVEN = frozenset(Given._value2member_map_)
_OBSTACLE = frozenset(Obstacle._value2member_map_)
_WORK_KIND = frozenset(WorkKind._value2member_map_)
_CHANNEL = frozenset(Channel._value2member_map_)
_PARTY = frozenset(PartyKind._value2member_map_)
_ENC_TEXT = ("situation", "resources", "possibilities", "obstacles_text", "experiential",
             "next_step", "notes")
#: the order of Encounter.text_for_search
_ENC_SEARCH = (*_ENC_TEXT, "others_present")
_ENC_FIELDS = frozenset(("id", "client", "date", "start", "minutes", "place", "interpreter_mode",
                         "interpreter_language", "others_present", "given", "obstacles",
                         "actions", "author", *_ENC_TEXT))
_WORK_FIELDS = frozenset(("id", "kind", "date", "minutes", "client", "start", "contact",
                          "party_kind", "channel", "what", "encounter", "source", "author"))
#: the same written before records kept their author (it defaults to "")
_BEFORE_AUTHOR = {_ENC_FIELDS: _ENC_FIELDS - {"author"}, _WORK_FIELDS: _WORK_FIELDS - {"author"}}
_ACTION_FIELDS = frozenset(("what", "who", "due", "client_step", "done"))
_ID_CHARS = frozenset("0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ-_")


def _fields_known(data: dict[str, Any], fields: frozenset[str]) -> None:
    # exactly the fields the fast path knows (a payload of another version goes the slow way)
    keys = data.keys()
    if keys != fields and keys != _BEFORE_AUTHOR[fields]:
        raise NotFast


def _text(value: Any, *, line: bool = False, limit: int = MAX_TEXT) -> str:
    if type(value) is not str or "\x00" in value:
        raise NotFast
    if line:
        if len(value) > MAX_LINE or "\n" in value or "\r" in value:
            raise NotFast
    elif len(value) > limit:
        raise NotFast
    return value


def _ident(value: Any, *, optional: bool = False) -> str | None:
    if value is None and optional:
        return None
    if type(value) is not str or not 8 <= len(value) <= 64 or not _ID_CHARS.issuperset(value):
        raise NotFast
    return value


def _date(value: Any, *, optional: bool = False) -> str | None:
    if value is None and optional:
        return None
    if type(value) is not str:
        raise NotFast
    try:
        day = dt.date.fromisoformat(value)
    except ValueError:
        raise NotFast from None
    if day < _EARLIEST or day.year > _LATEST_YEAR:
        raise NotFast
    return day.isoformat()


def _time(value: Any) -> str | None:
    if value is None:
        return None
    if type(value) is not str:
        raise NotFast
    try:
        return dt.time.fromisoformat(value).isoformat()
    except ValueError:
        raise NotFast from None


def _minutes(value: Any, low: int) -> int:
    if type(value) is not int or not low <= value <= 24 * 60:
        raise NotFast
    return value


def _member(value: Any, members: frozenset[str]) -> str:
    if type(value) is not str or value not in members:
        raise NotFast
    return value


def _flag(value: Any) -> bool:
    if type(value) is not bool:
        raise NotFast
    return value


def add_encounter(batch: Batch, rowid: int, record_id: str, rev_id: str,
                  data: dict[str, Any]) -> None:
    """Add an encounter's rows (as :meth:`Batch.add_record` would) or raise NotFast."""
    _fields_known(data, _ENC_FIELDS)
    _ident(data["id"])
    client = _ident(data["client"])
    mode = _member(data["interpreter_mode"], _MODE)
    language = _text(data["interpreter_language"], line=True)
    if mode != InterpreterMode.NONE.value and not language:
        raise NotFast
    _text(data["others_present"], line=True)
    for name in _ENC_TEXT:
        _text(data[name])
    given, obstacles, actions = data["given"], data["obstacles"], data["actions"]
    if type(given) is not list or type(obstacles) is not list or type(actions) is not list:
        raise NotFast
    for g in given:
        _member(g, _GIVEN)
    if len(set(given)) != len(given):
        raise NotFast
    for o in obstacles:
        _member(o, _OBSTACLE)
    compact = []
    for a in actions:
        if type(a) is not dict or a.keys() != _ACTION_FIELDS:
            raise NotFast
        what = _text(a["what"], limit=2000)
        if not what.strip():
            raise NotFast
        compact.append((what, _text(a["who"], line=True), _date(a["due"], optional=True),
                        _flag(a["client_step"]), _flag(a["done"])))
    date = _date(data["date"])
    row = (rowid, client, date, _time(data["start"]), _minutes(data["minutes"], 0),
           _member(data["place"], _PLACE), mode, language, ",".join(given), ",".join(obstacles),
           actions_json_rows(compact) if compact else None,
           _text(data.get("author", ""), line=True))
    batch.records.append((rowid, record_id, Encounter.KIND, rev_id, client, 0, None))
    batch.encounters.append(row)
    batch.actions.extend((rowid, i, client, due) for i, (_w, _who, due, _s, done)
                         in enumerate(compact) if due is not None and not done)
    if batch.defer_bodies:
        batch.unindexed.append((rowid,))
        return
    body = encounter_body(data)
    if body:
        batch.fts_all.append((rowid, "", body))


def encounter_body(data: dict[str, Any]) -> str:
    """What an encounter's dict puts in the note index (as ``index_text`` of the decoded
    encounter): for a dict :func:`add_encounter` took."""
    parts = [data[name] for name in _ENC_SEARCH]
    parts += [a["what"] for a in data["actions"]]
    return textnorm.normalize("\n".join(p for p in parts if p))


def add_work(batch: Batch, rowid: int, record_id: str, rev_id: str,
             data: dict[str, Any]) -> None:
    """Add a work entry's rows (as :meth:`Batch.add_record` would) or raise NotFast."""
    _fields_known(data, _WORK_FIELDS)
    _ident(data["id"])
    client = _ident(data["client"], optional=True)
    party = data["party_kind"]
    what = _text(data["what"], line=True)
    row = (rowid, client, _date(data["date"]), _time(data["start"]),
           _minutes(data["minutes"], 1), _member(data["kind"], _WORK_KIND),
           _member(data["channel"], _CHANNEL),
           None if party is None else _member(party, _PARTY),
           _ident(data["contact"], optional=True), _ident(data["encounter"], optional=True),
           _text(data["source"], line=True), what, _text(data.get("author", ""), line=True))
    batch.records.append((rowid, record_id, WorkEntry.KIND, rev_id, client, 0, None))
    batch.work.append(row)
    body = textnorm.normalize(what)
    if body:
        batch.fts_all.append((rowid, "", body))


#: kind → fast row builder; a type whose fields changed is left to the ordinary decoding
#: until this module learns its new fields
FAST = {kind: add for kind, add, cls, fields in (
    (Encounter.KIND, add_encounter, Encounter, _ENC_FIELDS),
    (WorkEntry.KIND, add_work, WorkEntry, _WORK_FIELDS))
    if frozenset(f.name for f in dataclasses.fields(cls)) == fields}
