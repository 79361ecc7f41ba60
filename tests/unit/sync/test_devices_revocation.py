"""Devices of an account: list, rename, revoke — and a revoked device wipes itself only
when the revocation is authenticated by the account and the organisation policy says so.

The attacker is the sync server: it can refuse a token and claim "revoked" at will, and
relay whatever notice it likes; it cannot seal a notice."""

from __future__ import annotations

from pathlib import Path

import pytest
from synchelp import LiveServer

from counsel.domain import Contact
from counsel.org import policy
from counsel.org.policy import OrgPolicy
from counsel.sync import credentials, enrol, revocation
from counsel.sync.client import SyncClient
from counsel.sync.devices import Devices
from counsel.sync.transport import DeviceRevoked, SyncError
from counsel.vault.kdf import KdfParams
from counsel.vault.service import Vault

PASS = "correct horse battery"


def _sync(vault: Vault) -> None:
    client = SyncClient.from_vault(vault)
    try:
        client.sync()
    finally:
        client.close()


@pytest.fixture
def pair(tmp_path: Path, live_server: LiveServer):  # type: ignore[no-untyped-def]
    a, _code = Vault.create(tmp_path / "a.vault", PASS, kdf=KdfParams.fast_for_tests())
    secret = live_server.storage.create_account("maria")
    enrol.connect(a, live_server.url, "maria", PASS, enrol_secret=secret, name="laptop")
    a.save(Contact(id="contact0001", name="Jobcentre"))
    _sync(a)
    b = enrol.join(tmp_path / "b.vault", live_server.url, "maria", PASS, name="tablet")
    yield a, b
    a.lock()
    b.lock()


def _with_policy(a: Vault, b: Vault, wipe: str) -> None:
    policy.pin(a, OrgPolicy("org-1", "Example Org", None, wipe), None)
    _sync(a)
    _sync(b)
    held = policy.pinned(b)
    assert held is not None and held.wipe_on_revoke == wipe


def _b_id(b: Vault) -> str:
    creds = credentials.load(b)
    assert creds is not None
    return creds.device_id


def _revoked_answer(b: Vault) -> DeviceRevoked:
    with pytest.raises(DeviceRevoked) as err:
        _sync(b)
    return err.value


def test_list_and_rename(pair: tuple[Vault, Vault]) -> None:
    a, b = pair
    with Devices(a) as devices:
        rows = devices.list()
        assert sorted(d.name for d in rows) == ["laptop", "tablet"]
        assert [d.name for d in rows if d.this] == ["laptop"]
        assert all(d.last_seen is not None for d in rows)  # both talked to the server
        devices.rename("tablet", "old tablet")
        assert {d.name for d in devices.list()} == {"laptop", "old tablet"}
        with pytest.raises(SyncError) as err:
            devices.revoke("laptop")
        assert err.value.code == "this_device"
        with pytest.raises(SyncError):
            devices.revoke("nothing-like-this")


def test_genuine_revocation_with_wipe_policy_refuses_and_wipes(
        pair: tuple[Vault, Vault], tmp_path: Path) -> None:
    a, b = pair
    _with_policy(a, b, "always")
    with Devices(a) as devices:
        devices.revoke(_b_id(b)[:8])
    answer = _revoked_answer(b)
    assert answer.notice is not None
    b_path = tmp_path / "b.vault"
    assert b_path.exists()
    outcome = revocation.handle(b, answer)
    assert outcome.kind == "wiped"
    assert b.locked
    assert not b_path.exists() and not Path(f"{b_path}-wal").exists()
    assert not list(tmp_path.glob("b.vault*"))
    assert (tmp_path / "a.vault").exists()  # the other device is untouched
    _sync(a)  # ...and still syncs


def test_if_synced_policy_keeps_a_vault_with_unsynced_changes(
        pair: tuple[Vault, Vault], tmp_path: Path) -> None:
    a, b = pair
    _with_policy(a, b, "if_synced")
    b.save(Contact(id="contact0002", name="Written offline on the tablet"))
    with Devices(a) as devices:
        devices.revoke(_b_id(b))
    outcome = revocation.handle(b, _revoked_answer(b))
    assert outcome.kind == "unsynced" and outcome.unsynced == 1
    assert (tmp_path / "b.vault").exists()
    assert b.get("contact0002").name == "Written offline on the tablet"  # type: ignore[attr-defined]
    assert credentials.load(b) is None  # signed out: it no longer syncs


def test_if_synced_policy_wipes_a_synced_vault(pair: tuple[Vault, Vault],
                                               tmp_path: Path) -> None:
    a, b = pair
    _with_policy(a, b, "if_synced")
    with Devices(a) as devices:
        devices.revoke(_b_id(b))
    assert revocation.handle(b, _revoked_answer(b)).kind == "wiped"
    assert not (tmp_path / "b.vault").exists()


def test_without_a_wipe_policy_a_revoked_device_keeps_its_vault(
        pair: tuple[Vault, Vault], tmp_path: Path) -> None:
    a, b = pair
    with Devices(a) as devices:
        devices.revoke(_b_id(b))
    outcome = revocation.handle(b, _revoked_answer(b))
    assert outcome.kind == "kept"
    assert (tmp_path / "b.vault").exists() and credentials.load(b) is None


def test_a_server_claiming_revocation_without_a_notice_wipes_nothing(
        pair: tuple[Vault, Vault], tmp_path: Path, live_server: LiveServer) -> None:
    a, b = pair
    _with_policy(a, b, "always")
    b.save(Contact(id="contact0002", name="Unsynced work"))
    live_server.storage.revoke_device("maria", _b_id(b))  # the server alone says so
    answer = _revoked_answer(b)
    assert answer.notice is None
    outcome = revocation.handle(b, answer)
    assert outcome.kind == "forged"
    assert (tmp_path / "b.vault").exists() and not b.locked
    assert b.get("contact0002").name == "Unsynced work"  # type: ignore[attr-defined]
    assert credentials.load(b) is not None  # not even signed out
    assert [al.code for al in b.trust.alarms()] == ["forged_revocation"]


def test_a_forged_or_replayed_notice_wipes_nothing(
        pair: tuple[Vault, Vault], tmp_path: Path, live_server: LiveServer) -> None:
    a, b = pair
    _with_policy(a, b, "always")
    c = enrol.join(tmp_path / "c.vault", live_server.url, "maria", PASS, name="phone")
    try:
        # a genuine notice, but for device c: the server replays it to b
        genuine_for_c = revocation.seal_notice(a, "maria", _b_id(c))
        for notice in (b"\x01" + bytes(60), genuine_for_c):
            live_server.storage.revoke_device("maria", _b_id(b), notice)
            outcome = revocation.handle(b, _revoked_answer(b))
            assert outcome.kind == "forged"
            assert (tmp_path / "b.vault").exists() and not b.locked
            with live_server.storage.transaction(write=True) as db:  # for the next round
                db.execute("UPDATE devices SET revoked = NULL WHERE device_id = %s",
                           (_b_id(b),))
    finally:
        c.lock()


def test_a_device_of_another_account_cannot_be_revoked(
        pair: tuple[Vault, Vault], tmp_path: Path, live_server: LiveServer) -> None:
    a, _b = pair
    other, _code = Vault.create(tmp_path / "o.vault", PASS, kdf=KdfParams.fast_for_tests())
    secret = live_server.storage.create_account("olli")
    enrol.connect(other, live_server.url, "olli", PASS, enrol_secret=secret, name="olli-pc")
    try:
        with Devices(a) as devices:
            with pytest.raises(SyncError) as err:
                devices.transport.revoke(_b_id(other))
            assert err.value.code == "no_device"
        _sync(other)  # still works
    finally:
        other.lock()
