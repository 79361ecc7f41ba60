"""Local secrets: small values that never leave this device (the sync token and the like).

Sealed as envelopes under a subkey of the vault key for their purpose, so they are
unreadable while the vault is locked.  The caller keeps the sealed bytes where it likes.

Releases before the vault split wrote ``nonce | ciphertext`` without the envelope's
version byte; :meth:`LocalSecrets.open` still reads that, and :meth:`upgrade` rewrites it.
"""

from __future__ import annotations

from counsel.errors import IntegrityError
from counsel.i18n import gettext as _
from counsel.vault import envelope
from counsel.vault.keyring import UnlockedKeys


class LocalSecrets:
    def __init__(self, keys: UnlockedKeys) -> None:
        self._keys = keys

    def seal(self, purpose: str, data: bytes, associated: bytes = b"") -> bytes:
        return envelope.seal(self._keys.subkey(purpose), data, associated)

    def _open(self, purpose: str, sealed: bytes, associated: bytes) -> tuple[bytes, bool]:
        """The secret, and whether it was in the old layout (no version byte)."""
        key = self._keys.subkey(purpose)
        try:
            return envelope.open_(key, sealed, associated), False
        except IntegrityError:
            pass
        try:  # the old layout is an envelope without its version byte
            return envelope.open_(key, bytes([envelope.VERSION]) + sealed, associated), True
        except IntegrityError:
            raise IntegrityError(_("A local secret failed its integrity check.")) from None

    def open(self, purpose: str, sealed: bytes, associated: bytes = b"") -> bytes:
        return self._open(purpose, sealed, associated)[0]

    def passphrase_key(self) -> bytes:
        """The key this file's passphrase derived (Argon2id): kept sealed by the personal
        vault, it opens a team copy without a second derivation (counsel.teams.copykeys;
        ``keyring.unlock_with_key``)."""
        return self._keys.passphrase_key()

    def rewrap_passphrase(self, passphrase: str) -> None:
        """A team copy follows the personal vault's new passphrase (its keyring is local to
        this device: no rotation, nothing to tell the server).  Not for a personal vault:
        its passphrase changes with ``Vault.change_passphrase`` (which rotates)."""
        self._keys.rewrap_passphrase(passphrase)

    def upgrade(self, purpose: str, sealed: bytes, associated: bytes = b"") -> bytes | None:
        """The secret sealed in the current layout if ``sealed`` is in the old one, else None."""
        data, old = self._open(purpose, sealed, associated)
        return self.seal(purpose, data, associated) if old else None
