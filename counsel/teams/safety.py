"""Safety codes: a short number two colleagues compare in person or by phone.

The code is derived from BOTH parties' public keys (sorted, so both sides compute the same
one): 60 bits of SHA-256, shown as 18 digits in six groups of three.  A server that hands
one of them a substituted key makes the two codes differ.  Which keys were compared is
kept sealed in the personal vault (a synced ``Setting``), so a later key change shows as
"changed", not as "verified".
"""

from __future__ import annotations

import hashlib
from typing import Any, Protocol

from counsel.teams.identity import PublicIdentity

BITS = 60
DIGITS = 18
SETTING = "teams.verified"

VERIFIED, UNVERIFIED, CHANGED = "verified", "unverified", "changed"


def safety_code(a: PublicIdentity, b: PublicIdentity) -> str:
    first, second = sorted((a.encoding(), b.encoding()))
    digest = hashlib.sha256(b"counsel safety code v1|" + first + b"|" + second).digest()
    number = int.from_bytes(digest[:8], "big") >> (64 - BITS)
    text = f"{number % 10**DIGITS:0{DIGITS}d}"
    return " ".join(text[i : i + 3] for i in range(0, DIGITS, 3))


def same_code(typed: str, code: str) -> bool:
    """Whether what a person typed is ``code`` (spaces and dashes ignored)."""
    return "".join(ch for ch in typed if ch.isdigit()) == code.replace(" ", "")


class SettingsLike(Protocol):
    def get(self, key: str, default: Any = None) -> Any: ...

    def set(self, key: str, value: Any) -> None: ...


class Verifications:
    """Which colleagues' keys this account compared codes for (account → fingerprint)."""

    def __init__(self, settings: SettingsLike) -> None:
        self._settings = settings

    def _all(self) -> dict[str, str]:
        value = self._settings.get(SETTING, {})
        return {str(k): str(v) for k, v in value.items()} if isinstance(value, dict) else {}

    def mark(self, colleague: PublicIdentity) -> None:
        known = self._all()
        known[colleague.account] = colleague.fingerprint()
        self._settings.set(SETTING, known)

    def state(self, colleague: PublicIdentity) -> str:
        seen = self._all().get(colleague.account)
        if seen is None:
            return UNVERIFIED
        return VERIFIED if seen == colleague.fingerprint() else CHANGED

    def is_verified(self, colleague: PublicIdentity) -> bool:
        return self.state(colleague) == VERIFIED
