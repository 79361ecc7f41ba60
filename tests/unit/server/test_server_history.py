"""The server's side of authenticated history (issue 11): it keeps each device's change
numbers and links as sent, relays sealed checkpoints and erasure records it cannot read,
and keeps an erased client's changes as headers only."""

from __future__ import annotations

import base64
import secrets
from typing import Any

import httpx
from synchelp import LiveServer


def _enrolled(srv: LiveServer, account: str) -> tuple[httpx.Client, str]:
    vault_id = secrets.token_hex(16)
    r = httpx.post(srv.url + "/v1/enrol", json={
        "account": account, "secret": srv.storage.create_account(account),
        "device_name": "laptop", "vault": {"vault_id": vault_id, "keyring": {"k": 1}}})
    assert r.status_code == 200, r.text
    return srv.client(r.json()["token"]), vault_id


def _rev(key_id: str, counter: int, prev: str, envelope: bytes = b"x" * 40,
         device: str = "dev00001") -> dict[str, Any]:
    return {"rev_id": secrets.token_hex(16), "record_id": secrets.token_hex(16), "parents": [],
            "kind": "encounter", "key_id": key_id, "device_id": device, "counter": counter,
            "prev": prev, "envelope": base64.b64encode(envelope).decode()}


def test_links_travel_as_sent_and_chains_are_counted(live_server: LiveServer) -> None:
    client, vault = _enrolled(live_server, "maria")
    revs = [_rev("vault", 1, ""), _rev("vault", 2, "ab" * 32), _rev("vault", 3, "cd" * 32)]
    assert client.post(f"/v1/vaults/{vault}/push", json={"revisions": revs}).status_code == 200
    pulled = client.get(f"/v1/vaults/{vault}/pull").json()["revisions"]
    assert [(r["counter"], r["prev"]) for r in pulled] == [(1, ""), (2, "ab" * 32),
                                                            (3, "cd" * 32)]
    body = client.get(f"/v1/vaults/{vault}/checkpoints").json()
    assert body == {"checkpoints": {}, "chains": {"dev00001": [3, 3]}}
    bad = _rev("vault", 4, "not hex!")
    assert client.post(f"/v1/vaults/{vault}/push", json={"revisions": [bad]}).status_code == 400


def test_checkpoints_are_opaque_and_for_members_only(live_server: LiveServer) -> None:
    maria, vault = _enrolled(live_server, "maria")
    mallory, _ = _enrolled(live_server, "mallory")
    sealed = base64.b64encode(secrets.token_bytes(80)).decode()
    url = f"/v1/vaults/{vault}/checkpoints"
    assert maria.put(url, json={"device_id": "dev00001", "sealed": sealed}).status_code == 200
    assert mallory.put(url, json={"device_id": "dev00001", "sealed": sealed}).status_code == 404
    assert mallory.get(url).status_code == 404
    assert maria.get(url).json()["checkpoints"] == {"dev00001": sealed}


def test_erasure_records_are_relayed_and_erased_changes_stay_as_headers(
        live_server: LiveServer) -> None:
    client, vault = _enrolled(live_server, "maria")
    key = secrets.token_hex(16)
    wrapped = base64.b64encode(b"w" * 40).decode()
    first = _rev(key, 1, "")
    assert client.post(f"/v1/vaults/{vault}/push", json={
        "revisions": [first], "keys": {key: wrapped}}).status_code == 200
    blank = _rev("vault", 2, "ab" * 32, envelope=b"")
    r = client.post(f"/v1/vaults/{vault}/push", json={"revisions": [blank]})
    assert r.status_code == 400  # an empty envelope only for an erased client
    record = base64.b64encode(secrets.token_bytes(60)).decode()
    assert client.post(f"/v1/vaults/{vault}/erase", json={
        "key_ids": [key], "records": {key: record}}).status_code == 200
    late = _rev(key, 2, "ab" * 32)  # from a device that had not heard of the erasure
    assert client.post(f"/v1/vaults/{vault}/push", json={"revisions": [late]}).status_code == 200
    body = client.get(f"/v1/vaults/{vault}/pull").json()
    assert body["erasures"] == {key: record}
    assert [(r["counter"], r["envelope"]) for r in body["revisions"]] == [(1, ""), (2, "")]
