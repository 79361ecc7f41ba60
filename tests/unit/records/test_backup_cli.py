"""``counsel backup --out FILE`` and ``counsel restore FILE --vault NEW`` (the restore test
the normal suite runs): exit codes, messages, the audit entry and the last-backup time."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from counsel.cli import main as cli
from counsel.domain import Client
from counsel.records import backup_status
from counsel.vault.kdf import KdfParams
from counsel.vault.service import Vault

PASS = "correct horse battery staple 42"


@pytest.fixture
def vault_path(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    path = tmp_path / "cli.vault"
    vault, code = Vault.create(path, PASS, kdf=KdfParams.fast_for_tests())
    vault.save_many([Client(id="a" * 32, name="Amina Canary"),
                     Client(id="b" * 32, name="Bo Canary")], audited=True)
    vault.lock()
    (tmp_path / "code.txt").write_text(code)
    monkeypatch.setenv("COUNSEL_PASSPHRASE", PASS)
    return path


def test_backup_then_restore_on_another_machine(
        vault_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "usb" / "counsel.backup"
    assert cli.main(["--vault", str(vault_path), "backup", "--out", str(out)]) == 0
    assert "verified" in capsys.readouterr().out
    vault = Vault.unlock(vault_path, PASS)
    try:
        entries = [e for e in vault.audit.entries() if e.record_kind == "backup"]
        assert [e.action for e in entries] == ["export"]
        last = backup_status.last_backup(vault)
        assert last is not None and dt.datetime.now(dt.UTC) - last < dt.timedelta(hours=1)
    finally:
        vault.lock()

    assert cli.main(["--vault", str(vault_path), "backup", "--out", str(out)]) == 0
    assert "added" in capsys.readouterr().out  # the second one is incremental
    vault_path.unlink()
    target = tmp_path / "new" / "restored.vault"
    assert cli.main(["restore", str(out), "--vault", str(target)]) == 0
    said = capsys.readouterr().out
    assert "0 damaged" in said and "erase them again" in said
    again = Vault.unlock(target, PASS)
    try:
        assert [c.name for c in again.clients()] == ["Amina Canary", "Bo Canary"]
        assert again.check().ok
        restored = backup_status.restored(again)  # Today will say so until read
        assert restored is not None and restored.erased == 0
        assert backup_status.last_backup(again) == restored.backup_made
        backup_status.mark_restored_read(again)
        assert backup_status.restored(again) is None
    finally:
        again.lock()
    # restoring again onto the same file is refused: never overwritten
    before = target.read_bytes()
    assert cli.main(["restore", str(out), "--vault", str(target)]) == 1
    assert target.read_bytes() == before


def test_restore_with_the_recovery_code(vault_path: Path, tmp_path: Path,
                                        monkeypatch: pytest.MonkeyPatch,
                                        capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "counsel.backup"
    assert cli.main(["--vault", str(vault_path), "backup", "--out", str(out)]) == 0
    monkeypatch.delenv("COUNSEL_PASSPHRASE")
    monkeypatch.setenv("COUNSEL_RECOVERY_CODE", (tmp_path / "code.txt").read_text())
    monkeypatch.setenv("COUNSEL_NEW_PASSPHRASE", "a new passphrase here")
    target = tmp_path / "r.vault"
    assert cli.main(["restore", str(out), "--vault", str(target), "--recovery-code"]) == 0
    said = capsys.readouterr().out
    assert "0 damaged" in said
    Vault.unlock(target, "a new passphrase here").lock()


def test_a_damaged_backup_is_refused_in_finnish(
        vault_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "counsel.backup"
    assert cli.main(["--vault", str(vault_path), "backup", "--out", str(out)]) == 0
    capsys.readouterr()
    out.write_bytes(out.read_bytes()[:-100])
    target = tmp_path / "r.vault"
    assert cli.main(["--lang", "fi", "restore", str(out), "--vault", str(target)]) == 1
    err = capsys.readouterr().err
    assert "Varmuuskopio" in err and "backup" not in err.lower()
    assert not target.exists()


def test_restore_and_open_refuses_before_writing(vault_path: Path, tmp_path: Path) -> None:
    """The core function of `counsel restore` and the app's restore: a too-short new
    passphrase or a wrong code leaves no vault behind; the right code opens it, rotated."""
    from counsel.errors import ValidationError, WrongRecoveryCode
    from counsel.records import backup_status

    out = tmp_path / "counsel.backup"
    assert cli.main(["--vault", str(vault_path), "backup", "--out", str(out)]) == 0
    code = (tmp_path / "code.txt").read_text()
    target = tmp_path / "r.vault"
    with pytest.raises(ValidationError):
        backup_status.restore_and_open(out, target, recovery_code=code, new_passphrase="short")
    assert not target.exists()
    with pytest.raises(WrongRecoveryCode):
        backup_status.restore_and_open(out, target, recovery_code="A" * 32,
                                       new_passphrase="a new passphrase here")
    assert not target.exists() and list(tmp_path.glob(".r.vault*")) == []
    done, vault = backup_status.restore_and_open(out, target, recovery_code=code,
                                                 new_passphrase="a new passphrase here")
    try:
        assert vault.take_recovery_code() not in (None, code)
        assert backup_status.restored(vault) is not None and done.path == target
    finally:
        vault.lock()
