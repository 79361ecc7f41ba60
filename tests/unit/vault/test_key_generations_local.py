"""Key generations inside one vault file (counsel.vault.generations): rotation, adopting a
generation made elsewhere (a team grant), a keyring from before generations, the CLI."""

from __future__ import annotations

from pathlib import Path

import pytest
from test_legacy_vault import PASS as LEGACY_PASS
from test_legacy_vault import old_vault

from counsel.cli.main import main as cli_main
from counsel.domain import Client, Contact
from counsel.errors import ValidationError, WrongPassphrase, WrongRecoveryCode
from counsel.vault import envelope
from counsel.vault.kdf import KdfParams
from counsel.vault.service import Vault

PASS = "correct horse battery"  # as in conftest.py
NEW = "a brand new passphrase"


def _newest_envelope(v: Vault, record_id: str) -> bytes:
    return [r for r in v.store.all_revisions() if r.record_id == record_id][-1].envelope


def test_rotation_seals_new_writes_under_the_new_generation_and_reads_old_ones(
        vault: Vault, vault_path: Path) -> None:
    c = Client(name="Amina Yusuf")
    vault.save(c)
    assert envelope.generation_of(_newest_envelope(vault, c.id)) == 0
    done = vault.rotate_keys()
    assert done.generation == vault.key_generation == 1 and done.recovery_code is None
    vault.save(c.replace(name="Amina Y."))
    assert envelope.generation_of(_newest_envelope(vault, c.id)) == 1
    fresh = Client(name="New After Rotation")
    vault.save(fresh)
    vault.rotate_keys()
    vault.lock()
    again = Vault.unlock(vault_path, PASS)  # the same passphrase after a plain rotation
    assert again.key_generation == 2
    assert again.get(c.id).name == "Amina Y."  # type: ignore[attr-defined]
    assert again.get(fresh.id).name == "New After Rotation"  # type: ignore[attr-defined]
    assert [h.rev_id for h in again.history(c.id)]  # older generation still opens
    assert again.check().ok and again.damaged() == {}
    again.lock()


def test_a_generation_from_elsewhere_is_adopted_only_in_order(tmp_path: Path) -> None:
    a, _code = Vault.create(tmp_path / "a.vault", PASS, kdf=KdfParams.fast_for_tests())
    b = Vault.join(tmp_path / "b.vault", a.export_keyring(), PASS)
    a.rotate_keys()
    key = a.generation_key(1)
    with pytest.raises(ValidationError):
        b.adopt_generation(2, key)  # a gap
    b.adopt_generation(1, key)
    with pytest.raises(ValidationError):
        b.adopt_generation(1, key)  # no going back or sideways
    b.save(Contact(id="fromb001", name="Under the granted key"))
    b.lock()
    b = Vault.unlock(tmp_path / "b.vault", PASS)
    assert b.key_generation == 1
    rev = [r for r in b.store.all_revisions() if r.record_id == "fromb001"][-1]
    assert envelope.generation_of(rev.envelope) == 1
    assert a.sync_port.open(rev) == b.sync_port.open(rev)  # both hold generation 1
    a.lock()
    b.lock()


def test_keyring_from_before_generations_gets_a_new_code_at_its_first_rotation(
        tmp_path: Path) -> None:
    KdfParams.fast_for_tests()  # the fixture was made with the fast test settings
    path = old_vault(tmp_path / "old.vault")
    v = Vault.unlock(path, LEGACY_PASS)
    assert v.export_keyring()["format"] == 1
    code = v.change_passphrase(LEGACY_PASS, NEW)
    assert code is not None  # the old code cannot be re-wrapped without typing it
    assert v.export_keyring()["format"] == 2
    assert v.change_passphrase(NEW, NEW + "!") is None  # from now on the code is kept
    v.lock()
    with pytest.raises(WrongPassphrase):
        Vault.unlock(path, NEW)
    r = Vault.recover(path, code, "recovered passphrase")
    issued = r.take_recovery_code()
    assert issued and issued != code and r.take_recovery_code() is None
    assert r.check().ok
    r.lock()
    with pytest.raises(WrongRecoveryCode):
        Vault.recover(path, code, "again")  # recovery issued a new code


def test_cli_rotates_and_makes_a_new_code(vault: Vault, vault_path: Path,
                                          monkeypatch: pytest.MonkeyPatch,
                                          capsys: pytest.CaptureFixture[str]) -> None:
    vault.lock()
    monkeypatch.setenv("COUNSEL_PASSPHRASE", PASS)
    assert cli_main(["--vault", str(vault_path), "keys", "rotate"]) == 0
    assert "generation 1" in capsys.readouterr().out
    assert cli_main(["--vault", str(vault_path), "recovery-code", "new"]) == 0
    out = capsys.readouterr().out.strip().splitlines()
    code = out[-1]
    assert len(code.replace("-", "")) == 32
    assert cli_main(["--vault", str(vault_path), "keys", "status"]) == 0
    assert "2" in capsys.readouterr().out
    v = Vault.recover(vault_path, code, NEW)
    assert v.key_generation == 3  # recovery rotated once more
    v.lock()
