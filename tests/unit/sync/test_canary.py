"""Canary strings typed as notes never reach the server in readable form."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from synchelp import LiveServer

from counsel.domain import Contact
from counsel.server.pg_cluster import pg_dump
from counsel.server.storage_sql import SqlStorage
from counsel.sync import enrol
from counsel.sync.client import SyncClient
from counsel.vault.kdf import KdfParams
from counsel.vault.service import Vault

PASS = "correct horse battery"
CANARY = "CANARY-Zq7-ÄÖ-كناري-7731"


def _canaries() -> list[bytes]:
    out = []
    for text in (CANARY, "CANARY-Zq7", "كناري"):
        out += [text.encode("utf-8"), text.encode("utf-16-le")]
        out.append(text.encode("unicode_escape"))
    return out


def _run(tmp_path: Path, srv: LiveServer) -> None:
    a, _ = Vault.create(tmp_path / "a.vault", PASS, kdf=KdfParams.fast_for_tests())
    enrol.connect(a, srv.url, "maria", PASS, enrol_secret=srv.storage.create_account("maria"))
    a.save(Contact(id="contact0001", name=f"Name {CANARY}", notes=f"{CANARY}\n" * 3))
    client = SyncClient.from_vault(a)
    try:
        client.sync()
    finally:
        client.close()
    b = enrol.join(tmp_path / "b.vault", srv.url, "maria", PASS)
    assert CANARY in b.get("contact0001").notes  # type: ignore[attr-defined]
    a.lock()
    b.lock()


@pytest.mark.postgres
def test_canary_absent_from_pg_dump_and_logs(tmp_path: Path, pg_url: str,
                                             server_log: io.StringIO) -> None:
    from counsel.server.storage import open_storage

    storage: SqlStorage = open_storage(pg_url, migrate=True)
    srv = LiveServer(storage).start()
    try:
        _run(tmp_path, srv)
    finally:
        srv.stop()
        storage.close()
    dump = pg_dump(pg_url)
    assert b"contact0001" in dump  # the dump does hold the synced revision ...
    for canary in _canaries():
        assert canary not in dump  # ... but not what was typed
    log = server_log.getvalue().encode()
    assert b"push" in log
    for canary in _canaries():
        assert canary not in log


def test_canary_absent_from_sqlite_server_file(tmp_path: Path, server_log: io.StringIO) -> None:
    from counsel.server.storage import open_storage

    db = tmp_path / "server.sqlite3"
    storage = open_storage(str(db), migrate=True)
    srv = LiveServer(storage).start()
    try:
        _run(tmp_path, srv)
    finally:
        srv.stop()
        storage.close()
    raw = b"".join(p.read_bytes() for p in tmp_path.glob("server.sqlite3*"))
    assert b"contact0001" in raw
    for canary in _canaries():
        assert canary not in raw
