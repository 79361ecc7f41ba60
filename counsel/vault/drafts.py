"""Drafts: what an editor autosaves before it is saved as a record.

Encrypted (envelopes under the vault's ``drafts`` subkey, bound to the draft id), local to
this device, never synced.  A draft id starting with ``<client id>:`` is erased with the
client.  Use through ``vault.drafts``.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import threading
from typing import Any

from counsel.errors import IntegrityError
from counsel.vault import envelope
from counsel.vault.keyring import UnlockedKeys
from counsel.vault.store import Store
from counsel.vault.views import Draft

log = logging.getLogger("counsel.vault")
PURPOSE = "drafts"


class Drafts:
    def __init__(self, st: Store, keys: UnlockedKeys) -> None:
        self._store = st
        self._keys = keys
        self._lock: threading.RLock = st.lock

    def _aad(self, draft_id: str) -> bytes:
        return envelope.aad("draft", self._keys.vault_id, draft_id)

    def save(self, draft_id: str, data: dict[str, Any]) -> None:
        """``draft_id`` should start with ``<client id>:`` for client data (erasure)."""
        with self._lock:
            raw = json.dumps(data, ensure_ascii=False).encode()
            sealed = envelope.seal(self._keys.subkey(PURPOSE), raw, self._aad(draft_id))
            self._store.put_draft(draft_id, sealed, dt.datetime.now(dt.UTC).isoformat())

    def list(self) -> list[Draft]:
        """Every readable draft, oldest first (an unreadable one is logged and skipped)."""
        with self._lock:
            key = self._keys.subkey(PURPOSE)
            out = []
            for draft_id, sealed, updated in self._store.drafts():
                try:
                    data = json.loads(envelope.open_(key, sealed, self._aad(draft_id)))
                except (IntegrityError, ValueError):
                    log.error("draft unreadable")
                    continue
                out.append(Draft(draft_id, data, dt.datetime.fromisoformat(updated)))
            return out

    def get(self, draft_id: str) -> Draft | None:
        return next((d for d in self.list() if d.draft_id == draft_id), None)

    def discard(self, draft_id: str) -> None:
        with self._lock:
            self._keys.require()
            self._store.delete_draft(draft_id)
