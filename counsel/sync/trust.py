"""The sync client's side of authenticated history (``counsel.vault.history``).

After pulling, a device reads every device's sealed checkpoint and the server's count of
each device's changes:

* its **own** changes the server no longer has (count or highest number lower than
  what this device wrote) go back into the outbox and are sent again — the server may
  have lost them (a restore) or dropped them (an attack): either way a device that
  holds what the server lost pushes it again;
* another device's checkpoint that names a change this device does not hold after a
  complete pull means the server **withheld** it; one that names a different change
  under the same number means the server **forked** the devices apart; a checkpoint
  older than one already seen from that device is a **replay**.

A checkpoint that names something missing is re-checked after one more pull before it
counts (the other device may have pushed a moment ago).  Then this device publishes its
own checkpoint.  What is noticed becomes an :class:`~counsel.vault.history.Alarm`: the
sync report carries it, the vault remembers it until the person dismisses it, and
``counsel sync`` exits with status 4.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import TYPE_CHECKING

from counsel.errors import IntegrityError
from counsel.vault import history
from counsel.vault.history import Alarm

if TYPE_CHECKING:
    from counsel.sync.transport import Transport
    from counsel.vault.trustport import TrustPort as SyncPort

#: ``sync_state`` keys: this device's checkpoint number; the highest seen from each device
OWN_NUMBER, SEEN = "checkpoint_number", "checkpoints_seen"


def forged_alarm(device: str) -> Alarm:
    from counsel.i18n import gettext as _

    return Alarm("forged", _(
        "The sync server sent a checkpoint for device {device} that none of your devices "
        "sealed: ignored.").format(device=device[:8]), device, 0)


def _others(port: SyncPort, transport: Transport, vault_id: str) -> tuple[
        list[history.Checkpoint], list[Alarm], dict[str, tuple[int, int]]]:
    ckpts, chains = transport.checkpoints(vault_id)
    seen: dict[str, int] = json.loads(port.state(SEEN) or "{}")
    out: list[history.Checkpoint] = []
    alarms: list[Alarm] = []
    for device, sealed in sorted(ckpts.items()):
        if device == port.device_id:
            continue
        try:
            ckpt = port.open_checkpoint(device, sealed)
        except IntegrityError:
            alarms.append(forged_alarm(device))
            continue
        if ckpt.number < seen.get(device, 0):
            alarms.append(history.replayed_alarm(device, ckpt.number))
            continue
        seen[device] = ckpt.number
        out.append(ckpt)
    port.set_states({SEEN: json.dumps(seen, sort_keys=True)})
    return out, alarms, chains


def check(port: SyncPort, transport: Transport, vault_id: str,
          pull_again: Callable[[], object]) -> tuple[list[Alarm], int]:
    """Compare this device's history with the server's counts and the other devices'
    checkpoints.  Returns the alarms and how many of this device's own changes were
    queued to send again."""
    ckpts, alarms, chains = _others(port, transport, vault_id)
    requeued = 0
    mine = port.chain_counts().get(port.device_id)
    if mine is not None and chains.get(port.device_id, (0, 0)) != mine:
        requeued = port.requeue_own_chain()

    def compare() -> list[Alarm]:
        found: list[Alarm] = []
        for ckpt in ckpts:
            found += history.compare_checkpoint(
                ckpt, port.device_id, port.chain_lookup,
                lambda d: port.chain_counts().get(d, (0, 0))[1])
        return found

    found = compare()
    if found:
        pull_again()  # a change pushed a moment ago is not a withheld one
        found = compare()
    return alarms + found, requeued


def publish(port: SyncPort, transport: Transport, vault_id: str) -> None:
    """Seal and publish what this device has seen now."""
    number = int(port.state(OWN_NUMBER) or 0) + 1
    transport.put_checkpoint(vault_id, port.device_id, port.seal_checkpoint(number))
    port.set_states({OWN_NUMBER: str(number)})
