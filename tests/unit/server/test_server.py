"""The sync service over HTTP, against SQLite and PostgreSQL alike."""

from __future__ import annotations

import base64
import json
import secrets
import threading
from typing import Any

import httpx
import pytest
from synchelp import LiveServer

from counsel.server.storage_sql import SqlStorage


def _rev(record: str, parents: list[str] | None = None, size: int = 40,
         rev_id: str | None = None) -> dict[str, Any]:
    return {"rev_id": rev_id or secrets.token_hex(16), "record_id": record,
            "parents": parents or [], "kind": "encounter", "key_id": "vault",
            "device_id": "laptop01",
            "envelope": base64.b64encode(secrets.token_bytes(size)).decode()}


def _enrol(srv: LiveServer, account: str = "maria") -> tuple[httpx.Client, str]:
    secret = srv.storage.create_account(account)
    vault_id = secrets.token_hex(16)
    r = httpx.post(srv.url + "/v1/enrol", json={
        "account": account, "secret": secret, "device_name": "laptop",
        "vault": {"vault_id": vault_id, "keyring": {"opaque": "x"}}})
    assert r.status_code == 200, r.text
    client = srv.client(r.json()["token"])
    assert client.put(f"/v1/vaults/{vault_id}/keyring",
                      json={"keyring": {"opaque": "y"}}).status_code == 200
    return client, vault_id


def _pull_all(client: httpx.Client, vault_id: str, since: int = 0,
              limit: int = 500) -> tuple[list[dict[str, Any]], int]:
    out: list[dict[str, Any]] = []
    while True:
        r = client.get(f"/v1/vaults/{vault_id}/pull", params={"since": since, "limit": limit})
        assert r.status_code == 200, r.text
        body = r.json()
        out += body["revisions"]
        since = body["next"]
        if not body["more"]:
            return out, since


def test_health(live_server: LiveServer) -> None:
    r = httpx.get(live_server.url + "/v1/health")
    assert r.status_code == 200 and r.json() == {"status": "ok"}


def test_push_is_idempotent_and_pull_pages(live_server: LiveServer) -> None:
    client, vault = _enrol(live_server)
    root = _rev("rec00001")
    revs = [root] + [_rev("rec00001", [root["rev_id"]]) for _ in range(24)]
    r1 = client.post(f"/v1/vaults/{vault}/push", json={"revisions": revs})
    assert r1.json()["stored"] == 25
    r2 = client.post(f"/v1/vaults/{vault}/push", json={"revisions": revs})
    assert r2.json()["stored"] == 0
    got, cursor = _pull_all(client, vault, limit=7)
    assert [g["rev_id"] for g in got] == [r["rev_id"] for r in revs]
    assert [g["seq"] for g in got] == sorted({g["seq"] for g in got})
    assert got[0]["envelope"] == root["envelope"]
    again, _ = _pull_all(client, vault, since=cursor)
    assert again == []


def test_device_label_kept_and_pusher_recorded(live_server: LiveServer) -> None:
    client, vault = _enrol(live_server)
    client.post(f"/v1/vaults/{vault}/push", json={"revisions": [_rev("rec00001")]})
    (got,), _ = _pull_all(client, vault)
    devices = client.get("/v1/devices").json()["devices"]
    assert got["device_id"] == "laptop01"
    with live_server.storage.transaction(write=False) as db:
        assert db.execute("SELECT pushed_by FROM revisions") == [(devices[0]["device_id"],)]


def test_keys_travel_with_the_stream_and_erasure_is_final(live_server: LiveServer) -> None:
    client, vault = _enrol(live_server)
    wrapped = base64.b64encode(b"w" * 40).decode()
    rev = {**_rev("rec00001"), "key_id": "client01"}
    client.post(f"/v1/vaults/{vault}/push",
                json={"revisions": [rev, _rev("rec00002")], "keys": {"client01": wrapped}})
    body = client.get(f"/v1/vaults/{vault}/pull", params={"limit": 1}).json()
    # The key comes no later than the first revision it opens.
    assert body["keys"] == {"client01": wrapped}
    assert [r["rev_id"] for r in body["revisions"]] == [rev["rev_id"]]
    cursor = client.get(f"/v1/vaults/{vault}/pull").json()["next"]
    client.post(f"/v1/vaults/{vault}/erase", json={"key_ids": ["client01"]})
    # A device that had not seen the erasure pushes the key and a child revision again:
    # acknowledged, only its header kept (no envelope), the client stays erased.
    child = {**_rev("rec00001", [rev["rev_id"]]), "key_id": "client01"}
    r = client.post(f"/v1/vaults/{vault}/push",
                    json={"revisions": [child], "keys": {"client01": wrapped}})
    assert r.status_code == 200 and r.json()["stored"] == 1
    body = client.get(f"/v1/vaults/{vault}/pull", params={"since": cursor}).json()
    assert body["erased"] == ["client01"] and body["keys"] == {}
    assert [(x["rev_id"], x["envelope"]) for x in body["revisions"]] == [(child["rev_id"], "")]
    everything = client.get(f"/v1/vaults/{vault}/pull").json()
    assert everything["keys"] == {}
    assert {r["record_id"]: r["envelope"] == "" for r in everything["revisions"]} == {
        "rec00001": True, "rec00002": False}


def _count(storage: SqlStorage) -> int:
    with storage.transaction(write=False) as db:
        return int(db.execute("SELECT count(*) FROM revisions")[0][0])


@pytest.mark.parametrize("case", ["bad_token", "other_vault", "oversized", "malformed_json",
                                  "not_object", "bad_b64", "bad_id", "unknown_parent",
                                  "too_many", "revoked"])
def test_rejections_store_nothing(live_server: LiveServer, case: str) -> None:
    client, vault = _enrol(live_server)
    url = f"/v1/vaults/{vault}/push"
    good = {"revisions": [_rev("rec00001")]}
    headers = dict(client.headers)
    expect = {"bad_token": (401, "bad_token"), "other_vault": (404, "no_vault"),
              "oversized": (413, "too_large"), "malformed_json": (400, "malformed"),
              "not_object": (400, "malformed"), "bad_b64": (400, "malformed"),
              "bad_id": (400, "malformed"), "unknown_parent": (422, "unknown_parents"),
              "too_many": (400, "malformed"), "revoked": (401, "revoked")}[case]
    if case == "bad_token":
        r = httpx.post(live_server.url + url, json=good,
                       headers={"Authorization": "Bearer nope"})
    elif case == "other_vault":
        other, other_vault = _enrol(live_server, "jonas")
        r = client.post(f"/v1/vaults/{other_vault}/push", json=good)
        assert _pull_all(other, other_vault)[0] == []
    elif case == "oversized":
        r = client.post(url, content=b"{" + b" " * (33 * 1024 * 1024) + b"}",
                        headers={**headers, "content-type": "application/json"})
    elif case == "malformed_json":
        r = client.post(url, content=b"{not json", headers=headers)
    elif case == "not_object":
        r = client.post(url, json=[1, 2])
    elif case == "bad_b64":
        bad = _rev("rec00001")
        bad["envelope"] = "***"
        r = client.post(url, json={"revisions": [_rev("rec00002"), bad]})
    elif case == "bad_id":
        r = client.post(url, json={"revisions": [_rev("rec00002"), _rev("x y/../z")]})
    elif case == "unknown_parent":
        r = client.post(url, json={"revisions": [_rev("rec00002"),
                                                 _rev("rec00001", ["f" * 32])]})
    elif case == "too_many":
        r = client.post(url, json={"revisions": [_rev(f"rec{i:05d}", size=1)
                                                 for i in range(1001)]})
    else:
        device = client.get("/v1/devices").json()["devices"][0]["device_id"]
        assert client.delete(f"/v1/devices/{device}").status_code == 200
        r = client.post(url, json=good)
    assert r.status_code == expect[0], r.text
    assert r.json()["error"]["code"] == expect[1]
    assert r.json()["error"]["message"]
    assert _count(live_server.storage) == 0


def test_enrolment_secret_works_once_and_login_key_gives_new_devices(
        live_server: LiveServer) -> None:
    secret = live_server.storage.create_account("maria")
    body = {"account": "maria", "secret": secret, "device_name": "a",
            "login": {"salt": "c2FsdA", "params": {"kdf": "argon2id"}, "login_key": "k" * 43}}
    assert httpx.post(live_server.url + "/v1/enrol", json=body).status_code == 200
    again = httpx.post(live_server.url + "/v1/enrol", json=body)
    assert again.status_code == 401 and again.json()["error"]["code"] == "bad_enrolment"
    params = httpx.get(live_server.url + "/v1/login-params", params={"account": "maria"})
    assert params.json() == {"salt": "c2FsdA", "params": {"kdf": "argon2id"}}
    wrong = httpx.post(live_server.url + "/v1/login",
                       json={"account": "maria", "login_key": "x" * 43, "device_name": "b"})
    assert wrong.status_code == 401
    ok = httpx.post(live_server.url + "/v1/login",
                    json={"account": "maria", "login_key": "k" * 43, "device_name": "b"})
    assert ok.status_code == 200 and ok.json()["token"]


def test_tokens_are_hashed_at_rest(live_server: LiveServer) -> None:
    client, _ = _enrol(live_server)
    token = client.headers["authorization"].split()[1]
    with live_server.storage.transaction(write=False) as db:
        stored = [str(v) for row in db.execute("SELECT * FROM devices") for v in row]
    assert token not in " ".join(stored)


def test_concurrent_pushers_never_make_a_cursor_skip(live_server: LiveServer) -> None:
    client, vault = _enrol(live_server)
    token = client.headers["authorization"]
    pushed: list[str] = []
    lock = threading.Lock()
    stop = threading.Event()
    errors: list[str] = []

    def pusher(n: int) -> None:
        with httpx.Client(base_url=live_server.url, headers={"Authorization": token}) as c:
            for i in range(15):
                batch = [_rev(f"r{n:03d}{i:05d}") for _ in range(1 + (i % 4))]
                r = c.post(f"/v1/vaults/{vault}/push", json={"revisions": batch})
                if r.status_code != 200:
                    errors.append(r.text)
                with lock:
                    pushed.extend(b["rev_id"] for b in batch)

    def puller(seen: list[str]) -> None:
        since = 0
        with httpx.Client(base_url=live_server.url, headers={"Authorization": token}) as c:
            while True:
                final = stop.is_set()
                body = c.get(f"/v1/vaults/{vault}/pull",
                             params={"since": since, "limit": 3}).json()
                seen.extend(r["rev_id"] for r in body["revisions"])
                since = body["next"]
                if final and not body["more"]:
                    return

    views: list[list[str]] = [[] for _ in range(3)]
    pullers = [threading.Thread(target=puller, args=(v,)) for v in views]
    pushers = [threading.Thread(target=pusher, args=(n,)) for n in range(6)]
    for t in pullers + pushers:
        t.start()
    for t in pushers:
        t.join()
    stop.set()
    for t in pullers:
        t.join()
    assert errors == []
    for seen in views:
        # Every revision exactly once, in server order: nothing skipped, nothing doubled.
        assert len(seen) == len(set(seen))
        assert set(seen) == set(pushed)


def test_logs_hold_no_payloads(live_server: LiveServer, server_log: Any) -> None:
    client, vault = _enrol(live_server)
    rev = _rev("rec00001")
    client.post(f"/v1/vaults/{vault}/push", json={"revisions": [rev]})
    client.get(f"/v1/vaults/{vault}/pull")
    text = server_log.getvalue()
    lines = [json.loads(line) for line in text.splitlines()]
    assert {line["route"] for line in lines} >= {"push", "pull", "enrol"}
    assert rev["envelope"] not in text and rev["envelope"][:16] not in text


def test_unknown_route_is_json(live_server: LiveServer) -> None:
    r = httpx.get(live_server.url + "/v1/nope")
    assert r.status_code == 404 and r.json()["error"]["code"] == "not_found"
