"""The working set's time pieces (table ``wk.pieces``) and each client relationship's
start (``wk.starts``), kept up to date on every write.

A time report sums *pieces*: every saved work entry, and every encounter with minutes that
no work entry accounts for (``work.encounter``), split at midnight (the rule of
:mod:`counsel.timekeeping.split`: a piece on the start day up to midnight, the rest on the
next day).  Splitting, the "accounted for" look-up and the encounter's channel used to be
worked out for every record of the range on every report; here they are worked out once,
when a record is written, so a report is a scan of one day range of this table
(:mod:`counsel.vault.timequeries`).

Columns: ``day``, ``kind`` (an encounter's time is ``visible``), ``channel``,
``party_kind`` ("" for none), ``src`` (the record's working-set rowid), ``client``, ``m``
(minutes on that day), ``lead`` (1: the piece on the start day) and ``author`` ("" for
none).  An entry has at most one piece per day; the key starts with what a report groups
by (day, kind, channel, kind of party), so those sums need no sort.

What changes a record's pieces: the record itself, and for an encounter every work entry
that names it (saved, edited to name another encounter, or deleted).  :func:`refresh` is
given the touched rowids (whose old pieces :func:`forget` removed while their rows were
still there) and the record ids of encounters named by touched entries (before and after
the change), and recomputes exactly those sources.  A bulk load fills the table
once at the end (:func:`fill_all`).

A relationship starts on ``Client.started``, else on the first day with work or an
encounter for the client (:func:`counsel.timekeeping.indicators.relationship_starts`).
:func:`refresh_starts` recomputes it for the clients a write touched (the client record,
or the client of a work entry or encounter before and after the change), each from the
``(client, date)`` indexes.
"""

from __future__ import annotations

import itertools
import json
import sqlite3
from collections.abc import Iterable

#: The pieces of the sources chosen by ``{where}`` (in terms of ``src``), in key order.
_SPLIT = """
WITH ent AS (
  SELECT rowid AS src, client, date, start, minutes, kind, channel, party_kind, author
  FROM work WHERE {where}
  UNION ALL
  SELECT rowid, client, date, start, minutes, 'visible',
         CASE place WHEN 'phone' THEN 'phone' WHEN 'video' THEN 'video' ELSE 'meeting' END,
         NULL, author
  FROM encounters e WHERE {where} AND minutes > 0
    AND NOT EXISTS (SELECT 1 FROM records r JOIN work w ON w.encounter = r.record_id
                    WHERE r.rowid = e.rowid)
), sm AS (
  SELECT *, CASE WHEN start IS NULL THEN NULL ELSE 1440 - (CAST(substr(start, 1, 2) AS INTEGER)
         * 60 + CAST(substr(start, 4, 2) AS INTEGER)) END AS room FROM ent
)
INSERT INTO pieces (day, kind, channel, party_kind, src, client, m, lead, author)
SELECT * FROM (
  SELECT date, COALESCE(kind, ''), COALESCE(channel, ''), COALESCE(party_kind, ''), src, client,
         CASE WHEN room IS NULL OR minutes <= room THEN minutes ELSE room END, 1,
         COALESCE(author, '') FROM sm
  UNION ALL
  SELECT date(date, '+1 day'), COALESCE(kind, ''), COALESCE(channel, ''),
         COALESCE(party_kind, ''), src, client,
         minutes - room, 0, COALESCE(author, '') FROM sm
  WHERE room IS NOT NULL AND minutes > room
) ORDER BY 1, 2, 3, 4, 5
"""

#: Every source's pieces (a bulk load, or a cache of a layout without this table).
FILL_ALL = _SPLIT.format(where="1=1") + ";"

_REFRESH = _SPLIT.format(where="rowid IN (SELECT value FROM json_each(?1))")
#: The pieces of the sources in ?1 (JSON list of rowids) whose rows are still there: on
#: their start day and the day after, found by the table's key (no index of ``src``).
_FORGET = """
DELETE FROM pieces WHERE src IN (SELECT value FROM json_each(?1)) AND day IN (
  SELECT date FROM work WHERE rowid IN (SELECT value FROM json_each(?1))
  UNION SELECT date(date, '+1 day') FROM work WHERE rowid IN (SELECT value FROM json_each(?1))
  UNION SELECT date FROM encounters WHERE rowid IN (SELECT value FROM json_each(?1))
  UNION SELECT date(date, '+1 day') FROM encounters
        WHERE rowid IN (SELECT value FROM json_each(?1)))
"""


def named_encounters(db: sqlite3.Connection, work_rowids: Iterable[int]) -> set[str]:
    """Record ids of the encounters named by these work entries (as they are now)."""
    ids = list(work_rowids)
    if not ids:
        return set()
    return {str(r[0]) for r in db.execute(
        "SELECT encounter FROM work WHERE encounter IS NOT NULL AND rowid IN "
        "(SELECT value FROM json_each(?))", (json.dumps(ids),))}


def forget(db: sqlite3.Connection, rowids: Iterable[int]) -> None:
    """Remove the pieces of these sources; call while their rows are still there."""
    ids = sorted(set(rowids))
    if ids:
        db.execute(_FORGET, (json.dumps(ids),))


def refresh(db: sqlite3.Connection, rowids: Iterable[int], encounters: Iterable[str]) -> None:
    """Recompute the pieces of the records at ``rowids`` (whose old pieces are gone, see
    :func:`forget`) and of the encounters with these record ids (whether a work entry
    accounts for them may have changed)."""
    chosen = set(rowids)
    enc = sorted(set(encounters))
    if enc:
        named = {int(r[0]) for r in db.execute(
            "SELECT rowid FROM records WHERE record_id IN (SELECT value FROM json_each(?))",
            (json.dumps(enc),))}
        forget(db, named - chosen)
        chosen |= named
    if chosen:
        db.execute(_REFRESH, (json.dumps(sorted(chosen)),))


#: The pieces of the sources dated in [?1, ?2) (ISO dates compare as text).
_WINDOW = _SPLIT.format(where="date >= ?1 AND date < ?2")


def fill_all(db: sqlite3.Connection) -> None:
    """Every piece and start from scratch (after a bulk load): what :data:`FILL_ALL` gives,
    made one calendar year of sources at a time — the sort that puts a step's pieces in
    key order holds that year's, not every piece at once (~40 MB less at the peak of a
    first unlock of the large demo vault, three years; months: +0.1 s CPU more for little
    less) — and years in order, so pieces still go in in key order."""
    db.execute("DELETE FROM pieces")
    years = sorted(str(r[0]) for r in db.execute(
        "SELECT DISTINCT substr(date, 1, 4) FROM work WHERE date IS NOT NULL UNION "
        "SELECT DISTINCT substr(date, 1, 4) FROM encounters WHERE date IS NOT NULL"))
    # '' sorts before every date and '\uffff' after: every dated source in one window
    bounds = ["", *years[1:], "\uffff"]
    for low, high in itertools.pairwise(bounds):
        db.execute(_WINDOW, (low, high))
    db.execute(_SPLIT.format(where="date IS NULL"))
    db.execute("DELETE FROM starts")
    db.execute(FILL_STARTS.rstrip(";"))


#: The start of each client relationship among ``{clients}`` (a query of client ids).
_STARTS = """
INSERT INTO starts (client, day)
SELECT c, d FROM (
  SELECT c, COALESCE(
    (SELECT cl.started FROM records r JOIN clients cl ON cl.rowid = r.rowid
     WHERE r.record_id = c AND cl.started IS NOT NULL),
    (SELECT MIN(d) FROM (SELECT MIN(date) AS d FROM work WHERE client = c
                         UNION ALL SELECT MIN(date) FROM encounters WHERE client = c))) AS d
  FROM ({clients}))
WHERE d IS NOT NULL
"""
_EVERY_CLIENT = ("SELECT DISTINCT client AS c FROM (SELECT client FROM work UNION ALL "
                 "SELECT client FROM encounters UNION ALL SELECT r.record_id FROM records r "
                 "JOIN clients cl ON cl.rowid = r.rowid) WHERE client IS NOT NULL")
FILL_STARTS = _STARTS.format(clients=_EVERY_CLIENT) + ";"


def refresh_starts(db: sqlite3.Connection, clients: Iterable[str | None]) -> None:
    """Recompute the relationship start of these clients."""
    ids = json.dumps(sorted({c for c in clients if c}))
    if ids == "[]":
        return
    db.execute("DELETE FROM starts WHERE client IN (SELECT value FROM json_each(?1))", (ids,))
    db.execute(_STARTS.format(clients="SELECT value AS c FROM json_each(?1)"), (ids,))
