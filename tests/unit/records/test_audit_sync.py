"""The audit trail across two devices: entries travel with sync, each says who, when and on
which device, each device keeps its own chain, and tampering on one device (with the keys,
through a modified build) shows on the other after sync."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from synchelp import LiveServer

from counsel.domain import AuditEntry, Client
from counsel.records.auditchain import entry_hash
from counsel.sync import enrol
from counsel.sync.client import SyncClient
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
def devices(tmp_path: Path, live_server: LiveServer) -> Iterator[tuple[Vault, Vault, str]]:
    a, _code = Vault.create(tmp_path / "a.vault", PASS, kdf=KdfParams.fast_for_tests())
    enrol.connect(a, live_server.url, "maria", PASS,
                  enrol_secret=live_server.storage.create_account("maria"))
    client = Client(name="Two Devices")
    a.save_many([client], audited=True)  # A: edit #1
    a.audit.record("print", client_id=client.id, record_id=client.id, record_kind="client",
                   detail="card")  # A: print #2
    _sync(a)
    b = enrol.join(tmp_path / "b.vault", live_server.url, "maria", PASS)
    b.audit.record("view", client_id=client.id, record_id=client.id, record_kind="client")
    b.audit.record("export", client_id=client.id, record_kind="client", detail="pdf json")
    _sync(b)
    _sync(a)
    a.audit.record("export", record_kind="report", detail="csv report")  # A: #3
    _sync(a)
    _sync(b)
    yield a, b, client.id
    for v in (a, b):
        if not v.locked:
            v.lock()


def _key(e: AuditEntry) -> tuple[str, int, str]:
    return (e.device, e.counter, e.action)


def test_entries_reach_the_other_device_with_who_when_and_which_device(
        devices: tuple[Vault, Vault, str]) -> None:
    a, b, client_id = devices
    assert a.device_id != b.device_id
    on_a, on_b = a.audit.entries(), b.audit.entries()
    assert sorted(map(_key, on_a)) == sorted(map(_key, on_b)) == sorted([
        (a.device_id, 1, "edit"), (a.device_id, 2, "print"), (a.device_id, 3, "export"),
        (b.device_id, 1, "view"), (b.device_id, 2, "export")])
    assert {e.id: e for e in on_a} == {e.id: e for e in on_b}  # the same entries, whole
    for e in on_b:
        assert e.person == "maria"  # the sync account names the person
        assert e.at.tzinfo is not None
        assert abs(dt.datetime.now(dt.UTC) - e.at) < dt.timedelta(hours=1)
    assert {e.client for e in on_b if e.action != "export" or e.record_kind != "report"} == {
        client_id}
    for v in (a, b):
        state = v.audit.verify()
        assert state.intact and (state.entries, state.devices) == (5, 2)


def _edit_middle(vault: Vault) -> str:
    own = sorted((e for e in vault.audit.entries() if e.device == vault.device_id),
                 key=lambda e: e.counter)
    forged = dataclasses.replace(own[1], detail="nothing was printed")
    vault._records.save_many([forged])  # noqa: SLF001 - a modified build, holding the keys
    return own[1].id


def _remove_middle(vault: Vault) -> str:
    own = sorted((e for e in vault.audit.entries() if e.device == vault.device_id),
                 key=lambda e: e.counter)
    vault._records.delete(own[1].id)  # noqa: SLF001
    return own[1].id


def _reorder(vault: Vault) -> str:
    """Swap entries 2 and 3 and relink the chain as a careful forger would."""
    own = sorted((e for e in vault.audit.entries() if e.device == vault.device_id),
                 key=lambda e: e.counter)
    first, second, third = own
    moved_up = dataclasses.replace(third, counter=2, prev=entry_hash(first))
    moved_down = dataclasses.replace(second, counter=3, prev=entry_hash(moved_up))
    vault._records.save_many([moved_up, moved_down])  # noqa: SLF001
    return third.id


TAMPERINGS: dict[str, tuple[Callable[[Vault], str], set[str]]] = {
    "edited": (_edit_middle, {"edited", "link"}),
    "removed": (_remove_middle, {"removed", "missing"}),
    "reordered": (_reorder, {"edited"}),
}


@pytest.mark.parametrize("how", sorted(TAMPERINGS))
def test_tampering_on_one_device_shows_on_the_other(
        how: str, devices: tuple[Vault, Vault, str]) -> None:
    a, b, _client = devices
    tamper, reasons = TAMPERINGS[how]
    touched = tamper(a)
    assert not a.audit.verify().intact  # the forger's own device says so ...
    _sync(a)
    _sync(b)
    state = b.audit.verify()  # ... and so does the other device, after sync
    assert not state.intact
    assert {br.reason for br in state.breaks} >= reasons
    assert {br.device for br in state.breaks} <= {a.device_id, ""}  # B's own chain is fine
    assert touched in {br.entry_id for br in state.breaks}
