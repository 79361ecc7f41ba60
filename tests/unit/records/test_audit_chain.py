"""The audit trail: entries on every save, view and erase; the hash chain detects removed,
edited, reordered and inserted entries."""

from __future__ import annotations

import dataclasses
import datetime as dt
from pathlib import Path

import pytest

from counsel.domain import AuditEntry, Client, Contact
from counsel.records.auditchain import entry_hash, verify
from counsel.vault.service import Vault


def _entries(vault: Vault, n: int) -> list[AuditEntry]:
    client = Client(name="Audit Person")
    vault.save_many([client], audited=True)
    for i in range(n - 1):
        vault.audit.record("print", client_id=client.id, record_id=client.id,
                           record_kind="client", detail=f"variant {i}")
    entries = sorted(vault.audit.entries(), key=lambda e: e.counter)
    assert [e.counter for e in entries] == list(range(1, n + 1))
    return entries


def test_an_audited_save_leaves_one_edit_entry_per_case_record(vault: Vault) -> None:
    client = Client(name="Edit Person")
    contact = Contact(name="Kela office")
    saved = vault.save_many([client, contact], audited=True)
    assert [s.record_id for s in saved] == [client.id, contact.id]
    entries = vault.audit.entries()
    assert sorted((e.action, e.record) for e in entries) == sorted(
        [("edit", client.id), ("edit", contact.id)])
    assert {e.device for e in entries} == {vault.device_id}
    assert vault.audit.verify().intact
    vault.save_many([client.replace(name="Edit Person 2")])  # not audited: no entry
    assert len(vault.audit.entries()) == 2


def test_views_of_one_record_are_coalesced(vault: Vault) -> None:
    now = [1000.0]
    vault.audit._clock = lambda: now[0]  # noqa: SLF001 - the test's clock
    assert vault.audit.record("view", client_id="c" * 32, record_id="c" * 32) is not None
    now[0] += 60
    assert vault.audit.record("view", client_id="c" * 32, record_id="c" * 32) is None
    assert vault.audit.record("view", client_id="d" * 32, record_id="d" * 32) is not None
    now[0] += 600
    assert vault.audit.record("view", client_id="c" * 32, record_id="c" * 32) is not None
    assert [e.action for e in vault.audit.entries()].count("view") == 3


def test_the_chain_survives_lock_and_unlock(vault: Vault, tmp_path: Path) -> None:
    _entries(vault, 3)
    vault.lock()
    again = Vault.unlock(tmp_path / "records.vault", "correct horse battery")
    try:
        again.audit.record("export", detail="csv")
        state = again.audit.verify()
        assert state.intact and state.entries == 4
    finally:
        again.lock()


def test_entries_hold_ids_not_names(vault: Vault) -> None:
    client = Client(name="Zainab Qadiri", notes="asylum interview")
    vault.save_many([client], audited=True)
    vault.erase_client(client.id)
    entries = vault.audit.entries()
    assert [e.action for e in entries] == ["edit", "erase"]
    text = repr(entries)
    assert client.id in text and "Zainab" not in text and "asylum" not in text


# -- tampering, on the entries as read (verify is a pure function) ----------------------
def test_intact_chain_verifies(vault: Vault) -> None:
    assert verify(_entries(vault, 5)).intact


def test_a_removed_entry_is_detected(vault: Vault) -> None:
    entries = _entries(vault, 5)
    state = verify(entries[:2] + entries[3:])
    assert not state.intact
    assert [(b.counter, b.reason) for b in state.breaks] == [(4, "missing")]


def test_an_edited_entry_is_detected(vault: Vault) -> None:
    entries = _entries(vault, 5)
    entries[2] = dataclasses.replace(entries[2], detail="nothing happened")
    state = verify(entries)
    assert [(b.counter, b.reason) for b in state.breaks] == [(4, "link")]


def test_an_edited_newest_entry_is_a_second_revision(vault: Vault) -> None:
    entries = _entries(vault, 3)
    newest = entries[-1]
    # someone with the key and their own build writes a second revision
    vault._records.save_many([dataclasses.replace(newest, detail="nothing")])  # noqa: SLF001
    state = vault.audit.verify()
    assert [(b.counter, b.reason) for b in state.breaks] == [(3, "edited")]


def test_a_deleted_entry_is_detected_by_the_vault(vault: Vault) -> None:
    entries = _entries(vault, 3)
    vault._records.delete(entries[-1].id)  # noqa: SLF001 - the newest: nothing links to it
    state = vault.audit.verify()
    assert [(b.entry_id, b.reason) for b in state.breaks] == [(entries[-1].id, "removed")]


def test_the_vault_refuses_to_change_or_delete_an_entry(vault: Vault) -> None:
    from counsel.errors import ValidationError

    entry = _entries(vault, 2)[-1]
    with pytest.raises(ValidationError):
        vault.save(dataclasses.replace(entry, detail="nothing"))
    with pytest.raises(ValidationError):
        vault.delete(entry.id)
    assert vault.audit.verify().intact


def test_reordered_entries_are_detected(vault: Vault) -> None:
    entries = _entries(vault, 5)
    a, b = entries[1], entries[2]
    swapped = [entries[0], dataclasses.replace(b, counter=2, prev=a.prev),
               dataclasses.replace(a, counter=3, prev=entry_hash(b)), *entries[3:]]
    assert not verify(swapped).intact


def test_an_inserted_entry_is_detected(vault: Vault) -> None:
    entries = _entries(vault, 4)
    forged = dataclasses.replace(entries[1], id="f" * 32, detail="forged")
    state = verify([*entries[:2], forged, *entries[2:]])
    assert not state.intact
    assert "duplicate" in {b.reason for b in state.breaks}


@pytest.mark.parametrize("action", ["peek", ""])
def test_unknown_actions_are_refused(vault: Vault, action: str) -> None:
    with pytest.raises(ValueError):
        vault.audit.record(action)


def test_a_deletion_by_a_person_is_an_edit_entry(vault: Vault) -> None:
    from counsel.domain import Reminder

    client = Client(name="Delete Person")
    reminder = Reminder(client=client.id, due=dt.date(2026, 5, 1), text="call Kela")
    contact = Contact(name="Kela office")
    vault.save_many([client, reminder, contact])
    vault.delete(reminder.id, audited=True)
    vault.delete(contact.id, audited=True)
    vault.delete(client.id)  # not audited (a program's delete, e.g. retention's own entry)
    assert [(e.action, e.client, e.record, e.record_kind, e.detail)
            for e in sorted(vault.audit.entries(), key=lambda e: e.counter)] == [
        ("edit", client.id, reminder.id, "reminder", "deleted"),
        ("edit", None, contact.id, "contact", "deleted")]
    assert vault.audit.verify().intact


# -- tampering with the vault file itself, by someone without the keys ---------------------
def _cut(con, a: str, b: str) -> None:  # type: ignore[no-untyped-def]
    con.execute("DELETE FROM revisions WHERE record_id=?", (a,))
    con.execute("DELETE FROM heads WHERE record_id=?", (a,))


def _flip(con, a: str, b: str) -> None:  # type: ignore[no-untyped-def]
    (env,) = con.execute("SELECT envelope FROM revisions WHERE record_id=?", (a,)).fetchone()
    env = bytearray(env)
    env[len(env) // 2] ^= 1
    con.execute("UPDATE revisions SET envelope=? WHERE record_id=?", (bytes(env), a))


def _swap(con, a: str, b: str) -> None:  # type: ignore[no-untyped-def]
    (ea,) = con.execute("SELECT envelope FROM revisions WHERE record_id=?", (a,)).fetchone()
    (eb,) = con.execute("SELECT envelope FROM revisions WHERE record_id=?", (b,)).fetchone()
    con.execute("UPDATE revisions SET envelope=? WHERE record_id=?", (eb, a))
    con.execute("UPDATE revisions SET envelope=? WHERE record_id=?", (ea, b))


@pytest.mark.parametrize("tamper", [_cut, _flip, _swap], ids=["removed", "edited", "reordered"])
@pytest.mark.parametrize("cache", [True, False], ids=["with-unlock-cache", "rebuilt"])
def test_tampering_with_the_file_is_detected(vault: Vault, tmp_path: Path, tamper, cache: bool,  # type: ignore[no-untyped-def]
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    """An entry cut out of the SQLite file, a byte of one changed, two entries' sealed
    contents swapped: the audit trail and the vault's check both say so — whether the
    working set comes from the unlock cache (which still holds the entry) or is rebuilt."""
    import sqlite3

    from counsel.vault import current

    monkeypatch.setattr(current, "SNAPSHOT_MIN_RECORDS", 1)  # the unlock cache is written
    entries = _entries(vault, 4)
    vault.lock()
    path = tmp_path / "records.vault"
    assert list(tmp_path.glob("*.wscache"))
    con = sqlite3.connect(path)
    with con:
        tamper(con, entries[1].id, entries[2].id)
    con.close()
    if not cache:
        for f in tmp_path.glob("*.wscache"):
            f.unlink()
    again = Vault.unlock(path, "correct horse battery")
    try:
        assert again.check().damaged  # the vault's check names the damage ...
        shown = sorted(again.audit.entries(), key=lambda e: e.counter)
        # ... and the trail either says it is broken or still shows the authentic entries
        # (the sealed unlock cache kept them: nothing could be hidden or changed)
        assert not again.audit.verify().intact or shown == entries
    finally:
        again.lock()
