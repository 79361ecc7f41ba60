"""Schema migrations: a populated database of an earlier release upgrades and syncs on."""

from __future__ import annotations

import base64
import secrets
import sqlite3
import threading
from pathlib import Path
from typing import Any

import pytest
from legacy_server import create_v1
from synchelp import LiveServer

from counsel.server import cli as server_cli
from counsel.server import migrate
from counsel.server.migrations import LATEST
from counsel.server.storage import open_storage
from counsel.server.storage_sql import Db, SqlStorage


def _columns(storage: SqlStorage) -> dict[str, list[tuple[str, str, bool]]]:
    """Every table's columns (name, type, nullable) and index names, backend-neutral."""
    out: dict[str, list[tuple[str, str, bool]]] = {}
    with storage.transaction(write=False) as db:
        for table in sorted(storage.table_names(db)):
            if storage.DIALECT == "sqlite":
                cols = [(r[1], str(r[2]).upper(), not r[3])
                        for r in db.execute(f"PRAGMA table_info({table})")]
                cols += [("index:" + r[1], "", False)
                         for r in db.execute(f"PRAGMA index_list({table})")]
            else:
                cols = [(r[0], str(r[1]).upper(), r[2] == "YES") for r in db.execute(
                    "SELECT column_name, data_type, is_nullable FROM information_schema.columns "
                    "WHERE table_name = %s AND table_schema = current_schema()", (table,))]
                cols += [("index:" + r[0], "", False) for r in db.execute(
                    "SELECT indexname FROM pg_indexes WHERE tablename = %s", (table,))]
            out[table] = sorted(cols)
    return out


def test_v1_database_upgrades_keeping_every_revision_and_syncs_on(db_url: str) -> None:
    data = create_v1(db_url)
    storage = open_storage(db_url)
    try:
        assert migrate.current_version(storage) == 0
        with pytest.raises(migrate.SchemaError, match="without schema versions"):
            migrate.check(storage)
        assert migrate.migrate(storage) == list(range(1, LATEST + 1))
        assert migrate.check(storage) == LATEST
        srv = LiveServer(storage).start()
        try:
            maria = srv.client(data.tokens["maria"])
            assert sorted(maria.get("/v1/vaults").json()["vaults"]) == sorted(data.vaults)
            for vault_id, revs in data.vaults.items():
                body = maria.get(f"/v1/vaults/{vault_id}/pull",
                                 params={"since": 0, "limit": 1000}).json()
                got = [(r["seq"], r["rev_id"], base64.b64decode(r["envelope"]))
                       for r in body["revisions"]]
                assert got == revs
                assert body["erased"] == ["client02"]
                assert set(body["keys"]) == {"client01"}
                assert body["next"] == data.next_seq[vault_id] - 1
                # The device syncs on from its cursor: the next push continues the sequence.
                new = {"rev_id": secrets.token_hex(16), "record_id": "rec00001",
                       "parents": [revs[-1][1]], "kind": "encounter", "key_id": "client01",
                       "device_id": "laptop01",
                       "envelope": base64.b64encode(b"after the upgrade").decode()}
                pushed = maria.post(f"/v1/vaults/{vault_id}/push", json={"revisions": [new]})
                assert pushed.status_code == 200, pushed.text
                assert pushed.json()["seq"] == data.next_seq[vault_id]
                more = maria.get(f"/v1/vaults/{vault_id}/pull",
                                 params={"since": body["next"]}).json()["revisions"]
                assert [r["rev_id"] for r in more] == [new["rev_id"]]
            # The colleague's device still reaches the shared vault; a revoked one stays out.
            jonas = srv.client(data.tokens["jonas"])
            assert jonas.get("/v1/vaults").json()["vaults"] == [next(iter(data.vaults))]
            revoked = srv.client(data.revoked_token)
            assert revoked.get("/v1/vaults").status_code == 401
        finally:
            srv.stop()
    finally:
        storage.close()


def test_upgraded_schema_equals_a_fresh_one(db_url: str, tmp_path: Path) -> None:
    create_v1(db_url, vaults=1, revisions=2)
    upgraded = open_storage(db_url, migrate=True)
    if db_url.startswith("postgresql://"):
        fresh_db: Any = upgraded  # same cluster: compare against a new schema in a new db
        import psycopg

        base, _, name = db_url.rpartition("/")
        with psycopg.connect(f"{base}/postgres", autocommit=True) as conn:
            conn.execute(f"CREATE DATABASE {name}_fresh")
        fresh_db = open_storage(f"{base}/{name}_fresh", migrate=True)
    else:
        fresh_db = open_storage(str(tmp_path / "fresh.sqlite3"), migrate=True)
    try:
        assert _columns(upgraded) == _columns(fresh_db)
        assert "revisions" in _columns(fresh_db)
    finally:
        upgraded.close()
        fresh_db.close()
        if db_url.startswith("postgresql://"):
            with psycopg.connect(f"{base}/postgres", autocommit=True) as conn:
                conn.execute(f"DROP DATABASE IF EXISTS {name}_fresh WITH (FORCE)")


def test_migrate_again_applies_nothing_and_ahead_is_refused(db_url: str) -> None:
    storage = open_storage(db_url)
    try:
        assert migrate.migrate(storage) == list(range(1, LATEST + 1))
        assert migrate.migrate(storage) == []
        with storage.transaction(write=True) as db:
            db.execute("INSERT INTO schema_migrations (version, name, applied) "
                       "VALUES (%s, %s, %s)", (LATEST + 1, "from the future", 0.0))
        for attempt in (migrate.check, migrate.migrate):
            with pytest.raises(migrate.SchemaError, match="newer than this counsel-server"):
                attempt(storage)
    finally:
        storage.close()


@pytest.mark.postgres
def test_concurrent_migrate_runs_apply_each_step_once(pg_url: str) -> None:
    create_v1(pg_url, vaults=1, revisions=3)
    results: list[list[int]] = []
    errors: list[BaseException] = []

    def run() -> None:
        st = open_storage(pg_url)
        try:
            results.append(migrate.migrate(st))
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)
        finally:
            st.close()

    threads = [threading.Thread(target=run) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert not errors
    assert sorted(v for r in results for v in r) == list(range(1, LATEST + 1))


def test_failed_migration_leaves_the_previous_version(tmp_path: Path,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    db = str(tmp_path / "s.sqlite3")
    storage = open_storage(db, migrate=True)

    def broken(db: Db, dialect: str) -> None:
        db.execute("CREATE TABLE half_done (x INTEGER)")
        raise RuntimeError("disk on fire")

    real_step = migrate.step
    monkeypatch.setattr(migrate, "LATEST", LATEST + 1)
    monkeypatch.setattr(migrate, "step", lambda v: ("broken", broken) if v > LATEST
                        else real_step(v))
    try:
        with pytest.raises(RuntimeError, match="disk on fire"):
            migrate.migrate(storage, target=LATEST + 1)
        assert migrate.current_version(storage) == LATEST
        with storage.transaction(write=False) as tx:
            assert "half_done" not in storage.table_names(tx)
    finally:
        storage.close()


@pytest.mark.parametrize("state", ["empty", "v1", "ahead"])
def test_serve_refuses_a_database_not_at_this_version(
        state: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    import uvicorn

    def must_not_run(*args: Any, **kwargs: Any) -> None:
        raise AssertionError("serve started on a mismatched database")

    monkeypatch.setattr(uvicorn, "run", must_not_run)
    db = str(tmp_path / "s.sqlite3")
    if state == "v1":
        create_v1(db)
    elif state == "ahead":
        open_storage(db, migrate=True).close()
        with sqlite3.connect(db) as conn:
            conn.execute("INSERT INTO schema_migrations VALUES (?, 'future', 0)", (LATEST + 1,))
    assert server_cli.main(["--db", db, "serve"]) == 1
    err = capsys.readouterr().err
    assert ("newer than this counsel-server" if state == "ahead"
            else "run 'counsel-server migrate'") in err
    assert server_cli.main(["--db", db, "add-account", "maria"]) == 1  # admin refuses too
    if state != "ahead":
        assert server_cli.main(["--db", db, "migrate"]) == 0
        assert f"schema version {LATEST}: up to date" in capsys.readouterr().out
        assert server_cli.main(["--db", db, "migrate", "--status"]) == 0
