"""Opening this computer's team copies at unlock without another passphrase derivation.

A team copy has a keyring of its own under the personal vault's passphrase (Argon2id with
the copy's salt, ~0.2 s each).  Once a copy has been opened, the key that passphrase
derived for it (its KEK) is kept in the personal vault's local secrets: sealed under a
subkey of the personal vault's generation-0 key, bound to the personal vault and the team
(associated data), in the personal vault's local ``sync_state``.  At the next unlock the
personal vault (already open: its one derivation) unseals it and the copy opens with it.

- Nothing is weaker: the sealed KEK opens only with the personal vault's key, which only
  the passphrase (or recovery) opens; the copy's own file is unchanged.
- A passphrase change or a key rotation of the personal vault keeps generation 0, so the
  kept keys still open.
- Old installs: a copy without a kept key is opened with the passphrase once and its key
  kept from then on.
- ``counsel passwd`` keeps every copy's key before the change, then re-wraps each copy's
  own keyring under the new passphrase (:func:`follow_passphrase`; no rotation: a team's
  key versions come from grants), so the old passphrase no longer opens the copies.
- A kept key that does not open (swapped, damaged, the copy replaced) falls back to the
  passphrase, which must then open the copy itself.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from counsel.errors import IntegrityError, VaultError, WrongPassphrase
from counsel.vault import envelope

if TYPE_CHECKING:
    from counsel.vault.service import Vault

PURPOSE = "team-copy-key"


def _state(team_id: str) -> str:
    return f"team.copy_key.{team_id}"


def _aad(personal: Vault, team_id: str) -> bytes:
    return envelope.aad(PURPOSE, personal.vault_id, team_id)


def keep(personal: Vault, copy: Vault) -> None:
    """Keep ``copy``'s key sealed in the personal vault (next unlock: no derivation)."""
    sealed = personal.local.seal(PURPOSE, copy.local.passphrase_key(),
                                 _aad(personal, copy.vault_id))
    personal.sync_port.set_states({_state(copy.vault_id): sealed.hex()})


def forget(personal: Vault, team_id: str) -> None:
    personal.sync_port.delete_states([_state(team_id)])


def _kept(personal: Vault, team_id: str) -> bytes | None:
    raw = personal.sync_port.state(_state(team_id))
    if not raw:
        return None
    try:
        return personal.local.open(PURPOSE, bytes.fromhex(raw), _aad(personal, team_id))
    except (IntegrityError, ValueError):
        return None


def open_copy(personal: Vault, path: Path, passphrase: str) -> Vault:
    """The team copy at ``path`` (``teams/<team id>.vault``): with the kept key if it
    opens, else with ``passphrase`` (one derivation; the key is kept from then on)."""
    from counsel.vault import keyring
    from counsel.vault.service import Vault

    team_id = Path(path).stem
    kek = _kept(personal, team_id)
    if kek is not None:
        try:
            copy = Vault.open(keyring.unlock_with_key(Path(path), kek))
        except (WrongPassphrase, VaultError):
            copy = None  # not this copy's key any more: the passphrase decides
        if copy is not None:
            if copy.vault_id == team_id:
                return copy
            copy.lock()
    copy = Vault.unlock(path, passphrase)
    if copy.vault_id == team_id:
        keep(personal, copy)
    return copy


def keep_all(personal: Vault, paths: list[Path], passphrase: str) -> None:
    """Keep the key of every copy that opens with ``passphrase`` (before it changes)."""
    for path in paths:
        try:
            open_copy(personal, path, passphrase).lock()
        except (WrongPassphrase, VaultError):
            continue


def follow_passphrase(personal: Vault, paths: list[Path], passphrase: str) -> None:
    """After the personal vault's passphrase changed: each copy that opens with its kept
    key is re-wrapped under ``passphrase`` and its new key kept."""
    from counsel.vault import keyring
    from counsel.vault.service import Vault

    for path in paths:
        kek = _kept(personal, Path(path).stem)
        if kek is None:
            continue
        try:
            copy = Vault.open(keyring.unlock_with_key(Path(path), kek))
        except (WrongPassphrase, VaultError):
            continue
        try:
            copy.local.rewrap_passphrase(passphrase)
            keep(personal, copy)
        finally:
            copy.lock()


def after_new_passphrase(personal: Vault, passphrase: str) -> None:
    """The personal vault got a new passphrase (``counsel passwd``, or a recovery with the
    printed code: the copies then keep opening — the forgotten passphrase is not needed)."""
    from counsel.teams.vaultset import copy_paths

    follow_passphrase(personal, copy_paths(personal), passphrase)
