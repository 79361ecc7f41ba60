"""Client sync: push the outbox, pull after a cursor, merge, repeat until quiet.

Safety rules (ARCHITECTURE.md "Sync"):

* Outbox rows are deleted only after the server acknowledged them.  A crash between
  the acknowledgement and the delete re-sends them next time: the server ignores
  revision ids it has (idempotent push).
* Pulled revisions, the keys that open them and the new cursor are written in **one**
  SQLite transaction (``vault.sync_port.apply_remote``).  A crash stores all or
  nothing; re-pulling is harmless because known revision ids are ignored.
* Clean merges are deterministic revisions (``counsel.sync.conflicts``); two devices
  merging the same leaves write the same revision.

Every step resumes where it stopped, so "interrupted" needs no special handling: the
scheduler simply calls ``sync()`` again.
"""

from __future__ import annotations

import dataclasses
import logging
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from counsel.sync import credentials, faults, keysync, rollback, trust
from counsel.sync.conflicts import MergeReport, auto_merge
from counsel.sync.transport import PushAck, SyncError, Transport
from counsel.vault.history import Alarm
from counsel.vault.keys import VAULT_KEY_ID

if TYPE_CHECKING:

    from counsel.vault.service import Vault

log = logging.getLogger("counsel.sync")

PUSH_BATCH = 500
PULL_PAGE = 1000
MAX_ROUNDS = 8
#: how many times one push may send missing parents again before giving up
MAX_RESENDS = 64


@dataclasses.dataclass(frozen=True)
class Progress:
    phase: str  # "push", "pull", "merge"
    done: int
    total: int | None  # None when not known in advance (pull)


ProgressFn = Callable[[Progress], None]


@dataclasses.dataclass(frozen=True)
class SyncReport:
    pushed: int  # revisions sent
    pulled: int  # records changed by what was received
    merged: tuple[str, ...]
    restored: tuple[str, ...]
    conflicts: int  # open conflicts after this sync
    unsynced: int  # changes still waiting to be sent (0 after a full sync)
    resent: int = 0  # revisions sent again because the server had lost them (restore)
    #: what this sync noticed the server doing (issue 11): dropped, reordered, withheld,
    #: altered or replayed changes, unauthenticated erasures
    alarms: tuple[Alarm, ...] = ()
    #: another device rotated the keys: the generation waiting here for the new passphrase
    keys_pending: int = 0


class SyncClient:
    def __init__(self, vault: Vault, transport: Transport, *, push_batch: int = PUSH_BATCH,
                 pull_page: int = PULL_PAGE, progress: ProgressFn | None = None) -> None:
        self.vault = vault
        self.port = vault.sync_port
        self.transport = transport
        self.push_batch = push_batch
        self.pull_page = pull_page
        self.progress = progress or (lambda p: None)

    @classmethod
    def from_vault(cls, vault: Vault, **kwargs: Any) -> SyncClient:
        """A client for the server this vault is signed in to."""
        creds = credentials.load(vault)
        if creds is None:
            from counsel.i18n import gettext as _
            from counsel.sync.transport import NotSignedIn

            raise NotSignedIn(_("This vault is not set up for sync yet."), code="not_set_up")
        return cls(vault, Transport(creds.url, creds.token), **kwargs)

    def close(self) -> None:
        self.transport.close()

    # -- what is waiting ------------------------------------------------------------
    def unsynced_count(self) -> int:
        """Local changes the server does not have yet. Warn before anything discards them."""
        return self.port.unsynced_count()

    # -- push -------------------------------------------------------------------------
    def push(self) -> int:
        port = self.port
        erasures = port.erasures_to_send()
        if erasures:
            records = {k: r for k, r in port.erasure_records().items()
                       if k in erasures and r is not None}
            self.transport.erase(self.vault.vault_id, erasures, records)
            port.mark_erasures_sent(erasures)
        total, pushed, resends = port.outbox_count(), 0, 0
        while True:
            batch = port.outbox_batch(self.push_batch)
            if not batch:
                return pushed
            keys = port.wrapped_keys_for({r.key_id for r in batch} - {VAULT_KEY_ID})
            try:
                ack = self.transport.push(self.vault.vault_id, keys, batch)
            except SyncError as exc:
                # The server lacks a parent this device holds (it withheld or lost a
                # change): send the parents again first (reported), then this batch.
                if exc.code != "unknown_parents" or resends >= MAX_RESENDS or \
                        not port.requeue_parents(batch):
                    raise
                resends += 1
                total = port.outbox_count() + pushed
                continue
            faults.point("after_ack")
            self._ack(ack)
            if not set(ack.acked) & {r.rev_id for r in batch}:
                # A server that acknowledges nothing would make this loop spin forever.
                from counsel.i18n import gettext as _

                raise SyncError(_("The sync server did not confirm the changes sent."),
                                code="no_ack")
            pushed += len(batch)
            self.progress(Progress("push", pushed, total))

    def _ack(self, ack: PushAck) -> None:
        """Clear acknowledged outbox rows; skip our own push in the pull stream if we can.

        When the cursor stands exactly where this push began, the sequence numbers
        (before, seq] hold only what this device just sent, so the cursor moves past
        them in the same transaction instead of downloading them back.
        """
        mark = rollback.mark(ack.seq, ack.last_rev) if ack.last_rev is not None else {}
        self.port.ack(ack.acked, ack.before, ack.seq, states=mark)

    # -- pull -------------------------------------------------------------------------
    def pull(self) -> int:
        """Download new revisions; returns how many records changed here."""
        port = self.port
        cursor = port.cursor()
        pulled = changed = 0
        while True:
            page = self.transport.pull(self.vault.vault_id, cursor, self.pull_page)
            # Revisions (authenticated first), the keys that open them, the new cursor and
            # the server mark: one transaction.
            # Our own pushed revisions come back too; they are ignored and not counted.
            mark = rollback.mark(*page.last) if page.last is not None else {}
            changed += len(port.apply_remote(page.revisions, page.keys, page.next,
                                             during=lambda: faults.point("after_store"),
                                             states=mark))
            if page.erased:
                port.forget_keys({k: page.erasures.get(k) for k in page.erased})
            cursor = page.next
            pulled += len(page.revisions)
            self.progress(Progress("pull", pulled, None))
            if not page.more:
                return changed

    # -- everything -----------------------------------------------------------------
    def sync(self) -> SyncReport:
        """Push, pull, merge; repeat while merging produced something new to push."""
        resent = 0
        went_back = rollback.server_lost_history(self.vault, self.transport)
        if went_back:
            resent = rollback.resend_everything(self.vault, self.transport)
        pushed = pulled = 0
        merged: list[str] = []
        restored: list[str] = []
        report = MergeReport((), (), (), ())
        # first the keys: a rotation another device made is followed before its changes
        # arrive, and this device's own rotation reaches the server before what it seals
        alarms, pending = keysync.check(self.vault, self.transport)
        if self.port.erasures_waiting():
            self.port.forget_keys({})  # their keys may have come (history.seal_erasure)
        if went_back:
            from counsel.vault.history import rolled_back_alarm

            alarms.append(rolled_back_alarm(resent))
        checked = True
        for _round in range(MAX_ROUNDS):
            pushed += self.push()
            pulled += self.pull()
            alarms += self.port.take_alarms()
            if checked:
                checked, requeued, found = self._check_history()
                alarms += found
                if requeued:
                    pushed += self.push()
            report = auto_merge(self.vault)
            self.progress(Progress("merge", len(report.merged), len(report.merged)))
            merged += report.merged
            restored += report.restored
            if not report.merged and self.unsynced_count() == 0:
                break
        if checked:
            trust.publish(self.vault.trust, self.transport, self.vault.vault_id)
        alarms += self.port.take_alarms()
        self.vault.trust.remember(alarms)
        return SyncReport(pushed=pushed, pulled=pulled, merged=tuple(merged),
                          restored=tuple(restored), conflicts=len(report.open),
                          unsynced=self.unsynced_count(), resent=resent,
                          alarms=tuple(dict.fromkeys(alarms)),
                          keys_pending=pending)

    def _check_history(self) -> tuple[bool, int, list[Alarm]]:
        """Compare with the server's counts and the other devices' checkpoints
        (``counsel.sync.trust``); (whether the server takes part, how many of this
        device's changes were queued again, alarms)."""
        from counsel.vault.history import lost_alarm

        try:
            found, requeued = trust.check(self.vault.trust, self.transport,
                                          self.vault.vault_id, self.pull)
        except SyncError as exc:
            if exc.code in ("not_found", "bad_request"):
                return False, 0, []  # a server from before checkpoints
            raise
        if requeued:
            found.append(lost_alarm(self.vault.device_id, requeued))
        return True, requeued, found
