"""Client sync against a live server: enrol, join, push/pull, merge, conflicts."""

from __future__ import annotations

from pathlib import Path

import pytest
from synchelp import LiveServer

from counsel.domain import Contact
from counsel.errors import RecordNotFound
from counsel.sync import conflicts, enrol
from counsel.sync.client import Progress, SyncClient
from counsel.sync.transport import SyncError, check_url
from counsel.vault.kdf import KdfParams
from counsel.vault.service import Vault

PASS = "correct horse battery"


def _first(tmp_path: Path, srv: LiveServer, name: str = "a") -> Vault:
    vault, _code = Vault.create(tmp_path / f"{name}.vault", PASS, kdf=KdfParams.fast_for_tests())
    secret = srv.storage.create_account("maria")
    enrol.connect(vault, srv.url, "maria", PASS, enrol_secret=secret, name=name)
    return vault


def _sync(vault: Vault) -> None:
    client = SyncClient.from_vault(vault)
    try:
        report = client.sync()
    finally:
        client.close()
    assert report.unsynced == 0


@pytest.fixture
def pair(tmp_path: Path, live_server: LiveServer):  # type: ignore[no-untyped-def]
    a = _first(tmp_path, live_server)
    a.save(Contact(id="contact0001", name="Jobcentre", notes="line 1\nline 2\nline 3\n"))
    _sync(a)
    b = enrol.join(tmp_path / "b.vault", live_server.url, "maria", PASS, name="b")
    yield a, b
    a.lock()
    b.lock()


def test_join_downloads_history_with_progress(tmp_path: Path, live_server: LiveServer) -> None:
    a = _first(tmp_path, live_server)
    a.save_many([Contact(id=f"contact{i:04d}", name=f"Office {i}") for i in range(30)])
    _sync(a)
    seen: list[Progress] = []
    b = enrol.join(tmp_path / "b.vault", live_server.url, "maria", PASS, name="b",
                   progress=seen.append)
    try:
        assert b.vault_id == a.vault_id
        assert b.get("contact0029").name == "Office 29"  # type: ignore[attr-defined]
        assert any(p.phase == "pull" and p.done == 30 for p in seen)
    finally:
        a.lock()
        b.lock()


def test_wrong_passphrase_cannot_join(tmp_path: Path, live_server: LiveServer) -> None:
    a = _first(tmp_path, live_server)
    a.lock()
    with pytest.raises(SyncError) as err:
        enrol.join(tmp_path / "b.vault", live_server.url, "maria", "wrong passphrase!")
    assert err.value.code == "bad_login"
    assert not (tmp_path / "b.vault").exists()


def test_edit_round_trip_and_clean_field_merge(pair: tuple[Vault, Vault]) -> None:
    a, b = pair
    base = a.get("contact0001")
    a.save(base.replace(phone="+358 40 123"))  # type: ignore[attr-defined]
    b.save(b.get("contact0001").replace(  # type: ignore[attr-defined]
        notes="line 1\nline 2\nline 3\nline 4 from b\n"))
    _sync(a)
    _sync(b)
    _sync(a)
    for v in (a, b):
        got = v.get("contact0001")
        assert got.phone == "+358 40 123"  # type: ignore[attr-defined]
        assert got.notes.endswith("line 4 from b\n")  # type: ignore[attr-defined]
        assert len(v.store.heads("contact0001")) == 1
    assert a.store.heads("contact0001")[0].rev_id == b.store.heads("contact0001")[0].rev_id


def test_both_devices_merging_write_the_same_revision(pair: tuple[Vault, Vault]) -> None:
    a, b = pair
    a.save(a.get("contact0001").replace(phone="1"))  # type: ignore[attr-defined]
    b.save(b.get("contact0001").replace(role="advisor"))  # type: ignore[attr-defined]
    ca, cb = SyncClient.from_vault(a), SyncClient.from_vault(b)
    try:
        ca.push()
        cb.push()
        ca.pull()
        cb.pull()
        ma, mb = conflicts.auto_merge(a), conflicts.auto_merge(b)
        assert ma.merged == mb.merged == ("contact0001",)
        assert a.store.heads("contact0001")[0].rev_id == b.store.heads("contact0001")[0].rev_id
        ra, rb = ca.sync(), cb.sync()
        assert ra.merged == rb.merged == ()  # no ping-pong
    finally:
        ca.close()
        cb.close()


def test_same_field_is_an_open_conflict_then_resolved(pair: tuple[Vault, Vault]) -> None:
    a, b = pair
    a.save(a.get("contact0001").replace(name="Jobcentre East"))  # type: ignore[attr-defined]
    b.save(b.get("contact0001").replace(name="Jobcentre West"))  # type: ignore[attr-defined]
    _sync(a)
    _sync(b)
    _sync(a)
    (open_a,) = conflicts.open_conflicts(a)
    (open_b,) = conflicts.open_conflicts(b)
    assert open_a == open_b
    (field,) = open_a.fields
    assert field.name == "name" and field.base == "Jobcentre"
    assert set(field.values) == {"Jobcentre East", "Jobcentre West"}
    conflicts.resolve(a, open_a, {"name": "Jobcentre East and West"})
    _sync(a)
    _sync(b)
    assert b.get("contact0001").name == "Jobcentre East and West"  # type: ignore[attr-defined]
    assert conflicts.open_conflicts(b) == []


def test_edit_beats_delete(pair: tuple[Vault, Vault]) -> None:
    a, b = pair
    a.delete("contact0001")
    b.save(b.get("contact0001").replace(phone="555"))  # type: ignore[attr-defined]
    _sync(a)
    _sync(b)
    _sync(a)
    for v in (a, b):
        assert v.get("contact0001").phone == "555"  # type: ignore[attr-defined]
        assert conflicts.was_restored(v, "contact0001")


def test_delete_on_both_stays_deleted(pair: tuple[Vault, Vault]) -> None:
    a, b = pair
    a.delete("contact0001")
    b.delete("contact0001")
    _sync(a)
    _sync(b)
    _sync(a)
    for v in (a, b):
        with pytest.raises(RecordNotFound):
            v.get("contact0001")


def test_plain_http_only_to_loopback() -> None:
    assert check_url("http://127.0.0.1:8000/") == "http://127.0.0.1:8000"
    assert check_url("http://[::1]:80") == "http://[::1]:80"
    assert check_url("https://sync.example.org") == "https://sync.example.org"
    for bad in ("http://sync.example.org", "http://10.0.0.2", "ftp://x", "sync.example.org"):
        with pytest.raises(SyncError):
            check_url(bad)


def test_passphrase_change_moves_the_login(tmp_path: Path, live_server: LiveServer) -> None:
    a = _first(tmp_path, live_server)
    _sync(a)
    a.change_passphrase(PASS, "a brand new passphrase")
    enrol.update_login(a, "a brand new passphrase")
    with pytest.raises(SyncError):
        enrol.join(tmp_path / "old.vault", live_server.url, "maria", PASS)
    b = enrol.join(tmp_path / "b.vault", live_server.url, "maria", "a brand new passphrase")
    assert b.vault_id == a.vault_id
    a.lock()
    b.lock()


def test_scheduler_for_a_vault_syncs_and_probes(tmp_path: Path, live_server: LiveServer) -> None:
    from counsel.sync.scheduler import Action, State, for_vault

    a = _first(tmp_path, live_server)
    a.save(Contact(id="contact0099", name="Queued"))
    sched = for_vault(a)
    action = sched.next_action()
    assert action is Action.SYNC
    sched.run(action)
    assert sched.state is State.IDLE and a.store.outbox_count() == 0
    assert sched._check() is True
    a.lock()


def test_own_push_is_not_downloaded_back(tmp_path: Path, live_server: LiveServer) -> None:
    a = _first(tmp_path, live_server)
    a.save_many([Contact(id=f"contact{i:04d}", name=f"Office {i}") for i in range(12)])
    seen: list[Progress] = []
    client = SyncClient.from_vault(a, progress=seen.append, push_batch=5)
    try:
        report = client.sync()
    finally:
        client.close()
    assert report.pushed == 12
    assert [p.done for p in seen if p.phase == "pull"] == [0]
    a.lock()
