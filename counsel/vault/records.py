"""Saving: the one way a record reaches the disk.

    encode (payload.encode) → seal (RevisionCipher.seal; the next link of this device's
    chain) → append the revision (Store.insert_revisions, one transaction; the sealed
    local history is updated in it) → update the working set (Current)

Deleting writes a tombstone revision the same way; a conflict resolution is a revision
whose parents are the leaves it resolves.  Erasing a client is the one write that removes.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Sequence
from typing import Any

from counsel.domain import RECORD_TYPES, Client, Record
from counsel.domain.base import new_id
from counsel.errors import RecordNotFound, ValidationError
from counsel.i18n import gettext as _
from counsel.vault import authors, history, integrity, keys
from counsel.vault.current import SNAPSHOT_KEY, Current
from counsel.vault.keyring import UnlockedKeys
from counsel.vault.payload import RevisionCipher, encode
from counsel.vault.store import Store, StoredRevision
from counsel.vault.views import Saved


def _key_id_for(record: Record) -> str:
    return record.client_id or keys.VAULT_KEY_ID


class Records:
    def __init__(self, st: Store, keys_: UnlockedKeys, cipher: RevisionCipher, current: Current,
                 device_id: str, sealer: history.Sealer, keeper: integrity.Keeper) -> None:
        self._store = st
        self._keys = keys_
        self._cipher = cipher
        self._current = current
        self._device_id = device_id
        self._vault_id = keys_.vault_id
        self._sealer = sealer
        self._keeper = keeper
        self._tip = self._stored_tip()

    # -- this device's chain of changes (counsel.vault.history) -------------------------
    def _stored_tip(self) -> tuple[int, str]:
        own = self._store.chain_tips().get(self._device_id)
        return (own.counter, history.chain_hash(self._vault_id, own)) if own else (0, "")

    def _reset_tip(self) -> None:
        """A write failed: the change numbers it used are free again."""
        self._tip = self._stored_tip()
        self._keeper.rolled_back()

    def _revision(self, record_id: str, kind: str, key_id: str, parents: tuple[str, ...],
                  record: Record | None, rev_id: str | None = None, *,
                  chain: bool = True) -> StoredRevision:
        """Encode and seal one new revision of this device (not stored yet): the next change
        number, linked to the previous one, the whole header bound as associated data.
        ``chain=False``: a deterministic merge, kept out of any device's chain."""
        counter, prev = self._tip if chain else (-1, "")
        header = StoredRevision(rev_id=rev_id or new_id(), record_id=record_id,
                                parents=parents, kind=kind, key_id=key_id,
                                device_id=self._device_id if chain else "merge",
                                envelope=b"", counter=counter + 1, prev=prev)
        aad = history.record_aad(self._vault_id, header)  # sealed with it; the chain's link
        sealed = self._cipher.seal(header, encode(record), aad)
        if chain:
            self._tip = (header.counter, history.chain_link(aad))
        return dataclasses.replace(header, envelope=sealed)

    def save_many(self, records: Sequence[Record]) -> list[Saved]:
        """Save records as new revisions in one transaction."""
        new_keys: dict[str, bytes] = {}
        revs: list[StoredRevision] = []
        fast: list[tuple[Record, StoredRevision, tuple[Any, ...] | None]] = []
        slow: list[str] = []
        seen: set[str] = set()
        ws = self._current.ws
        if account := self._store.state(authors.TEAM_ACCOUNT):  # a team copy
            records = authors.stamp(records, account, ws.author_of)
        # each record's working-set row and heads, read for the whole save at once (nothing
        # below changes them before the revisions are stored)
        ids = [record.id for record in records]
        if len(ids) == 1:  # a single save: the two plain lookups are the quickest
            row, heads_now = ws.row(ids[0]), self._store.heads(ids[0])
            shown = {ids[0]: row} if row is not None else {}
            stored_heads = {ids[0]: heads_now}
        else:
            shown, stored_heads = ws.rows(ids), self._store.heads_of(ids)
        for record in records:
            if RECORD_TYPES.get(record.KIND) is not type(record):
                raise TypeError(f"not a storable record: {type(record).__name__}")
            key_id = _key_id_for(record)
            if isinstance(record, Client):
                wrapped = self._keys.new_client_key(record.id)
                if wrapped is not None:
                    new_keys[record.id] = wrapped
            elif key_id != keys.VAULT_KEY_ID and key_id not in new_keys:
                self._keys.cipher(key_id)  # raises if the client does not exist here
            existing = shown.get(record.id)
            if existing is not None and existing[0] != record.KIND:
                raise ValidationError("id", _("belongs to another kind of record"))
            heads = stored_heads.get(record.id, [])
            if existing is not None:
                parents: tuple[str, ...] = (existing[1],)
            else:
                parents = (heads[-1].rev_id,) if heads else ()
            rev = self._revision(record.id, record.KIND, key_id, parents, record)
            revs.append(rev)
            # the only leaf afterwards is this revision: show it without re-decrypting
            if len(heads) <= 1 and all(h.rev_id in parents for h in heads) and \
                    record.id not in seen:
                fast.append((record, rev, existing))
            else:
                slow.append(record.id)
            seen.add(record.id)
        try:
            self._store.insert_revisions(
                revs, outbox=True, fresh=True,
                in_tx=(lambda c: self._store.put_wrapped_keys(new_keys, c)) if new_keys else None,
            )
        except BaseException:
            for client_id in new_keys:
                self._keys.forget_client(client_id)
            self._reset_tip()
            raise
        self._current.show_saved(fast)
        self._current.refresh(slow)
        return [Saved(r.record_id, r.rev_id, r.kind) for r in revs]

    def _write(self, rev: StoredRevision) -> Saved:
        try:
            touched = self._store.insert_revisions([rev], outbox=True)
        except BaseException:
            self._reset_tip()
            raise
        self._current.refresh(touched)
        return Saved(rev.record_id, rev.rev_id, rev.kind)

    def delete(self, record_id: str) -> Saved:
        """Delete a record: a tombstone revision (history kept; sync sees the delete)."""
        row = self._current.ws.row(record_id)
        if row is None:
            raise RecordNotFound(_("The record does not exist."))
        kind, rev_id, key_id = row[0], row[1], row[2]
        return self._write(self._revision(record_id, kind, key_id, (rev_id,), None))

    def save_resolution(self, record_id: str, kind: str, record: Record | None,
                        parents: Sequence[str], *, rev_id: str | None = None) -> Saved:
        """A revision that resolves the leaves ``parents`` (record None = stays deleted)."""
        heads = {h.rev_id: h for h in self._store.heads(record_id)}
        if not parents or not set(parents) <= set(heads) | {
            r.revision.rev_id for r in self._store.revisions_of(record_id)
        }:
            raise ValidationError("parents", _("names revisions this record does not have"))
        key_id = (
            next(iter(heads.values())).key_id
            if heads
            else (record.client_id if record and record.client_id else keys.VAULT_KEY_ID)
        )
        # A deterministic merge (``rev_id`` given: the same on every device that merges the
        # same leaves) stays out of this device's chain, so two devices writing it do not
        # each claim a change number the server keeps only once; it is still sealed with its
        # whole header, and any device can write it again.
        return self._write(self._revision(record_id, kind, key_id, tuple(parents), record,
                                          rev_id, chain=rev_id is None))

    def _seal_erasure(self, client_id: str, at: str) -> bytes:
        """Sealed under the newest key generation: an old copy cannot erase after a
        rotation (``history.erasure_is_authentic``)."""
        gen = self._keys.generation
        sealer = self._sealer if gen == 0 else history.VaultKeySealer(
            self._keys.vault_id, self._keys.vault_key(gen), self._sealer.signer)
        return history.seal_erasure(sealer, client_id, at, gen)

    def erase_client(self, client_id: str, record: bytes | None = None) -> None:
        """Erase a client everywhere: drop their key, every envelope it sealed, their drafts.

        Copies of old envelopes (backups, the server) can no longer be opened with
        anything this vault holds.  The unlock cache is re-keyed for the same reason.
        The erasure is a sealed record (``history.seal_erasure``) that other devices check
        before they erase; ``record`` is the one received when applying another device's.
        """
        if self._store.wrapped_key(client_id) is None:
            raise RecordNotFound(_("The client does not exist."))
        self._current.remove_client(client_id)
        new_cache_key, sealed = self._keys.new_local_key(SNAPSHOT_KEY)
        at = dt.datetime.now(dt.UTC).isoformat()
        erasure = record or self._seal_erasure(client_id, at)
        self._store.erase_client(client_id, at, erasure, {"snapshot_key": sealed})
        self._keys.mark_erased(client_id)
        self._current.replace_snapshot_key(new_cache_key)
        self._store.checkpoint()
