"""One sync controller per unlocked session: drives the Qt-free scheduler from a QTimer.

The scheduler (``counsel.sync.scheduler``) decides when to sync or probe; a QTimer on
the UI thread asks it every second and runs the claimed job as an ``Op`` on the
non-write pool (network work), so the interface never waits for the network.  Status
and progress come back from the worker thread as queued signals.  The page and the
status-bar indicator both read this controller; it dies with the session on lock.
"""

from __future__ import annotations

import dataclasses
import logging
import time
from typing import TYPE_CHECKING, Any, cast

from PySide6.QtCore import QObject, QTimer, Signal

from counsel.sync import review
from counsel.sync import status as sync_status
from counsel.sync.client import Progress, SyncReport
from counsel.sync.scheduler import Action, Scheduler, State, Status
from counsel_ui.common.ops import Op

if TYPE_CHECKING:
    from counsel.sync.credentials import Credentials
    from counsel_ui.shell.session import Session

log = logging.getLogger("counsel.ui.sync")

_ATTR = "_counsel_sync_controller"


@dataclasses.dataclass(frozen=True)
class Snapshot:
    """Everything the page and the indicator show (read on the UI thread)."""

    creds: Credentials | None
    state: State
    message: str
    seconds_to_retry: float
    last: sync_status.LastSync | None
    unsynced: int
    conflicts: int
    restored: int
    progress: Progress | None  # during a sync
    #: what the devices noticed the sync server (or someone with the vault file) doing,
    #: remembered until dismissed (issue 11)
    warnings: tuple[str, ...] = ()

    @property
    def signed_in(self) -> bool:
        return self.creds is not None


class _Bridge(QObject):
    """Worker-thread callbacks re-emitted as signals (delivered on the UI thread)."""

    status = Signal(object)
    progress = Signal(object)


class SyncController(QObject):
    changed = Signal()  # anything shown changed: read snapshot()
    synced = Signal(object)  # the SyncReport of a finished sync
    attention = Signal()  # conflicts or restored records to look at changed
    #: the server refused this device; the revocation.Outcome (checked notice + policy)
    revoked = Signal(object)

    def __init__(self, session: Session, *, poll_ms: int = 1000, interval: float = 300.0,
                 autostart: bool = True) -> None:
        super().__init__(session)
        self.session = session
        self.vault = session.vault
        self._bridge = _Bridge(self)
        self._bridge.status.connect(self._on_status)
        self._bridge.progress.connect(self._on_progress)
        self.scheduler = Scheduler(self._sync_job, self._check_job, interval=interval)
        self.scheduler.listeners.append(self._bridge.status.emit)
        self.creds = sync_status.signed_in(self.vault)
        self.last = sync_status.last_sync(self.vault)
        self.unsynced = sync_status.unsynced_count(self.vault)
        self.conflicts = len(self.vault.conflicts())
        self.restored = 0
        self.warnings: tuple[str, ...] = ()
        self._status = Status(State.IDLE)
        self._progress: Progress | None = None
        self._announcing = False
        self._revoked: Any = None  # a revocation.Outcome from the worker, told in _finished
        self._teams_changed = False  # a team copy's sync brought or dropped records
        self.timer = QTimer(self)
        self.timer.setInterval(poll_ms)
        self.timer.timeout.connect(self.poll)
        session.changed.connect(self._local_change)
        if self.creds is not None and autostart:
            self.timer.start()
        self.refresh_counts()

    # -- what to show ---------------------------------------------------------------------
    def snapshot(self) -> Snapshot:
        return Snapshot(self.creds, self._status.state, self._status.message,
                        self.scheduler.seconds_until_due(), self.last, self.unsynced,
                        self.conflicts, self.restored, self._progress, self.warnings)

    def refresh_counts(self) -> None:
        """Recount unsynced changes, open conflicts and restored records (off the UI thread)."""
        vault = self.vault
        if vault.locked:
            return

        def work() -> tuple[int, int, int, tuple[str, ...]]:
            return (sync_status.unsynced_count(vault), len(review.open_conflicts(vault)),
                    len(review.restored_records(vault)), sync_status.warnings(vault))

        Op(self, work, write=False).success(self._counts).run()

    def dismiss_warnings(self) -> None:
        vault = self.vault
        Op(self, vault.trust.dismiss).success(lambda _r: self.refresh_counts()).run()

    def _counts(self, counts: tuple[int, int, int, tuple[str, ...]]) -> None:
        before = (self.conflicts, self.restored)
        self.unsynced, self.conflicts, self.restored, self.warnings = counts
        self.changed.emit()
        if (self.conflicts, self.restored) != before:
            self.attention.emit()

    # -- inputs ---------------------------------------------------------------------------
    def sync_now(self) -> None:
        if self.creds is None:
            return
        self.scheduler.request_now()
        if not self.timer.isActive():
            self.timer.start()
        self.poll()

    def signed_in_as(self, creds: Credentials | None) -> None:
        """Set up or signed out: start or stop syncing."""
        self.creds = creds
        if creds is None:
            self.timer.stop()
            self.last = None
            self._status = Status(State.IDLE)
        self.changed.emit()
        if creds is not None:
            self.sync_now()

    def _local_change(self, _kinds: object) -> None:
        if self._announcing:
            return
        self.unsynced += 1  # a good guess until the next recount
        self.scheduler.local_change()
        self.changed.emit()

    # -- the loop -------------------------------------------------------------------------
    def poll(self) -> None:
        if self.vault.locked or self.creds is None:
            return
        action = self.scheduler.next_action(time.monotonic())
        if action is Action.NONE:
            if self._status.state is State.OFFLINE:
                self.changed.emit()  # the retry countdown moves
            return
        if action is Action.SYNC:
            self._progress = None
        Op(self, lambda: self.scheduler.run(action), write=False).success(
            lambda _r: self._finished(action)).run()

    def _sync_job(self) -> Any:
        from counsel.sync.revocation import Revoked

        try:
            result = sync_status.run_sync(self.vault, progress=self._bridge.progress.emit)
        except Revoked as exc:
            self._revoked = exc.outcome
            raise
        self._teams_changed = self._team_sync() or self._teams_changed
        return result

    def _team_sync(self) -> bool:
        """The team copies' sync, after the personal vault's (the team clients' records;
        a removed member's or an ended substitute's copy leaves).  A team that cannot be
        reached now never fails the personal sync: it is tried again next time."""
        from counsel.errors import KnownError
        from counsel.teams.vaultset import sync_teams

        try:
            report = sync_teams(self.session.vaults)
        except KnownError as exc:
            log.info("team sync: %s", type(exc).__name__)  # never its message: names
            return False
        if report.problems:
            log.info("team sync: %d problems", len(report.problems))
        return report.changed

    def _check_job(self) -> bool:
        return sync_status.check_server(self.vault)

    def _finished(self, action: Action) -> None:
        self._progress = None
        outcome, self._revoked = self._revoked, None
        if outcome is not None:
            if outcome.kind != "forged":  # genuine: signed out here, nothing more to try
                self.timer.stop()
                self.creds = None
            self.changed.emit()
            self.refresh_counts()
            self.revoked.emit(outcome)
            return
        result = self.scheduler.last_result
        if action is Action.SYNC and self._status.state is State.IDLE and result is not None:
            report, last = cast(tuple[SyncReport, sync_status.LastSync], result)
            self.scheduler.last_result = None
            self.last = last
            self.unsynced = report.unsynced
            teams, self._teams_changed = self._teams_changed, False
            if report.pulled or report.merged or teams:
                from counsel.domain import RECORD_TYPES

                self._announcing = True  # pages refresh; that is not a local edit
                try:
                    self.session.changed.emit(frozenset(RECORD_TYPES))
                finally:
                    self._announcing = False
            self.changed.emit()
            self.synced.emit(report)  # after changed: listeners see the new state
        else:
            self.changed.emit()
        self.refresh_counts()

    def _on_status(self, status: Status) -> None:
        self._status = status
        if status.state is State.ERROR and status.message:
            log.info("sync refused after %d failures", status.failures)
        self.changed.emit()

    def _on_progress(self, progress: Progress) -> None:
        self._progress = progress
        self.changed.emit()


def controller_for(session: Session, **kwargs: Any) -> SyncController:
    """The session's controller (made on first use; pages and the indicator share it)."""
    controller = getattr(session, _ATTR, None)
    if controller is None:
        controller = SyncController(session, **kwargs)
        setattr(session, _ATTR, controller)
    return controller
