"""The sync port: the narrow interface sync has to the vault file.

Sync (``counsel.sync``) never touches the store: it reads the outbox and its bookkeeping
here, hands pulled revisions to :meth:`SyncPort.apply_remote` (revisions, the keys that
open them and the new cursor in one transaction), and reads heads and revisions to merge.
Use through ``vault.sync_port``.
"""

from __future__ import annotations

import dataclasses
import json
import threading
from collections.abc import Callable, Iterable, Mapping
from typing import Any

from counsel.errors import IntegrityError, RecordNotFound
from counsel.vault import envelope, history, integrity
from counsel.vault.current import Current
from counsel.vault.keyring import UnlockedKeys
from counsel.vault.payload import RevisionCipher
from counsel.vault.store import RevisionRow, Store, StoredRevision
from counsel.vault.trustport import TrustPort

#: ``sync_state`` keys the port owns: the pull cursor, the erasures the server has, and
#: erasures received under a newer key generation than this device holds yet.
CURSOR, ERASED_SENT, WAITING = "cursor", "erased_sent", "erasures_waiting"


class SyncPort:
    def __init__(self, st: Store, keys: UnlockedKeys, cipher: RevisionCipher, current: Current,
                 erase_client: Callable[[str, bytes | None], None], sealer: history.Sealer,
                 keeper: integrity.Keeper, trust: TrustPort) -> None:
        self._store = st
        self._keys = keys
        self._cipher = cipher
        self._current = current
        self._erase_client = erase_client
        self._sealer = sealer
        self._keeper = keeper
        self._trust = trust
        self._lock: threading.RLock = st.lock
        self._alarms: list[history.Alarm] = []

    # -- bookkeeping (the sync_state table) ------------------------------------------
    def state(self, key: str) -> str | None:
        return self._store.state(key)

    def _set(self, values: Mapping[str, str] | None, conn: Any) -> None:
        for key, value in (values or {}).items():
            self._store.set_state(key, value, conn)

    def set_states(self, values: Mapping[str, str]) -> None:
        """Write several sync settings in one transaction."""
        self._store.transaction(lambda conn: self._set(values, conn))

    def delete_states(self, keys: Iterable[str]) -> None:
        self._store.delete_states(keys)

    def cursor(self) -> int:
        return int(self._store.state(CURSOR) or 0)

    # -- what goes out ----------------------------------------------------------------
    def _erasures_sent(self) -> set[str]:
        return set(json.loads(self._store.state(ERASED_SENT) or "[]"))

    def erasures_to_send(self) -> list[str]:
        """Clients erased here that the server has not been told about."""
        return sorted(self._store.erased_keys() - self._erasures_sent())

    def mark_erasures_sent(self, key_ids: Iterable[str]) -> None:
        done = self._erasures_sent() | set(key_ids)
        self._store.set_state(ERASED_SENT, json.dumps(sorted(done)))

    def unsynced_count(self) -> int:
        """Local changes the server does not have yet (revisions and erasures)."""
        return self._store.outbox_count() + len(self.erasures_to_send())

    def outbox_count(self) -> int:
        return self._store.outbox_count()

    def outbox_batch(self, limit: int) -> list[StoredRevision]:
        return self._store.outbox_batch(limit)

    def wrapped_keys_for(self, key_ids: Iterable[str]) -> dict[str, bytes]:
        """The wrapped keys (never plain) another device needs to open these key ids."""
        return {k: w for k in sorted(set(key_ids)) if (w := self._store.wrapped_key(k))}

    def ack(self, rev_ids: Iterable[str], before: int, seq: int,
            states: Mapping[str, str] | None = None) -> None:
        """Clear acknowledged outbox rows; in the same transaction move the cursor from
        ``before`` to ``seq`` if it still stands at ``before`` (the server's sequence numbers
        (before, seq] then hold only what this device just sent), and write ``states``."""
        ids = list(rev_ids)

        def write(conn: Any) -> None:
            self._store.ack(ids, conn)
            if 0 <= before == self.cursor() < seq:
                self._store.set_state(CURSOR, str(seq), conn)
            self._set(states, conn)

        self._store.transaction(write)

    def requeue_parents(self, batch: Iterable[StoredRevision]) -> list[StoredRevision]:
        """Queue again the parents of ``batch`` held here that are not in it or queued
        already (the server said it lacks a parent: it withheld or lost a change this
        device builds on); each is reported as withheld.  Returns those queued."""
        batch = list(batch)
        ids = {r.rev_id for r in batch}
        queued = {r.rev_id for r in self._store.outbox_batch(1 << 30)}
        found: dict[str, StoredRevision] = {}
        for rev in batch:
            for parent in rev.parents:
                if parent in ids or parent in queued or parent in found:
                    continue
                held = self._store.revision(parent)
                if held is not None:
                    found[parent] = held
        if found:
            self._store.requeue(found)
            with self._lock:
                self._alarms += [history.withheld_parent_alarm(r.device_id, r.counter)
                                 for r in found.values()]
        return list(found.values())

    def send_everything_again(self, states: Mapping[str, str] | None = None) -> int:
        """Queue every stored revision and every erasure again and restart the cursor at 0,
        writing ``states`` too, in one transaction (the server lost what it had).
        Returns how many revisions are queued now."""
        def write(conn: Any) -> int:
            queued = self._store.requeue_all(conn)
            self._set({CURSOR: "0", ERASED_SENT: "[]", **(states or {})}, conn)
            return queued

        return int(str(self._store.transaction(write)))

    # -- what comes in ----------------------------------------------------------------
    def apply_remote(
        self,
        revs: Iterable[StoredRevision],
        keys: Mapping[str, bytes] | None = None,
        cursor: int | None = None,
        during: Callable[[], None] | None = None,
        states: Mapping[str, str] | None = None,
    ) -> set[str]:
        """Store pulled revisions, the wrapped keys that open them, the new cursor and
        ``states`` in one transaction (``during`` runs inside it, before the cursor moves);
        returns the records that changed.

        Each revision is authenticated first (its envelope binds its whole header) and its
        link checked against its device's chain; what does not hold is refused or reported
        (:meth:`take_alarms`).  Revisions of clients erased here are kept as headers."""
        page_keys = dict(keys or {})

        def in_tx(conn: Any) -> None:
            if page_keys:
                self._store.put_wrapped_keys(page_keys, conn)
            if during is not None:
                during()
            if cursor is not None:
                self._store.set_state(CURSOR, str(cursor), conn)
            self._set(states, conn)

        with self._lock:
            self._keys.require()
            keep, alarms = self._authenticate(list(revs), page_keys)
            alarms += history.verify_links(self._keys.vault_id, keep, self._trust.chain_lookup)
            self._alarms += alarms
            try:
                touched = self._store.insert_revisions(keep, outbox=False, in_tx=in_tx)
            except BaseException:
                self._keeper.rolled_back()
                raise
            self._current.refresh(touched)
            return set(touched)

    def _authenticate(self, revs: list[StoredRevision], page_keys: dict[str, bytes]
                      ) -> tuple[list[StoredRevision], list[history.Alarm]]:
        erased = self._keys.erased()
        keep: list[StoredRevision] = []
        alarms: list[history.Alarm] = []
        tips = self._store.chain_tops()
        for rev in revs:
            if rev.key_id in erased:
                keep.append(dataclasses.replace(rev, envelope=b""))  # the header only
                continue
            if not rev.envelope:
                alarms.append(history.blanked_alarm(rev.device_id, rev.counter))
                continue
            if not self._keys.knows(envelope.generation_of(rev.envelope)):
                # sealed under keys another device made (a rotation) that this device gets
                # with the new passphrase: kept, opened (and so authenticated) then
                keep.append(rev)
                continue
            if rev.counter or history.is_chained(rev.envelope):
                try:
                    self._cipher.open(rev, page_keys)
                except (IntegrityError, RecordNotFound, ValueError):
                    alarms.append(history.reparented_alarm(rev.device_id, rev.counter))
                    continue
                # a device sends its changes in order: an older one after a newer one (here
                # or in this page) was reordered or held back by the server
                top = tips.get(rev.device_id, 0)
                if 0 < rev.counter < top and self._store.chain_entry(
                        rev.device_id, rev.counter) is None:
                    alarms.append(history.reordered_alarm(rev.device_id, rev.counter))
                tips[rev.device_id] = max(top, rev.counter)
            keep.append(rev)
        return keep, alarms

    def take_alarms(self) -> list[history.Alarm]:
        """What :meth:`apply_remote` and :meth:`forget_keys` noticed since the last call."""
        with self._lock:
            out, self._alarms = self._alarms, []
            return out

    def forget_keys(self, key_ids: Iterable[str] | Mapping[str, bytes | None]) -> None:
        """Apply erasures made on another device — only those that come with an erasure
        record sealed under the vault's keys; the others are reported, not applied.
        Either way the server has them: they are not sent back."""
        records = dict(key_ids) if isinstance(key_ids, Mapping) else dict.fromkeys(key_ids)
        with self._lock:
            waiting = {k: bytes.fromhex(v)
                       for k, v in json.loads(self._store.state(WAITING) or "{}").items()}
            records = {**waiting, **records}
            gen = self._keys.generation
            sealer = self._sealer if gen == 0 else history.VaultKeySealer(
                self._keys.vault_id, self._keys.vault_key(gen), self._sealer.signer)
            still: dict[str, str] = {}
            for key_id, record in records.items():
                claimed = history.erasure_generation(record)
                if claimed > gen:
                    # sealed under keys this device does not have yet (a passphrase changed
                    # elsewhere, a team grant not yet here, a keyring upload behind):
                    # applied once it has them — nothing is erased before it can check
                    still[key_id] = (record or b"").hex()
                    continue
                if not history.erasure_is_authentic(sealer, key_id, record, gen):
                    if self._store.wrapped_key(key_id) is not None:
                        self._alarms.append(history.erasure_alarm(key_id))
                    continue
                if self._store.wrapped_key(key_id) is not None:
                    self._erase_client(key_id, record)
            self._store.set_state(WAITING, json.dumps(still))
            self.mark_erasures_sent(records)

    def erasures_waiting(self) -> bool:
        """Erasures received under keys this device does not have yet."""
        return bool(json.loads(self._store.state(WAITING) or "{}"))

    def erasure_records(self) -> dict[str, bytes | None]:
        """Each erasure made or applied here and its sealed record (to send)."""
        return self._store.erasure_records()

    # -- the revision graph, for merging -------------------------------------------------
    def heads(self, record_id: str) -> list[StoredRevision]:
        """A record's leaves, sorted by revision id (the same order on every device)."""
        return self._store.heads(record_id)

    def revision(self, rev_id: str) -> StoredRevision | None:
        return self._store.revision(rev_id)

    def revisions_of(self, record_id: str) -> list[RevisionRow]:
        return self._store.revisions_of(record_id)

    def conflicted_records(self) -> list[str]:
        return self._store.conflicted_records()

    def all_revisions(self) -> list[StoredRevision]:
        """Every stored revision, sealed as stored (what a fresh device would be sent)."""
        return list(self._store.all_revisions())

    def count_revisions(self) -> int:
        return self._store.count_revisions()

    def merge_heads(self) -> list[tuple[str, str, str]]:
        """(record id, rev id, kind) of every leaf that merged several parents."""
        return self._store.merge_heads()

    def open(self, rev: StoredRevision) -> dict[str, Any] | None:
        """A revision's record as a dict (None for a tombstone)."""
        with self._lock:
            self._keys.require()
            return self._cipher.open(rev)
