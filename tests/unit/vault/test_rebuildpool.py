"""The rebuild spread over helper processes (counsel.vault.rebuildpool) builds the same
working set, row for row, as the record-by-record rebuild; it falls back to the vault's own
process when the helpers cannot start or stop half-way; the keys never reach a helper's
command line or environment."""

from __future__ import annotations

import datetime as dt
import subprocess
import tempfile
import time
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_rebuild import DAMAGE, PASS, _save_damaged, both_ways
from wshelp import caseload, every_kind

from counsel.domain import Encounter, Plan, WorkEntry
from counsel.vault import rebuild, rebuildpool
from counsel.vault.kdf import KdfParams
from counsel.vault.service import Vault
from counsel.vault.workingset import WorkingSet


@pytest.fixture
def chunks(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Every rebuild goes through the helpers, in chunks of 3 records; the list collects
    how many chunks each rebuild got from them (so a test sees they were used)."""
    monkeypatch.setattr(rebuildpool, "POOL_MIN", 0)
    monkeypatch.setattr(rebuild, "DEFER_MIN", 0)  # the helpers leave note text for later
    monkeypatch.setattr(rebuildpool, "CHUNK", 3)
    monkeypatch.setattr(rebuildpool, "workers_wanted", lambda: 2)
    got: list[int] = []
    real = rebuildpool.Pool.results

    def results(self: rebuildpool.Pool, bounds: Any) -> Any:
        got.append(0)
        for result in real(self, bounds):
            got[-1] += 1
            yield result

    monkeypatch.setattr(rebuildpool.Pool, "results", results)
    return got


@settings(max_examples=12, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(recs=caseload(), data=st.data())
def test_pool_rebuild_equals_record_by_record(recs: list[Any], data: Any, chunks: list[int],
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        vault, _code = Vault.create(Path(tmp) / "v.vault", PASS, kdf=KdfParams.fast_for_tests())
        try:
            vault.save_many(recs)
            if data.draw(st.booleans()):
                vault.erase_client(recs[0].id)
            others = [r for r in recs if isinstance(r, (Encounter, WorkEntry, Plan))]
            for rec in data.draw(st.lists(st.sampled_from(others), max_size=4,
                                          unique_by=lambda r: r.id)) if others else []:
                if vault._current.ws.row(rec.id) is None:
                    continue
                action = data.draw(st.sampled_from(["delete", "conflict", "damage"]))
                if action == "delete":
                    vault.delete(rec.id)
                elif action == "conflict":
                    head = vault._current._store.heads(rec.id)[0]
                    rev = vault._records._revision(rec.id, rec.KIND, head.key_id, head.parents,
                                                   rec)
                    vault._current._store.insert_revisions([rev], outbox=True)
                else:
                    _save_damaged(vault, rec, *data.draw(st.sampled_from(DAMAGE)), monkeypatch)
            before = len(chunks)
            bulk, one, bulk_damaged, one_damaged = both_ways(vault)
            assert len(chunks) == before + 1 and chunks[-1] >= 1  # the helpers built it
            assert bulk_damaged == one_damaged
            assert bulk == one
        finally:
            vault.lock()


def test_every_kind_with_helpers_and_progress(vault: Vault, chunks: list[int]) -> None:
    vault.save_many(every_kind())
    seen: list[tuple[int, int]] = []
    vault._current.progress = lambda done, total: seen.append((done, total))
    bulk, one, _b, _o = both_ways(vault)
    assert bulk == one
    assert chunks and chunks[0] == len(seen) - 1 > 1  # one report per chunk, then the end
    heads = vault._current._store.count_heads()
    assert [d for d, _t in seen] == sorted(d for d, _t in seen)
    assert seen[-1] == (heads, heads)


def test_helpers_that_cannot_start_leave_it_to_this_process(
        vault: Vault, chunks: list[int], monkeypatch: pytest.MonkeyPatch) -> None:
    vault.save_many(every_kind())
    monkeypatch.setattr(rebuildpool.sys, "executable", "/nonexistent/python")
    bulk, one, _b, _o = both_ways(vault)
    assert chunks == [] and bulk == one


def test_a_helper_that_answers_nothing_at_start(vault: Vault, chunks: list[int],
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    """A helper that exits at once (a frozen build's executable ignoring ``-m``)."""
    vault.save_many(every_kind())
    real = subprocess.Popen

    def popen(args: list[str], **kw: Any) -> Any:
        return real([args[0], "-c", "pass"], **kw)

    monkeypatch.setattr(rebuildpool.subprocess, "Popen", popen)
    bulk, one, _b, _o = both_ways(vault)
    assert sum(chunks) == 0 and bulk == one  # no chunk came from a helper


def test_a_helper_dying_half_way_is_finished_here(vault: Vault, chunks: list[int],
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    """After some chunks are inserted a helper dies: the rest is rebuilt in this process
    from where the helpers stopped — nothing twice, nothing missing."""
    monkeypatch.setattr(rebuildpool, "CHUNK", 1)
    vault.save_many(every_kind())
    assert vault._current._store.count_heads() >= 6
    real = rebuildpool._Worker.receive
    calls = {"n": 0}

    def receive(self: Any) -> Any:
        calls["n"] += 1
        if calls["n"] == 2 + 3:  # the two start answers, two chunks; then one dies
            self.proc.kill()
            self.proc.wait()
            raise EOFError
        return real(self)

    monkeypatch.setattr(rebuildpool._Worker, "receive", receive)
    bulk, one, _b, _o = both_ways(vault)
    assert chunks == [2]
    assert bulk == one


def test_keys_reach_helpers_only_through_their_stdin(vault: Vault, chunks: list[int],
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    vault.save_many(every_kind())
    seen: list[tuple[list[str], dict[str, str]]] = []
    real = subprocess.Popen

    def popen(args: list[str], **kw: Any) -> Any:
        seen.append((list(args), dict(kw.get("env") or {})))
        assert kw.get("stdin") == subprocess.PIPE and kw.get("stdout") == subprocess.PIPE
        return real(args, **kw)

    monkeypatch.setattr(rebuildpool.subprocess, "Popen", popen)
    bulk, one, _b, _o = both_ways(vault)
    assert bulk == one and chunks and len(seen) == 2
    key = vault._keys.vault_key(0)
    for args, env in seen:
        text = " ".join(args + [f"{k}={v}" for k, v in env.items()])
        for form in (key.hex(), key.hex().upper(), __import__("base64").b64encode(key).decode()):
            assert form not in text
        assert key not in text.encode("utf-8", "surrogateescape")


def test_a_bundled_app_starts_no_helper(vault: Vault, chunks: list[int],
                                        monkeypatch: pytest.MonkeyPatch) -> None:
    """In a bundled app ``sys.executable`` is the app: it would open another window."""
    vault.save_many(every_kind())
    monkeypatch.setattr(rebuildpool.sys, "frozen", True, raising=False)

    def popen(*_a: Any, **_k: Any) -> Any:
        raise AssertionError("a process was started")

    monkeypatch.setattr(rebuildpool.subprocess, "Popen", popen)
    bulk, one, _b, _o = both_ways(vault)
    assert chunks == [] and bulk == one


@pytest.mark.parametrize(("cores", "workers"), [(1, 0), (2, 2), (3, 2), (4, 3), (16, 4)])
def test_helpers_per_core(cores: int, workers: int, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(rebuildpool.os, "cpu_count", lambda: cores)
    assert rebuildpool.workers_wanted() == workers


def test_the_helpers_index_the_notes_after_the_rows(tmp_path: Path, chunks: list[int],
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    """A first unlock: the helpers that built the rows then send the note text; the index
    ends as a fully indexed one, edits made meanwhile keep their own text, a search in
    between waits for them, and no helper is left running."""
    from test_noteindex import index_of

    from counsel.domain import Client
    from counsel.vault import snapshot

    sent: list[int] = []
    real = rebuildpool.Pool.bodies

    def bodies(self: rebuildpool.Pool) -> Any:
        for texts in real(self):
            sent.append(len(texts))
            yield texts

    monkeypatch.setattr(rebuildpool.Pool, "bodies", bodies)
    client = Client(name="Apu Prosessi")
    encs = [Encounter(client=client.id, date=dt.date(2026, 3, 2), notes=f"muistio{i} yhteinen")
            for i in range(12)]
    path = tmp_path / "v.vault"
    vault, _code = Vault.create(path, PASS, kdf=KdfParams.fast_for_tests())
    vault.save_many([client, *encs])
    vault.lock()
    snapshot.remove(snapshot.cache_path(path))
    vault = Vault.unlock(path, PASS)
    try:
        procs = [w.proc for w in vault._current._index_pool._workers] \
            if vault._current._index_pool is not None else []
        vault.save(encs[3].replace(notes="korjattu"))
        assert [h.record_id for h in vault.search("yhteinen")] != []
        assert len(vault.search("yhteinen")) == 11 and vault.notes_to_index == 0
        assert [h.record_id for h in vault.search("korjattu")] == [encs[3].id]
        for _ in range(500):  # a wait: the helpers are closed by the pass's thread
            if vault._current._index_pool is None:
                break
            time.sleep(0.01)
        assert vault._current._index_pool is None
        assert all(p.poll() is not None for p in procs)
        with vault.store.lock:
            passed = index_of(vault._current.ws)
            cur = vault._current
            cur.ws.close()
            cur.ws = WorkingSet()
            cur._rebuild_one_by_one()
            assert passed == index_of(cur.ws)
    finally:
        vault.lock()
    assert sum(sent) >= 11 and chunks  # the helpers built the rows and sent the text


def test_a_search_does_not_wait_for_helpers_nobody_reads(vault: Vault, chunks: list[int]) -> None:
    """Helpers kept after a rebuild whose second-pass thread is not running (here: a
    rebuild started by hand): a search indexes in this process instead of waiting."""
    vault.save_many(every_kind())
    cur = vault._current
    with vault.store.lock:
        cur.ws.close()
        cur.ws = WorkingSet()
        cur._rebuild()
    assert cur._index_pool is not None and vault.notes_to_index
    assert [h.kind for h in vault.search("Kielikurssi")] == ["encounter"]
    assert vault.notes_to_index == 0
