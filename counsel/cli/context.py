"""What a command handler gets: the vault path and a way to unlock it."""

from __future__ import annotations

import argparse
import getpass
import os
from pathlib import Path
from typing import TYPE_CHECKING

from counsel.errors import KnownError
from counsel.i18n import gettext as _

if TYPE_CHECKING:
    from counsel.vault.service import Vault


class Context:
    """What a command handler needs: the vault path and a way to unlock it."""

    def __init__(self, args: argparse.Namespace) -> None:
        self.args = args
        self._vault: Vault | None = None

    @property
    def vault_path(self) -> Path:
        if self.args.vault:
            return Path(self.args.vault).expanduser()
        from counsel.paths import default_vault_path

        return default_vault_path()

    def passphrase(self, prompt: str | None = None, *, confirm: bool = False) -> str:
        env = os.environ.get("COUNSEL_PASSPHRASE")
        if env is not None:
            return env
        first = getpass.getpass(prompt or _("Passphrase: "))
        if confirm and getpass.getpass(_("Repeat the passphrase: ")) != first:
            raise KnownError(_("The passphrases do not match."))
        return first

    def open_vault(self) -> Vault:
        if self._vault is None:
            from counsel.vault.service import Vault

            self._vault = Vault.unlock(self.vault_path, self.passphrase())
        return self._vault

    def adopt(self, vault: Vault) -> Vault:
        """Use a vault a command opened itself (created, recovered, joined): later calls to
        :meth:`open_vault` return it, and :meth:`close` locks it when the command ends."""
        if self._vault is not None and self._vault is not vault:
            self._vault.lock()
        self._vault = vault
        return vault

    def close(self) -> None:
        if self._vault is not None:
            self._vault.lock()
            self._vault = None
