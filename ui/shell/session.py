"""One unlocked session: the vault and what the pages share (no global app object).

Pages get the session in their constructor.  Writes go through :meth:`save`, which
runs on the storage-writer thread and then announces the changed kinds so pages
refresh only what changed.  The session is dropped on lock.
"""

from __future__ import annotations

import datetime as dt
import threading
import time
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, Signal

from counsel.app.policies import AppointmentTimer
from counsel_ui.common.ops import Op

if TYPE_CHECKING:
    from counsel.domain import Record
    from counsel.teams.vaultset import VaultSet
    from counsel.vault.service import Vault


DUE_KINDS = frozenset({"client", "plan", "encounter", "reminder"})


class Session(QObject):
    changed = Signal(object)  # frozenset of record kinds
    open_client = Signal(str)  # client id
    new_encounter = Signal(str)  # client id
    quick_log = Signal(str)  # client id, or "" for none
    open_plans = Signal(str)  # client id: the Plans page for them
    share_client = Signal(str)  # client id: the Team page, to share them with a team
    timer_changed = Signal()

    def __init__(self, vault: Vault, parent: QObject | None = None,
                 timer: AppointmentTimer | None = None, vaults: VaultSet | None = None) -> None:
        super().__init__(parent)
        from counsel.teams.vaultset import VaultSet

        self.vault = vault  # the personal vault: drafts, settings, sync, non-client records
        # with this computer's team copies: a team client's records live in its team's copy
        self.vaults = vaults if vaults is not None else VaultSet(vault)
        # owned by the window, so an appointment keeps running through a lock
        self.timer = timer if timer is not None else AppointmentTimer()
        self.current_client: str | None = None
        self.closing = False  # set when locking: long background work stops early
        self.editors: list[Any] = []  # open encounter editors (flushed on lock)
        # what is due, computed once per change: read from worker threads, invalidated
        # on the UI thread
        self._due_lock = threading.Lock()
        self._due: tuple[int, dt.date, Any] | None = None
        self._due_generation = 0
        self.changed.connect(self._invalidate_due)

    def _invalidate_due(self, kinds: frozenset[str]) -> None:
        if kinds & DUE_KINDS:
            with self._due_lock:
                self._due_generation += 1
                self._due = None

    def due_summary(self) -> Any:
        """What is due (``counsel.app.today_query.TodaySummary``: the Today page's groups
        and the clients with something due); call off the UI thread."""

        day = dt.date.today()
        with self._due_lock:
            cached, generation = self._due, self._due_generation
        if cached is not None and cached[0] == generation and cached[1] == day:
            return cached[2]
        summary = self.vaults.today_summary(day, should_stop=lambda: self.closing)
        with self._due_lock:
            if self._due_generation == generation:
                self._due = (generation, day, summary)
        return summary

    def vault_for(self, client_id: str | None) -> Vault:
        """The vault holding ``client_id``'s records: a team client's team copy, else the
        personal vault (raises ``TeamUnavailable`` for a team client whose copy closed)."""
        return self.vaults.vault_for(client_id)

    def save(self, records: Sequence[Record], *, parent: QObject | None = None,
             then: Callable[[Any], None] | None = None,
             failed: Callable[[BaseException], None] | None = None) -> None:
        """Save on the writer thread, each record in the vault of its client."""
        vaults = self.vaults
        recs = list(records)
        kinds = frozenset(r.KIND for r in recs)

        def work() -> list[Any]:
            groups: dict[int, tuple[Vault, list[Record]]] = {}
            for r in recs:  # routed before anything is written: all or nothing per call
                v = vaults.vault_of(r)
                groups.setdefault(id(v), (v, []))[1].append(r)
            return [s for v, rs in groups.values() for s in v.save_many(rs, audited=True)]

        def done(result: Any) -> None:
            self.changed.emit(kinds)
            if then is not None:
                then(result)

        op = Op(parent or self, work).success(done)
        if failed is not None:
            op.failure(failed)
        op.run()

    def delete(self, record_id: str, kind: str, *, parent: QObject | None = None,
               client_id: str | None = None) -> None:
        vaults = self.vaults
        Op(parent or self, lambda: vaults.vault_for(client_id).delete(
            record_id, audited=True)).success(
            lambda _r: self.changed.emit(frozenset({kind}))).run()

    # -- appointment timer ------------------------------------------------------------------
    def start_timer(self, client_id: str) -> None:
        if self.timer.active and self.timer.client_id != client_id:
            return
        self.timer.start(client_id, time.monotonic(), dt.datetime.now())
        self.timer_changed.emit()

    def pause_timer(self) -> None:
        self.timer.pause(time.monotonic())
        self.timer_changed.emit()

    def stop_timer(self) -> None:
        from counsel.domain import WorkEntry, WorkKind

        result = self.timer.stop(time.monotonic())
        self.timer_changed.emit()
        if result is None:
            return
        client_id, started, minutes = result
        # an encounter being written for this client is the record of this appointment:
        # link the time to it and fill in its duration
        editor = next((e for e in reversed(self.editors) if e.client_id == client_id), None)
        if editor is not None:
            editor.minutes.setValue(minutes)
        entry = WorkEntry(kind=WorkKind.VISIBLE, date=started.date(),
                          start=started.time().replace(second=0, microsecond=0),
                          minutes=minutes, client=client_id,
                          encounter=editor.encounter_id if editor is not None else None)
        self.save([entry])
