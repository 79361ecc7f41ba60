"""The bulk rebuild of the working set (counsel.vault.rebuild) builds the same working set,
row for row and column for column, as the record-by-record rebuild — on random caseloads
with edits, deletes, conflicts, an erased client and payloads that fail validation."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import tempfile
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from wshelp import DAY, caseload, dump, every_kind

from counsel.domain import (
    AgreedAction,
    Client,
    Encounter,
    Given,
    InterpreterMode,
    Obstacle,
    Plan,
    WorkEntry,
    WorkKind,
)
from counsel.vault import deadlines, rebuild, records
from counsel.vault.kdf import KdfParams
from counsel.vault.service import Vault
from counsel.vault.workingset import WorkingSet

PASS = "correct horse battery"


def both_ways(vault: Vault) -> tuple[dict, dict, dict, dict]:
    """(bulk dump, record-by-record dump, bulk damaged, record-by-record damaged)."""
    cur = vault._current
    results = []
    for way in (cur._rebuild, cur._rebuild_one_by_one):
        cur.ws.close()
        cur.ws, cur.damaged, cur.waiting = WorkingSet(), {}, set()
        way()
        stale = set(cur.ws.stale_deadlines)
        cur.finish_index()  # (a large vault's note text is indexed in a second pass)
        deadlines.bring_up_to_date(cur.ws)  # (the deadlines table is filled when first read)
        results.append((dump(cur.ws), dict(cur.damaged), set(cur.waiting), stale))
    (bulk, bulk_damaged, bulk_waiting, bulk_stale), (one, one_damaged, one_waiting, one_stale) = \
        results
    assert bulk_waiting == one_waiting
    assert bulk_stale == one_stale
    return bulk, one, bulk_damaged, one_damaged


#: payload changes the fast row builders must hand back to the full decoding: some make the
#: record invalid (damaged both ways), some are still valid (a newer version's extra field)
DAMAGE = [
    ("minutes", 5000), ("minutes", True), ("minutes", "45"), ("place", "moon"),
    ("date", "2026-13-01"), ("date", "1899-12-31"), ("date", None), ("start", "25:00"),
    ("client", "short"), ("client", None),
    ("given", ["advice", "advice"]), ("given", "advice"), ("obstacles", ["nope"]), ("notes", 7),
    ("notes", "a\x00b"), ("others_present", "two\nlines"), ("interpreter_language", ""),
    ("actions", [{"what": " ", "who": "", "due": None, "client_step": False, "done": False}]),
    ("actions", [{"what": "x", "who": "", "due": "2026-01-01", "client_step": 1, "done": False}]),
    ("actions", [{"what": "x"}]), ("newer_field", "kept by a newer version"), ("what", "a\nb"),
    ("kind", "holiday"), ("channel", None), ("party_kind", "alien"), ("contact", 12),
    ("source", "x" * 600), ("minutes", 0), ("id", "not an id!"),
]


def _save_damaged(vault: Vault, record: Any, field: str, value: Any, monkeypatch: Any) -> None:
    """Save ``record`` with one field of its sealed payload replaced by ``value``."""
    real = records.encode

    def encode(rec: Any) -> bytes:
        body = json.loads(real(rec))
        if field in body["data"] or field == "newer_field":
            body["data"][field] = value
        return json.dumps(body, ensure_ascii=False).encode()

    with monkeypatch.context() as m:
        m.setattr(records, "encode", encode)
        vault.save(record)


@settings(max_examples=30, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(recs=caseload(), data=st.data())
def test_bulk_rebuild_equals_record_by_record(recs: list[Any], data: Any,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        vault, _code = Vault.create(Path(tmp) / "v.vault", PASS, kdf=KdfParams.fast_for_tests())
        try:
            vault.save_many(recs)
            if data.draw(st.booleans()):
                vault.erase_client(recs[0].id)
            others = [r for r in recs if isinstance(r, (Encounter, WorkEntry, Plan))]
            changed = data.draw(st.lists(st.sampled_from(others), max_size=4,
                                         unique_by=lambda r: r.id)) if others else []
            for rec in changed:
                action = data.draw(st.sampled_from(["edit", "delete", "conflict", "damage"]))
                if vault._current.ws.row(rec.id) is None:
                    continue
                if action == "edit" and isinstance(rec, Encounter):
                    vault.save(rec.replace(notes="muokattu"))
                elif action == "edit" and isinstance(rec, Plan):
                    vault.save(rec.replace(goals="muokattu"))
                elif action == "delete":
                    vault.delete(rec.id)
                elif action == "conflict":  # a second leaf beside the current one
                    head = vault._current._store.heads(rec.id)[0]
                    rev = vault._records._revision(rec.id, rec.KIND, head.key_id, head.parents,
                                                   rec.replace(id=rec.id))
                    vault._current._store.insert_revisions([rev], outbox=True)
                elif action == "damage":
                    field, value = data.draw(st.sampled_from(DAMAGE))
                    _save_damaged(vault, rec, field, value, monkeypatch)
            bulk, one, bulk_damaged, one_damaged = both_ways(vault)
            assert bulk_damaged.keys() == one_damaged.keys()
            assert bulk.keys() == one.keys()
            for key in one:
                assert bulk[key] == one[key], key
        finally:
            vault.lock()


def test_the_comparison_sees_every_table_and_column(vault: Vault) -> None:
    """Each table holds rows in this caseload, and changing any one column of one row (or
    adding a document to a full-text index) makes the dumps differ — the equivalence test
    above cannot pass by comparing nothing."""
    vault.save_many(every_kind())
    deadlines.bring_up_to_date(vault._current.ws)
    before = dump(vault._current.ws)
    db = vault._current.ws.db
    tables = [k for k in before if not k[1].startswith("schema:")]
    assert {"records", "clients", "encounters", "actions", "work", "fts_all",
            "fts_clients"} <= {t for _p, t in tables}
    for part, table in tables:
        assert before[(part, table)], f"{table} is empty: nothing would be compared"
        sql = db.execute(f"SELECT sql FROM {part}.sqlite_master WHERE name=?", (table,)).fetchone()
        if table.endswith("_config"):
            continue  # FTS5's own version row: compared by the dump, but FTS5 stops if changed
        db.execute("SAVEPOINT probe")
        if "VIRTUAL" in (sql[0] or ""):
            db.execute(f"INSERT INTO {part}.{table}(rowid, title, body) VALUES (99999, 'x', 'y')")
            assert dump(vault._current.ws) != before, table
        else:
            for _cid, col, ctype, _nn, _dflt, pk in db.execute(
                    f"PRAGMA {part}.table_info({table})").fetchall():
                change = f"{col} + 100000" if pk and ctype == "INTEGER" else \
                    f"COALESCE({col}, '') || 'x'"
                db.execute("SAVEPOINT col")
                db.execute(f"UPDATE {part}.{table} SET {col} = {change} WHERE rowid IN "
                           f"(SELECT rowid FROM {part}.{table} LIMIT 1)"
                           if "WITHOUT ROWID" not in sql[0] else
                           f"UPDATE {part}.{table} SET {col} = {change}")
                assert dump(vault._current.ws) != before, (table, col)
                db.execute("ROLLBACK TO col")
                db.execute("RELEASE col")
        db.execute("ROLLBACK TO probe")
        db.execute("RELEASE probe")
    assert dump(vault._current.ws) == before


def test_every_kind_rebuilds_the_same_and_reports_progress(vault: Vault) -> None:
    vault.save_many(every_kind() * 1)
    seen: list[tuple[int, int]] = []
    vault._current.progress = lambda done, total: seen.append((done, total))
    bulk, one, _b, _o = both_ways(vault)
    assert bulk == one
    assert seen and seen[-1][0] == seen[-1][1] == vault._current._store.count_heads()


def test_a_damaged_envelope_is_damaged_both_ways(vault: Vault) -> None:
    recs = every_kind()
    vault.save_many(recs)
    enc = recs[2]
    head = vault._current._store.heads(enc.id)[0]
    bad = bytearray(head.envelope)
    bad[-1] ^= 1
    vault._current._store.conn.execute("UPDATE revisions SET envelope=? WHERE rev_id=?",
                              (bytes(bad), head.rev_id))
    bulk, one, bulk_damaged, one_damaged = both_ways(vault)
    assert set(bulk_damaged) == set(one_damaged) == {enc.id}
    assert bulk == one


def test_batches_commit_as_they_go(vault: Vault, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(rebuild, "BATCH", 2)
    vault.save_many(every_kind())
    bulk, one, _b, _o = both_ways(vault)
    assert bulk == one


def test_fields_the_fast_rows_know_are_the_types_fields() -> None:
    from counsel.vault import bulkrows

    assert set(bulkrows.FAST) == {Encounter.KIND, WorkEntry.KIND}
    assert bulkrows._ENC_FIELDS == {f.name for f in dataclasses.fields(Encounter)}


@pytest.mark.parametrize(("field", "value"), DAMAGE)
def test_each_damage_is_judged_the_same_both_ways(vault: Vault, field: str, value: Any,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    client = Client(name="Hodan Warsame")
    enc = Encounter(client=client.id, date=DAY, interpreter_mode=InterpreterMode.PHONE,
                    interpreter_language="so", given=(Given.INFORMATION,),
                    obstacles=(Obstacle.PERSON_LOW_PAY,),
                    situation="Etsii työtä", start=dt.time(10, 0),
                    actions=(AgreedAction("Soittaa", due=DAY),))
    work = WorkEntry(kind=WorkKind.VISIBLE, date=DAY, minutes=45, client=client.id,
                     encounter=enc.id, what="Tapaaminen", start=dt.time(10, 0))
    vault.save_many([client])
    for rec in (enc, work):
        _save_damaged(vault, rec, field, value, monkeypatch)
    bulk, one, bulk_damaged, one_damaged = both_ways(vault)
    assert bulk_damaged.keys() == one_damaged.keys()
    assert bulk == one
