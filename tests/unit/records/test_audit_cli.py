"""``counsel audit``: filters, CSV for the DPO, and a non-zero exit on a broken chain."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest

from counsel.cli import main as cli
from counsel.domain import Client
from counsel.vault.kdf import KdfParams
from counsel.vault.service import Vault

PASS = "correct horse battery staple 42"


@pytest.fixture
def vault_path(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    path = tmp_path / "audit.vault"
    vault, _code = Vault.create(path, PASS, kdf=KdfParams.fast_for_tests())
    a, b = Client(id="a" * 32, name="Amina Canary"), Client(id="b" * 32, name="Bo Canary")
    vault.save_many([a, b], audited=True)
    vault.audit.record("print", client_id=a.id, record_id=a.id, record_kind="client",
                       detail="card")
    vault.lock()
    monkeypatch.setenv("COUNSEL_PASSPHRASE", PASS)
    return path


def test_csv_for_one_client(vault_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["--vault", str(vault_path), "audit", "--client", "a" * 32,
                     "--format", "csv"]) == 0
    out, err = capsys.readouterr()
    rows = list(csv.reader(io.StringIO(out)))
    assert rows[0][:3] == ["time_utc", "action", "person"]
    assert sorted(r[1] for r in rows[1:-1]) == ["edit", "print"]
    assert {r[4] for r in rows[1:-1]} == {"a" * 32}
    assert "Canary" not in out  # ids, never names
    assert "intact" in err and rows[-1][0].startswith("# ")


def test_kind_and_since_filters(vault_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["--vault", str(vault_path), "audit", "--kind", "edit"]) == 0
    assert capsys.readouterr().out.count("\n") == 2
    assert cli.main(["--vault", str(vault_path), "audit", "--since", "2999-01-01"]) == 0
    assert capsys.readouterr().out == ""


def test_a_broken_chain_exits_non_zero(vault_path: Path,
                                       capsys: pytest.CaptureFixture[str]) -> None:
    vault = Vault.unlock(vault_path, PASS)
    first = min(vault.audit.entries(), key=lambda e: e.counter)
    vault._records.delete(first.id)  # noqa: SLF001 - what a tampering build could do
    vault.lock()
    assert cli.main(["--vault", str(vault_path), "audit"]) == 3
    err = capsys.readouterr().err
    assert "BROKEN" in err
