"""Noticing a server that lost history (restored from a backup) and sending it back.

A device remembers one *mark*: a revision and the sequence number the server gave it
(from its last pull page or its last push).  Before each sync it asks the server for
that one sequence number.  The server has rolled back when

* the vault's highest sequence number is below this device's cursor, or
* the marked sequence number now holds a different revision (others pushed after the
  restore and reused the numbers), or
* the vault is gone although this device had synced it.

Then every revision this device holds goes back into the outbox, its erasures are sent
again and the cursor restarts at 0, all in one local transaction; the normal push and
pull that follow restore the server from this device's copy (pushes are idempotent).
Issue 11's sealed checkpoints extend this to what *other* devices saw.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from counsel.sync.transport import SyncError, Transport

if TYPE_CHECKING:
    from counsel.vault.service import Vault

log = logging.getLogger("counsel.sync")

MARK = "server_mark"


def mark(seq: int, rev_id: str) -> dict[str, str]:
    """The sync state that remembers the mark (written with the ack or pull page it
    comes from, in the same transaction)."""
    return {MARK: f"{seq} {rev_id}"}


def _mark(vault: Vault) -> tuple[int, str] | None:
    raw = vault.sync_port.state(MARK)
    if not raw:
        return None
    seq, _, rev_id = raw.partition(" ")
    return (int(seq), rev_id) if seq.isdigit() and rev_id else None


def server_lost_history(vault: Vault, transport: Transport) -> bool:
    cursor = vault.sync_port.cursor()
    mark = _mark(vault)
    if cursor <= 0 and mark is None:
        return False  # never synced: nothing to compare
    since = mark[0] - 1 if mark else cursor
    try:
        page = transport.pull(vault.vault_id, since, 1)
    except SyncError as exc:
        if exc.code == "no_vault":
            return True
        raise
    if 0 <= page.top < cursor:
        return True
    return bool(mark and page.last and page.last[0] == mark[0] and page.last[1] != mark[1])


def resend_everything(vault: Vault, transport: Transport) -> int:
    """Queue every local revision again and restart the cursor; the number queued.

    If the server lost the vault itself (registered after the backup), only an
    enrolment secret may register it again: everything stays queued and the person is
    told to sign in again with one.
    """

    queued = vault.sync_port.send_everything_again({MARK: ""})
    log.warning("sync server lost history; %d revisions queued to send again", queued)
    try:
        transport.keyring(vault.vault_id)
    except SyncError as exc:
        if exc.code != "no_vault":
            raise
        from counsel.i18n import N_
        from counsel.i18n import gettext as _

        raise SyncError(
            _("The sync server no longer has this vault (was it restored from a backup?)."),
            code="vault_lost",
            help_text=N_("Your work is kept on this computer. Ask your administrator for a "
                         "new enrolment secret and set up sync again with it; everything "
                         "is then sent again.")) from None
    return queued
