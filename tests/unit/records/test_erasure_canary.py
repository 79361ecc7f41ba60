"""After erasure, nothing about the client is left anywhere: the canary test.

A client with a unique canary name and notes, an encounter, a calendar matching rule
whose pattern is their name, an autosaved draft, the search index and the unlock cache;
synced to a second device and the server (SQLite and PostgreSQL); erased on one device;
synced.  Then every byte of every file (vaults, WAL, -shm, caches, the home folder, the
server's database) is scanned for the canary in UTF-8 and UTF-16, and everything the
devices' keys can still open is decrypted and searched for it too.  The audit entry of
the erasure holds no name either.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import io
import json
import os
from pathlib import Path

import pytest
from synchelp import LiveServer

from counsel.domain import Client, Encounter
from counsel.domain.codec import to_dict
from counsel.records.erasure_traces import erase_client
from counsel.server.storage_sql import SqlStorage
from counsel.sync import enrol
from counsel.sync.client import SyncClient
from counsel.timekeeping.cli import load_rules, save_rules
from counsel.timekeeping.matching import Action, MatchRule
from counsel.vault import current
from counsel.vault.kdf import KdfParams
from counsel.vault.service import Vault

PASS = "correct horse battery"
NAME = "Zainab Kanarialintu-Qx93"
NOTES = "Turvapaikkapuhuttelu: kanarialintu-Qx93-muistiinpano"
CANARIES = ("Kanarialintu-Qx93", "kanarialintu-Qx93", "Zainab Kanarialintu")


def _needles() -> list[bytes]:
    out = []
    for text in CANARIES:
        out += [text.encode("utf-8"), text.encode("utf-16-le"), text.encode("utf-16-be")]
    return out


def _sync(vault: Vault) -> None:
    client = SyncClient.from_vault(vault)
    try:
        client.sync()
    finally:
        client.close()


def _readable_text(vault: Vault) -> str:
    """Everything this vault's keys still open: every revision, drafts, settings."""
    erased = vault.erased_clients()
    parts = []
    for rev in vault.store.all_revisions():
        if rev.key_id in erased or not rev.envelope:
            continue
        record = vault._cipher.decode(rev)  # noqa: SLF001 - the test opens everything
        if record is not None:
            parts.append(json.dumps(to_dict(record), ensure_ascii=False))
    parts += [json.dumps(d.data, ensure_ascii=False) for d in vault.drafts.list()]
    parts += [repr(r) for r in load_rules(vault)]
    return "\n".join(parts)


def _scenario(tmp_path: Path, srv: LiveServer, monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.setattr(current, "SNAPSHOT_MIN_RECORDS", 1)  # write the unlock cache too
    a, _ = Vault.create(tmp_path / "a.vault", PASS, kdf=KdfParams.fast_for_tests())
    enrol.connect(a, srv.url, "maria", PASS, enrol_secret=srv.storage.create_account("maria"))
    other = Client(name="Other Person")
    canary = Client(name=NAME, notes=NOTES)
    enc = Encounter(client=canary.id, date=dt.date(2026, 11, 2), minutes=45,
                    notes=f"{NOTES} (encounter)")
    a.save_many([other, canary, enc], audited=True)
    save_rules(a, (MatchRule(pattern=f"{NAME} - asylum interview prep",
                             action=Action.VISIBLE, client=canary.id),
                   MatchRule(pattern="Tiimipalaveri", action=Action.BACKGROUND)))
    a.drafts.save(f"{canary.id}:encounter", {"notes": NOTES})
    a.audit.record("view", client_id=canary.id, record_id=canary.id, record_kind="client")
    assert [h.record_id for h in a.search("kanarialintu")]  # the search index has them
    _sync(a)
    b = enrol.join(tmp_path / "b.vault", srv.url, "maria", PASS)
    assert b.get_typed(Client, canary.id).notes == NOTES
    assert any(r.client == canary.id for r in load_rules(b))
    b.drafts.save(f"{canary.id}:plan", {"goals": NOTES})
    b.lock()  # B's unlock cache holds the client now
    a.lock()
    a = Vault.unlock(tmp_path / "a.vault", PASS)

    erase_client(a, canary.id)
    _sync(a)
    b = Vault.unlock(tmp_path / "b.vault", PASS)
    _sync(b)
    _sync(a)
    for v in (a, b):
        assert canary.id in v.erased_clients()
        assert not v.search("kanarialintu") and not v.clients("Kanarialintu")
        assert [r.pattern for r in load_rules(v)] == ["Tiimipalaveri"]
        text = _readable_text(v)
        assert "Other Person" in text  # the check does read what is left ...
        for needle in CANARIES:
            assert needle not in text  # ... and the client is not in it
        (erasure,) = [e for e in v.audit.entries() if e.action == "erase"]
        assert erasure.client == canary.id and NAME not in repr(erasure)
        assert v.audit.verify().intact
    a.lock()
    b.lock()
    return canary.id


def _scan(paths: list[Path]) -> list[str]:
    found = []
    for root in paths:
        for dirpath, _dirs, files in os.walk(root):
            for name in files:
                path = Path(dirpath) / name
                data = path.read_bytes()
                found += [f"{path}: {n!r}" for n in _needles() if n in data]
    return found


def test_erasure_leaves_no_byte_of_the_client_sqlite_server(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, server_log: io.StringIO) -> None:
    from counsel.server.storage import open_storage

    db = tmp_path / "server" / "server.sqlite3"
    db.parent.mkdir()
    storage: SqlStorage = open_storage(str(db), migrate=True)
    srv = LiveServer(storage).start()
    try:
        client_id = _scenario(tmp_path, srv, monkeypatch)
    finally:
        srv.stop()
        storage.close()
    assert _scan([tmp_path, Path(os.environ["COUNSEL_HOME"])]) == []
    assert client_id.encode() in db.read_bytes()  # the scan reads the server's file
    for needle in _needles():
        assert needle not in server_log.getvalue().encode()


@pytest.mark.postgres
def test_erasure_leaves_no_byte_of_the_client_postgres_server(
        tmp_path: Path, pg_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    from counsel.server.pg_cluster import pg_dump
    from counsel.server.storage import open_storage

    storage: SqlStorage = open_storage(pg_url, migrate=True)
    srv = LiveServer(storage).start()
    try:
        _scenario(tmp_path, srv, monkeypatch)
    finally:
        srv.stop()
        storage.close()
    assert _scan([tmp_path, Path(os.environ["COUNSEL_HOME"])]) == []
    dump = pg_dump(pg_url)
    assert b"maria" in dump
    for needle in _needles():
        assert needle not in dump


def test_rules_of_an_older_vault_are_dropped_from_the_general_setting(tmp_path: Path) -> None:
    """Before the per-client split every rule was in the general setting (vault key)."""
    from counsel.timekeeping.matching import rules_to_json
    from counsel.timekeeping.rule_store import RULES_SETTING

    v, _ = Vault.create(tmp_path / "old.vault", PASS, kdf=KdfParams.fast_for_tests())
    canary = Client(name=NAME)
    v.save(canary)
    rule = MatchRule(pattern=NAME, action=Action.VISIBLE, client=canary.id)
    v.settings.set(RULES_SETTING, rules_to_json([rule]))  # the old layout
    assert load_rules(v) == (rule,)
    erase_client(v, canary.id)
    assert load_rules(v) == ()
    assert NAME not in json.dumps(v.settings.get(RULES_SETTING))
    v.lock()


def test_a_client_rule_is_sealed_under_the_client_key(tmp_path: Path) -> None:
    v, _ = Vault.create(tmp_path / "new.vault", PASS, kdf=KdfParams.fast_for_tests())
    canary = Client(name=NAME)
    v.save(canary)
    save_rules(v, (MatchRule(pattern=NAME, action=Action.VISIBLE, client=canary.id),))
    kinds = {(r.kind, r.key_id) for r in v.store.all_revisions()}
    assert ("client_setting", canary.id) in kinds
    general = [dataclasses.asdict(r) for r in load_rules(v) if r.client is None]
    assert general == []
    v.lock()
