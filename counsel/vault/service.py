"""The vault: the one front the UI, the CLI and the other areas call.

A small front over parts (as Anki's ``Collection`` over its managers), each with a narrow
interface and its own module:

    keyring   UnlockedKeys: the keys while open; create/unlock/recover/join; passphrase
    keymethods  the key methods of the front (passphrase, recovery code, generations, escrow)
    records   Records: the save path — encode → seal → append revision → update working set
    current   Current: the working set kept in step with the heads (and its unlock cache)
    reading   Reading: named queries (get, all, of_client, clients, search, history, …)
    drafts    vault.drafts     settings  vault.settings     local   vault.local (secrets)
    syncport  vault.sync_port: what sync needs (outbox, ack, cursor, apply remote, heads)
    trustport vault.trust: chains, checkpoints and alarms for sync's trust checks
    agenda    vault.agenda: the Today page's queries (due agreed actions, in SQL steps)
    timequeries  vault.time_queries: time reports' and indicators' sums, in SQL steps
    retention vault.retention: what the retention schedules make due, counted in SQL
    backupport vault.backup_port: a page copy of the file and the backup keys
    check     verify every envelope

Values returned are frozen dataclasses.  Every method is thread-safe (one lock, the
store's; storage writes are serialised) and refuses to work once the vault is locked.
"""

from __future__ import annotations

import logging
import sqlite3
import threading
import time
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any, ParamSpec, TypeVar

from counsel.domain import Encounter, Record
from counsel.errors import KnownError, VaultError
from counsel.i18n import gettext as _
from counsel.vault import history, integrity, keyoffer, keyring, snapshot
from counsel.vault.agenda import Agenda
from counsel.vault.audit import AuditLog
from counsel.vault.backupport import BackupPort
from counsel.vault.check import check
from counsel.vault.current import open_checked
from counsel.vault.drafts import Drafts
from counsel.vault.kdf import KdfParams
from counsel.vault.keymethods import KeyMethods
from counsel.vault.keymethods import unlocked as _unlocked
from counsel.vault.keyring import Opening, UnlockedKeys
from counsel.vault.keys import VAULT_KEY_ID, Keyring, subkey
from counsel.vault.local import LocalSecrets
from counsel.vault.payload import RevisionCipher
from counsel.vault.reading import Reading
from counsel.vault.records import Records
from counsel.vault.retention import RetentionQueries
from counsel.vault.settings import Settings
from counsel.vault.store import Store
from counsel.vault.syncport import SyncPort
from counsel.vault.timequeries import TimeQueries
from counsel.vault.trustport import TrustPort
from counsel.vault.views import (
    CheckReport,
    ClientSummary,
    ContactWork,
    EncounterSummary,
    RevisionInfo,
    Saved,
    SearchHit,
)

log = logging.getLogger("counsel.vault")
R = TypeVar("R", bound=Record)
P = ParamSpec("P")
T = TypeVar("T")


class Vault(KeyMethods):
    """An unlocked vault. Construct with ``create``, ``unlock``, ``recover`` or ``join``."""

    def __init__(self, st: Store, ring: Keyring, umk: bytes, vault_keys: list[bytes],
                 kek: bytes) -> None:
        self.store = st
        self.path = st.path
        self.vault_id = ring.vault_id
        self.device_id = st.meta()["device_id"].decode()
        self._lock: threading.RLock = st.lock
        self._keys = UnlockedKeys(st, ring, umk, vault_keys, kek)
        self._issued_code: str | None = None
        cipher = RevisionCipher(self._keys)
        # authenticated history (counsel.vault.history, integrity): the sealer for
        # checkpoints, erasure records and the sealed local state, kept current by the
        # keeper inside every write; checked against the file before the vault is handed
        # out (current.open_checked)
        sealer = history.VaultKeySealer(self.vault_id, vault_keys[0], self.device_id)
        self._keeper = integrity.Keeper(st, self.vault_id, sealer,
                                        subkey(vault_keys[0], integrity.KEY_PURPOSE))
        self.trust = TrustPort(st, self.vault_id, self.device_id, sealer)
        self._current = open_checked(st, self._keys, cipher, self._keeper)
        self._records = Records(st, self._keys, cipher, self._current, self.device_id, sealer,
                                self._keeper)
        self._reading = Reading(st, self._current, cipher)
        self._cipher = cipher
        self.drafts = Drafts(st, self._keys)
        self.settings = Settings(self.get, self.save, self.all)
        self.local = LocalSecrets(self._keys)
        self.sync_port = SyncPort(st, self._keys, cipher, self._current, self._erase_remote,
                                  sealer, self._keeper, self.trust)
        self.agenda = Agenda(self._lock, self._keys, self._current)
        self.time_queries = TimeQueries(self._lock, self._keys, self._current)
        self.retention = RetentionQueries(self._lock, self._keys, self._current)
        self.audit = AuditLog(self._lock, st, self._keys, self._current,
                              self._records.save_many, self.device_id)
        self.backup_port = BackupPort(self._lock, st, self._keys)

    # -- life cycle ---------------------------------------------------------------------
    @classmethod
    def open(cls, opening: Opening) -> Vault:
        """Open the file an unlock produced (see counsel.vault.keyring)."""
        if opening.adopted:
            # records sealed under the adopted keys were left out of the unlock cache
            snapshot.remove(snapshot.cache_path(opening.path))
        st = Store.open(opening.path)
        try:
            vault = cls(st, opening.ring, opening.umk, opening.vault_keys, opening.kek)
        except sqlite3.DatabaseError as exc:
            st.close()
            raise VaultError(_("The vault file is damaged: {reason}").format(reason=exc)) from exc
        if opening.ring_changed:
            vault._keys.save_ring()
            if opening.adopted:
                vault.store.set_meta(keyoffer.pending_meta(None))
            vault._rekey_caches()
        vault._issued_code = opening.recovery_code
        return vault

    @classmethod
    def create(
        cls, path: Path, passphrase: str, *, kdf: KdfParams | None = None
    ) -> tuple[Vault, str]:
        """Create a vault file; returns the vault and its recovery code (show it once)."""
        opening, code = keyring.create(Path(path), passphrase, kdf)
        return cls._open_new(opening), code

    @classmethod
    def _open_new(cls, opening: Opening) -> Vault:
        try:
            return cls.open(opening)
        except BaseException:
            # a vault that cannot be opened right after creation is no vault: leave no file
            for made in (opening.path, Path(f"{opening.path}-wal"),
                         Path(f"{opening.path}-shm")):
                made.unlink(missing_ok=True)
            raise

    @classmethod
    def unlock(cls, path: Path, passphrase: str) -> Vault:
        """Unlock with the passphrase. A wrong one changes nothing on disk."""
        return cls.open(keyring.unlock(Path(path), passphrase))

    @classmethod
    def recover(cls, path: Path, recovery_code: str, new_passphrase: str) -> Vault:
        """Unlock with the printed recovery code and set a new passphrase.  The keys rotate
        and a NEW recovery code is made: take it with :meth:`take_recovery_code` and show
        it once (the used one stops working)."""
        return cls.open(keyring.recover(Path(path), recovery_code, new_passphrase))

    @classmethod
    def join(cls, path: Path, keyring_json: dict[str, Any], passphrase: str) -> Vault:
        """A new local copy of an existing vault (a second device), from its keyring."""
        return cls._open_new(keyring.join(Path(path), keyring_json, passphrase))

    @classmethod
    def adopt(cls, path: Path, vault_id: str, vault_key: bytes, passphrase: str, *,
              kdf: KdfParams | None = None) -> Vault:
        """A local copy of a team vault whose key a grant delivered (counsel.teams)."""
        return cls._open_new(keyring.adopt(Path(path), vault_id, vault_key, passphrase, kdf))

    @classmethod
    def recover_with_master(cls, path: Path, open_master: Callable[[bytes], bytes],
                            new_passphrase: str) -> Vault:
        """Organisation recovery (counsel.org): ``open_master`` opens the escrowed master
        key kept in the file; sets a new passphrase."""
        return cls.open(keyring.recover_with_master(Path(path), open_master, new_passphrase))

    @property
    def locked(self) -> bool:
        return self._keys.locked

    def lock(self) -> None:
        """Write the unlock cache if useful, close the file and drop every key."""
        with self._lock:
            if self.locked:
                return
            try:
                self._current.write_snapshot_if_stale(closing=True)
            except (OSError, KnownError):
                log.warning("could not write the unlock cache", exc_info=True)
            self._current.close()
            self._reading.forget()
            self.store.close()
            self._keys.drop()

    def wipe(self) -> list[Path]:
        """Lock, then overwrite and delete the vault file and everything kept beside it
        (this device was revoked); returns the files removed."""
        from counsel.vault import vaultfile

        path = self.path
        self.lock()
        return vaultfile.wipe(Path(path)) if path is not None else []

    @_unlocked
    def write_snapshot(self) -> None:
        self._current.write_snapshot_if_stale()

    @property
    def snapshot_seq(self) -> int:
        """The ``local_seq`` the unlock cache reflects (-1: the working set was rebuilt)."""
        return self._current.snapshot_seq

    @property
    def notes_to_index(self) -> int:
        """Encounters whose note text is not searchable yet: a first unlock on this device
        indexes them in the background after the client list is ready; a search waits
        for the rest (say so while it does)."""
        return len(self._current.ws.unindexed)

    # -- saving (counsel.vault.records) ---------------------------------------------------
    def save(self, record: Record) -> Saved:
        return self.save_many([record])[0]

    @_unlocked
    def save_many(self, records: Sequence[Record], *, audited: bool = False) -> list[Saved]:
        """Save records as new revisions in one transaction; ``audited``: with one "edit"
        audit entry per case record, in the same transaction (what the UI's saves use)."""
        self.audit.refuse_changes(r.id for r in records)
        if not audited:
            return self._records.save_many(records)
        entries = self.audit.edits(records)
        try:
            return self._records.save_many([*records, *entries])[:len(records)]
        except BaseException:
            self.audit.forget_tip()
            raise

    @_unlocked
    def delete(self, record_id: str, *, audited: bool = False) -> Saved:
        """Delete a record: a tombstone revision (history kept; sync sees the delete);
        ``audited``: a person deleted it — an "edit" entry saying so (what the app uses)."""
        self.audit.refuse_changes([record_id])
        row = self._current.ws.row(record_id)  # (kind, revision, key id: the client's)
        saved = self._records.delete(record_id)
        if audited:
            client_id = row[2] if row is not None and row[2] != VAULT_KEY_ID else None
            self.audit.record("edit", client_id=client_id, record_id=record_id,
                              record_kind=saved.kind, detail="deleted")
        return saved

    @_unlocked
    def save_resolution(self, record_id: str, kind: str, record: Record | None,
                        parents: Sequence[str], *, rev_id: str | None = None) -> Saved:
        """A revision that resolves the leaves ``parents`` (record None = stays deleted)."""
        return self._records.save_resolution(record_id, kind, record, parents, rev_id=rev_id)

    @_unlocked
    def erase_client(self, client_id: str) -> None:
        """Erase a client everywhere: their key, every envelope it sealed, their drafts;
        the erasure stays in the audit trail (the client's id, no name)."""
        self._records.erase_client(client_id)
        self.audit.record("erase", client_id=client_id, record_kind="client")

    @_unlocked
    def was_erased(self, client_id: str) -> bool:
        """Whether this client id was erased here (it can never be used again)."""
        return client_id in self._keys.erased()

    @_unlocked
    def erased_clients(self) -> set[str]:
        """Ids of the clients erased in this vault (here or on another device)."""
        return set(self._keys.erased())

    @_unlocked
    def _erase_remote(self, client_id: str, record: bytes | None) -> None:
        self._records.erase_client(client_id, record)

    # -- reading (counsel.vault.reading) -------------------------------------------------
    @_unlocked
    def get(self, record_id: str) -> Record:
        return self._reading.get(record_id)

    @_unlocked
    def get_typed(self, cls: type[R], record_id: str) -> R:
        return self._reading.get_typed(cls, record_id)

    @_unlocked
    def exists(self, record_id: str) -> bool:
        return self._reading.exists(record_id)

    @_unlocked
    def ids_of(self, cls: type[Record]) -> list[str]:
        return self._reading.ids_of(cls)

    @_unlocked
    def all(self, cls: type[R]) -> list[R]:
        """Every current record of a kind (encounters are decrypted on demand)."""
        return self._reading.all(cls)

    @_unlocked
    def record_dicts(self, cls: type[Record]) -> list[dict[str, Any]]:
        """Short records of a kind (clients, contacts, plans, reminders) as plain dicts."""
        return self._reading.record_dicts(cls)

    @_unlocked
    def of_client(self, cls: type[R], client_id: str) -> list[R]:
        return self._reading.of_client(cls, client_id)

    @_unlocked
    def client_records(self, client_id: str) -> list[Record]:
        """Every current record of a client, the client first (moving a client)."""
        return self._reading.client_records(client_id)

    def encounter_facts(self, client_id: str | None = None) -> list[Encounter]:
        """Encounters without their free text (situation, notes, ...): dates, minutes, place,
        interpreter, what was given, obstacles and agreed actions — straight from the working
        set, no decryption. For reports, indicators and reminders over a whole caseload."""
        with self._lock:  # only the query holds the lock; records are built after it
            self._keys.require()
            rows = self._reading.encounter_rows(client_id)
        return Reading.encounter_facts(rows)

    @_unlocked
    def count(self, kind: str | None = None) -> int:
        return self._reading.count(kind)

    @_unlocked
    def conflicts(self) -> list[str]:
        return self._reading.conflicts()

    def damaged(self) -> dict[str, str]:
        """Records found damaged: unreadable ones, and what the integrity checks found
        (remembered in the vault file until it is restored) — record id → reason."""
        with self._lock:
            return {**self.store.damaged_records(), **self._current.damaged}

    @_unlocked
    def clients(self, query: str = "", *, active: bool | None = None,
                client_type: str | None = None, interpreter_needed: bool | None = None,
                only_ids: Iterable[str] | None = None,
                limit: int = 100_000) -> list[ClientSummary]:
        """The client list: instant search by name (any script), id, language; filters."""
        return self._reading.clients(query, active=active, client_type=client_type,
                                     interpreter_needed=interpreter_needed, only_ids=only_ids,
                                     limit=limit)

    @_unlocked
    def encounters_of(self, client_id: str) -> list[EncounterSummary]:
        return self._reading.encounters_of(client_id)

    @_unlocked
    def client_names(self, ids: Iterable[str], *, display: bool = True) -> dict[str, str]:
        """Clients' names by id: ``display`` names ("" for unknown ids) or plain names."""
        return self._reading.client_names(ids, display=display)

    @_unlocked
    def client_birth_dates(self) -> list[tuple[str, str]]:
        """(client id, birth date as stored) of every client with one."""
        return self._reading.client_birth_dates()

    @_unlocked
    def work_with_contact(self, contact_id: str, limit: int = 50) -> list[ContactWork]:
        """Work logged with a contact, newest first, with the client's name."""
        return self._reading.work_with_contact(contact_id, limit)

    @_unlocked
    def work_sources(self, prefix: str) -> set[str]:
        """The ``source`` of every work entry starting with ``prefix`` (import dedup keys)."""
        return self._reading.work_sources(prefix)

    def search(self, text: str, limit: int = 50) -> list[SearchHit]:
        """Full-text search over clients, encounters, plans, contacts and work entries.
        After a first unlock on this device it waits for the notes still to be indexed,
        indexing them in steps that let other work take the vault's lock in between."""
        while self.notes_to_index:
            with self._lock:
                self._keys.require()
                stepped = self._current.index_step()
            if not stepped:  # the helper processes are on it
                time.sleep(0.01)
        return self._search(text, limit)

    @_unlocked
    def _search(self, text: str, limit: int) -> list[SearchHit]:
        return self._reading.search(text, limit)

    @_unlocked
    def history(self, record_id: str) -> list[RevisionInfo]:
        return self._reading.history(record_id)

    @_unlocked
    def client_history(self, client_id: str) -> dict[str, list[RevisionInfo]]:
        """Every version of every record about one client, deleted records included
        (record id → revisions, oldest first); RecordNotFound for an unknown client."""
        return self._reading.client_history(client_id)

    @_unlocked
    def check(self) -> CheckReport:
        """Verify every envelope; report damaged ones per record without stopping."""
        return check(self.store, self._keys, self._cipher, self._keeper)
