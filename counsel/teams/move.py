"""Moving a client between the personal vault and a team vault (and back).

Every current record sealed under the client's key is saved into the destination — sealed
anew under the destination's keys (its own client key, its vault key generation) in one
transaction — then, once ``after_copy`` returned (the CLI pushes the destination to the
server there), the client is erased in the source through the sealed erasure path.  Killed
in between, both vaults hold the client: nothing is lost, and running the move again
finishes it (the copy is saved again on top, then the source is erased).

What moves is each record's current state, not its earlier revisions: those stay behind
and are erased with the client in the source.  A client with unresolved conflicts is
refused (a conflict's other side would be lost).

An erased client id is never used again in a vault (late revisions of it are dropped), so
a client moving back to a vault it once left gets a new id there: every mention of the old
id in its records (the client's id, each record's ``client``, derived ids) is replaced.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from counsel.domain import Record
from counsel.domain.base import new_id
from counsel.domain.codec import from_dict, to_dict
from counsel.errors import KnownError, RecordNotFound
from counsel.i18n import N_
from counsel.i18n import gettext as _
from counsel.sync import faults

if TYPE_CHECKING:
    from counsel.vault.service import Vault


class MoveRefused(KnownError):
    help_text = N_("Resolve the client's conflicts (sync page) and move them again.")


def move_client(source: Vault, dest: Vault, client_id: str,
                after_copy: Callable[[], None] | None = None) -> int:
    """Move ``client_id`` from ``source`` to ``dest``; returns how many records moved."""
    if source.vault_id == dest.vault_id:
        raise KnownError(_("The client is already there."))
    records = [r for r in source.client_records(client_id) if r.client_id == client_id]
    if not records:
        raise RecordNotFound(_("No client with id {id}.").format(id=client_id))
    if set(source.conflicts()) & {r.id for r in records}:
        raise MoveRefused(_("This client has unresolved conflicts."))
    records.sort(key=lambda r: r.KIND != "client")  # the client (and its key) first
    if dest.was_erased(client_id):
        new = new_id()
        records = [_rekey(r, client_id, new) for r in records]
    dest.save_many(records)
    faults.point("move_after_copy")
    if after_copy is not None:
        after_copy()
    from counsel.records.erasure_traces import erase_client

    erase_client(source, client_id)  # with the traces the source's vault key still holds
    return len(records)


def sync_vault(vault: Vault) -> None:
    from counsel.sync.client import SyncClient

    client = SyncClient.from_vault(vault)
    try:
        client.sync()
    finally:
        client.close()


def move_and_sync(source: Vault, dest: Vault, client_id: str,
                  sync: Callable[[Vault], None] = sync_vault) -> tuple[int, bool]:
    """The move as the app and ``counsel client move`` run it, either way (personal →
    team, team → personal): the copy reaches the server before the source erases the
    client, then the source is synced.  Returns (records moved, whether the erasure waits
    for the source's next sync — offline after the copy was pushed)."""
    from counsel.errors import OfflineError

    moved = move_client(source, dest, client_id, after_copy=lambda: sync(dest))
    try:
        sync(source)
    except OfflineError:
        return moved, True
    return moved, False


def _replaced(value: Any, old: str, new: str) -> Any:
    if isinstance(value, str):
        return value.replace(old, new)
    if isinstance(value, list):
        return [_replaced(v, old, new) for v in value]
    if isinstance(value, dict):
        return {k: _replaced(v, old, new) for k, v in value.items()}
    return value


def _rekey(record: Record, old: str, new: str) -> Record:
    """``record`` with every mention of the client id ``old`` (128 random bits: nothing
    else contains it) replaced by ``new``."""
    return from_dict(type(record), _replaced(to_dict(record), old, new))
