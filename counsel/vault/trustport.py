"""What the sync client's trust checks (``counsel.sync.trust``) need from an open vault:
the chains of changes held here, sealing and opening checkpoints, re-queueing this
device's own changes, and the alarms remembered until the person dismisses them.
Use through ``vault.trust``."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Mapping

from counsel.vault import history
from counsel.vault.history import Alarm
from counsel.vault.store import Store

ALARMS = "trust_alarms"
MAX_KEPT = 100


class TrustPort:
    def __init__(self, st: Store, vault_id: str, device_id: str,
                 sealer: history.Sealer) -> None:
        self._store = st
        self.vault_id = vault_id
        self.device_id = device_id
        self._sealer = sealer

    # -- bookkeeping ----------------------------------------------------------------
    def state(self, key: str) -> str | None:
        return self._store.state(key)

    def set_states(self, values: Mapping[str, str]) -> None:
        def write(conn: sqlite3.Connection) -> None:
            for key, value in values.items():
                self._store.set_state(key, value, conn)

        self._store.transaction(write)

    # -- chains ------------------------------------------------------------------------
    def chain_lookup(self, device: str, counter: int) -> tuple[str, str] | None:
        rev = self._store.chain_entry(device, counter)
        return None if rev is None else (rev.rev_id, history.chain_hash(self.vault_id, rev))

    def chain_counts(self) -> dict[str, tuple[int, int]]:
        return self._store.chain_counts()

    def requeue_own_chain(self) -> int:
        """Queue every chained change this device wrote again (the server lost some)."""
        return self._store.requeue(r.rev_id for r in self._store.chain_of(self.device_id))

    def seal_checkpoint(self, number: int) -> bytes:
        seen = {d: (r.counter, history.chain_hash(self.vault_id, r))
                for d, r in self._store.chain_tips().items()}
        ckpt = history.Checkpoint(self.device_id, number, seen,
                                  tuple(sorted(self._store.erased_keys())))
        return ckpt.seal(self._sealer)

    def open_checkpoint(self, device: str, sealed: bytes) -> history.Checkpoint:
        ckpt = history.Checkpoint.open(self._sealer, device, sealed)
        if ckpt.device != device:
            from counsel.errors import IntegrityError

            raise IntegrityError("checkpoint moved to another device")
        return ckpt

    # -- statements between the vault's devices (device revocation notices) -------------
    def seal_statement(self, purpose: str, context: tuple[str, ...], payload: bytes) -> bytes:
        """Sealed so that only devices of this vault can make or read it (not the server)."""
        return self._sealer.seal(purpose, context, payload)

    def open_statement(self, purpose: str, context: tuple[str, ...], sealed: bytes) -> bytes:
        """The payload; ``IntegrityError`` if no device of this vault sealed it so."""
        return self._sealer.open(purpose, context, sealed)

    # -- alarms (remembered until dismissed) ------------------------------------------
    def alarms(self) -> list[Alarm]:
        raw = self._store.state(ALARMS)
        return [Alarm.from_json(a) for a in json.loads(raw)] if raw else []

    def remember(self, alarms: Iterable[Alarm]) -> None:
        kept = self.alarms()
        keys = {(a.code, a.device, a.counter) for a in kept}
        for alarm in alarms:
            if (alarm.code, alarm.device, alarm.counter) not in keys:
                kept.append(alarm)
                keys.add((alarm.code, alarm.device, alarm.counter))
        self._store.set_state(ALARMS, json.dumps([a.to_json() for a in kept[-MAX_KEPT:]]))

    def dismiss(self) -> None:
        self._store.set_state(ALARMS, "[]")
