"""The working set's layout: its five in-memory databases, their tables and indexes, and
the layout version an unlock cache is checked against (counsel.vault.workingset uses it)."""

from __future__ import annotations

import re

from counsel.vault.workingset_pieces import FILL_ALL, FILL_STARTS

#: Bump when the schema changes: an unlock cache of another layout is then rebuilt.
LAYOUT_VERSION = 17
#: An unlock cache of an older layout is brought up to LAYOUT_VERSION in memory, one step
#: after the other (see :meth:`WorkingSet.from_parts`), instead of rebuilt from every
#: revision; every client's deadlines are then computed again.  Layouts 8-10 were upgraded
#: so; layout 12 keeps each encounter's and work entry's author (teams), which a cache
#: built before it cannot know, so every older cache is rebuilt from the revisions.
#: Layout 13: the deadlines' day index covers what Today counts (upgraded in place).
#: Layout 14: the time pieces (counsel.vault.workingset_pieces), filled in place.
#: Layout 15: the pieces keyed in the order time reports group them, and by client.
#: Layout 16: each client relationship's start (wk.starts), filled in place.
#: Layout 17: the agreed actions in a part of their own (``act``), moved in place.
#: the open agreed actions with a due date (erow: the encounter's row, i: its place in the
#: encounter's actions), so Today counts and ranks them by an index range, not JSON; a part
#: of their own since layout 17 (a fifth of ``enc`` before: smaller parts, lower peaks)
_ACTIONS = """
CREATE TABLE act.actions (
    erow INTEGER NOT NULL, i INTEGER NOT NULL, client TEXT, due TEXT NOT NULL,
    PRIMARY KEY (erow, i)
) WITHOUT ROWID;
CREATE INDEX act.actions_due ON actions(due, client);
-- per client: "has something overdue", counts per group without a sort of every action
CREATE INDEX act.actions_client ON actions(client, due);
"""
_STARTS = """
CREATE TABLE wk.starts (client TEXT PRIMARY KEY, day TEXT NOT NULL) WITHOUT ROWID;
"""
_PIECES = """
CREATE TABLE wk.pieces (day TEXT NOT NULL, kind TEXT NOT NULL, channel TEXT NOT NULL,
    party_kind TEXT NOT NULL, src INTEGER NOT NULL, client TEXT, m INTEGER,
    lead INTEGER NOT NULL, author TEXT NOT NULL,
    PRIMARY KEY (day, kind, channel, party_kind, src)) WITHOUT ROWID;
CREATE INDEX wk.pieces_client ON pieces(client, day, kind, m);
CREATE INDEX wk.pieces_author ON pieces(author, day) WHERE author <> '';
"""
UPGRADABLE: dict[int, str] = {12: """
DROP INDEX main.deadlines_due;
CREATE INDEX main.deadlines_due ON deadlines(due, until, client, source);
""", 13: "", 14: "DROP TABLE IF EXISTS wk.pieces;" + _PIECES + FILL_ALL,
    15: _STARTS + FILL_STARTS,
    16: _ACTIONS.replace(";\nCREATE INDEX", ";\nINSERT INTO act.actions SELECT * FROM enc.actions;"
                         "\nDROP TABLE enc.actions;\nCREATE INDEX", 1) + "VACUUM enc;"}
#: Parts added by a layout: a cache of an older layout has not got them (they start empty,
#: its upgrade fills them)
ADDED_PARTS = {17: ("act",)}

#: The working set is five in-memory databases (``main`` plus three attached), so the
#: encrypted unlock cache can be loaded one part at a time: peak memory is the whole set
#: plus the part being loaded, not twice the whole.  Unqualified table names resolve across
#: attached databases, so queries need not know where a table lives.
PARTS = ("main", "enc", "wk", "fts", "act")

SCHEMA = {
    "main": f"""
PRAGMA main.user_version = {LAYOUT_VERSION};
CREATE TABLE main.records (
    rowid INTEGER PRIMARY KEY, record_id TEXT UNIQUE NOT NULL, kind TEXT NOT NULL,
    rev_id TEXT NOT NULL, client_id TEXT, conflict INTEGER NOT NULL DEFAULT 0, data TEXT
);
CREATE INDEX main.records_kind ON records(kind);
CREATE INDEX main.records_client ON records(client_id);
CREATE TABLE main.clients (
    rowid INTEGER PRIMARY KEY, name TEXT, preferred_name TEXT, sort_key TEXT, birth_date TEXT,
    mother_tongue TEXT, languages TEXT, municipality TEXT, client_type TEXT,
    interpreter_needed INTEGER, interpreter_language TEXT, active INTEGER, permit_date TEXT,
    permit_basis TEXT, started TEXT, literacy TEXT, ended TEXT
);
CREATE INDEX main.clients_sort ON clients(sort_key);
-- each client's computed deadlines (integration path, plans, measures) under the default
-- rules, kept by counsel.vault.deadlines (until: shown only up to that day)
CREATE TABLE main.deadlines (client TEXT NOT NULL, kind TEXT NOT NULL, due TEXT NOT NULL,
    source TEXT NOT NULL, detail TEXT NOT NULL, until TEXT);
-- covering: Today counts a group and lists its clients from the index alone
CREATE INDEX main.deadlines_due ON deadlines(due, until, client, source);
CREATE INDEX main.deadlines_client ON deadlines(client);
-- every plan's measures in the order circular referrals walk them (k: agreed day, plan id,
-- place in the plan), kept with the deadlines (counsel.vault.deadlines)
CREATE TABLE main.measures (client TEXT NOT NULL, made TEXT NOT NULL, k TEXT NOT NULL,
    code TEXT NOT NULL, progressed INTEGER NOT NULL);
CREATE INDEX main.measures_client ON measures(client, code, k);
CREATE VIRTUAL TABLE main.fts_clients USING fts5(title, body, content='', detail=none,
    tokenize="unicode61 remove_diacritics 0");
""",
    "enc": """
CREATE TABLE enc.encounters (
    rowid INTEGER PRIMARY KEY, client TEXT, date TEXT, start TEXT, minutes INTEGER, place TEXT,
    interpreter_mode TEXT, interpreter_language TEXT, given TEXT, obstacles TEXT, actions TEXT,
    author TEXT
);
CREATE INDEX enc.encounters_client ON encounters(client, date);
CREATE INDEX enc.encounters_date ON encounters(date);
-- one member's encounters in a team copy (time reports filtered to the author)
CREATE INDEX enc.encounters_author ON encounters(author, date) WHERE author <> '';
""",
    "act": _ACTIONS,
    "wk": """
CREATE TABLE wk.work (
    rowid INTEGER PRIMARY KEY, client TEXT, date TEXT, start TEXT, minutes INTEGER, kind TEXT,
    channel TEXT, party_kind TEXT, contact TEXT, encounter TEXT, source TEXT, what TEXT,
    author TEXT
);
CREATE INDEX wk.work_client ON work(client, date);
CREATE INDEX wk.work_date ON work(date);
-- encounters a work entry accounts for, looked up per encounter (time reports)
CREATE INDEX wk.work_encounter ON work(encounter) WHERE encounter IS NOT NULL;
CREATE INDEX wk.work_author ON work(author, date) WHERE author <> '';
-- each work entry's and unaccounted encounter's minutes per day (time reports)
""" + _PIECES + _STARTS,
    "fts": """
CREATE VIRTUAL TABLE fts.fts_all USING fts5(title, body, content='', detail=none,
    tokenize="unicode61 remove_diacritics 0");
""",
}


#: (part, index name, statement) of every secondary index: a bulk load drops them and
#: builds them after the inserts (sorting once instead of inserting keys at random)
INDEXES = [(m[1], m[2], m[0]) for part in PARTS
           for m in re.finditer(r"CREATE INDEX (\w+)\.(\w+) ON [^;]*;", SCHEMA[part])]
