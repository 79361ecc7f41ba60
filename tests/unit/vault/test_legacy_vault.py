"""A vault written before authenticated history (schema 1, envelope format 1) opens,
reads, checks clean, writes chained revisions and syncs on (issue 11: existing vaults
keep working).  The fixture was made by the release before (fast test KDF)."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from synchelp import LiveServer

from counsel.domain import Contact
from counsel.sync import enrol
from counsel.sync.client import SyncClient
from counsel.vault import schema
from counsel.vault.kdf import KdfParams
from counsel.vault.service import Vault

# The old vault as SQL text (a binary vault file would not be reviewable in the
# repository); user_version is the old schema number, which a dump does not carry.
FIXTURE = Path(__file__).with_name("fixtures") / "v1-before-chains.sql"
FIXTURE_SCHEMA = 1


def old_vault(path: Path) -> Path:
    db = sqlite3.connect(path)
    db.executescript(FIXTURE.read_text(encoding="utf-8"))
    db.execute(f"PRAGMA user_version = {FIXTURE_SCHEMA}")
    db.execute("PRAGMA journal_mode = wal")
    db.close()
    path.chmod(0o600)
    return path
PASS = "legacy vault passphrase"
CLIENT, ERASED = "a" * 32, "e" * 32


def test_old_vault_opens_checks_clean_and_syncs_on(tmp_path: Path,
                                                   live_server: LiveServer) -> None:
    KdfParams.fast_for_tests()  # the fixture was made with the fast test settings
    path = old_vault(tmp_path / "old.vault")
    v = Vault.unlock(path, PASS)
    assert (tmp_path / f"old.vault.before-v{schema.CURRENT}.bak").exists()
    assert v.damaged() == {}
    assert v.check().ok
    assert v.get(CLIENT).name == "Legacy Client"  # type: ignore[attr-defined]
    assert v.get("contact1").name == "Second"  # type: ignore[attr-defined]
    assert not v.exists("contact2") and not v.exists(ERASED)
    v.save(v.get("contact1").replace(name="Third"))  # type: ignore[attr-defined]
    assert v.store.chain_counts() == {v.device_id: (1, 1)}
    enrol.connect(v, live_server.url, "maria", PASS,
                  enrol_secret=live_server.storage.create_account("maria"))
    client = SyncClient.from_vault(v)
    try:
        assert not client.sync().alarms
    finally:
        client.close()
    b = enrol.join(tmp_path / "b.vault", live_server.url, "maria", PASS)
    try:
        assert b.get("contact1").name == "Third"  # type: ignore[attr-defined]
        assert b.get(CLIENT).name == "Legacy Client"  # type: ignore[attr-defined]
        assert not b.exists(ERASED)
        assert b.trust.alarms() == [] and b.damaged() == {}
        b.save(Contact(id="contact9", name="From b"))
        client = SyncClient.from_vault(b)
        try:
            assert not client.sync().alarms
        finally:
            client.close()
    finally:
        b.lock()
    v.lock()
    again = Vault.unlock(path, PASS)
    assert again.damaged() == {} and again.check().ok
    again.lock()
