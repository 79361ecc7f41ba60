"""The audit trail's vault part: ``vault.audit``.

``record(action, client_id=…, record_id=…, detail=…)`` is the one way to leave an entry
(counsel.domain.audit.AuditEntry).  An entry is an ordinary record saved through the one
save path (sealed under the vault key, appended to this device's chain of changes, synced
like any record), so it needs no table, no server change and no second sealing scheme.
Its own hash chain (counsel.records.auditchain) makes removing, editing, reordering or
inserting entries visible wherever they are read, here or after sync.

Repeated views of the same record by the same person within ``VIEW_WINDOW`` are one entry.
"""

from __future__ import annotations

import datetime as dt
import getpass
import threading
import time
from collections.abc import Callable, Iterable, Sequence

from counsel.domain import Record
from counsel.domain.audit import ACTIONS, AuditEntry
from counsel.domain.codec import from_dict
from counsel.errors import ValidationError
from counsel.i18n import gettext as _
from counsel.records.auditchain import ChainState, entry_hash, verify
from counsel.vault.current import Current
from counsel.vault.keyring import UnlockedKeys
from counsel.vault.store import Store
from counsel.vault.views import Saved

#: Views of one record by one person closer together than this are one entry (seconds).
VIEW_WINDOW = 300.0
#: Kinds whose saves are not "edits" of case records.
NOT_EDITS = frozenset({"audit", "setting"})
#: The sync account (counsel.sync.credentials.ACCOUNT) names the person when enrolled.
_ACCOUNT_STATE = "account"


class AuditLog:
    def __init__(self, lock: threading.RLock, st: Store, keys: UnlockedKeys, current: Current,
                 save_many: Callable[[Sequence[Record]], list[Saved]], device_id: str,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self._lock = lock
        self._store = st
        self._keys = keys
        self._current = current
        self._save_many = save_many
        self._device = device_id
        self._clock = clock
        self._tip: tuple[int, str] | None = None
        self._viewed: dict[tuple[str | None, str | None], float] = {}

    # -- writing ------------------------------------------------------------------------
    def person(self) -> str:
        """Who is working: the sync account when this device has one, else the OS login."""
        account = self._store.state(_ACCOUNT_STATE)
        if account:
            return account
        try:
            return getpass.getuser()
        except (OSError, KeyError):
            return ""

    def _own_tip(self) -> tuple[int, str]:
        """This device's newest entry: (counter, hash) — one entry read, not all of them."""
        if self._tip is None:
            import json

            data = self._current.ws.newest_json(AuditEntry.KIND, "device", self._device,
                                                "counter")
            last = from_dict(AuditEntry, json.loads(data)) if data else None
            self._tip = (last.counter, entry_hash(last)) if last else (0, "")
        return self._tip

    def entry(self, action: str, *, client_id: str | None = None,
              record_id: str | None = None, record_kind: str = "",
              detail: str = "") -> AuditEntry:
        """The next entry of this device's chain (not saved: save it with other records in
        one write, see ``Vault.save_many(audited=True)``; the chain moves on at once)."""
        if action not in ACTIONS:
            raise ValueError(f"unknown audit action {action!r}")
        counter, prev = self._own_tip()
        entry = AuditEntry(at=dt.datetime.now(dt.UTC).replace(microsecond=0), action=action,
                           person=self.person(), device=self._device, counter=counter + 1,
                           prev=prev, client=client_id, record=record_id,
                           record_kind=record_kind, detail=detail[:200])
        self._tip = (entry.counter, entry_hash(entry))
        return entry

    def refuse_changes(self, record_ids: Iterable[str]) -> None:
        """Audit entries are append-only: saving one again or deleting it is refused."""
        ws = self._current.ws
        for record_id in record_ids:
            row = ws.row(record_id)
            if row is not None and row[0] == AuditEntry.KIND:
                raise ValidationError("id", _("An audit entry cannot be changed or deleted."))

    def forget_tip(self) -> None:
        """A write failed: the chain continues from what is stored."""
        self._tip = None

    def edits(self, records: Sequence[Record]) -> list[AuditEntry]:
        """One "edit" entry per saved case record (settings and audit entries are not)."""
        return [self.entry("edit", client_id=r.client_id, record_id=r.id, record_kind=r.KIND)
                for r in records if r.KIND not in NOT_EDITS]

    def record(self, action: str, *, client_id: str | None = None,
               record_id: str | None = None, record_kind: str = "",
               detail: str = "") -> AuditEntry | None:
        """Leave one entry (a view repeated within ``VIEW_WINDOW`` leaves none: None)."""
        with self._lock:
            self._keys.require()
            if action == "view":
                now = self._clock()
                last = self._viewed.get((client_id, record_id))
                if last is not None and now - last < VIEW_WINDOW:
                    return None
                self._viewed[(client_id, record_id)] = now
            entry = self.entry(action, client_id=client_id, record_id=record_id,
                               record_kind=record_kind, detail=detail)
            try:
                self._save_many([entry])
            except BaseException:
                self.forget_tip()
                if action == "view":
                    self._viewed.pop((client_id, record_id), None)
                raise
            return entry

    # -- reading ------------------------------------------------------------------------
    def entries(self) -> list[AuditEntry]:
        """Every entry held here (this device's and the ones synced from others)."""
        import json

        with self._lock:
            self._keys.require()
            rows = list(self._current.ws.json_of_kind(AuditEntry.KIND))
        return [from_dict(AuditEntry, json.loads(d)) for _i, d in rows]

    def query(self, *, client: str | None = None, person: str | None = None,
              action: str | None = None, since: dt.date | None = None,
              until: dt.date | None = None, offset: int = 0,
              limit: int | None = None) -> tuple[list[AuditEntry], int]:
        """The entries kept by the filters (``until`` included; days in UTC as stored),
        newest first, from ``offset``, at most ``limit``; and how many are kept in all.
        Filtered, counted and sorted in SQL: only the entries returned are decoded."""
        import json

        conds: list[str] = []
        params: list[object] = []
        for field, value in (("client", client), ("person", person), ("action", action)):
            if value is not None:
                conds.append(f"json_extract(data, '$.{field}') = ?")
                params.append(value)
        day = "substr(json_extract(data, '$.at'), 1, 10)"
        if since is not None:
            conds.append(f"{day} >= ?")
            params.append(since.isoformat())
        if until is not None:
            conds.append(f"{day} <= ?")
            params.append(until.isoformat())
        order = ("json_extract(data, '$.at') DESC, json_extract(data, '$.device') DESC, "
                 "json_extract(data, '$.counter') DESC")
        with self._lock:
            self._keys.require()
            rows, total = self._current.ws.json_page(
                AuditEntry.KIND, " AND ".join(conds) or "1=1", params, order,
                -1 if limit is None else limit, offset)
        return [from_dict(AuditEntry, json.loads(d)) for d in rows], total

    def choices(self) -> tuple[list[str], list[str]]:
        """The clients (ids) and people the entries name: what the filters offer."""
        with self._lock:
            self._keys.require()
            ws = self._current.ws
            clients = ws.json_values(AuditEntry.KIND, "client")
            people = ws.json_values(AuditEntry.KIND, "person")
        return ([str(c) for c in clients if c], sorted(str(p) for p in people if p is not None))

    def verify(self, entries: Sequence[AuditEntry] | None = None) -> ChainState:
        """Every device's chain checked (see counsel.records.auditchain); ``entries``: as
        :meth:`entries` just returned them (read once for both).  The vault is held only
        while rows are read, not while they are decoded and checked."""
        with self._lock:
            self._keys.require()
            revised = self._store.revised_records(AuditEntry.KIND)
        if entries is None:
            entries = self.entries()
        return verify(entries, revised)
