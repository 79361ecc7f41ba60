"""Setting a device up for sync: enrol the first one, sign in or join on the others.

* First device of an account: the one-time enrolment secret from the administrator
  buys a device token; at the same time the device registers a login key derived
  from the vault passphrase (``credentials.login_key``) and uploads the vault's
  keyring (everything in it is wrapped).
* Another device with an existing local vault: signs in with account + passphrase.
* A new laptop with no vault (``join``): signs in with account + passphrase, fetches
  the keyring, unwraps the master key locally with the passphrase, creates the local
  vault and downloads the history with progress.
"""

from __future__ import annotations

import platform
from pathlib import Path
from typing import TYPE_CHECKING

from counsel.errors import KnownError
from counsel.i18n import N_
from counsel.i18n import gettext as _
from counsel.sync import credentials, keysync
from counsel.sync.client import ProgressFn, SyncClient
from counsel.sync.transport import SyncError, Transport
from counsel.vault import kdf

if TYPE_CHECKING:
    from counsel.vault.service import Vault


def device_name() -> str:
    return (platform.node() or "device")[:200]


def _vault_kdf(vault: Vault) -> kdf.KdfParams:
    return kdf.KdfParams.from_json(vault.export_keyring()["kdf"])


def _login_payload(passphrase: str, like: kdf.KdfParams) -> dict[str, object]:
    params = credentials.new_login_params(like)
    return {"salt": params.salt.hex(), "params": params.to_json(),
            "login_key": credentials.login_key(passphrase, params)}


def _login(transport: Transport, account: str, passphrase: str, name: str,
           like: kdf.KdfParams | None = None) -> tuple[str, str]:
    """Sign in with a login key derived under the server's (public) login parameters.

    The parameters are checked against the KDF floor — and against this vault's own
    settings when there is a vault — *before* anything is derived or sent: a server
    that asks for cheap settings gets a ``WeakKdf`` refusal, not a crackable login key.
    """
    info = transport.login_params(account)
    try:
        params = kdf.KdfParams.from_json(info["params"], at_least=like)
    except kdf.WeakKdf:
        raise
    except (KeyError, TypeError, KnownError):
        raise SyncError(_("The sync server sent a reply Counsel does not understand."),
                        code="garbage") from None
    return transport.login(account, credentials.login_key(passphrase, params), name)


def connect(vault: Vault, url: str, account: str, passphrase: str, *,
            enrol_secret: str | None = None, name: str | None = None) -> credentials.Credentials:
    """Sign this vault's device in (enrolling with the secret when given) and register the
    vault on the server if it is not there yet."""
    name = name or device_name()
    with Transport(url) as transport:
        if enrol_secret:
            # the enrolment secret also registers the vault: a signed-in device cannot
            # claim a vault id (docs/sync.md, "What the server can and cannot do")
            device_id, token = transport.enrol(
                account, enrol_secret, name, _login_payload(passphrase, _vault_kdf(vault)),
                vault=(vault.vault_id, vault.export_keyring()))
        else:
            device_id, token = _login(transport, account, passphrase, name, _vault_kdf(vault))
        transport.token = token
        if vault.vault_id not in transport.vaults():
            raise SyncError(
                _("This vault is not on the sync server yet; registering it needs an "
                  "enrolment secret."), code="not_registered",
                help_text=N_("Ask your administrator for an enrolment secret (counsel-server "
                             "enrol-secret ACCOUNT) and sync again with it."))
    creds = credentials.Credentials(transport.url, account, token, device_id)
    credentials.save(vault, creds)
    return creds


def update_login(vault: Vault, new_passphrase: str) -> None:
    """After ``vault.change_passphrase``: upload the re-wrapped keyring and a new login key,
    so new devices join with the new passphrase.

    Call it right after the change (the UI can retry it later; until then new devices
    still join with the old passphrase; devices already signed in are not affected).
    """
    creds = credentials.load(vault)
    if creds is None:
        return
    with Transport(creds.url, creds.token) as transport:
        keysync.upload(vault, transport)
        transport.set_login(_login_payload(new_passphrase, _vault_kdf(vault)))


def upload_keyring(vault: Vault) -> bool:
    """Put this vault's current keyring on the sync server (after a new recovery code or a
    key rotation); False when not signed in or offline (the next call retries)."""
    from counsel.errors import OfflineError

    creds = credentials.load(vault)
    if creds is None:
        return False
    try:
        with Transport(creds.url, creds.token) as transport:
            keysync.upload(vault, transport)
    except (OfflineError, SyncError):
        return False
    return True


def replace_recovery_code(vault: Vault) -> tuple[str, bool]:
    """A new recovery code (the old one stops working) and whether the sync server has the
    new keyring already: a device that joins later must not be recoverable with the old
    code either."""
    from counsel.org.recovery import refresh_escrow

    code = vault.new_recovery_code()
    refresh_escrow(vault)  # the rotation made a new master key
    return code, upload_keyring(vault)


def join(path: Path, url: str, account: str, passphrase: str, *,
         enrol_secret: str | None = None, vault_id: str | None = None,
         name: str | None = None, progress: ProgressFn | None = None) -> Vault:
    """Create a local copy of the account's vault on a new device and download it."""
    from counsel.vault.service import Vault

    name = name or device_name()
    with Transport(url) as transport:
        if enrol_secret:
            device_id, token = transport.enrol(account, enrol_secret, name, None)
        else:
            device_id, token = _login(transport, account, passphrase, name)
        transport.token = token
        ids = transport.vaults()
        if vault_id is None:
            if len(ids) != 1:
                raise SyncError(
                    _("This account has {n} vaults on the server; say which one to join.")
                    .format(n=len(ids)) if ids else
                    _("This account has no vault on the server yet."), code="which_vault")
            vault_id = ids[0]
        elif vault_id not in ids:
            raise SyncError(_("The sync server has no such vault for this account."),
                            code="no_vault")
        ring = transport.keyring(vault_id)
    vault = Vault.join(Path(path), ring, passphrase)
    try:
        credentials.save(vault, credentials.Credentials(transport.url, account, token, device_id))
        client = SyncClient.from_vault(vault, progress=progress)
        try:
            client.sync()
        finally:
            client.close()
    except BaseException:
        # The local copy is signed in and resumable: a later `sync` continues the download.
        vault.lock()
        raise
    return vault
