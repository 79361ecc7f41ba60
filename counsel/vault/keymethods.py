"""The vault's key methods: passphrase, recovery code, key generations, escrow and the keys
other areas derive (identity, team grants).  A part of :class:`counsel.vault.service.Vault`
(its base class), kept apart so the front stays small; :func:`unlocked` guards every method
of both.
"""

from __future__ import annotations

import functools
import threading
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, Concatenate, ParamSpec, TypeVar

from counsel.vault import keyoffer
from counsel.vault.current import SNAPSHOT_KEY
from counsel.vault.keyring import Rotation, UnlockedKeys

if TYPE_CHECKING:
    from counsel.vault.current import Current
    from counsel.vault.store import Store

P = ParamSpec("P")
T = TypeVar("T")


class Guarded:
    """What :func:`unlocked` needs of the vault: its lock and its keys."""

    _lock: threading.RLock
    _keys: UnlockedKeys


G = TypeVar("G", bound=Guarded)


def unlocked(method: Callable[Concatenate[G, P], T]) -> Callable[Concatenate[G, P], T]:
    """Run under the vault's lock, refusing once the vault is locked."""

    def run(self: G, /, *args: P.args, **kwargs: P.kwargs) -> T:
        with self._lock:
            self._keys.require()
            return method(self, *args, **kwargs)

    functools.update_wrapper(run, method)
    return run


class KeyMethods(Guarded):
    store: Store
    _current: Current
    _issued_code: str | None

    @unlocked
    def identity_key(self) -> bytes:
        """The key the account's identity keys are sealed under (counsel.teams.identity):
        derived from the vault's base key, so every device of the account opens them and
        a key rotation does not lock them out."""
        return self._keys.subkey("account identity")

    @unlocked
    def team_key(self) -> bytes:
        """This vault's key, to grant it to a team member (counsel.teams.grants); only a
        team vault's key is ever granted."""
        return self._keys.require()

    @unlocked
    def escrow_master(self, seal: Callable[[bytes], bytes]) -> bytes:
        """The master key sealed by ``seal`` (to the organisation), kept in the file too.
        Every key rotation changes the master key: make the escrow again after one
        (``counsel.org.recovery.refresh_escrow``)."""
        return self._keys.escrow_master(seal)

    @unlocked
    def escrow_record(self) -> bytes | None:
        """The escrow kept in this file, if any."""
        return self._keys.escrow_record()

    def export_keyring(self) -> dict[str, Any]:
        """Everything another device needs besides the passphrase; all of it wrapped."""
        return self._keys.ring.to_json()

    def take_recovery_code(self) -> str | None:
        """The recovery code made when this vault was opened by ``recover`` (once)."""
        code, self._issued_code = self._issued_code, None
        return code

    # -- key generations (counsel.vault.generations) ------------------------------------
    @property
    def key_generation(self) -> int:
        """The newest key generation; new writes are sealed under it."""
        return self._keys.generation

    @unlocked
    def change_passphrase(self, old: str, new: str) -> str | None:
        """Change the passphrase and rotate the keys (an old copy of this file with the old
        passphrase cannot read what is written next).  Returns a new recovery code when
        the vault's keyring predates key generations (show it once), else None."""
        code = self._keys.change_passphrase(old, new).recovery_code
        self._rekey_caches()
        return code

    @unlocked
    def new_recovery_code(self) -> str:
        """Replace the recovery code and rotate the keys (the old printed one stops working,
        also with an old copy of this file)."""
        code = self._keys.new_recovery_code()
        self._rekey_caches()
        return code

    @unlocked
    def rotate_keys(self) -> Rotation:
        """A new key generation with the same passphrase (and recovery code, unless the
        keyring predates generations: then ``Rotation.recovery_code`` is a new one)."""
        done = self._keys.rotate()
        self._rekey_caches()
        return done

    @unlocked
    def generation_key(self, generation: int) -> bytes:
        """Vault key ``generation`` (to grant it to a team member, counsel.teams)."""
        return self._keys.vault_key(generation)

    @unlocked
    def adopt_generation(self, generation: int, key: bytes) -> None:
        """Install vault key ``generation`` received from elsewhere (a team grant) as the
        newest; new writes are sealed under it.  Only the next generation is taken."""
        self._keys.add_generation(generation, key)
        self._rekey_caches()

    @unlocked
    def offer_keyring(self, offered: dict[str, Any]) -> keyoffer.Verdict:
        """Judge the sync server's keyring (``counsel.vault.keyoffer``): a newer generation
        another device made is kept until its passphrase is typed here."""
        verdict = self._keys.offer(offered)
        if verdict is keyoffer.Verdict.ADOPTED:
            self._rekey_caches()
            self._current.refresh(list(self._current.waiting))
        return verdict

    @property
    def pending_generation(self) -> int:
        """The generation of a newer keyring waiting for its passphrase here (0: none)."""
        with self._lock:
            ring = self._keys.pending()
            return ring.generation if ring is not None else 0

    def _rekey_caches(self) -> None:
        """The unlock cache under the newest generation (an old copy's keys must not open
        a cache written after the rotation)."""
        key, sealed = self._keys.new_local_key(SNAPSHOT_KEY)
        self.store.set_meta({"snapshot_key": sealed})
        self._current.replace_snapshot_key(key)
