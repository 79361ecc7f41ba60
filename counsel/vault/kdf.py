"""Passphrase → key-encryption key with Argon2id (parameters stored beside the salt).

**A floor on the cost** (issue 11): KDF settings that come from anywhere — the vault
file's keyring, the sync server's login parameters or keyring — are checked against
``FLOOR`` (Argon2id, at least 64 MiB and 3 passes) *before* anything is derived or
sent.  A server that asks for 8 KiB and one pass would otherwise receive a login key
it could guess passphrases against thousands of times a second.  Settings below the
floor raise :class:`WeakKdf` (a ``KnownError``: a clear message and, in the CLI, a
non-zero exit).

Test suites and benchmarks that create vaults with ``KdfParams.fast_for_tests()`` say
so by that very call: it lowers the floor *in that process* to the fast settings
(1 MiB, one pass), never further, so even there the 8 KiB downgrade is refused.
Nothing a server or a file sends can lower the floor.
"""

from __future__ import annotations

import dataclasses
import os
import unicodedata
from typing import Any

from counsel.errors import KnownError, VaultError
from counsel.i18n import N_
from counsel.i18n import gettext as _

KEY_LEN = 32


class WeakKdf(KnownError):
    """Key-derivation settings below the floor: refused before deriving or sending anything."""

    help_text = N_(
        "Nothing was derived or sent. A sync server or file that asks for weaker settings "
        "may be trying to capture your passphrase: do not retry, and tell your IT support."
    )


@dataclasses.dataclass(frozen=True)
class Floor:
    memory_kib: int
    iterations: int
    lanes: int = 1


#: the production floor: the vault's own defaults
FLOOR = Floor(memory_kib=64 * 1024, iterations=3)
#: what ``fast_for_tests()`` lowers the floor to in a test or benchmark process
TEST_FLOOR = Floor(memory_kib=1024, iterations=1)
_floor = FLOOR


def current_floor() -> Floor:
    return _floor


def allow_fast_for_tests() -> None:
    """Lower the floor to ``TEST_FLOOR`` in this process (test suites and benchmarks only)."""
    global _floor
    _floor = TEST_FLOOR


def restore_floor() -> None:
    global _floor
    _floor = FLOOR


@dataclasses.dataclass(frozen=True)
class KdfParams:
    salt: bytes
    memory_kib: int = 64 * 1024
    iterations: int = 3
    lanes: int = 4
    algorithm: str = "argon2id"

    @classmethod
    def new(cls, *, memory_kib: int = 64 * 1024, iterations: int = 3, lanes: int = 4) -> KdfParams:
        return cls(salt=os.urandom(16), memory_kib=memory_kib, iterations=iterations, lanes=lanes)

    @classmethod
    def fast_for_tests(cls) -> KdfParams:
        """Cheap parameters: only for test suites and benchmarks that say so.

        Calling it lowers this process's floor to ``TEST_FLOOR`` (see the module doc)."""
        allow_fast_for_tests()
        return cls.new(memory_kib=1024, iterations=1, lanes=1)

    def check_floor(self, at_least: KdfParams | None = None) -> KdfParams:
        """Refuse settings weaker than the floor (or than ``at_least``, e.g. the vault's own)."""
        floor = current_floor()
        memory, passes = floor.memory_kib, floor.iterations
        if at_least is not None:
            memory, passes = max(memory, at_least.memory_kib), max(passes, at_least.iterations)
        if (
            self.algorithm != "argon2id"
            or self.memory_kib < memory
            or self.iterations < passes
            or self.lanes < floor.lanes
        ):
            raise WeakKdf(
                _(
                    "Refusing key settings weaker than Counsel allows: {got} where at least "
                    "Argon2id with {mib} MiB and {t} passes is required."
                ).format(
                    got=f"{self.algorithm} {_size(self.memory_kib)} × {self.iterations}",
                    mib=memory // 1024,
                    t=passes,
                )
            )
        return self

    def to_json(self) -> dict[str, Any]:
        return {
            "alg": self.algorithm,
            "salt": self.salt.hex(),
            "m": self.memory_kib,
            "t": self.iterations,
            "p": self.lanes,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any], *, at_least: KdfParams | None = None) -> KdfParams:
        """Parse stored or received settings; below the floor → :class:`WeakKdf`."""
        try:
            params = cls(
                salt=bytes.fromhex(data["salt"]),
                memory_kib=int(data["m"]),
                iterations=int(data["t"]),
                lanes=int(data["p"]),
                algorithm=data["alg"],
            )
        except (KeyError, TypeError, ValueError) as exc:
            raise VaultError(_("The vault's key parameters are damaged.")) from exc
        if (
            params.algorithm != "argon2id"
            or not (8 <= params.memory_kib <= 4 * 1024 * 1024)
            or not (
                1 <= params.iterations <= 64 and 1 <= params.lanes <= 64 and len(params.salt) >= 16
            )
        ):
            raise VaultError(_("The vault's key parameters are not supported."))
        return params.check_floor(at_least)


def _size(kib: int) -> str:
    return f"{kib // 1024} MiB" if kib >= 1024 else f"{kib} KiB"


def normalize_passphrase(passphrase: str) -> bytes:
    """NFC so the same passphrase typed on another keyboard/OS derives the same key."""
    return unicodedata.normalize("NFC", passphrase).encode("utf-8")


def derive(passphrase: str, params: KdfParams) -> bytes:
    params.check_floor()  # last line of defence: nothing weak is ever derived
    from cryptography.hazmat.primitives.kdf.argon2 import Argon2id

    return Argon2id(
        salt=params.salt,
        length=KEY_LEN,
        iterations=params.iterations,
        lanes=params.lanes,
        memory_cost=params.memory_kib,
    ).derive(normalize_passphrase(passphrase))
