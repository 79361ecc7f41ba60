"""Server backups: a restored database loses what came after the dump; devices put it back."""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest
from synchelp import LiveServer

from counsel.domain import Contact
from counsel.server import cli as server_cli
from counsel.server.storage import open_storage
from counsel.sync import enrol
from counsel.sync.client import SyncClient, SyncReport
from counsel.vault.kdf import KdfParams
from counsel.vault.service import Vault

PASS = "correct horse battery"


def _sync(vault: Vault) -> SyncReport:
    client = SyncClient.from_vault(vault)
    try:
        return client.sync()
    finally:
        client.close()


def _save(vault: Vault, prefix: str, n: int) -> list[str]:
    ids = [f"{prefix}{i:04d}" for i in range(n)]
    for cid in ids:
        vault.save(Contact(id=cid, name=f"Office {cid}"))
    return ids


def _restore_scenario(tmp_path: Path, db: str, backup: Callable[[], None],
                      restore: Callable[[], None]) -> None:
    storage = open_storage(db, migrate=True)
    srv = LiveServer(storage).start()
    a, _ = Vault.create(tmp_path / "a.vault", PASS, kdf=KdfParams.fast_for_tests())
    before = _save(a, "before", 3)
    enrol.connect(a, srv.url, "maria", PASS, enrol_secret=storage.create_account("maria"))
    assert _sync(a).resent == 0
    b = enrol.join(tmp_path / "b.vault", srv.url, "maria", PASS)
    c = enrol.join(tmp_path / "c.vault", srv.url, "maria", PASS)

    backup()  # while the server runs

    after = _save(a, "after", 3)  # acknowledged by the server, then lost by the restore
    a.save(a.get("before0000").replace(phone="040 123"))  # type: ignore[attr-defined]
    assert _sync(a).unsynced == 0
    assert _sync(b).resent == 0 and b.get("after0000") is not None

    srv.stop()
    storage.close()
    restore()
    storage = open_storage(db)
    srv = LiveServer(storage, port=srv.port).start()
    try:
        # c saw nothing after the dump: it syncs on normally and reuses the lost numbers.
        later = _save(c, "later", 8)
        report_c = _sync(c)
        assert report_c.resent == 0 and report_c.unsynced == 0
        # a synced after the dump: its cursor and its mark no longer match the server.
        report_a = _sync(a)
        assert report_a.resent >= len(after) + 1, report_a
        assert "rollback" in {x.code for x in report_a.alarms}  # and says so (issue 11)
        assert report_a.unsynced == 0
        assert _sync(b).resent > 0  # b had pulled a's lost changes: it notices too
        for v in (a, b, c):
            _sync(v)
        d = enrol.join(tmp_path / "d.vault", srv.url, "maria", PASS)
        for v in (a, b, c, d):
            for cid in before + after + later:
                assert v.get(cid) is not None, (v.path, cid)
            assert v.get("before0000").phone == "040 123"  # type: ignore[attr-defined]
        assert _sync(a).resent == 0  # once repaired, quiet again
        for v in (a, b, c, d):
            v.lock()
    finally:
        srv.stop()
        storage.close()


def test_sqlite_online_backup_restored_and_devices_resend(tmp_path: Path) -> None:
    db = str(tmp_path / "server.sqlite3")
    bak = tmp_path / "backup.sqlite3"

    def backup() -> None:
        assert server_cli.main(["--db", db, "backup", str(bak)]) == 0
        assert server_cli.main(["--db", db, "backup", str(bak)]) == 1  # never overwrites

    def restore() -> None:  # docs/server-ops.md: stop the server, replace the file
        for suffix in ("", "-wal", "-shm"):
            Path(db + suffix).unlink(missing_ok=True)
        shutil.copyfile(bak, db)

    _restore_scenario(tmp_path, db, backup, restore)


@pytest.mark.postgres
def test_pg_dump_restored_and_devices_resend(tmp_path: Path, pg_url: str) -> None:
    from counsel.server.pg_cluster import _bindir

    dump = tmp_path / "server.dump"

    def backup() -> None:
        assert server_cli.main(["--db", pg_url, "backup", str(dump)]) == 0

    def restore() -> None:  # docs/server-ops.md: pg_restore --clean --if-exists
        subprocess.run([str(_bindir() / "pg_restore"), "--clean", "--if-exists",
                        "--no-owner", "--single-transaction", "--dbname", pg_url, str(dump)],
                       check=True, capture_output=True, timeout=120)

    _restore_scenario(tmp_path, pg_url, backup, restore)


def test_vault_and_device_enrolled_after_the_backup_come_back_with_a_new_secret(
        tmp_path: Path) -> None:
    from counsel.sync.transport import SyncError

    db = str(tmp_path / "server.sqlite3")
    bak = tmp_path / "empty.sqlite3"
    storage = open_storage(db, migrate=True)
    storage.create_account("maria")
    assert server_cli.main(["--db", db, "backup", str(bak)]) == 0  # before any vault
    srv = LiveServer(storage).start()
    a, _ = Vault.create(tmp_path / "a.vault", PASS, kdf=KdfParams.fast_for_tests())
    ids = _save(a, "kept", 4)
    enrol.connect(a, srv.url, "maria", PASS, enrol_secret=storage.new_enrol_secret("maria"))
    assert _sync(a).unsynced == 0
    srv.stop()
    storage.close()
    for suffix in ("", "-wal", "-shm"):
        Path(db + suffix).unlink(missing_ok=True)
    shutil.copyfile(bak, db)
    storage = open_storage(db)
    srv = LiveServer(storage, port=srv.port).start()
    try:
        with pytest.raises(SyncError) as err:  # the token was issued after the backup too
            _sync(a)
        assert err.value.code == "bad_token"
        enrol.connect(a, srv.url, "maria", PASS, enrol_secret=storage.new_enrol_secret("maria"))
        report = _sync(a)  # the new registration starts at 0, below this device's cursor
        assert report.resent >= len(ids) and report.unsynced == 0
        b = enrol.join(tmp_path / "b.vault", srv.url, "maria", PASS)
        assert all(b.get(cid) is not None for cid in ids)
        a.lock()
        b.lock()
    finally:
        srv.stop()
        storage.close()


def test_a_vault_gone_from_the_server_keeps_everything_queued_and_says_what_to_do(
        tmp_path: Path) -> None:
    from counsel.sync.transport import SyncError

    storage = open_storage(str(tmp_path / "server.sqlite3"), migrate=True)
    srv = LiveServer(storage).start()
    try:
        a, _ = Vault.create(tmp_path / "a.vault", PASS, kdf=KdfParams.fast_for_tests())
        ids = _save(a, "kept", 3)
        enrol.connect(a, srv.url, "maria", PASS, enrol_secret=storage.create_account("maria"))
        assert _sync(a).unsynced == 0
        with storage.transaction(write=True) as db:  # as a partial restore would leave it
            for table in ("revisions", "vault_keys", "members", "vaults"):
                db.execute(f"DELETE FROM {table} WHERE vault_id = %s", (a.vault_id,))
        with pytest.raises(SyncError) as err:
            _sync(a)
        assert err.value.code == "vault_lost" and "enrolment secret" in err.value.help()
        assert a.store.outbox_count() >= len(ids)  # nothing is forgotten meanwhile
        a.lock()
    finally:
        srv.stop()
        storage.close()
