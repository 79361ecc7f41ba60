"""Issue 15: a server substituting a colleague's public key is caught by the safety code."""

from __future__ import annotations

from typing import Any

from counsel.teams.identity import Identity, PublicIdentity
from counsel.teams.safety import (
    CHANGED,
    UNVERIFIED,
    VERIFIED,
    Verifications,
    safety_code,
    same_code,
)

maria, jonas, mallory = Identity.new("maria"), Identity.new("jonas"), Identity.new("jonas")


def test_both_sides_compute_the_same_grouped_code() -> None:
    code = safety_code(maria.public(), jonas.public())
    assert code == safety_code(jonas.public(), maria.public())
    groups = code.split(" ")
    assert len(groups) == 6 and all(len(g) == 3 and g.isdigit() for g in groups)
    assert same_code(code.replace(" ", "-"), code) and not same_code("1" * 18, code)


def test_a_substituted_key_makes_the_codes_differ() -> None:
    # the server tells maria that jonas's key is mallory's (same account name)
    seen_by_maria = safety_code(maria.public(), mallory.public())
    seen_by_jonas = safety_code(jonas.public(), maria.public())
    assert seen_by_maria != seen_by_jonas
    # only the signing key swapped
    half = PublicIdentity("jonas", jonas.public().enc_public, mallory.public().sign_public)
    assert safety_code(maria.public(), half) != seen_by_jonas


class _Settings:
    def __init__(self) -> None:
        self.data: dict[str, Any] = {}

    def get(self, key: str, default: Any = None) -> Any:
        return self.data.get(key, default)

    def set(self, key: str, value: Any) -> None:
        self.data[key] = value


def test_verification_state_turns_changed_when_the_key_changes() -> None:
    v = Verifications(_Settings())
    assert v.state(jonas.public()) == UNVERIFIED
    v.mark(jonas.public())
    assert v.state(jonas.public()) == VERIFIED and v.is_verified(jonas.public())
    assert v.state(mallory.public()) == CHANGED
