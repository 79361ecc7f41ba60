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


headers = st.builds(
    lambda rev, rec, parents, kind, key, dev, counter, prev: (rev, rec, parents, kind, key, dev,
                                                              counter, prev),
    ids, ids, st.lists(ids, max_size=3), ids, ids, ids, st.integers(0, 2**40), ids)


@settings(max_examples=200)
@given(header=headers, vault=ids, start=st.integers(0, 3))
def test_aad_after_a_constant_start_is_the_whole_aad(header: tuple, vault: str,
                                                     start: int) -> None:
    from counsel.vault import history
    from counsel.vault.revision import StoredRevision

    rev, rec, parents, kind, key, dev, counter, prev = header
    fields = ["record2", vault, rec, rev, kind, key, dev, str(counter), prev,
              str(len(parents)), *sorted(parents)]
    assert envelope.aad_after(envelope.aad(*fields[:start]), *fields[start:]) == \
        envelope.aad(*fields)
    stored = StoredRevision(rev_id=rev, record_id=rec, parents=tuple(parents), kind=kind,
                            key_id=key, device_id=dev, envelope=b"", counter=counter, prev=prev)
    assert envelope.aad(*fields) == history.record_aad(vault, stored)


def test_a_revision_row_opens_as_its_stored_revision(vault) -> None:  # type: ignore[no-untyped-def]
    """``RevisionCipher.open_row`` (the rebuild's helpers) opens exactly what ``open`` does,
    and a row whose header was changed fails as the revision would."""
    import dataclasses
    import json

    from counsel.domain import Client
    from counsel.vault.revision import COLUMNS

    client = Client(name="Rivi Testi")
    vault.save(client)
    vault.save(client.replace(name="Rivi Testi 2"))
    cipher, store = vault._cipher, vault.store
    head = store.heads(client.id)[0]
    row = store.conn.execute(f"SELECT {COLUMNS} FROM revisions WHERE rev_id=?",
                             (head.rev_id,)).fetchone()
    assert head.parents and json.loads(row[2])  # a revision with a parent
    assert cipher.open_row(row) == cipher.open(head)
    assert cipher.open_row(row)["name"] == "Rivi Testi 2"
    for i, field in ((5, "device_id"), (7, "counter"), (8, "prev"), (2, "parents")):
        changed = list(row)
        changed[i] = 7 if field == "counter" else '["x"]' if field == "parents" else "other"
        with pytest.raises(IntegrityError):
            cipher.open_row(changed)
        with pytest.raises(IntegrityError):
            cipher.open(dataclasses.replace(
                head, **{field: 7 if field == "counter" else ("x",) if field == "parents"
                         else "other"}))


class _NoInto:
    """A cipher of a cryptography release without ``decrypt_into``."""

    def __init__(self, key: object) -> None:
        from cryptography.hazmat.primitives.ciphers.aead import AESGCM

        self._real = AESGCM(key) if isinstance(key, bytes) else key

    def decrypt(self, nonce: bytes, data: memoryview, associated: bytes) -> bytes:
        return self._real.decrypt(nonce, bytes(data), associated)  # type: ignore[attr-defined, no-any-return]


@settings(max_examples=40, deadline=None)
@given(plain=st.binary(max_size=3000), flip=st.integers(min_value=0), into=st.booleans())
def test_open_into_is_open_written_in_place(plain: bytes, flip: int, into: bool) -> None:
    """What the unlock cache uses: the same plaintext as open_, straight into a buffer;
    a flipped bit or other associated data fail (the buffer is then not to be used)."""
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    key = os.urandom(32)
    sealed = envelope.seal(key, plain, b"here")
    out = bytearray(len(plain))
    with pytest.MonkeyPatch.context() as mp:
        if not into:
            mp.setattr(envelope, "_cipher", _NoInto)
        cipher = AESGCM(key)
        envelope.open_into(cipher, memoryview(sealed), b"here", memoryview(out))
        assert bytes(out) == envelope.open_(key, sealed, b"here") == plain
        with pytest.raises(IntegrityError):
            envelope.open_into(cipher, sealed, b"there", memoryview(out))
        bad = bytearray(sealed)
        bad[1 + flip % (len(bad) - 1)] ^= 1
        with pytest.raises(IntegrityError):
            envelope.open_into(cipher, bad, b"here", memoryview(out))
        with pytest.raises(IntegrityError):  # a buffer of another length is refused
            envelope.open_into(cipher, sealed, b"here", memoryview(bytearray(len(plain) + 1)))
