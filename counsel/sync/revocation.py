"""Revoking a device, and what a device does when the server says it was revoked.

The server alone cannot make a device wipe itself: a server that lies "you are revoked,
wipe" would destroy unsynced work.  So the device that revokes another seals a **notice**
with the vault's sealer (``vault.trust.seal_statement``: a key only the account's
devices hold), bound to the account and the revoked device's id; the server relays it.

A device told it was revoked (``DeviceRevoked``):

* no notice, or one that does not open → **forged**: nothing is wiped or forgotten, an
  alarm is kept and shown ("the server may be compromised");
* a genuine notice → the sign-in is forgotten, and the organisation policy pinned in the
  vault (``counsel.org.policy``: sealed, synced) decides: ``never`` keeps the vault;
  ``if_synced`` wipes only when no local change is unsynced (else keeps it and says so);
  ``always`` wipes anyway.  Wiping removes the vault file, its WAL, unlock cache and
  migration copies (drafts live inside the vault), plus the files the caller names
  (the app's preferences).
"""

from __future__ import annotations

import dataclasses
import json
import time
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING

from counsel.errors import IntegrityError, KnownError
from counsel.i18n import N_
from counsel.i18n import gettext as _
from counsel.sync import credentials
from counsel.vault.history import Alarm

if TYPE_CHECKING:
    from counsel.sync.transport import DeviceRevoked, Transport
    from counsel.vault.service import Vault

PURPOSE = "device-revocation"


def seal_notice(vault: Vault, account: str, device_id: str) -> bytes:
    body = {"device_id": device_id, "account": account, "at": time.time(),
            "by": vault.device_id}
    return vault.trust.seal_statement(PURPOSE, (account, device_id), json.dumps(body).encode())


def notice_is_authentic(vault: Vault, account: str, device_id: str,
                        sealed: bytes | None) -> bool:
    if not sealed:
        return False
    try:
        body = json.loads(vault.trust.open_statement(PURPOSE, (account, device_id), sealed))
    except (IntegrityError, ValueError):
        return False
    return (isinstance(body, dict) and body.get("device_id") == device_id
            and body.get("account") == account)


def revoke(vault: Vault, transport: Transport, account: str, device_id: str) -> None:
    """Revoke one of this account's devices, with a notice it can check."""
    transport.revoke(device_id, seal_notice(vault, account, device_id))


@dataclasses.dataclass(frozen=True)
class Outcome:
    kind: str  # "forged", "kept", "unsynced", "wipe" (decided), "wiped" (done)
    message: str
    unsynced: int = 0
    removed: tuple[Path, ...] = ()


def forged_alarm() -> Alarm:
    return Alarm("forged_revocation", _(
        "The sync server said this computer was removed from your account, but none of "
        "your devices said so. Nothing was deleted."))


def decide(vault: Vault, exc: DeviceRevoked) -> Outcome:
    """Check the notice and the policy; forget the sign-in of a genuine revocation.
    Deletes nothing: kind ``"wipe"`` asks the caller to :func:`finish` (the app first
    closes the vault it shows)."""
    from counsel.org.policy import pinned

    creds = credentials.load(vault)
    if creds is None or not notice_is_authentic(vault, creds.account, creds.device_id,
                                                exc.notice):
        vault.trust.remember([forged_alarm()])
        return Outcome("forged", forged_alarm().message)
    unsynced = vault.sync_port.unsynced_count()
    policy = pinned(vault)
    choice = policy.wipe_on_revoke if policy is not None else "never"
    credentials.forget(vault)
    if choice == "never":
        return Outcome("kept", _("This computer was removed from your account. The vault "
                                 "stays here; it no longer syncs."), unsynced)
    if choice == "if_synced" and unsynced:
        return Outcome("unsynced", _(
            "This computer was removed from your account. Your organisation's policy is to "
            "delete the vault, but {n} changes here never reached the server, so it was "
            "kept. Give the vault file to your IT support.").format(n=unsynced), unsynced)
    return Outcome("wipe", _("This computer was removed from your account, and its vault "
                             "was deleted as your organisation's policy says."), unsynced)


def finish(vault: Vault, outcome: Outcome, also_wipe: Iterable[Path] = ()) -> Outcome:
    """Carry out a ``"wipe"`` decision (the vault is locked first); other kinds unchanged."""
    if outcome.kind != "wipe":
        return outcome
    removed = vault.wipe()
    for extra in also_wipe:
        if extra.is_file():
            extra.unlink()
            removed.append(extra)
    return dataclasses.replace(outcome, kind="wiped", removed=tuple(removed))


def handle(vault: Vault, exc: DeviceRevoked, *, also_wipe: Iterable[Path] = ()) -> Outcome:
    """Act on the server's "revoked" answer as described above."""
    return finish(vault, decide(vault, exc), also_wipe)


class Revoked(KnownError):
    """A sync ended because the server refused this device; ``outcome`` says what the
    checked notice and the policy decided (the app acts on it)."""

    help_text = N_("Ask your IT support if you did not expect this. Nothing on this computer "
                   "was deleted without your organisation's policy saying so.")

    def __init__(self, outcome: Outcome) -> None:
        super().__init__(outcome.message)
        self.outcome = outcome
