"""The note index's second pass (counsel.vault.current.Current.finish_index): a rebuild of
a large vault leaves encounters' note text out of the index until the client list is
ready; a search meanwhile is never silently short, edits during the pass index what they
save, the unlock cache is only ever sealed complete, and nothing reaches the disk in
plaintext."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import pytest
from test_rebuild import both_ways
from wshelp import DAY, every_kind

from counsel.domain import Client, Encounter
from counsel.vault import current, rebuild, snapshot
from counsel.vault.kdf import KdfParams
from counsel.vault.service import Vault
from counsel.vault.workingset import WorkingSet

PASS = "correct horse battery"
WORD = "kielikurssiltaan"  # in one encounter's note only


@pytest.fixture
def deferred(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every rebuild defers the note text; the background pass does not run by itself."""
    monkeypatch.setattr(rebuild, "DEFER_MIN", 0)
    monkeypatch.setattr(current.Current, "_index_in_background", lambda self: None)


def _caseload(n: int = 30) -> list[Any]:
    client = Client(name="Testi Asiakas")
    encs = [Encounter(client=client.id, date=DAY, situation=f"tapaaminen {i}",
                      notes=WORD if i == 7 else "") for i in range(n)]
    return [client, *encs]


def _vault_without_cache(path: Path, recs: list[Any]) -> Vault:
    vault, _code = Vault.create(path, PASS, kdf=KdfParams.fast_for_tests())
    vault.save_many(recs)
    vault.lock()
    snapshot.remove(snapshot.cache_path(path))
    return Vault.unlock(path, PASS)


def test_a_search_during_the_pass_is_not_silently_empty(tmp_path: Path, deferred: None) -> None:
    recs = _caseload()
    vault = _vault_without_cache(tmp_path / "v.vault", recs)
    try:
        assert vault.notes_to_index == 30  # the rebuild left them for the second pass
        hits = vault.search(WORD)
        assert [h.record_id for h in hits] == [recs[8].id]
        assert vault.notes_to_index == 0
        assert len(vault.search("tapaaminen")) == 30
    finally:
        vault.lock()


def test_after_the_pass_the_index_equals_a_fully_indexed_one(vault: Vault, deferred: None) -> None:
    vault.save_many(every_kind() + _caseload())
    cur = vault._current
    cur.ws.close()
    cur.ws = WorkingSet()
    cur._rebuild()
    assert cur.ws.unindexed
    with pytest.raises(RuntimeError):  # never sealed with notes missing from the index
        next(cur.ws.to_parts())
    bulk, one, _b, _o = both_ways(vault)  # (finishes the pass before comparing)
    assert bulk == one


def test_edits_and_deletes_during_the_pass(tmp_path: Path, deferred: None) -> None:
    """An encounter changed or deleted before its text was indexed: no entry for text it
    never had in the index is deleted from it (which would damage a contentless index),
    the new text is found, the old is not."""
    recs = _caseload()
    vault = _vault_without_cache(tmp_path / "v.vault", recs)
    try:
        vault.save(recs[8].replace(notes="vaihdettu teksti"))
        vault.delete(recs[9].id)
        vault.save(Encounter(client=recs[0].id, date=DAY, notes="uusi muistiinpano"))
        assert vault.notes_to_index == 28
        assert vault.search(WORD) == []
        assert [h.record_id for h in vault.search("vaihdettu")] == [recs[8].id]
        assert len(vault.search("uusi")) == 1
        assert len(vault.search("tapaaminen")) == 29
        with vault.store.lock:
            vault._current.finish_index()
            passed = index_of(vault._current.ws)
        assert passed == _fully_indexed(vault)
        assert ("fts_all", WORD, recs[8].id) not in passed
    finally:
        vault.lock()


def index_of(ws: WorkingSet) -> list[tuple[str, str, str]]:
    """(table, term, record id) of every entry of both full-text indexes: comparable
    between working sets whose rowids differ."""
    out = []
    for part, table in (("main", "fts_clients"), ("fts", "fts_all")):
        ws.db.execute(f"CREATE VIRTUAL TABLE temp.v USING fts5vocab({part}, {table}, "
                      "'instance')")
        out += [(table, t, r) for t, r in ws.db.execute(
            "SELECT v.term, r.record_id FROM temp.v v JOIN records r ON r.rowid=v.doc")]
        ws.db.execute("DROP TABLE temp.v")
    return sorted(out)


def _fully_indexed(vault: Vault) -> list[tuple[str, str, str]]:
    cur = vault._current
    with vault.store.lock:
        cur.finish_index()
        cur.ws.close()
        cur.ws = WorkingSet()
        cur._rebuild_one_by_one()
        return index_of(cur.ws)


def _plaintext_on_disk(folder: Path, words: list[str]) -> list[str]:
    found = []
    for f in folder.rglob("*"):
        if f.is_file():
            data = f.read_bytes()
            found += [f"{f.name}: {w}" for w in words if w.encode() in data]
    return found


def test_a_lock_during_the_pass_seals_a_complete_cache(tmp_path: Path, deferred: None,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(current, "SNAPSHOT_MIN_RECORDS", 1)
    recs = _caseload()
    path = tmp_path / "v.vault"
    vault = _vault_without_cache(path, recs)
    assert vault.notes_to_index == 30
    vault.lock()  # mid-pass
    assert snapshot.cache_path(path).exists()
    assert _plaintext_on_disk(tmp_path, [WORD, "tapaaminen", "Testi Asiakas"]) == []
    again = Vault.unlock(path, PASS)
    try:
        assert again.snapshot_seq >= 0 and again.notes_to_index == 0  # from the cache
        assert [h.record_id for h in again.search(WORD)] == [recs[8].id]
    finally:
        again.lock()


def test_a_crash_during_the_pass_leaves_no_plaintext_and_the_next_unlock_finishes(
        tmp_path: Path, deferred: None) -> None:
    recs = _caseload()
    path = tmp_path / "v.vault"
    vault = _vault_without_cache(path, recs)
    assert vault.notes_to_index == 30
    vault.store.conn.close()  # the process dies: nothing more is written
    assert not snapshot.cache_path(path).exists()
    assert _plaintext_on_disk(tmp_path, [WORD, "tapaaminen", "Testi Asiakas"]) == []
    again = Vault.unlock(path, PASS)
    try:
        assert again.notes_to_index == 30
        assert [h.record_id for h in again.search(WORD)] == [recs[8].id]
    finally:
        again.lock()


def test_the_background_pass_indexes_everything(tmp_path: Path,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(rebuild, "DEFER_MIN", 0)
    monkeypatch.setattr(current, "INDEX_STEP", 7)
    recs = _caseload()
    vault = _vault_without_cache(tmp_path / "v.vault", recs)
    try:
        for _ in range(2000):  # a wait, not a timing: the pass runs in its own thread
            if not vault.notes_to_index:
                break
            time.sleep(0.01)
        assert vault.notes_to_index == 0
        with vault.store.lock:
            passed = index_of(vault._current.ws)
        assert ("fts_all", WORD, recs[8].id) in passed
        assert passed == _fully_indexed(vault)
    finally:
        vault.lock()


def test_a_search_waits_in_steps_that_let_other_work_in(tmp_path: Path, deferred: None,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    """The search indexes the rest step by step, holding the vault's lock only for each
    step (a save or a page's query can run in between), not for the whole pass."""
    import re

    monkeypatch.setattr(current, "INDEX_STEP", 1)  # 5 encounters a step
    recs = _caseload()
    vault = _vault_without_cache(tmp_path / "v.vault", recs)
    held: list[int] = []
    real = current.Current.index_step

    def step(self: current.Current) -> None:
        held.append(int(re.search(r"count=(\d+)", repr(vault._lock)).group(1)))  # type: ignore[union-attr]
        real(self)

    monkeypatch.setattr(current.Current, "index_step", step)
    try:
        assert [h.record_id for h in vault.search(WORD)] == [recs[8].id]
        assert len(held) == 6 and set(held) == {1}
    finally:
        vault.lock()
    assert vault.notes_to_index == 0
