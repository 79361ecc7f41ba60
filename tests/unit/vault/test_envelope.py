from __future__ import annotations

import os

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from counsel.errors import IntegrityError
from counsel.vault import envelope

ids = st.text(min_size=1, max_size=40)


@settings(max_examples=200)
@given(plain=st.binary(max_size=4096), vault=ids, record=ids, rev=ids, kind=ids)
def test_round_trip(plain: bytes, vault: str, record: str, rev: str, kind: str) -> None:
    key = os.urandom(32)
    aad = envelope.record_aad(vault, record, rev, kind)
    sealed = envelope.seal(key, plain, aad)
    assert envelope.open_(key, sealed, aad) == plain
    assert len(plain) < 16 or plain not in sealed  # short strings occur by chance


@settings(max_examples=100)
@given(
    plain=st.binary(min_size=1, max_size=512),
    a=st.tuples(ids, ids, ids, ids),
    b=st.tuples(ids, ids, ids, ids),
)
def test_envelope_bound_to_its_place(plain: bytes, a: tuple[str, ...], b: tuple[str, ...]) -> None:
    key = os.urandom(32)
    sealed = envelope.seal(key, plain, envelope.record_aad(*a))
    if a == b:
        assert envelope.open_(key, sealed, envelope.record_aad(*b)) == plain
    else:
        with pytest.raises(IntegrityError):
            envelope.open_(key, sealed, envelope.record_aad(*b))


@settings(max_examples=100)
@given(plain=st.binary(max_size=256), position=st.integers(min_value=0), bit=st.integers(0, 7))
def test_any_flipped_bit_is_detected(plain: bytes, position: int, bit: int) -> None:
    key = os.urandom(32)
    aad = envelope.record_aad("v", "r", "rev", "client")
    sealed = bytearray(envelope.seal(key, plain, aad))
    sealed[position % len(sealed)] ^= 1 << bit
    with pytest.raises(IntegrityError):
        envelope.open_(key, bytes(sealed), aad)


def test_aad_fields_cannot_be_shifted() -> None:
    assert envelope.aad("ab", "c") != envelope.aad("a", "bc")


def test_wrong_key_fails() -> None:
    aad = envelope.record_aad("v", "r", "rev", "client")
    sealed = envelope.seal(os.urandom(32), b"secret", aad)
    with pytest.raises(IntegrityError):
        envelope.open_(os.urandom(32), sealed, aad)
