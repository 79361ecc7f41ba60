"""What a command handler gets: the vault path and a way to unlock it."""

from __future__ import annotations

import argparse
import getpass
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from counsel.errors import KnownError
from counsel.i18n import gettext as _

if TYPE_CHECKING:
    from counsel.teams.vaultset import VaultSet
    from counsel.vault.service import Vault


class Context:
    """What a command handler needs: the vault path and a way to unlock it."""

    def __init__(self, args: argparse.Namespace) -> None:
        self.args = args
        self._vault: Vault | None = None
        self._vaults: VaultSet | None = None

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

    def open_vaults(self) -> VaultSet:
        """The personal vault and this computer's team copies (same passphrase, asked
        once); the copies are locked by :meth:`close`."""
        if self._vaults is None:
            from counsel.teams.vaultset import VaultSet
            from counsel.vault.service import Vault

            phrase = self.passphrase()
            if self._vault is None:
                self._vault = Vault.unlock(self.vault_path, phrase)
            self._vaults = VaultSet.open(self._vault, phrase)
            for problem in self._vaults.problems:
                print(problem, file=sys.stderr)
        return self._vaults

    def adopt(self, vault: Vault) -> Vault:
        """Use a vault a command opened itself (created, recovered, joined): later calls to
        :meth:`open_vault` return it, and :meth:`close` locks it when the command ends."""
        if self._vault is not None and self._vault is not vault:
            self._vault.lock()
        self._vault = vault
        return vault

    def close(self) -> None:
        if self._vaults is not None:
            self._vaults.lock()
            self._vaults = None
        if self._vault is not None:
            self._vault.lock()
            self._vault = None
