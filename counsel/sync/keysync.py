"""The sync client's side of key generations (``counsel.vault.generations``).

Each sync reads the keyring on the server and lets the vault judge it
(``counsel.vault.keyoffer``):

* a **newer** generation another device made (passphrase change, new recovery code,
  ``counsel keys rotate``) is kept pending: the person types the new passphrase here and
  this device then reads and writes under it (``SyncReport.keys_pending`` says so);
* an **older** one than this device has means the server has not got ours yet (upload
  it), or — if this device had put a newer one there — the server went back (alarm
  ``keyring_rollback``, and ours goes up again);
* one no holder of this vault's keys made is refused (alarm ``keyring_forged``); the
  same generation with other keys means two devices rotated at once — or that a device
  which had not followed a passphrase change was offered a rotation made with the old
  keys (``keys_diverged``, on both: each puts its own keyring back on the server).

A team copy (counsel.teams) skips all of this: each member's keyring is their own (their
passphrase, their master key), so the server's keyring of a team vault is nobody's to
judge; a team's new key versions arrive in sealed, signed grants (``membership.refresh``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from counsel.i18n import gettext as _
from counsel.vault.history import Alarm
from counsel.vault.keyoffer import Verdict

if TYPE_CHECKING:
    from counsel.sync.transport import Transport
    from counsel.vault.service import Vault

SENT = "keyring_sent"  # trust state: the newest generation this device put on the server
TEAM_GRANT = "team.grant"  # sync state: the grant a team copy holds (counsel.teams)


def team_copy(vault: Vault) -> bool:
    """Whether ``vault`` is a member's copy of a team vault (its keys come in grants)."""
    return vault.sync_port.state(TEAM_GRANT) is not None


def rollback_alarm(server: int, sent: int) -> Alarm:
    return Alarm("keyring_rollback", _(
        "The sync server went back to older keys (generation {server}; this computer had "
        "sent generation {sent}): the newer keys were sent again.").format(
            server=server, sent=sent), "", server)


def forged_alarm() -> Alarm:
    return Alarm("keyring_forged", _(
        "The sync server offered vault keys that none of your devices made: refused."), "", 0)


def diverged_alarm(generation: int) -> Alarm:
    return Alarm("keys_diverged", _(
        "Two devices changed the vault's keys at the same time (generation {n}); changes "
        "sealed under the other device's keys cannot be read here. Change the passphrase "
        "again on one device.").format(n=generation), "", generation)


def mark_sent(vault: Vault) -> None:
    """Remember that the server has this device's keyring (after an upload)."""
    vault.trust.set_states({SENT: str(vault.key_generation)})


def upload(vault: Vault, transport: Transport) -> None:
    transport.put_keyring(vault.vault_id, vault.export_keyring())
    mark_sent(vault)


def check(vault: Vault, transport: Transport) -> tuple[list[Alarm], int]:
    """Judge the server's keyring; (alarms, generation waiting for its passphrase or 0)."""
    from counsel.vault.keys import Keyring

    if team_copy(vault):
        return [], 0
    offered = transport.keyring(vault.vault_id)
    verdict = vault.offer_keyring(offered)
    alarms: list[Alarm] = []
    sent = int(vault.trust.state(SENT) or -1)
    if verdict is Verdict.BEHIND:
        server = Keyring.from_json(offered).generation
        if server < sent:
            alarms.append(rollback_alarm(server, sent))
        upload(vault, transport)
    elif verdict in (Verdict.SAME, Verdict.ADOPTED) and sent < vault.key_generation:
        mark_sent(vault)  # the server has shown this generation: going back is a rollback
    elif verdict is Verdict.FOREIGN:
        alarms.append(forged_alarm())
    elif verdict is Verdict.DIVERGED:
        # ours goes up again, so the device holding the other keys is told too: a
        # lagging device can be offered a rotation made with old keys (a stolen copy and
        # its old passphrase) that it cannot tell from a real one; both must hear of it
        alarms.append(diverged_alarm(vault.key_generation))
        upload(vault, transport)
    return alarms, vault.pending_generation
