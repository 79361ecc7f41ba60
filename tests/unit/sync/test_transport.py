"""Hostile or garbage server replies: a clear error, nothing lost, no hang."""

from __future__ import annotations

import json
from pathlib import Path

import httpx
import pytest

from counsel.domain import Contact
from counsel.errors import OfflineError
from counsel.sync.client import SyncClient
from counsel.sync.transport import NotSignedIn, SyncError, Transport
from counsel.vault.kdf import KdfParams
from counsel.vault.service import Vault

REPLIES = {
    "html": (200, b"<html>proxy login</html>"),
    "json_list": (200, b"[1,2,3]"),
    "no_ack": (200, b'{"stored": 1}'),
    "bad_page": (200, b'{"revisions": [{"rev_id": "../x"}], "keys": {}, "erased": [],'
                      b' "next": 1, "more": false}'),
    "cursor_backwards": (200, b'{"revisions": [], "keys": {}, "erased": [], "next": -5,'
                              b' "more": false}'),
    "server_error": (502, b"Bad gateway"),
    "refused": (401, b'{"error": {"code": "bad_token", "message": "no"}}'),
    "ack_nothing": (200, b'{"acked": []}'),
}


@pytest.mark.parametrize("case", sorted(REPLIES))
def test_garbage_reply_is_a_clear_error_and_keeps_the_outbox(tmp_path: Path, case: str) -> None:
    status, body = REPLIES[case]
    on_pull = case in ("bad_page", "cursor_backwards")

    def reply(request: httpx.Request) -> httpx.Response:
        # the pull cases: the server answers the keyring and push honestly, then a bad page
        if on_pull and request.url.path.endswith("/keyring"):
            return httpx.Response(200, json={"keyring": vault.export_keyring()})
        if on_pull and request.url.path.endswith("/push"):
            sent = json.loads(request.content)["revisions"]
            return httpx.Response(200, json={"acked": [r["rev_id"] for r in sent]})
        return httpx.Response(status, content=body)

    mock = httpx.MockTransport(reply)
    vault, _ = Vault.create(tmp_path / "a.vault", "correct horse battery",
                            kdf=KdfParams.fast_for_tests())
    vault.save(Contact(id="contact0001", name="Jobcentre"))
    transport = Transport("http://127.0.0.1:9", "token", transport=mock)
    client = SyncClient(vault, transport)
    try:
        with pytest.raises((SyncError, OfflineError)) as err:
            client.sync()
        assert err.value.message and err.value.help()
        if case == "refused":
            assert isinstance(err.value, NotSignedIn)
        if case == "server_error":
            assert isinstance(err.value, OfflineError)
        # Nothing lost: what was not acknowledged stays queued; a bad page moves no cursor.
        assert client.unsynced_count() == (0 if on_pull else 1)
        assert vault.store.state("cursor") is None
        assert vault.get("contact0001").name == "Jobcentre"  # type: ignore[attr-defined]
    finally:
        client.close()
        vault.lock()


def test_unreachable_server_is_offline() -> None:
    with Transport("http://127.0.0.1:9", "token", timeout=2) as t:
        with pytest.raises(OfflineError):
            t.vaults()
        assert t.health() is False
