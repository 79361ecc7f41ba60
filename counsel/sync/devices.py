"""This account's devices as the sync server knows them: list, rename, revoke.

Used by ``counsel devices`` and the Team page.  Revoking seals a notice for the revoked
device (``counsel.sync.revocation``), so it can tell a real revocation from a lie.
"""

from __future__ import annotations

import dataclasses
from typing import TYPE_CHECKING, Any

from counsel.i18n import gettext as _
from counsel.sync import credentials, revocation
from counsel.sync.transport import NotSignedIn, SyncError, Transport

if TYPE_CHECKING:
    from counsel.vault.service import Vault

MIN_PREFIX = 4


@dataclasses.dataclass(frozen=True)
class Device:
    device_id: str
    name: str
    added: float
    last_seen: float | None
    revoked: float | None
    this: bool  # the device asking


def _float(value: Any) -> float | None:
    return float(value) if isinstance(value, int | float) else None


class Devices:
    """This account's devices through the server this vault is signed in to."""

    def __init__(self, vault: Vault, transport: Transport | None = None) -> None:
        creds = credentials.load(vault)
        if creds is None:
            raise NotSignedIn(_("This vault is not set up for sync yet."), code="not_set_up")
        self.vault = vault
        self.creds = creds
        self.transport = transport or Transport(creds.url, creds.token)

    def close(self) -> None:
        self.transport.close()

    def __enter__(self) -> Devices:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def list(self) -> list[Device]:
        out = []
        for row in self.transport.devices():
            if not isinstance(row, dict) or not isinstance(row.get("device_id"), str):
                continue
            out.append(Device(row["device_id"], str(row.get("name") or ""),
                              _float(row.get("created")) or 0.0, _float(row.get("last_seen")),
                              _float(row.get("revoked")),
                              row["device_id"] == self.creds.device_id))
        return out

    def find(self, selector: str, *, active_only: bool = True) -> Device:
        """The one device ``selector`` names: its id, a unique id prefix (4+ characters)
        or a name only one device has; else a clear error listing the candidates."""
        every = [d for d in self.list() if not (active_only and d.revoked is not None)]
        exact = [d for d in every if d.device_id == selector]
        if exact:
            return exact[0]
        found = {d.device_id: d for d in every
                 if (len(selector) >= MIN_PREFIX and d.device_id.startswith(selector))
                 or d.name == selector}
        if len(found) == 1:
            return next(iter(found.values()))
        if not found:
            raise SyncError(_("No device of this account matches {selector}.").format(
                selector=selector), code="no_device")
        raise SyncError(_("{n} devices match {selector}: {names}. Nothing was changed; give "
                          "more of the device id.").format(
            n=len(found), selector=selector,
            names=", ".join(f"{d.device_id[:12]} ({d.name})" for d in found.values())),
            code="ambiguous")

    def rename(self, selector: str, name: str) -> Device:
        device = self.find(selector, active_only=False)
        self.transport.rename_device(device.device_id, name)
        return dataclasses.replace(device, name=name)

    def revoke(self, selector: str) -> Device:
        device = self.find(selector)
        if device.this:
            raise SyncError(_("This is the computer you are using; to stop syncing here, "
                              "sign out instead (counsel sync --sign-out)."), code="this_device")
        revocation.revoke(self.vault, self.transport, self.creds.account, device.device_id)
        return device
