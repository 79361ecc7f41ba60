"""Working-set helpers shared by the vault tests (importable because pytest puts this
folder on sys.path): a dump of everything a working set holds, random caseloads, and a
caseload with one record of each kind that fills every table."""

from __future__ import annotations

import datetime as dt
from typing import Any

from hypothesis import strategies as st

from counsel.domain import (
    AgreedAction,
    Channel,
    Client,
    Contact,
    Encounter,
    Given,
    InterpreterMode,
    Measure,
    MeasureStatus,
    Obstacle,
    PartyKind,
    Place,
    Plan,
    Reminder,
    ReminderKind,
    WorkEntry,
    WorkKind,
)
from counsel.domain import LanguageSkill as Language
from counsel.vault.workingset import PARTS, WorkingSet

DAY = dt.date(2026, 3, 2)
texts = st.sampled_from(["", "Työnhaku ja kielikurssi", "أحمد يبحث عن عمل", "Straße ½ µ",
                         "ሰላም", "Олена\nпрацює", "a" * 300, "Ää\tÖö"])
lines = st.sampled_from(["", "Somali", "Työkkäri", "عربي"])
days = st.integers(-400, 40).map(lambda n: DAY + dt.timedelta(days=n))


def dump(ws: WorkingSet) -> dict[tuple[str, str], Any]:
    """Everything the working set holds, by (part, table): each table's schema and rows
    (sorted), each full-text index's (term, row) pairs and document sizes.  The b-tree of
    an FTS index (``*_data``, ``*_idx``) depends on how the rows were batched, so it is
    compared through what it answers, not byte for byte."""
    db, out = ws.db, {}
    for part in PARTS:
        objects = db.execute(f"SELECT type, name, sql FROM {part}.sqlite_master").fetchall()
        fts = [n for t, n, sql in objects if t == "table" and sql and "VIRTUAL" in sql]
        for kind, name, sql in objects:
            out[(part, "schema:" + name)] = (kind, sql)
            if kind != "table" or name in fts:
                continue
            if any(name in (f + "_data", f + "_idx") for f in fts):
                continue
            out[(part, name)] = sorted(db.execute(f"SELECT * FROM {part}.{name}"), key=repr)
        for name in fts:
            db.execute(f"CREATE VIRTUAL TABLE temp.v_{name} USING fts5vocab({part}, {name}, "
                       "'instance')")
            out[(part, name)] = sorted(db.execute(f"SELECT term, doc FROM temp.v_{name}"))
            db.execute(f"DROP TABLE temp.v_{name}")
    return out



@st.composite
def caseload(draw: Any) -> list[Any]:
    clients = [Client(name=draw(st.sampled_from(["Amina", "أحمد", "Олена", "Jääskeläinen"])),
                      preferred_name=draw(lines), notes=draw(texts),
                      languages=tuple(Language(c) for c in draw(st.sets(
                          st.sampled_from(["fi", "ar", "so", "ti"]), max_size=2))),
                      permit_date=draw(st.none() | days), ended=draw(st.none() | days))
               for _ in range(draw(st.integers(1, 4)))]
    ids = [c.id for c in clients]
    out: list[Any] = list(clients)
    contact = Contact(name="Kela", notes=draw(texts))
    out.append(contact)
    for _ in range(draw(st.integers(0, 8))):
        mode = draw(st.sampled_from(list(InterpreterMode)))
        out.append(Encounter(
            client=draw(st.sampled_from(ids)), date=draw(days),
            start=draw(st.none() | st.just(dt.time(9, 30))), minutes=draw(st.integers(0, 300)),
            place=draw(st.sampled_from(list(Place))), interpreter_mode=mode,
            interpreter_language="" if mode is InterpreterMode.NONE else "ar",
            others_present=draw(lines),
            given=tuple(draw(st.sets(st.sampled_from(list(Given)), max_size=3))),
            obstacles=tuple(draw(st.lists(st.sampled_from(list(Obstacle)), max_size=2))),
            situation=draw(texts), notes=draw(texts), next_step=draw(texts),
            actions=tuple(AgreedAction(draw(texts.filter(str.strip)), who=draw(lines),
                                       due=draw(st.none() | days), client_step=draw(st.booleans()),
                                       done=draw(st.booleans()))
                          for _ in range(draw(st.integers(0, 3))))))
    for _ in range(draw(st.integers(0, 8))):
        out.append(WorkEntry(
            kind=draw(st.sampled_from(list(WorkKind))), date=draw(days),
            minutes=draw(st.integers(1, 200)), client=draw(st.none() | st.sampled_from(ids)),
            start=draw(st.none() | st.just(dt.time(13, 0))),
            contact=draw(st.none() | st.just(contact.id)),
            party_kind=draw(st.none() | st.sampled_from(list(PartyKind))),
            channel=draw(st.sampled_from(list(Channel))), what=draw(lines),
            source=draw(st.sampled_from(["", "ics:uid-1|"]))))
    for _ in range(draw(st.integers(0, 2))):
        out.append(Plan(client=draw(st.sampled_from(ids)), made=draw(days), goals=draw(texts)))
        out.append(Reminder(due=draw(days), text=draw(lines.filter(bool)),
                            kind=ReminderKind.CUSTOM,
                            client=draw(st.none() | st.sampled_from(ids))))
    return out


def every_kind() -> list[Any]:
    client = Client(name="Jääskeläinen", languages=(Language("fi"),), notes="Työnhaku",
                    permit_date=DAY - dt.timedelta(days=30))
    enc = Encounter(client=client.id, date=DAY, situation="Kielikurssi alkaa",
                    actions=(AgreedAction("Soittaa Kelaan", due=DAY),))
    return [client, Contact(name="Kela"), enc,
            WorkEntry(kind=WorkKind.BACKGROUND, date=DAY, minutes=30, client=client.id,
                      what="Puhelu", encounter=enc.id),
            Plan(client=client.id, made=DAY, goals="Ammatti",
                 measures=(Measure("language_course", MeasureStatus.PLANNED),)),
            Reminder(due=DAY, text="Muista", kind=ReminderKind.CUSTOM)]




#: Turns a working set's agreed actions back into layout 16's (in ``enc``; ``act`` empty),
#: to make caches of layouts before 17 (tests of the upgrades)
AS_LAYOUT_16 = """
CREATE TABLE enc.actions (erow INTEGER NOT NULL, i INTEGER NOT NULL, client TEXT,
    due TEXT NOT NULL, PRIMARY KEY (erow, i)) WITHOUT ROWID;
INSERT INTO enc.actions SELECT * FROM act.actions;
DROP TABLE act.actions;
CREATE INDEX enc.actions_due ON actions(due, client);
CREATE INDEX enc.actions_client ON actions(client, due);
"""
