"""The vault service: what the UI, the CLI and the other areas call.

Create, unlock, lock, change passphrase, recover; save, get, list, search, history,
delete and erase records.  Values returned are frozen dataclasses.  All methods are
thread-safe (one lock; storage writes are serialised).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import logging
import os
import sqlite3
import threading
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any, TypeVar

from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from counsel.domain import RECORD_TYPES, Client, Encounter, Record, Setting, WorkEntry, setting_id
from counsel.domain.base import new_id
from counsel.domain.codec import from_dict, to_dict
from counsel.errors import (
    IntegrityError,
    KnownError,
    RecordNotFound,
    ValidationError,
    VaultError,
    VaultExists,
    VaultLocked,
)
from counsel.i18n import gettext as _
from counsel.vault import envelope, history, integrity, keys, snapshot, store, textnorm
from counsel.vault.kdf import KdfParams
from counsel.vault.store import Store, StoredRevision
from counsel.vault.trustport import TrustPort
from counsel.vault.views import (
    CheckReport,
    ClientSummary,
    Damaged,
    Draft,
    EncounterSummary,
    RevisionInfo,
    Saved,
    SearchHit,
)
from counsel.vault.workingset import KEEP_JSON, WorkingSet, encounter_from_row, work_from_row

log = logging.getLogger("counsel.vault")
R = TypeVar("R", bound=Record)
PAYLOAD_VERSION = 1
#: Below this many records, unlock rebuilds quickly enough that no cache is written.
SNAPSHOT_MIN_RECORDS = 2000


def _payload(record: Record | None) -> bytes:
    body: dict[str, Any] = {"v": PAYLOAD_VERSION}
    if record is None:
        body["deleted"] = True
    else:
        body["data"] = to_dict(record)
    return json.dumps(body, ensure_ascii=False, separators=(",", ":")).encode()


def _date(value: str | None) -> dt.date | None:
    return dt.date.fromisoformat(value) if value else None


class Vault:
    """An unlocked vault. Construct with ``create``, ``unlock``, ``recover`` or ``join``."""

    def __init__(self, st: Store, ring: keys.Keyring, umk: bytes, vault_key: bytes) -> None:
        self.store = st
        self.path = st.path
        self._ring = ring
        self._umk: bytes | None = umk
        self._vault_key: bytes | None = vault_key
        self.vault_id = ring.vault_id
        meta = st.meta()
        self.device_id = meta["device_id"].decode()
        self._lock: threading.RLock = st.lock
        self._aeads: dict[str, AESGCM] = {keys.VAULT_KEY_ID: AESGCM(vault_key)}
        self._damaged: dict[str, str] = {}
        self._alarms: list[history.Alarm] = []
        # authenticated history (issue 11): the sealer for checkpoints, erasure records and
        # the sealed local state; this device's chain tip; what the file's state says
        self._sealer = history.VaultKeySealer(self.vault_id, vault_key, self.device_id)
        own = st.chain_tips().get(self.device_id)
        self._tip = (own.counter, history.chain_hash(self.vault_id, own)) if own else (0, "")
        self._keeper = integrity.Keeper(st, self.vault_id, self._sealer)
        self.trust = TrustPort(st, self.vault_id, self.device_id, self._sealer)
        self._snapshot_key = self._load_snapshot_key(meta)
        if self._keeper.verify(st.erased_keys()):
            assert self.path is not None
            snapshot.remove(snapshot.cache_path(self.path))  # it may show what was undone
        self._ws = self._load_working_set()

    # -- lifecycle -------------------------------------------------------------------
    @classmethod
    def create(
        cls, path: Path, passphrase: str, *, kdf: KdfParams | None = None
    ) -> tuple[Vault, str]:
        """Create a vault file; returns the vault and its recovery code (show it once)."""
        path = Path(path)
        if path.exists():
            raise VaultExists(_("A vault already exists at {path}.").format(path=path))
        if len(passphrase) < 8:
            raise ValidationError("passphrase", _("must be at least 8 characters"))
        created = keys.create(new_id(), passphrase, kdf)
        return cls._initialise(
            path, created.keyring, created.umk, created.vault_key
        ), created.recovery_code

    @classmethod
    def _initialise(cls, path: Path, ring: keys.Keyring, umk: bytes, vkey: bytes) -> Vault:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(f".{path.name}.creating-{os.getpid()}")
        for leftover in (tmp, Path(f"{tmp}-wal"), Path(f"{tmp}-shm")):
            leftover.unlink(missing_ok=True)
        st = Store.open(tmp, create=True)
        st.set_meta(
            {
                **ring.to_meta(),
                "device_id": new_id().encode(),
                "created": dt.datetime.now(dt.UTC).isoformat().encode(),
            }
        )
        st.close()
        os.replace(tmp, path)  # atomic: a vault file either exists whole or not at all
        try:
            return cls._from_file(path, ring, umk, vkey)
        except BaseException:
            # a vault that cannot be opened right after creation is no vault: leave no file
            for made in (path, Path(f"{path}-wal"), Path(f"{path}-shm")):
                made.unlink(missing_ok=True)
            raise

    @classmethod
    def unlock(cls, path: Path, passphrase: str) -> Vault:
        """Unlock with the passphrase. A wrong one changes nothing on disk."""
        path = Path(path)
        ring = keys.Keyring.from_meta(store.read_meta_readonly(path))
        umk = keys.unlock_with_passphrase(ring, passphrase)
        vkey = keys.vault_key(ring, umk)
        return cls._from_file(path, ring, umk, vkey)

    @classmethod
    def _from_file(cls, path: Path, ring: keys.Keyring, umk: bytes, vkey: bytes) -> Vault:
        st = Store.open(path)
        try:
            return cls(st, ring, umk, vkey)
        except sqlite3.DatabaseError as exc:
            st.close()
            raise VaultError(_("The vault file is damaged: {reason}").format(reason=exc)) from exc

    @classmethod
    def recover(cls, path: Path, recovery_code: str, new_passphrase: str) -> Vault:
        """Unlock with the printed recovery code and set a new passphrase."""
        path = Path(path)
        ring = keys.Keyring.from_meta(store.read_meta_readonly(path))
        umk = keys.unlock_with_recovery(ring, recovery_code)
        if len(new_passphrase) < 8:
            raise ValidationError("passphrase", _("must be at least 8 characters"))
        vkey = keys.vault_key(ring, umk)
        ring = keys.rewrap_passphrase(ring, umk, new_passphrase)
        vault = cls._from_file(path, ring, umk, vkey)
        vault.store.set_meta(ring.to_meta())
        return vault

    @classmethod
    def join(cls, path: Path, keyring_json: dict[str, Any], passphrase: str) -> Vault:
        """A new local copy of an existing vault (a second device), from its keyring."""
        path = Path(path)
        if path.exists():
            raise VaultExists(_("A vault already exists at {path}.").format(path=path))
        ring = keys.Keyring.from_json(keyring_json)
        umk = keys.unlock_with_passphrase(ring, passphrase)
        return cls._initialise(path, ring, umk, keys.vault_key(ring, umk))

    def export_keyring(self) -> dict[str, Any]:
        """Everything another device needs besides the passphrase; all of it wrapped."""
        return self._ring.to_json()

    def change_passphrase(self, old: str, new: str) -> None:
        with self._lock:
            self._require_unlocked()
            if len(new) < 8:
                raise ValidationError("passphrase", _("must be at least 8 characters"))
            umk = keys.unlock_with_passphrase(self._ring, old)
            self._ring = keys.rewrap_passphrase(self._ring, umk, new)
            self.store.set_meta(self._ring.to_meta())

    def new_recovery_code(self) -> str:
        """Replace the recovery code (the old printed one stops working)."""
        with self._lock:
            assert self._umk is not None
            self._ring, code = keys.rewrap_recovery(self._ring, self._umk)
            self.store.set_meta(self._ring.to_meta())
            return code

    @property
    def locked(self) -> bool:
        return self._vault_key is None

    def lock(self) -> None:
        """Write the unlock cache if useful, close the file and drop every key."""
        with self._lock:
            if self.locked:
                return
            try:
                self._write_snapshot_if_stale()
            except (OSError, KnownError):
                log.warning("could not write the unlock cache", exc_info=True)
            self._ws.close()
            self.store.close()
            self._aeads.clear()
            self._umk = self._vault_key = self._snapshot_key = None  # type: ignore[assignment]

    def _require_unlocked(self) -> None:
        if self._vault_key is None:
            raise VaultLocked(_("The vault is locked."))

    # -- keys ---------------------------------------------------------------------------
    def _aead(self, key_id: str) -> AESGCM:
        aead = self._aeads.get(key_id)
        if aead is None:
            wrapped = self.store.wrapped_key(key_id)
            if wrapped is None:
                raise RecordNotFound(_("The client's key is missing (erased or not synced)."))
            assert self._vault_key is not None
            aead = AESGCM(keys.unwrap_client_key(self.vault_id, self._vault_key, key_id, wrapped))
            self._aeads[key_id] = aead
        return aead

    def _load_snapshot_key(self, meta: dict[str, bytes]) -> bytes:
        assert self._vault_key is not None
        wrapped = meta.get("snapshot_key")
        aad = envelope.key_aad(self.vault_id, "snapshot-key", "local")
        if wrapped is not None:
            try:
                return envelope.open_(self._vault_key, wrapped, aad)
            except IntegrityError:
                log.warning("unlock cache key damaged; replacing it")
        key = keys.new_key()
        self.store.set_meta({"snapshot_key": envelope.seal(self._vault_key, key, aad)})
        return key

    # -- envelopes ----------------------------------------------------------------------
    def _chained(self, record_id: str, kind: str, key_id: str, parents: tuple[str, ...],
                 record: Record | None, rev_id: str | None = None, *,
                 chain: bool = True) -> StoredRevision:
        """A new revision of this device: next change number, linked to the previous one,
        sealed with the whole header as associated data (``history.record_aad``)."""
        counter, prev = self._tip if chain else (-1, "")
        header = StoredRevision(rev_id=rev_id or new_id(), record_id=record_id,
                                parents=parents, kind=kind, key_id=key_id,
                                device_id=self.device_id if chain else "merge",
                                envelope=b"", counter=counter + 1, prev=prev)
        nonce = os.urandom(envelope.NONCE_LEN)
        sealed = self._aead(key_id).encrypt(nonce, _payload(record),
                                            history.record_aad(self.vault_id, header))
        if chain:
            self._tip = (header.counter, history.chain_hash(self.vault_id, header))
        return dataclasses.replace(header, envelope=bytes([history.CHAINED]) + nonce + sealed)

    def _reset_tip(self) -> None:
        """A write failed: the change numbers it used are free again."""
        own = self.store.chain_tips().get(self.device_id)
        self._tip = (own.counter, history.chain_hash(self.vault_id, own)) if own else (0, "")
        self._keeper.rolled_back()

    def _open(self, rev: StoredRevision) -> dict[str, Any] | None:
        """Decrypt a revision's payload: the record dict, or None for a tombstone."""
        env = rev.envelope
        if len(env) >= envelope.OVERHEAD and env[0] == history.CHAINED:
            aad = history.record_aad(self.vault_id, rev)
        elif len(env) >= envelope.OVERHEAD and env[0] == envelope.VERSION and not rev.counter:
            aad = envelope.record_aad(self.vault_id, rev.record_id, rev.rev_id, rev.kind)
        else:
            raise IntegrityError(
                _("A record is damaged (unknown envelope format)."), record_id=rev.record_id
            )
        from cryptography.exceptions import InvalidTag

        try:
            raw = self._aead(rev.key_id).decrypt(env[1:13], env[13:], aad)
        except InvalidTag:
            raise IntegrityError(
                _("A record failed its integrity check (damaged or altered)."),
                record_id=rev.record_id,
            ) from None
        body = json.loads(raw)
        if body.get("deleted"):
            return None
        return body["data"]  # type: ignore[no-any-return]

    def open_revision(self, rev: StoredRevision) -> dict[str, Any] | None:
        with self._lock:
            self._require_unlocked()
            return self._open(rev)

    def _decode(self, rev: StoredRevision) -> Record | None:
        data = self._open(rev)
        if data is None:
            return None
        cls = RECORD_TYPES.get(rev.kind)
        if cls is None:
            raise IntegrityError(_("A record has an unknown kind."), record_id=rev.record_id)
        return from_dict(cls, data)

    # -- working set ----------------------------------------------------------------------
    def _load_working_set(self) -> WorkingSet:
        assert self.path is not None
        cache = snapshot.cache_path(self.path)
        seq = snapshot.read_seq(cache)
        if seq is not None and seq <= self.store.max_seq():
            try:
                ws = WorkingSet.from_parts(snapshot.read(cache, self._snapshot_key, self.vault_id))
            except (snapshot.Unusable, sqlite3.Error):
                log.warning("unlock cache unusable; rebuilding the working set")
            else:
                self._ws = ws
                self._snapshot_seq = seq
                touched = self.store.records_touched_since(seq)
                ws.begin()
                for record_id in touched:
                    self._refresh(record_id)
                ws.commit()
                return ws
        self._snapshot_seq = -1
        self._ws = WorkingSet()
        self._rebuild()
        return self._ws

    def _rebuild(self) -> None:
        ws = self._ws
        ws.begin()
        group: list[tuple[StoredRevision, int]] = []
        shown = 0
        with self.store.lock:
            for rev, seq in self.store.iter_heads():
                if group and group[0][0].record_id != rev.record_id:
                    self._show(group, old=None)
                    group = []
                    shown += 1
                    if shown % 5000 == 0:
                        # short transactions: SQLite journals every page a transaction
                        # changes, which for one huge rebuild doubles the memory it uses
                        ws.commit()
                        ws.begin()
                group.append((rev, seq))
            if group:
                self._show(group, old=None)
        ws.commit()

    def _refresh(self, record_id: str) -> None:
        """Bring one record's row in the working set up to date with its heads."""
        row = self._ws.row(record_id)
        old = self._shown_record(record_id, row) if row is not None else None
        # only the leaves are read (not every revision's envelope of a long history)
        heads = self.store.heads_with_seq(record_id)
        if not heads:
            self._ws.remove(record_id, old)
            self._damaged.pop(record_id, None)
            return
        self._show(heads, old=old)

    def _show(self, heads: list[tuple[StoredRevision, int]], old: Record | None) -> None:
        """Put the record whose leaves are ``heads`` into the working set.

        With several leaves (a conflict) the newest non-deleted one is shown and the
        record is flagged; an edit beats a delete.
        """
        record_id = heads[0][0].record_id
        decoded: list[tuple[int, StoredRevision, Record | None]] = []
        for rev, seq in heads:
            if rev.key_id in self._erased_cache():
                continue
            try:
                decoded.append((seq, rev, self._decode(rev)))
            except (IntegrityError, ValidationError, KeyError, ValueError, RecordNotFound) as exc:
                self._damaged[record_id] = str(exc)
                log.error(
                    "record %s revision %s unreadable: %s",
                    record_id,
                    rev.rev_id,
                    type(exc).__name__,
                )
        live = [d for d in decoded if d[2] is not None]
        if not live:
            self._ws.remove(record_id, old)
            return
        seq, rev, record = max(live, key=lambda d: (d[0], d[1].rev_id))
        self._ws.put(
            record_id=record_id,
            kind=rev.kind,
            rev_id=rev.rev_id,
            record=record,
            old=old,
            conflict=len(heads) > 1,
        )
        if len(decoded) == len(heads):
            self._damaged.pop(record_id, None)

    def _erased_cache(self) -> set[str]:
        cache: set[str] | None = getattr(self, "_erased", None)
        if cache is None:
            cache = self.store.erased_keys()
            self._erased = cache
        return cache

    def _write_snapshot_if_stale(self) -> None:
        assert self.path is not None
        seq = self.store.max_seq()
        if seq == self._snapshot_seq or self._ws.count() < SNAPSHOT_MIN_RECORDS:
            return
        snapshot.write(
            snapshot.cache_path(self.path),
            self._snapshot_key,
            self.vault_id,
            seq,
            self._ws.to_parts(),
        )
        self._snapshot_seq = seq

    def write_snapshot(self) -> None:
        with self._lock:
            self._require_unlocked()
            self._write_snapshot_if_stale()

    # -- saving ---------------------------------------------------------------------------
    def _key_id_for(self, record: Record) -> str:
        return record.client_id or keys.VAULT_KEY_ID

    def _new_client_key(self, client_id: str) -> tuple[str, bytes] | None:
        if self.store.wrapped_key(client_id) is not None:
            return None
        if client_id in self._erased_cache():
            raise RecordNotFound(_("This client was erased; nothing can be saved for them."))
        assert self._vault_key is not None
        key = keys.new_key()
        self._aeads[client_id] = AESGCM(key)
        return client_id, keys.wrap_client_key(self.vault_id, self._vault_key, client_id, key)

    def save(self, record: Record) -> Saved:
        return self.save_many([record])[0]

    def save_many(self, records: Sequence[Record]) -> list[Saved]:
        """Save records as new revisions in one transaction."""
        with self._lock:
            self._require_unlocked()
            revs: list[StoredRevision] = []
            new_keys: dict[str, bytes] = {}
            saved: list[Saved] = []
            fast: list[tuple[Record, StoredRevision, tuple[Any, ...] | None]] = []
            slow: list[str] = []
            seen: set[str] = set()
            for record in records:
                if RECORD_TYPES.get(record.KIND) is not type(record):
                    raise TypeError(f"not a storable record: {type(record).__name__}")
                key_id = self._key_id_for(record)
                if isinstance(record, Client):
                    made = self._new_client_key(record.id)
                    if made:
                        new_keys[made[0]] = made[1]
                elif key_id != keys.VAULT_KEY_ID and key_id not in new_keys:
                    self._aead(key_id)  # raises if the client does not exist here
                existing = self._ws.row(record.id)
                if existing is not None and existing[0] != record.KIND:
                    raise ValidationError("id", _("belongs to another kind of record"))
                heads = self.store.heads(record.id)
                if existing is not None:
                    parents: tuple[str, ...] = (existing[1],)
                else:
                    parents = (heads[-1].rev_id,) if heads else ()
                rev = self._chained(record.id, record.KIND, key_id, parents, record)
                rev_id = rev.rev_id
                revs.append(rev)
                saved.append(Saved(record.id, rev_id, record.KIND))
                # the only leaf afterwards is this revision: show it without re-decrypting
                if (
                    len(heads) <= 1
                    and all(h.rev_id in parents for h in heads)
                    and record.id not in seen
                ):
                    fast.append((record, rev, existing))
                else:
                    slow.append(record.id)
                seen.add(record.id)
            try:
                self.store.insert_revisions(
                    revs,
                    outbox=True,
                    fresh=True,
                    in_tx=(lambda c: self.store.put_wrapped_keys(new_keys, c))
                    if new_keys
                    else None,
                )
            except BaseException:
                for cid in new_keys:
                    self._aeads.pop(cid, None)
                self._reset_tip()
                raise
            self._ws.begin()
            try:
                for record, rev, existing in fast:
                    old = self._shown_record(record.id, existing) if existing is not None else None
                    self._ws.put(
                        record_id=record.id,
                        kind=rev.kind,
                        rev_id=rev.rev_id,
                        record=record,
                        old=old,
                    )
                for record_id in slow:
                    self._refresh(record_id)
            finally:
                self._ws.commit()
            return saved

    def _shown_record(self, record_id: str, row: tuple[Any, ...]) -> Record | None:
        """The record a working-set row shows: from its kept JSON or columns, or decrypted
        from its revision (also needed to delete its FTS entry on update)."""
        kind, rev_id, _key, _c, data = row
        if data is not None:
            return from_dict(RECORD_TYPES[kind], json.loads(data))
        if kind == WorkEntry.KIND:
            return self._ws.work_entries("r.record_id=?", (record_id,))[0]
        prev = self.store.revision(rev_id)
        return self._decode(prev) if prev is not None else None

    def _apply_to_ws(self, record_ids: Iterable[str]) -> None:
        self._ws.begin()
        try:
            for record_id in record_ids:
                self._refresh(record_id)
        finally:
            self._ws.commit()

    def delete(self, record_id: str) -> Saved:
        """Delete a record: a tombstone revision (history kept; sync sees the delete)."""
        with self._lock:
            self._require_unlocked()
            row = self._ws.row(record_id)
            if row is None:
                raise RecordNotFound(_("The record does not exist."))
            kind, rev_id, key_id = row[0], row[1], row[2]
            return self._write_revision(record_id, kind, key_id, (rev_id,), None)

    def _write_revision(
        self,
        record_id: str,
        kind: str,
        key_id: str,
        parents: tuple[str, ...],
        record: Record | None,
        rev_id: str | None = None,
    ) -> Saved:
        # A deterministic merge (``rev_id`` given: the same on every device that merges the
        # same leaves) stays out of this device's chain, so two devices writing it do not
        # each claim a change number the server keeps only once; it is still sealed with its
        # whole header, and any device can write it again.
        rev = self._chained(record_id, kind, key_id, parents, record, rev_id,
                            chain=rev_id is None)
        try:
            self._apply_to_ws(self.store.insert_revisions([rev], outbox=True))
        except BaseException:
            self._reset_tip()
            raise
        return Saved(record_id, rev.rev_id, kind)

    def save_resolution(
        self,
        record_id: str,
        kind: str,
        record: Record | None,
        parents: Sequence[str],
        *,
        rev_id: str | None = None,
    ) -> Saved:
        """A revision that resolves the leaves ``parents`` (record None = stays deleted)."""
        with self._lock:
            self._require_unlocked()
            heads = {h.rev_id: h for h in self.store.heads(record_id)}
            if not parents or not set(parents) <= set(heads) | {
                r.revision.rev_id for r in self.store.revisions_of(record_id)
            }:
                raise ValidationError("parents", _("names revisions this record does not have"))
            key_id = (
                next(iter(heads.values())).key_id
                if heads
                else (record.client_id if record and record.client_id else keys.VAULT_KEY_ID)
            )
            return self._write_revision(record_id, kind, key_id, tuple(parents), record, rev_id)

    def erase_client(self, client_id: str, *, record: bytes | None = None) -> None:
        """Erase a client everywhere: drop their key and every envelope it sealed.

        Copies of old envelopes (backups, the server) can no longer be opened with
        anything this vault holds.  The unlock cache is re-keyed for the same reason.
        The erasure is a sealed record (``history.seal_erasure``) that other devices check
        before they erase; ``record`` is the one received when applying another device's.
        """
        with self._lock:
            self._require_unlocked()
            if self.store.wrapped_key(client_id) is None:
                raise RecordNotFound(_("The client does not exist."))
            ids = [
                r[0]
                for r in self._ws.db.execute(
                    "SELECT record_id FROM records WHERE client_id=?", (client_id,)
                )
            ]
            self._ws.begin()
            for record_id in ids:
                row = self._ws.row(record_id)
                self._ws.remove(
                    record_id, self._shown_record(record_id, row) if row is not None else None
                )
            self._ws.commit()
            at = dt.datetime.now(dt.UTC).isoformat()
            assert self._vault_key is not None
            new_snap = keys.new_key()
            aad = envelope.key_aad(self.vault_id, "snapshot-key", "local")
            sealed_snap = envelope.seal(self._vault_key, new_snap, aad)

            sealed = record or history.seal_erasure(self._sealer, client_id, at)

            def tx(c: sqlite3.Connection) -> None:
                self.store.erase_key(client_id, at, c, sealed)
                self.store.set_meta({"snapshot_key": sealed_snap}, c)
                c.execute("DELETE FROM drafts WHERE draft_id LIKE ?", (f"{client_id}:%",))

            self.store.transaction(tx)
            self._aeads.pop(client_id, None)
            self._erased_cache().add(client_id)
            self._snapshot_key = new_snap
            assert self.path is not None
            snapshot.remove(snapshot.cache_path(self.path))
            self._snapshot_seq = -1
            try:
                self.store.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            except sqlite3.Error:
                pass

    # -- sync hooks ------------------------------------------------------------------------
    def apply_remote(
        self,
        revs: Iterable[StoredRevision],
        in_tx: Callable[[sqlite3.Connection], None] | None = None,
        keys_: dict[str, bytes] | None = None,
    ) -> set[str]:
        """Store pulled revisions (and run ``in_tx`` in the same transaction).

        Each one is authenticated first (its envelope binds its whole header) and its link
        checked against its device's chain; what does not hold is refused or reported:
        ``take_alarms()`` returns what was noticed (``keys_``: wrapped keys of the same
        page, not stored yet)."""
        with self._lock:
            self._require_unlocked()
            keep, alarms = self._authenticate(list(revs), keys_ or {})
            alarms += history.verify_links(self.vault_id, keep, self.trust.chain_lookup)
            self._alarms += alarms
            try:
                touched = self.store.insert_revisions(keep, outbox=False, in_tx=in_tx)
            except BaseException:
                self._keeper.rolled_back()
                raise
            self._apply_to_ws(touched)
            return set(touched)

    def _authenticate(self, revs: list[StoredRevision], page_keys: dict[str, bytes]
                      ) -> tuple[list[StoredRevision], list[history.Alarm]]:
        erased = self._erased_cache()
        keep: list[StoredRevision] = []
        alarms: list[history.Alarm] = []
        tips = self.store.chain_tops()
        for rev in revs:
            if rev.key_id in erased:
                keep.append(dataclasses.replace(rev, envelope=b""))  # the header only
                continue
            if not rev.envelope:
                alarms.append(history.blanked_alarm(rev.device_id, rev.counter))
                continue
            if rev.counter or rev.envelope[:1] == bytes([history.CHAINED]):
                try:
                    self._open_with(rev, page_keys)
                except (IntegrityError, RecordNotFound, ValueError):
                    alarms.append(history.reparented_alarm(rev.device_id, rev.counter))
                    continue
                # a device sends its changes in order: an older one after a newer one (here
                # or in this page) was reordered or held back by the server
                top = tips.get(rev.device_id, 0)
                if 0 < rev.counter < top and self.store.chain_entry(
                        rev.device_id, rev.counter) is None:
                    alarms.append(history.reordered_alarm(rev.device_id, rev.counter))
                tips[rev.device_id] = max(top, rev.counter)
            keep.append(rev)
        return keep, alarms

    def _open_with(self, rev: StoredRevision, page_keys: dict[str, bytes]) -> None:
        if rev.key_id not in self._aeads and self.store.wrapped_key(rev.key_id) is None:
            wrapped = page_keys.get(rev.key_id)
            if wrapped is None:
                raise RecordNotFound(_("The client's key is missing (erased or not synced)."))
            assert self._vault_key is not None
            self._aeads[rev.key_id] = AESGCM(keys.unwrap_client_key(
                self.vault_id, self._vault_key, rev.key_id, wrapped))
        self._open(rev)

    def take_alarms(self) -> list[history.Alarm]:
        """What ``apply_remote`` and ``forget_keys`` noticed since the last call."""
        with self._lock:
            out, self._alarms = self._alarms, []
            return out

    def forget_keys(self, key_ids: Iterable[str] | dict[str, bytes | None]) -> None:
        """Apply erasures made on another device — only those that come with an erasure
        record sealed under the vault's keys; the others are reported, not applied."""
        records = key_ids if isinstance(key_ids, dict) else dict.fromkeys(key_ids)
        for key_id, record in records.items():
            if not history.erasure_is_authentic(self._sealer, key_id, record):
                if self.store.wrapped_key(key_id) is not None:
                    self._alarms.append(history.erasure_alarm(key_id))
                continue
            if self.store.wrapped_key(key_id) is not None:
                self.erase_client(key_id, record=record)

    def erasure_records(self) -> dict[str, bytes | None]:
        """Each erasure made or applied here and its sealed record (to send)."""
        return self.store.erasure_records()

    # -- reading ---------------------------------------------------------------------------
    def get(self, record_id: str) -> Record:
        with self._lock:
            self._require_unlocked()
            row = self._ws.row(record_id)
            if row is None:
                raise RecordNotFound(_("The record does not exist."))
            record = self._shown_record(record_id, row)
            if record is None:
                raise RecordNotFound(_("The record was deleted."))
            return record

    def get_typed(self, cls: type[R], record_id: str) -> R:
        record = self.get(record_id)
        if not isinstance(record, cls):
            raise RecordNotFound(_("The record does not exist."))
        return record

    def exists(self, record_id: str) -> bool:
        with self._lock:
            return self._ws.row(record_id) is not None

    def all(self, cls: type[R]) -> list[R]:
        """Every current record of a kind (encounters are decrypted on demand)."""
        with self._lock:
            self._require_unlocked()
            if cls.KIND in KEEP_JSON:
                return [from_dict(cls, json.loads(d)) for _i, d in self._ws.json_of_kind(cls.KIND)]
            if cls is WorkEntry:
                rows = self._ws.work_rows()
            else:
                return [self.get_typed(cls, i) for i in self._ws.ids_of_kind(cls.KIND)]
        return [work_from_row(r) for r in rows]  # type: ignore[misc]

    def encounter_facts(self, client_id: str | None = None) -> list[Encounter]:
        """Encounters without their free text (situation, notes, ...): dates, minutes, place,
        interpreter, what was given, obstacles and agreed actions — straight from the working
        set, no decryption. For reports, indicators and reminders over a whole caseload."""
        with self._lock:  # only the query holds the lock; records are built after it
            self._require_unlocked()
            if client_id is None:
                rows = self._ws.encounter_rows()
            else:
                rows = self._ws.encounter_rows("e.client=?", (client_id,))
        return [encounter_from_row(r) for r in rows]

    def count(self, kind: str | None = None) -> int:
        with self._lock:
            return self._ws.count(kind)

    def conflicts(self) -> list[str]:
        with self._lock:
            return self._ws.conflicts()

    def damaged(self) -> dict[str, str]:
        """Records found damaged: unreadable ones, and what the integrity checks found
        (remembered in the vault file until it is restored) — record id → reason."""
        with self._lock:
            return {**self.store.damaged_records(), **self._damaged}

    def of_client(self, cls: type[R], client_id: str) -> list[R]:
        with self._lock:
            ids = [
                r[0]
                for r in self._ws.db.execute(
                    "SELECT record_id FROM records WHERE kind=? AND client_id=? ORDER BY rowid",
                    (cls.KIND, client_id),
                )
            ]
            return [self.get_typed(cls, i) for i in ids]

    def clients(
        self,
        query: str = "",
        *,
        active: bool | None = None,
        client_type: str | None = None,
        interpreter_needed: bool | None = None,
        only_ids: Iterable[str] | None = None,
        limit: int = 100_000,
    ) -> list[ClientSummary]:
        """The client list: instant search by name (any script), id, language; filters."""
        with self._lock:
            self._require_unlocked()
            where: list[str] = ["1=1"]
            params: list[object] = []
            q = textnorm.fts_query(query) if query.strip() else None
            if query.strip() and q is None:
                return []
            if q is not None:
                rowids = self._ws.search_rowids("fts_clients", q, 5000)
                if not rowids:
                    return []
                where.append(f"r.rowid IN ({','.join(str(int(x)) for x in rowids)})")
            if active is not None:
                where.append("c.active=?")
                params.append(int(active))
            if client_type:
                where.append("c.client_type=?")
                params.append(client_type)
            if interpreter_needed is not None:
                where.append("c.interpreter_needed=?")
                params.append(int(interpreter_needed))
            if only_ids is not None:
                ids = list(only_ids)
                where.append(f"r.record_id IN ({','.join('?' * len(ids))})")
                params.extend(ids)
            rows = self._ws.db.execute(
                "SELECT r.record_id, c.name, c.preferred_name, c.mother_tongue, c.languages, "
                "c.municipality, c.client_type, c.interpreter_needed, c.active, c.permit_date, "
                "r.conflict FROM clients c JOIN records r ON r.rowid=c.rowid "
                f"WHERE {' AND '.join(where)} ORDER BY c.sort_key LIMIT ?",
                (*params, limit),
            ).fetchall()
        return [
            ClientSummary(
                id=r[0],
                name=r[1],
                preferred_name=r[2],
                mother_tongue=r[3],
                languages=tuple(r[4].split()) if r[4] else (),
                municipality=r[5],
                client_type=r[6],
                interpreter_needed=bool(r[7]),
                active=bool(r[8]),
                permit_date=_date(r[9]),
                conflict=bool(r[10]),
            )
            for r in rows
        ]

    def encounters_of(self, client_id: str) -> list[EncounterSummary]:
        with self._lock:
            rows = self._ws.db.execute(
                "SELECT r.record_id, e.client, e.date, e.minutes, e.place, e.interpreter_mode, "
                "e.given FROM encounters e JOIN records r ON r.rowid=e.rowid WHERE e.client=? "
                "ORDER BY e.date DESC, e.start DESC",
                (client_id,),
            )
            return [
                EncounterSummary(
                    r[0],
                    r[1],
                    dt.date.fromisoformat(r[2]),
                    r[3],
                    r[4],
                    r[5],
                    tuple(r[6].split(",")) if r[6] else (),
                )
                for r in rows
            ]

    def sql(self, query: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
        """Read-only queries on the working set (reports, indicators). Never writes."""
        if not query.lstrip().upper().startswith(("SELECT", "WITH")):
            raise ValueError("read-only queries only")
        with self._lock:
            self._require_unlocked()
            return self._ws.db.execute(query, params).fetchall()

    def search(self, text: str, limit: int = 50) -> list[SearchHit]:
        """Full-text search over clients, encounters, plans, contacts and work entries."""
        q = textnorm.fts_query(text)
        if q is None:
            return []
        with self._lock:
            self._require_unlocked()
            hits: list[SearchHit] = []
            for table in ("fts_clients", "fts_all"):
                rowids = self._ws.search_rowids(table, q, limit, newest=table == "fts_all")
                if not rowids:
                    continue
                order = {rid: i for i, rid in enumerate(rowids)}
                rows = self._ws.db.execute(
                    "SELECT r.rowid, r.record_id, r.kind, r.client_id, c.name, e.date "
                    "FROM records r LEFT JOIN records rc ON rc.record_id=r.client_id "
                    "LEFT JOIN clients c ON c.rowid=rc.rowid "
                    "LEFT JOIN encounters e ON e.rowid=r.rowid "
                    f"WHERE r.rowid IN ({','.join(str(int(x)) for x in rowids)})"
                ).fetchall()
                rows.sort(key=lambda r: order[r[0]])
                for _rowid, record_id, kind, client_id, name, date in rows:
                    title = name or ""
                    if kind == Encounter.KIND and date:
                        title = f"{date} · {name}"
                    hits.append(SearchHit(record_id, kind, client_id, title))
            return hits[:limit]

    def history(self, record_id: str) -> list[RevisionInfo]:
        with self._lock:
            self._require_unlocked()
            out = []
            for row in self.store.revisions_of(record_id):
                rev = row.revision
                try:
                    rec = self._decode(rev)
                    out.append(
                        RevisionInfo(
                            rev.rev_id, rev.parents, rev.device_id, row.local_seq, rec is None, rec
                        )
                    )
                except (IntegrityError, ValidationError, RecordNotFound) as exc:
                    out.append(
                        RevisionInfo(
                            rev.rev_id,
                            rev.parents,
                            rev.device_id,
                            row.local_seq,
                            False,
                            None,
                            damaged=str(exc),
                        )
                    )
            return out

    def check(self) -> CheckReport:
        """Verify every envelope; report damaged ones per record without stopping."""
        with self._lock:
            self._require_unlocked()
            damaged, n = [], 0
            erased = self._erased_cache()
            for rev in self.store.all_revisions():
                if rev.key_id in erased:
                    continue
                n += 1
                try:
                    self._decode(rev)
                except (
                    IntegrityError,
                    ValidationError,
                    RecordNotFound,
                    ValueError,
                    KeyError,
                ) as exc:
                    damaged.append(Damaged(rev.record_id, rev.rev_id, rev.kind, str(exc)))
            self._keeper.verify(erased)
            damaged += [Damaged(r, "", "", why) for r, why in
                        sorted(self.store.damaged_records().items())]
            return CheckReport(n, tuple(damaged), tuple(self.store.integrity_problems()))

    # -- settings (synced, encrypted) -----------------------------------------------------
    def settings_get(self, key: str, default: Any = None) -> Any:
        try:
            rec = self.get_typed(Setting, setting_id(key))
        except RecordNotFound:
            return default
        return json.loads(rec.value_json)

    def settings_set(self, key: str, value: Any) -> None:
        self.save(Setting(id=setting_id(key), key=key, value_json=json.dumps(value)))

    # -- local secrets (sync token and the like; never leave this device) -------------------
    def seal_local(self, purpose: str, data: bytes, associated: bytes = b"") -> bytes:
        """Encrypt a small local secret under a subkey of the vault key for ``purpose``:
        ``nonce | ciphertext``; unreadable while the vault is locked."""
        with self._lock:
            self._require_unlocked()
            assert self._vault_key is not None
            nonce = os.urandom(12)
            return nonce + AESGCM(keys.subkey(self._vault_key, purpose)).encrypt(
                nonce, data, associated
            )

    def open_local(self, purpose: str, sealed: bytes, associated: bytes = b"") -> bytes:
        from cryptography.exceptions import InvalidTag

        with self._lock:
            self._require_unlocked()
            assert self._vault_key is not None
            try:
                return AESGCM(keys.subkey(self._vault_key, purpose)).decrypt(
                    sealed[:12], sealed[12:], associated
                )
            except InvalidTag:
                raise IntegrityError(_("A local secret failed its integrity check.")) from None

    # -- drafts (autosave; encrypted; local to this device) ----------------------------------
    def _draft_aead(self) -> AESGCM:
        assert self._vault_key is not None
        return AESGCM(keys.subkey(self._vault_key, "drafts"))

    def save_draft(self, draft_id: str, data: dict[str, Any]) -> None:
        """``draft_id`` should start with ``<client id>:`` for client data (erasure)."""
        with self._lock:
            self._require_unlocked()
            nonce = os.urandom(12)
            raw = json.dumps(data, ensure_ascii=False).encode()
            sealed = (
                bytes([envelope.VERSION])
                + nonce
                + self._draft_aead().encrypt(
                    nonce, raw, envelope.aad("draft", self.vault_id, draft_id)
                )
            )
            self.store.put_draft(draft_id, sealed, dt.datetime.now(dt.UTC).isoformat())

    def drafts(self) -> list[Draft]:
        with self._lock:
            self._require_unlocked()
            out = []
            aead = self._draft_aead()
            for draft_id, sealed, updated in self.store.drafts():
                try:
                    raw = aead.decrypt(
                        sealed[1:13], sealed[13:], envelope.aad("draft", self.vault_id, draft_id)
                    )
                except Exception:
                    log.error("draft unreadable")
                    continue
                out.append(Draft(draft_id, json.loads(raw), dt.datetime.fromisoformat(updated)))
            return out

    def draft(self, draft_id: str) -> Draft | None:
        return next((d for d in self.drafts() if d.draft_id == draft_id), None)

    def discard_draft(self, draft_id: str) -> None:
        with self._lock:
            self._require_unlocked()
            self.store.delete_draft(draft_id)
