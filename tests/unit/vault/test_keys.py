from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from counsel.domain import Client
from counsel.errors import ValidationError, VaultExists, WrongPassphrase, WrongRecoveryCode
from counsel.vault import keys
from counsel.vault.kdf import KdfParams
from counsel.vault.service import Vault

PASS = "correct horse battery"  # as in conftest.py


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_wrong_passphrase_is_clear_and_changes_nothing(vault: Vault, vault_path: Path) -> None:
    vault.save(Client(name="Hodan Farah"))
    vault.lock()
    before = _digest(vault_path)
    with pytest.raises(WrongPassphrase) as err:
        Vault.unlock(vault_path, "not the passphrase")
    assert "passphrase" in str(err.value).lower() and err.value.help()
    assert _digest(vault_path) == before
    assert Vault.unlock(vault_path, PASS).count() == 1


def test_recovery_code_unlocks_and_sets_new_passphrase(vault_path: Path) -> None:
    v, code = Vault.create(vault_path, PASS, kdf=KdfParams.fast_for_tests())
    c = Client(name="Olena Shevchenko")
    v.save(c)
    v.lock()
    typed = code.lower().replace("-", " ").replace("O", "0")
    v2 = Vault.recover(vault_path, typed, "a brand new passphrase")
    assert v2.get(c.id) == c
    v2.lock()
    with pytest.raises(WrongPassphrase):
        Vault.unlock(vault_path, PASS)
    Vault.unlock(vault_path, "a brand new passphrase").lock()


def test_wrong_recovery_code(vault: Vault, vault_path: Path) -> None:
    vault.lock()
    before = _digest(vault_path)
    with pytest.raises(WrongRecoveryCode):
        Vault.recover(vault_path, keys.new_recovery_code(), "whatever passphrase")
    with pytest.raises(WrongRecoveryCode):
        Vault.recover(vault_path, "not a code", "whatever passphrase")
    assert _digest(vault_path) == before


def test_change_passphrase_rewraps_only(vault: Vault, vault_path: Path) -> None:
    c = Client(name="Abdi Warsame")
    vault.save(c)
    envelopes = [r.envelope for r in vault.store.all_revisions()]
    with pytest.raises(WrongPassphrase):
        vault.change_passphrase("wrong old one", "new passphrase 1")
    vault.change_passphrase(PASS, "new passphrase 1")
    assert [r.envelope for r in vault.store.all_revisions()] == envelopes
    vault.lock()
    assert Vault.unlock(vault_path, "new passphrase 1").get(c.id) == c


def test_short_passphrase_refused(tmp_path: Path) -> None:
    with pytest.raises(ValidationError):
        Vault.create(tmp_path / "x.vault", "short")
    assert not (tmp_path / "x.vault").exists()


def test_create_refuses_to_overwrite(vault: Vault, vault_path: Path) -> None:
    with pytest.raises(VaultExists):
        Vault.create(vault_path, PASS, kdf=KdfParams.fast_for_tests())


def test_default_kdf_parameters_are_stored() -> None:
    p = KdfParams.new()
    assert (p.memory_kib, p.iterations) == (64 * 1024, 3)
    assert KdfParams.from_json(p.to_json()) == p


def test_recovery_code_is_high_entropy() -> None:
    codes = {keys.new_recovery_code() for _ in range(50)}
    assert len(codes) == 50
    assert all(len(keys.normalize_recovery_code(c)) == 32 for c in codes)
