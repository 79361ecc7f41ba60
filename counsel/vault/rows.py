"""Records to working-set rows and back: what is indexed for search, and the records
rebuilt from typed columns (work entries, encounter facts) without any decryption."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable, Sequence
from functools import lru_cache
from typing import Any

from counsel.domain import (
    AgreedAction,
    Channel,
    Client,
    Contact,
    Encounter,
    Given,
    InterpreterMode,
    Obstacle,
    PartyKind,
    Place,
    Plan,
    Record,
    Reminder,
    WorkEntry,
    WorkKind,
)
from counsel.vault import textnorm


def iso(value: Any) -> str | None:
    return None if value is None else value.isoformat()


@lru_cache(maxsize=512)
def _language_names(code: str) -> str:
    """Names of a language in fi, sv and en, so "somali" or "arabia" find speakers."""
    try:
        from babel import Locale

        names = {
            Locale.parse(ui).languages.get(code.split("_")[0], "") for ui in ("fi", "sv", "en")
        }
    except Exception:  # unknown code: the code itself is still indexed
        names = set()
    return " ".join(sorted(n for n in names if n))


def index_text(record: Record | None) -> tuple[str, str]:
    """(title, body) indexed for a record; deterministic (needed for FTS deletes)."""
    if record is None:
        return "", ""
    if isinstance(record, Client):
        langs = " ".join(f"{x.code} {_language_names(x.code)}" for x in record.languages)
        title = " ".join(
            filter(
                None,
                [
                    record.name,
                    record.preferred_name,
                    record.id,
                    langs,
                    record.municipality,
                    record.interpreter_language,
                ],
            )
        )
        body = "\n".join(
            filter(
                None,
                [record.education, record.work_history, record.recognised_skills, record.notes],
            )
        )
    elif isinstance(record, Encounter):
        title, body = "", record.text_for_search()
    elif isinstance(record, Contact):
        title = " ".join(filter(None, [record.name, record.organisation, record.role]))
        body = "\n".join(filter(None, [record.email, record.phone, record.notes]))
    elif isinstance(record, Plan):
        title = ""
        body = "\n".join(
            [record.goals, *(t for _, t in record.sections), *(m.note for m in record.measures)]
        )
    elif isinstance(record, WorkEntry):
        title, body = "", record.what
    elif isinstance(record, Reminder):
        title, body = "", record.text
    else:
        return "", ""
    title = textnorm.normalize(title)
    if isinstance(record, Client):
        # Latin spellings and phonetic keys of the names: "ahmad" finds أحمد and احمد
        terms = textnorm.name_terms(" ".join(filter(None, [record.name, record.preferred_name])))
        title = f"{title} {terms}" if terms else title
    return title, textnorm.normalize(body)


def work_from_row(r: Sequence[Any]) -> WorkEntry:
    return WorkEntry(
        id=r[0],
        client=r[1],
        date=dt.date.fromisoformat(r[2]),
        start=dt.time.fromisoformat(r[3]) if r[3] else None,
        minutes=r[4],
        kind=WorkKind(r[5]),
        channel=Channel(r[6]),
        party_kind=PartyKind(r[7]) if r[7] else None,
        contact=r[8],
        encounter=r[9],
        source=r[10] or "",
        what=r[11] or "",
        author=r[12] or "",
    )


def actions_json(actions: Iterable[AgreedAction]) -> str:
    """Compact rows ``[what, who, due, client_step, done]`` (no repeated key names)."""
    return actions_json_rows([(a.what, a.who, iso(a.due), a.client_step, a.done) for a in actions])


def actions_json_rows(rows: Iterable[tuple[str, str, str | None, bool, bool]]) -> str:
    """:func:`actions_json` of ``(what, who, due as ISO text, client_step, done)`` rows."""
    return json.dumps(
        [[what, who, due, int(step), int(done)] for what, who, due, step, done in rows],
        ensure_ascii=False,
        separators=(",", ":"),
    )


def _actions_from_json(text: str | None) -> tuple[AgreedAction, ...]:
    if not text:
        return ()
    return tuple(
        AgreedAction(what, who, dt.date.fromisoformat(due) if due else None, bool(step), bool(done))
        for what, who, due, step, done in json.loads(text)
    )


def encounter_from_row(r: Sequence[Any]) -> Encounter:
    """An encounter's facts from its columns; the free-text fields are left empty."""
    return Encounter(
        id=r[0],
        client=r[1],
        date=dt.date.fromisoformat(r[2]),
        start=dt.time.fromisoformat(r[3]) if r[3] else None,
        minutes=r[4],
        place=Place(r[5]),
        interpreter_mode=InterpreterMode(r[6]),
        interpreter_language=r[7] or "",
        given=tuple(Given(g) for g in r[8].split(",")) if r[8] else (),
        obstacles=tuple(Obstacle(o) for o in r[9].split(",")) if r[9] else (),
        actions=_actions_from_json(r[10]),
    )
