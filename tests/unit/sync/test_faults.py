"""Interrupted syncs: connections cut at byte offsets, kill -9 between protocol steps."""

from __future__ import annotations

import os
import random
import subprocess
import sys
from pathlib import Path

import pytest
from synchelp import CuttingProxy, LiveServer

from counsel.domain import Contact
from counsel.errors import OfflineError
from counsel.sync import credentials, enrol
from counsel.sync.client import SyncClient
from counsel.sync.transport import SyncError, Transport
from counsel.vault.kdf import KdfParams
from counsel.vault.service import Vault

PASS = "correct horse battery"
HERE = Path(__file__).parent
_rng = random.Random(20261128)
OFFSETS = sorted(_rng.sample(range(0, 9000), 6)) + [0, 150]


def _setup(tmp_path: Path, srv: LiveServer) -> tuple[Vault, Vault]:
    a, _ = Vault.create(tmp_path / "a.vault", PASS, kdf=KdfParams.fast_for_tests())
    enrol.connect(a, srv.url, "maria", PASS, enrol_secret=srv.storage.create_account("maria"))
    a.save_many([Contact(id=f"base{i:05d}", name=f"Base {i}") for i in range(5)])
    _sync(a)
    b = enrol.join(tmp_path / "b.vault", srv.url, "maria", PASS)
    return a, b


def _sync(vault: Vault, url: str | None = None, **kw: int) -> None:
    creds = credentials.load(vault)
    assert creds is not None
    client = SyncClient(vault, Transport(url or creds.url, creds.token), **kw)
    try:
        client.sync()
    finally:
        client.close()


def _server_revs(srv: LiveServer) -> list[str]:
    with srv.storage.transaction(write=False) as db:
        return [r[0] for r in db.execute("SELECT rev_id FROM revisions ORDER BY seq")]


def _local_revs(v: Vault) -> set[str]:
    return {r.rev_id for r in v.store.all_revisions()}


def _assert_converged(srv: LiveServer, *vaults: Vault) -> None:
    server = _server_revs(srv)
    assert len(server) == len(set(server))  # nothing doubled
    for v in vaults:
        assert v.store.outbox_count() == 0
        assert _local_revs(v) == set(server)  # nothing lost
    states = [{c.id: c for c in v.all(Contact)} for v in vaults]
    assert all(s == states[0] for s in states)


@pytest.mark.parametrize("direction", ["up", "down"])
@pytest.mark.parametrize("offset", OFFSETS)
def test_cut_at_byte_offset_then_converge(tmp_path: Path, live_server: LiveServer,
                                          offset: int, direction: str) -> None:
    a, b = _setup(tmp_path, live_server)
    a.save_many([Contact(id=f"a{i:07d}", name=f"From A {i}", notes="x" * 200) for i in range(8)])
    b.save_many([Contact(id=f"b{i:07d}", name=f"From B {i}") for i in range(8)])
    a.save(a.get("base00001").replace(phone="111"))  # type: ignore[attr-defined]
    b.save(b.get("base00001").replace(role="advisor"))  # type: ignore[attr-defined]
    proxy = CuttingProxy(live_server.port, offset, direction)
    try:
        for v in (a, b):
            try:
                _sync(v, proxy.url, push_batch=3, pull_page=4)
            except (OfflineError, SyncError):
                pass
    finally:
        proxy.close()
    if offset < 2000:
        assert proxy.cuts >= 1  # the fault really happened
    _sync(a)
    _sync(b)
    _sync(a)
    _assert_converged(live_server, a, b)
    merged = a.get("base00001")
    assert (merged.phone, merged.role) == ("111", "advisor")  # type: ignore[attr-defined]
    a.lock()
    b.lock()


def _child_sync(vault_path: Path, fault: str, batch: int) -> int:
    env = {**os.environ, "COUNSEL_SYNC_FAULT": fault}
    proc = subprocess.run([sys.executable, str(HERE / "sync_child.py"), str(vault_path), PASS,
                           str(batch)], env=env, capture_output=True, timeout=120)
    return proc.returncode


def test_kill9_between_ack_and_outbox_clear(tmp_path: Path, live_server: LiveServer) -> None:
    a, b = _setup(tmp_path, live_server)
    a.save_many([Contact(id=f"a{i:07d}", name=f"From A {i}") for i in range(30)])
    a.lock()
    assert _child_sync(tmp_path / "a.vault", "after_ack", 10) == -9
    assert len(_server_revs(live_server)) == 5 + 10  # the first batch reached the server
    a = Vault.unlock(tmp_path / "a.vault", PASS)
    assert a.sync_port.outbox_count() == 30  # ... but was not cleared here: it will be re-sent
    _sync(a)
    _sync(b)
    _assert_converged(live_server, a, b)
    assert len(b.all(Contact)) == 35
    a.lock()
    b.lock()


def test_kill9_between_store_and_cursor(tmp_path: Path, live_server: LiveServer) -> None:
    a, b = _setup(tmp_path, live_server)
    a.save_many([Contact(id=f"a{i:07d}", name=f"From A {i}") for i in range(30)])
    _sync(a)
    cursor = b.sync_port.cursor()
    before = _local_revs(b)
    b.lock()
    assert _child_sync(tmp_path / "b.vault", "after_store", 10) == -9
    b = Vault.unlock(tmp_path / "b.vault", PASS)
    # One transaction: neither the revisions nor the cursor moved.
    assert b.sync_port.cursor() == cursor
    assert _local_revs(b) == before
    _sync(b)
    _assert_converged(live_server, a, b)
    a.lock()
    b.lock()
