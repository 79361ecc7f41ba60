"""Where this device keeps its sync settings: the vault's ``sync_state`` table.

The server address and account are plain settings; the device token is a secret and
is sealed (AES-GCM) under a subkey of the vault key, so it is unreadable without the
passphrase — no plaintext secret on disk.

The login key: derived from the vault passphrase with Argon2id under its *own* random
salt, then HKDF with its own label.  It shares no derivation with the key that
unwraps the vault, so the server (which checks a hash of it) cannot decrypt anything;
it lets a second device sign in with account + passphrase.
"""

from __future__ import annotations

import base64
import dataclasses
from typing import TYPE_CHECKING

from counsel.errors import IntegrityError
from counsel.vault import envelope, kdf

if TYPE_CHECKING:
    from counsel.vault.service import Vault

URL, ACCOUNT, TOKEN, SERVER_DEVICE = "server_url", "account", "device_token", "server_device_id"


@dataclasses.dataclass(frozen=True)
class Credentials:
    url: str
    account: str
    token: str
    device_id: str


PURPOSE = "sync-credentials"


def _aad(vault: Vault) -> bytes:
    return envelope.aad("sync-token", vault.vault_id, vault.device_id)


def save(vault: Vault, creds: Credentials) -> None:
    sealed = vault.local.seal(PURPOSE, creds.token.encode(), _aad(vault))
    vault.sync_port.set_states({URL: creds.url, ACCOUNT: creds.account,
                                SERVER_DEVICE: creds.device_id, TOKEN: sealed.hex()})


def load(vault: Vault) -> Credentials | None:
    port = vault.sync_port
    url, account, sealed = port.state(URL), port.state(ACCOUNT), port.state(TOKEN)
    if not (url and account and sealed):
        return None
    raw = bytes.fromhex(sealed)
    try:
        token = vault.local.open(PURPOSE, raw, _aad(vault))
        upgraded = vault.local.upgrade(PURPOSE, raw, _aad(vault))
    except IntegrityError:
        return None
    if upgraded is not None:  # sealed by a release before envelopes were the one format
        port.set_states({TOKEN: upgraded.hex()})
    return Credentials(url, account, token.decode(), port.state(SERVER_DEVICE) or "")


def forget(vault: Vault) -> None:
    """Sign this device out locally (the caller warns first if work is unsynced)."""
    vault.sync_port.delete_states([TOKEN, SERVER_DEVICE])


def new_login_params(like: kdf.KdfParams | None = None) -> kdf.KdfParams:
    """Fresh salt; the same cost as the vault's own key derivation."""
    if like is None:
        return kdf.KdfParams.new()
    return kdf.KdfParams.new(memory_kib=like.memory_kib, iterations=like.iterations,
                             lanes=like.lanes)


def login_key(passphrase: str, params: kdf.KdfParams) -> str:
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.kdf.hkdf import HKDF

    stretched = kdf.derive(passphrase, params)
    key = HKDF(algorithm=hashes.SHA256(), length=32, salt=b"counsel login v1",
               info=b"server login key").derive(stretched)
    return base64.urlsafe_b64encode(key).decode().rstrip("=")
