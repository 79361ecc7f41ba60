"""The vault's parts behind the front: one sealing format, old formats still read,
named queries instead of SQL, and the sync port's one-transaction promises."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from counsel.domain import Channel, Client, Contact, PartyKind, WorkEntry, WorkKind
from counsel.errors import IntegrityError, VaultLocked
from counsel.vault import envelope, keys
from counsel.vault.service import Vault
from counsel.vault.store import StoredRevision

DAY = dt.date(2026, 11, 27)


def _old_local_seal(vault: Vault, purpose: str, data: bytes, associated: bytes) -> bytes:
    """What ``Vault.seal_local`` wrote before the split: ``nonce | ciphertext``."""
    nonce = os.urandom(12)
    subkey = keys.subkey(vault._keys.require(), purpose)
    return nonce + AESGCM(subkey).encrypt(nonce, data, associated)


def test_local_secrets_are_envelopes_and_the_old_layout_still_opens(vault: Vault) -> None:
    sealed = vault.local.seal("p", b"token-1", b"ad")
    assert sealed[0] == envelope.VERSION and len(sealed) == envelope.OVERHEAD + 7
    assert vault.local.open("p", sealed, b"ad") == b"token-1"
    assert vault.local.upgrade("p", sealed, b"ad") is None  # already current
    old = _old_local_seal(vault, "p", b"token-2", b"ad")
    assert vault.local.open("p", old, b"ad") == b"token-2"
    upgraded = vault.local.upgrade("p", old, b"ad")
    assert upgraded is not None and upgraded[0] == envelope.VERSION
    assert vault.local.open("p", upgraded, b"ad") == b"token-2"
    for bad in (sealed[:-1] + bytes([sealed[-1] ^ 1]), old[:-1] + bytes([old[-1] ^ 1])):
        with pytest.raises(IntegrityError):
            vault.local.open("p", bad, b"ad")
    with pytest.raises(IntegrityError):  # bound to its purpose and associated data
        vault.local.open("other", sealed, b"ad")
    with pytest.raises(IntegrityError):
        vault.local.open("p", sealed, b"other")


def test_sync_credentials_of_the_old_layout_load_and_are_resealed(vault: Vault) -> None:
    from counsel.sync import credentials

    creds = credentials.Credentials("https://sync.example", "maria", "secret-token", "dev-1")
    credentials.save(vault, creds)
    # as an older release stored the token
    old = _old_local_seal(vault, credentials.PURPOSE, b"secret-token", credentials._aad(vault))
    vault.sync_port.set_states({credentials.TOKEN: old.hex()})
    assert credentials.load(vault) == creds
    stored = bytes.fromhex(vault.sync_port.state(credentials.TOKEN) or "")
    assert stored != old and stored[0] == envelope.VERSION
    assert credentials.load(vault) == creds


def test_drafts_written_by_the_old_code_still_open(vault: Vault) -> None:
    # the old save_draft built this envelope by hand; the one seal function must read it
    nonce = os.urandom(12)
    aead = AESGCM(keys.subkey(vault._keys.require(), "drafts"))
    sealed = bytes([1]) + nonce + aead.encrypt(
        nonce, b'{"situation": "kesken"}', envelope.aad("draft", vault.vault_id, "c:enc"))
    vault.store.put_draft("c:enc", sealed, "2026-11-27T10:00:00+00:00")
    vault.drafts.save("c:plan", {"goals": "x"})
    assert {d.draft_id: d.data for d in vault.drafts.list()} == {
        "c:enc": {"situation": "kesken"}, "c:plan": {"goals": "x"}}
    vault.drafts.discard("c:enc")
    assert vault.drafts.get("c:enc") is None and vault.drafts.get("c:plan") is not None


def test_a_draft_moved_to_another_id_is_not_read(vault: Vault) -> None:
    vault.drafts.save("a:enc", {"t": "secret"})
    ((_id, sealed, updated),) = vault.store.drafts()
    vault.store.put_draft("b:enc", sealed, updated)
    assert [d.draft_id for d in vault.drafts.list()] == ["a:enc"]


def test_settings_are_records_and_default_when_missing(vault: Vault) -> None:
    assert vault.settings.get("ui.x", 7) == 7
    vault.settings.set("ui.x", {"a": [1, 2]})
    assert vault.settings.get("ui.x") == {"a": [1, 2]}
    assert vault.count("setting") == 1


def test_named_queries_replace_sql(vault: Vault) -> None:
    c = Client(name="Amina Yusuf")
    k = Contact(name="TE office", party_kind=PartyKind.TE_SERVICES)
    vault.save_many([c, k])
    entries = [
        WorkEntry(kind=WorkKind.BACKGROUND, date=DAY - dt.timedelta(days=i), minutes=10 + i,
                  client=c.id if i else None, contact=k.id, party_kind=PartyKind.TE_SERVICES,
                  channel=Channel.PHONE, what=f"call {i}", source=src)
        for i, src in enumerate(["ics:uid-1|", "ics:uid_2|", "icsXuid-3|", "", "manual"])
    ]
    vault.save_many(entries)
    history = vault.work_with_contact(k.id, limit=3)
    assert [(w.date, w.minutes, w.client_name, w.what) for w in history] == [
        (DAY, 10, "", "call 0"),
        (DAY - dt.timedelta(days=1), 11, "Amina Yusuf", "call 1"),
        (DAY - dt.timedelta(days=2), 12, "Amina Yusuf", "call 2"),
    ]
    # the prefix is a prefix, not a LIKE pattern: "ics_" must not match "icsX"
    assert vault.work_sources("ics:") == {"ics:uid-1|", "ics:uid_2|"}
    assert vault.work_sources("ics_") == set()
    assert vault.ids_of(Client) == [c.id]
    assert not hasattr(vault, "sql")


def test_apply_remote_stores_revisions_keys_and_cursor_in_one_transaction(
    vault: Vault, tmp_path: Path
) -> None:
    c = Client(name="Remote Client")
    vault.save(c)
    revs = vault.sync_port.outbox_batch(10)
    wrapped = vault.sync_port.wrapped_keys_for({r.key_id for r in revs})
    assert list(wrapped) == [c.id]
    b = Vault.join(tmp_path / "c.vault", vault.export_keyring(), "correct horse battery")

    def crash() -> None:
        raise RuntimeError("power cut")

    with pytest.raises(RuntimeError):
        b.sync_port.apply_remote(revs, wrapped, cursor=5, during=crash)
    assert b.sync_port.cursor() == 0 and not b.exists(c.id) and b.store.max_seq() == 0
    assert b.sync_port.apply_remote(revs, wrapped, cursor=5) == {c.id}
    assert b.sync_port.cursor() == 5 and b.get(c.id) == c
    b.lock()


def test_ack_moves_the_cursor_only_from_where_the_push_began(vault: Vault) -> None:
    vault.save(Contact(name="A"))
    (rev,) = vault.sync_port.outbox_batch(10)
    vault.sync_port.set_states({"cursor": "3"})
    vault.sync_port.ack([rev.rev_id], before=2, seq=9)  # someone else pushed meanwhile
    assert vault.sync_port.cursor() == 3 and vault.sync_port.outbox_count() == 0
    vault.save(Contact(name="B"))
    (rev,) = vault.sync_port.outbox_batch(10)
    vault.sync_port.ack([rev.rev_id], before=3, seq=4)
    assert vault.sync_port.cursor() == 4


def test_erasures_wait_in_the_port_until_sent(vault: Vault) -> None:
    c = Client(name="To Erase")
    vault.save(c)
    assert vault.sync_port.unsynced_count() == 1  # the client's revision
    vault.erase_client(c.id)
    assert vault.sync_port.erasures_to_send() == [c.id]
    # its revision is still sent, as a header without content; and the erasure (plus its
    # audit entry, sealed under the vault key)
    assert [(r.kind, r.envelope) for r in vault.sync_port.outbox_batch(10)
            if r.kind != "audit"] == [("client", b"")]
    assert [r.kind for r in vault.sync_port.outbox_batch(10)].count("audit") == 1
    assert vault.sync_port.unsynced_count() == 3
    vault.sync_port.mark_erasures_sent([c.id])
    assert vault.sync_port.erasures_to_send() == []
    # a revision of the erased client arriving later keeps only its header
    stale = StoredRevision("f" * 32, c.id, (), "client", c.id, "dev2", b"\x01" + bytes(40))
    vault.sync_port.apply_remote([stale])
    assert not vault.exists(c.id) and vault.sync_port.revision("f" * 32).envelope == b""  # type: ignore[union-attr]


def test_every_part_refuses_once_locked(vault: Vault) -> None:
    vault.lock()
    for call in (lambda: vault.drafts.save("x", {}), vault.drafts.list,
                 lambda: vault.drafts.discard("x"), lambda: vault.settings.get("x"),
                 lambda: vault.local.seal("p", b""), lambda: vault.sync_port.apply_remote([]),
                 lambda: vault.get("x"), lambda: vault.work_sources("ics:"), vault.conflicts,
                 lambda: vault.of_client(Client, "x"), lambda: vault.exists("x")):
        with pytest.raises(VaultLocked):
            call()
