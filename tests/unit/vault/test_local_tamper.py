"""Issue 11, finding 7: rolling a vault file back by hand — a head pointed at an older
revision, the newest revision deleted, revisions relabelled with an erased key — shows as
damage in `check` (exit 3) and in the app, and the damage is remembered."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from rawsql import sql as _sql

from counsel.cli.main import main as cli_main
from counsel.domain import Client, Contact
from counsel.vault import integrity
from counsel.vault.kdf import KdfParams
from counsel.vault.service import Vault

PASS = "correct horse battery"


def _made(tmp_path: Path) -> Path:
    path = tmp_path / "v.vault"
    v, _ = Vault.create(path, PASS, kdf=KdfParams.fast_for_tests())
    v.save(Contact(id="contact1", name="First name"))
    v.save(v.get("contact1").replace(name="Second name"))  # type: ignore[attr-defined]
    v.save(Contact(id="contact2", name="Other"))
    gone = Client(name="Erased Person")
    v.save(gone)
    v.erase_client(gone.id)
    v.lock()
    return path


def _first_rev(path: Path, record: str) -> str:
    return str(_sql(path, "SELECT rev_id FROM revisions WHERE record_id=? ORDER BY local_seq",
                    (record,))[0][0])


def _check(path: Path, monkeypatch: pytest.MonkeyPatch,
           capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    monkeypatch.setenv("COUNSEL_PASSPHRASE", PASS)
    code = cli_main(["--vault", str(path), "check"])
    return code, capsys.readouterr().out


def test_head_pointed_back_is_damage(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                     capsys: pytest.CaptureFixture[str]) -> None:
    path = _made(tmp_path)
    _sql(path, "UPDATE heads SET rev_id=? WHERE record_id='contact1'",
         (_first_rev(path, "contact1"),))
    v = Vault.unlock(path, PASS)
    assert "contact1" in v.damaged()
    v.lock()
    code, out = _check(path, monkeypatch, capsys)
    assert code == 3 and "DAMAGED contact1: " in out and "(revision )" not in out


def test_newest_revision_deleted_is_damage(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                           capsys: pytest.CaptureFixture[str]) -> None:
    path = _made(tmp_path)
    newest = _sql(path, "SELECT rev_id FROM revisions WHERE record_id='contact1' "
                  "ORDER BY local_seq DESC LIMIT 1")[0][0]
    first = _first_rev(path, "contact1")
    _sql(path, "DELETE FROM revisions WHERE rev_id=?", (newest,))
    _sql(path, "DELETE FROM heads WHERE record_id='contact1'")
    _sql(path, "INSERT INTO heads(record_id, rev_id) VALUES ('contact1', ?)", (first,))
    v = Vault.unlock(path, PASS)
    assert v.damaged(), "a rollback of the newest change went unnoticed"
    v.lock()
    code, _out = _check(path, monkeypatch, capsys)
    assert code == 3


def test_relabelled_with_an_erased_key_is_damage(tmp_path: Path,
                                                 monkeypatch: pytest.MonkeyPatch,
                                                 capsys: pytest.CaptureFixture[str]) -> None:
    path = _made(tmp_path)
    erased = _sql(path, "SELECT key_id FROM erased")[0][0]
    _sql(path, "UPDATE revisions SET key_id=? WHERE record_id='contact2'", (erased,))
    v = Vault.unlock(path, PASS)
    assert "contact2" in v.damaged()
    v.lock()
    code, out = _check(path, monkeypatch, capsys)
    assert code == 3 and "contact2" in out


def test_damage_is_remembered_across_the_unlock_cache(tmp_path: Path,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    from counsel.vault import current

    monkeypatch.setattr(current, "SNAPSHOT_MIN_RECORDS", 1)
    path = _made(tmp_path)
    _sql(path, "UPDATE heads SET rev_id=? WHERE record_id='contact1'",
         (_first_rev(path, "contact1"),))
    v = Vault.unlock(path, PASS)
    assert "contact1" in v.damaged()
    v.lock()  # writes the unlock cache
    again = Vault.unlock(path, PASS)
    try:
        assert "contact1" in again.damaged()
    finally:
        again.lock()


def test_untouched_vault_has_no_damage(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                       capsys: pytest.CaptureFixture[str]) -> None:
    path = _made(tmp_path)
    v = Vault.unlock(path, PASS)
    assert v.damaged() == {}
    assert v.get("contact1").name == "Second name"  # type: ignore[attr-defined]
    v.lock()
    code, _ = _check(path, monkeypatch, capsys)
    assert code == 0


def _unkeyed_row_hash(record: str, rev: str) -> int:
    import hashlib

    return int.from_bytes(hashlib.sha256(f"{record}\0{rev}".encode()).digest()[:16], "big")


def _xor_dependency(vectors: dict[str, int], must: str) -> set[str]:
    """A set of keys, holding ``must``, whose vectors XOR to zero (Gaussian elimination over
    GF(2)^128): what an attacker computes against an unkeyed XOR set hash."""
    basis: dict[int, tuple[int, set[str]]] = {}  # pivot bit → (vector, the keys it combines)
    order = [must] + [k for k in vectors if k != must]
    for key in order:
        vec, combo = vectors[key], {key}
        while vec:
            top = vec.bit_length() - 1
            if top not in basis:
                basis[top] = (vec, combo)
                break
            other, other_combo = basis[top]
            vec ^= other
            combo = combo ^ other_combo
        else:
            if must in combo:
                return combo
    raise AssertionError("no dependency found")


def test_heads_rolled_back_in_a_set_the_attacker_computed_are_damage(tmp_path: Path) -> None:
    """The heads digest is an XOR of one hash per row.  Were that hash unkeyed, someone with
    the file could point a chosen record back AND pick ~128 other records to point back too
    so that every change cancels out (linear algebra over GF(2)): nothing would be found.
    Keyed under the vault key, the attacker cannot compute the row hashes."""
    path = tmp_path / "v.vault"
    v, _ = Vault.create(path, PASS, kdf=KdfParams.fast_for_tests())
    ids = [f"contact{i:04d}" for i in range(200)]
    v.save_many([Contact(id=i, name=f"First {i}") for i in ids])
    v.save_many([Contact(id=i, name=f"Second {i}") for i in ids])
    v.lock()
    heads = dict(_sql(path, "SELECT record_id, rev_id FROM heads"))
    older = {i: _first_rev(path, i) for i in ids}
    delta = {i: _unkeyed_row_hash(i, heads[i]) ^ _unkeyed_row_hash(i, older[i]) for i in ids}
    rolled = _xor_dependency(delta, "contact0007")
    assert "contact0007" in rolled and len(rolled) < len(ids)
    for record in rolled:
        _sql(path, "UPDATE heads SET rev_id=? WHERE record_id=?", (older[record], record))
    v = Vault.unlock(path, PASS)
    try:
        assert "contact0007" in v.damaged()
        assert v.get("contact0007").name == "Second contact0007"  # type: ignore[attr-defined]
    finally:
        v.lock()


@pytest.mark.parametrize("tampered", [False, True])
def test_a_state_sealed_by_the_previous_format_is_checked_then_sealed_anew(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, tampered: bool) -> None:
    """A vault whose sealed state hashed heads rows unkeyed (the release before) opens
    without false damage, still finds a head pointed back, and is sealed keyed after."""
    from counsel.vault import integrity

    real = integrity.Keeper.__init__

    def previous_release(self, st, vault_id, sealer, key):  # type: ignore[no-untyped-def]
        real(self, st, vault_id, sealer, None)

    monkeypatch.setattr(integrity.Keeper, "__init__", previous_release)
    path = _made(tmp_path)
    monkeypatch.setattr(integrity.Keeper, "__init__", real)
    if tampered:
        _sql(path, "UPDATE heads SET rev_id=? WHERE record_id='contact1'",
             (_first_rev(path, "contact1"),))
    v = Vault.unlock(path, PASS)
    try:
        assert ("contact1" in v.damaged()) is tampered
        assert v.get("contact1").name == "Second name"  # type: ignore[attr-defined]
    finally:
        v.lock()
    # sealed anew (keyed): a later unlock finds nothing new and keeps working
    v = Vault.unlock(path, PASS)
    try:
        assert ("contact1" in v.damaged()) is tampered
        v.save(Contact(id="contact3", name="After"))
    finally:
        v.lock()
    v = Vault.unlock(path, PASS)
    try:
        assert set(v.damaged()) == ({"contact1"} if tampered else set())
    finally:
        v.lock()


@settings(max_examples=60, deadline=None)
@given(rows=st.lists(st.binary(max_size=80), max_size=40, unique=True), keyed=st.booleans())
def test_heads_digest_equals_the_rows_hashed_one_by_one(rows, keyed):
    """The digest of the whole heads table at unlock (a hasher keyed once and copied)
    equals the XOR of the row hashes kept on every write (LocalState.apply)."""
    key = b"k" * 32 if keyed else None
    want = 0
    for raw in rows:
        want ^= integrity._row_hash(key, raw)
    assert integrity.heads_digest(key, [(raw,) for raw in rows]) == (want, len(rows))
    if keyed and rows:  # a digest under another key differs
        assert integrity.heads_digest(b"j" * 32, [(raw,) for raw in rows]) != (want, len(rows))
