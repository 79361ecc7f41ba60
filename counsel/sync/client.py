"""Client sync: push the outbox, pull after a cursor, merge, repeat until quiet.

Safety rules (ARCHITECTURE.md "Sync"):

* Outbox rows are deleted only after the server acknowledged them.  A crash between
  the acknowledgement and the delete re-sends them next time: the server ignores
  revision ids it has (idempotent push).
* Pulled revisions, the keys that open them and the new cursor are written in **one**
  SQLite transaction (``Vault.apply_remote(..., in_tx=...)``).  A crash stores all or
  nothing; re-pulling is harmless because known revision ids are ignored.
* Clean merges are deterministic revisions (``counsel.sync.conflicts``); two devices
  merging the same leaves write the same revision.

Every step resumes where it stopped, so "interrupted" needs no special handling: the
scheduler simply calls ``sync()`` again.
"""

from __future__ import annotations

import dataclasses
import json
import logging
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from counsel.sync import credentials, faults, rollback, trust
from counsel.sync.conflicts import MergeReport, auto_merge
from counsel.sync.transport import PushAck, Transport
from counsel.vault.history import Alarm
from counsel.vault.keys import VAULT_KEY_ID

if TYPE_CHECKING:
    import sqlite3

    from counsel.vault.service import Vault

log = logging.getLogger("counsel.sync")

PUSH_BATCH = 500
PULL_PAGE = 1000
MAX_ROUNDS = 8


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


class SyncClient:
    def __init__(self, vault: Vault, transport: Transport, *, push_batch: int = PUSH_BATCH,
                 pull_page: int = PULL_PAGE, progress: ProgressFn | None = None) -> None:
        self.vault = vault
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
    def _erasures_to_send(self) -> list[str]:
        sent = set(json.loads(self.vault.store.state(credentials.ERASED_SENT) or "[]"))
        return sorted(self.vault.store.erased_keys() - sent)

    def unsynced_count(self) -> int:
        """Local changes the server does not have yet. Warn before anything discards them."""
        return self.vault.store.outbox_count() + len(self._erasures_to_send())

    # -- push -------------------------------------------------------------------------
    def push(self) -> int:
        vault, st = self.vault, self.vault.store
        erasures = self._erasures_to_send()
        if erasures:
            records = {k: r for k, r in vault.erasure_records().items()
                       if k in erasures and r is not None}
            self.transport.erase(vault.vault_id, erasures, records)
            done = set(json.loads(st.state(credentials.ERASED_SENT) or "[]")) | set(erasures)
            st.set_state(credentials.ERASED_SENT, json.dumps(sorted(done)))
        total, pushed = st.outbox_count(), 0
        while True:
            batch = st.outbox_batch(self.push_batch)
            if not batch:
                return pushed
            wanted = {r.key_id for r in batch} - {VAULT_KEY_ID}
            keys = {k: w for k in sorted(wanted) if (w := st.wrapped_key(k)) is not None}
            ack = self.transport.push(vault.vault_id, keys, batch)
            faults.point("after_ack")
            self._ack(ack)
            if not set(ack.acked) & {r.rev_id for r in batch}:
                # A server that acknowledges nothing would make this loop spin forever.
                from counsel.i18n import gettext as _
                from counsel.sync.transport import SyncError

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
        st = self.vault.store

        def tx(conn: sqlite3.Connection) -> None:
            conn.executemany("DELETE FROM outbox WHERE rev_id=?", [(r,) for r in ack.acked])
            if ack.last_rev is not None:
                rollback.remember(self.vault, ack.seq, ack.last_rev, conn)
            cursor = int(st.state(credentials.CURSOR) or 0)
            if 0 <= ack.before == cursor < ack.seq:
                st.set_state(credentials.CURSOR, str(ack.seq), conn)

        st.transaction(tx)

    # -- pull -------------------------------------------------------------------------
    def pull(self) -> int:
        """Download new revisions; returns how many records changed here."""
        vault, st = self.vault, self.vault.store
        cursor = int(st.state(credentials.CURSOR) or 0)
        pulled = changed = 0
        while True:
            page = self.transport.pull(vault.vault_id, cursor, self.pull_page)
            def in_tx(conn: sqlite3.Connection, page: Any = page) -> None:
                if page.keys:
                    st.put_wrapped_keys(page.keys, conn)
                faults.point("after_store")
                st.set_state(credentials.CURSOR, str(page.next), conn)
                if page.last is not None:
                    rollback.remember(vault, page.last[0], page.last[1], conn)

            # Our own pushed revisions come back too; they are ignored and not counted.
            changed += len(vault.apply_remote(page.revisions, in_tx=in_tx, keys_=page.keys))
            if page.erased:
                vault.forget_keys({k: page.erasures.get(k) for k in page.erased})
                sent = set(json.loads(st.state(credentials.ERASED_SENT) or "[]"))
                st.set_state(credentials.ERASED_SENT, json.dumps(sorted(sent | set(page.erased))))
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
        alarms: list[Alarm] = []
        if went_back:
            from counsel.vault.history import rolled_back_alarm

            alarms.append(rolled_back_alarm(resent))
        checked = True
        for _round in range(MAX_ROUNDS):
            pushed += self.push()
            pulled += self.pull()
            alarms += self.vault.take_alarms()
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
        alarms += self.vault.take_alarms()
        self.vault.trust.remember(alarms)
        return SyncReport(pushed=pushed, pulled=pulled, merged=tuple(merged),
                          restored=tuple(restored), conflicts=len(report.open),
                          unsynced=self.unsynced_count(), resent=resent,
                          alarms=tuple(dict.fromkeys(alarms)))

    def _check_history(self) -> tuple[bool, int, list[Alarm]]:
        """Compare with the server's counts and the other devices' checkpoints
        (``counsel.sync.trust``); (whether the server takes part, how many of this
        device's changes were queued again, alarms)."""
        from counsel.sync.transport import SyncError
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
