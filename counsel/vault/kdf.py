"""Passphrase → key-encryption key with Argon2id (parameters stored beside the salt)."""

from __future__ import annotations

import dataclasses
import os
import unicodedata
from typing import Any

from counsel.errors import VaultError
from counsel.i18n import gettext as _

KEY_LEN = 32


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
        """Cheap parameters: only for test suites and benchmarks that say so."""
        return cls.new(memory_kib=1024, iterations=1, lanes=1)

    def to_json(self) -> dict[str, Any]:
        return {
            "alg": self.algorithm,
            "salt": self.salt.hex(),
            "m": self.memory_kib,
            "t": self.iterations,
            "p": self.lanes,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> KdfParams:
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
        return params


def normalize_passphrase(passphrase: str) -> bytes:
    """NFC so the same passphrase typed on another keyboard/OS derives the same key."""
    return unicodedata.normalize("NFC", passphrase).encode("utf-8")


def derive(passphrase: str, params: KdfParams) -> bytes:
    from cryptography.hazmat.primitives.kdf.argon2 import Argon2id

    return Argon2id(
        salt=params.salt,
        length=KEY_LEN,
        iterations=params.iterations,
        lanes=params.lanes,
        memory_cost=params.memory_kib,
    ).derive(normalize_passphrase(passphrase))
