"""Issue 11, findings 4, 5 and 8: what a member, a stranger or a curious admin can do to the
server — probe accounts and vault ids, claim a vault, crash a handler, erase the vault key,
read erased data from the database file."""

from __future__ import annotations

import base64
import secrets
from pathlib import Path
from typing import Any

import httpx
import pytest
from synchelp import LiveServer


def _enrolled(srv: LiveServer, account: str) -> tuple[httpx.Client, str]:
    secret = srv.storage.create_account(account)
    vault_id = secrets.token_hex(16)
    r = httpx.post(srv.url + "/v1/enrol", json={
        "account": account, "secret": secret, "device_name": "laptop",
        "login": {"salt": "ab" * 16, "params": {"alg": "argon2id", "salt": "ab" * 16,
                                                 "m": 65536, "t": 3, "p": 4},
                  "login_key": "k" * 43},
        "vault": {"vault_id": vault_id, "keyring": {"opaque": "x"}}})
    assert r.status_code == 200, r.text
    client = srv.client(r.json()["token"])
    if vault_id not in client.get("/v1/vaults").json()["vaults"]:  # the release before
        client.put(f"/v1/vaults/{vault_id}/keyring", json={"keyring": {"opaque": "x"}})
    return client, vault_id


def _rev(key_id: str, envelope: bytes, parents: list[str] | None = None) -> dict[str, Any]:
    return {"rev_id": secrets.token_hex(16), "record_id": secrets.token_hex(16),
            "parents": parents or [], "kind": "encounter", "key_id": key_id,
            "device_id": "laptop01", "envelope": base64.b64encode(envelope).decode()}


def test_login_params_look_the_same_for_unknown_accounts(live_server: LiveServer) -> None:
    _enrolled(live_server, "maria")
    url = live_server.url + "/v1/login-params"
    known = httpx.get(url, params={"account": "maria"})
    ghost = httpx.get(url, params={"account": "nobody.here"})
    again = httpx.get(url, params={"account": "nobody.here"})
    other = httpx.get(url, params={"account": "someone.else"})
    assert known.status_code == ghost.status_code == 200
    assert ghost.json() == again.json()  # deterministic: repeated probes agree
    assert ghost.json()["salt"] != other.json()["salt"]
    assert set(known.json()) == set(ghost.json())
    assert set(known.json()["params"]) == set(ghost.json()["params"])
    assert len(ghost.json()["salt"]) == len(known.json()["salt"])
    assert {k: v for k, v in ghost.json()["params"].items() if k != "salt"} == {
        k: v for k, v in known.json()["params"].items() if k != "salt"}


def test_put_keyring_cannot_claim_or_probe_a_vault_id(live_server: LiveServer) -> None:
    maria, maria_vault = _enrolled(live_server, "maria")
    mallory, _ = _enrolled(live_server, "mallory")
    unused = secrets.token_hex(16)
    claim = mallory.put(f"/v1/vaults/{unused}/keyring", json={"keyring": {"evil": 1}})
    taken = mallory.put(f"/v1/vaults/{maria_vault}/keyring", json={"keyring": {"evil": 1}})
    assert claim.status_code == taken.status_code == 404
    assert claim.json() == taken.json()  # "unused" and "someone else's" look the same
    assert unused not in mallory.get("/v1/vaults").json()["vaults"]
    # later, the real owner can still register it (with an enrolment secret)
    secret = live_server.storage.new_enrol_secret("maria")
    r = httpx.post(live_server.url + "/v1/enrol", json={
        "account": "maria", "secret": secret, "device_name": "b",
        "vault": {"vault_id": unused, "keyring": {"mine": 1}}})
    assert r.status_code == 200, r.text
    assert unused in maria.get("/v1/vaults").json()["vaults"]
    assert maria.get(f"/v1/vaults/{unused}/keyring").json() == {"keyring": {"mine": 1}}


def test_enrolling_into_someone_elses_vault_id_is_refused_and_costs_nothing(
        live_server: LiveServer) -> None:
    _, maria_vault = _enrolled(live_server, "maria")
    secret = live_server.storage.create_account("mallory")
    body = {"account": "mallory", "secret": secret, "device_name": "x",
            "vault": {"vault_id": maria_vault, "keyring": {"evil": 1}}}
    r = httpx.post(live_server.url + "/v1/enrol", json=body)
    assert r.status_code == 404 and r.json()["error"]["code"] == "no_vault"
    body.pop("vault")
    assert httpx.post(live_server.url + "/v1/enrol", json=body).status_code == 200


@pytest.mark.parametrize("route", ["/v1/login", "/v1/enrol", "push"])
def test_deeply_nested_json_is_a_400_not_a_500(live_server: LiveServer, route: str) -> None:
    client, vault = _enrolled(live_server, "maria")
    deep = b"[" * 20_000 + b"]" * 20_000
    body = b'{"account": "maria", "login_key": ' + deep + b"}"
    url = f"/v1/vaults/{vault}/push" if route == "push" else route
    r = client.post(url, content=body, headers={"content-type": "application/json"})
    assert r.status_code == 400, r.text
    assert r.json()["error"]["code"] == "malformed"
    nested = {"a": {"b": {"c": {"d": {"e": {"f": {"g": {"h": {"i": {"j": {"k": {"l": {
        "m": {"n": {"o": {"p": {"q": {"r": 1}}}}}}}}}}}}}}}}}}
    r = client.put(f"/v1/vaults/{vault}/keyring", json={"keyring": nested})
    assert r.status_code == 400


def test_strings_with_brackets_and_escapes_are_not_nesting(live_server: LiveServer) -> None:
    client, vault = _enrolled(live_server, "maria")
    ring = {"note": "[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[{{{{{{{{{{{{{{{{{{{{ \\\" [[[[[[[[[[[[[[[[[["}
    assert client.put(f"/v1/vaults/{vault}/keyring", json={"keyring": ring}).status_code == 200
    assert client.get(f"/v1/vaults/{vault}/keyring").json() == {"keyring": ring}


def test_erase_refuses_the_vault_key(live_server: LiveServer) -> None:
    client, vault = _enrolled(live_server, "maria")
    revs = [_rev("vault", secrets.token_bytes(64)) for _ in range(5)]
    assert client.post(f"/v1/vaults/{vault}/push", json={"revisions": revs}).status_code == 200
    r = client.post(f"/v1/vaults/{vault}/erase", json={"key_ids": ["vault"]})
    assert r.status_code == 400
    pulled = client.get(f"/v1/vaults/{vault}/pull", params={"since": 0}).json()
    assert len(pulled["revisions"]) == 5 and pulled["erased"] == []
    # a later push is still stored, not "acknowledged and dropped"
    more = [_rev("vault", secrets.token_bytes(64))]
    assert client.post(f"/v1/vaults/{vault}/push", json={"revisions": more}).status_code == 200
    pulled = client.get(f"/v1/vaults/{vault}/pull", params={"since": 0}).json()
    assert len(pulled["revisions"]) == 6


def test_erase_needs_membership(live_server: LiveServer) -> None:
    maria, vault = _enrolled(live_server, "maria")
    mallory, _ = _enrolled(live_server, "mallory")
    key = secrets.token_hex(16)
    revs = [_rev(key, secrets.token_bytes(64))]
    wrapped = base64.b64encode(secrets.token_bytes(60)).decode()
    assert maria.post(f"/v1/vaults/{vault}/push",
                      json={"revisions": revs, "keys": {key: wrapped}}).status_code == 200
    r = mallory.post(f"/v1/vaults/{vault}/erase", json={"key_ids": [key]})
    assert r.status_code == 404
    assert len(maria.get(f"/v1/vaults/{vault}/pull").json()["revisions"]) == 1


def test_erased_rows_are_physically_gone_from_the_sqlite_file(tmp_path: Path) -> None:
    from counsel.server.storage import open_storage

    db = tmp_path / "server.sqlite3"
    storage = open_storage(str(db), migrate=True)
    srv = LiveServer(storage).start()
    try:
        client, vault = _enrolled(srv, "maria")
        key = secrets.token_hex(16)
        markers = [secrets.token_bytes(24) for _ in range(47)]
        wrapped_marker = secrets.token_bytes(48)
        envelopes = [m * 8 for m in markers]  # 192-byte envelopes, each with its marker
        revs = [_rev(key, e) for e in envelopes]
        keep = _rev("vault", b"KEEP" * 40)
        r = client.post(f"/v1/vaults/{vault}/push", json={
            "revisions": [*revs, keep],
            "keys": {key: base64.b64encode(wrapped_marker).decode()}})
        assert r.status_code == 200
        raw = db.read_bytes() + (Path(f"{db}-wal").read_bytes()
                                  if Path(f"{db}-wal").exists() else b"")
        assert markers[0] in raw  # the probe can see stored bytes at all
        assert client.post(f"/v1/vaults/{vault}/erase",
                           json={"key_ids": [key]}).status_code == 200
        files = [p for p in tmp_path.iterdir() if p.name.startswith("server.sqlite3")]
        raw = b"".join(p.read_bytes() for p in files)
        assert wrapped_marker not in raw
        assert not any(m in raw for m in markers)
        assert b"KEEP" * 40 in raw  # only the erased client's data went
    finally:
        srv.stop()
        storage.close()


@pytest.mark.postgres
def test_erased_rows_are_physically_gone_from_the_postgresql_files(pg_url: str) -> None:
    """Finding 5 on PostgreSQL: after an erasure no table file of the database holds the
    erased envelopes or the wrapped key (VACUUM FULL; WAL and backups are documented)."""
    import psycopg

    from counsel.server.storage import open_storage

    storage = open_storage(pg_url, migrate=True)
    srv = LiveServer(storage).start()

    def table_files() -> bytes:
        with psycopg.connect(pg_url, autocommit=True) as conn:
            conn.execute("CHECKPOINT")
            data = Path(str(conn.execute("SHOW data_directory").fetchone()[0]))
            oid = conn.execute("SELECT oid FROM pg_database WHERE datname = "
                               "current_database()").fetchone()[0]
        return b"".join(p.read_bytes() for p in (data / "base" / str(oid)).iterdir()
                        if p.is_file())

    try:
        client, vault = _enrolled(srv, "maria")
        key = secrets.token_hex(16)
        markers = [secrets.token_bytes(24) for _ in range(47)]
        wrapped_marker = secrets.token_bytes(48)
        revs = [_rev(key, m * 8) for m in markers]
        keep = _rev("vault", b"KEEP" * 40)
        assert client.post(f"/v1/vaults/{vault}/push", json={
            "revisions": [*revs, keep],
            "keys": {key: base64.b64encode(wrapped_marker).decode()}}).status_code == 200
        raw = table_files()
        assert markers[0] in raw and wrapped_marker in raw  # the probe sees stored bytes
        assert client.post(f"/v1/vaults/{vault}/erase",
                           json={"key_ids": [key]}).status_code == 200
        raw = table_files()
        assert wrapped_marker not in raw
        assert not any(m in raw for m in markers)
        assert b"KEEP" * 40 in raw  # only the erased client's data went
    finally:
        srv.stop()
        storage.close()


def test_server_sqlite_file_is_private(tmp_path: Path) -> None:
    from counsel.server.storage import open_storage

    db = tmp_path / "server.sqlite3"
    storage = open_storage(str(db), migrate=True)
    try:
        assert db.stat().st_mode & 0o077 == 0
        wal = Path(f"{db}-wal")
        assert not wal.exists() or wal.stat().st_mode & 0o077 == 0
    finally:
        storage.close()
