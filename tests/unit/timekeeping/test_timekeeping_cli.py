"""`counsel report time|indicators` and `counsel import ics` against a real (tiny) vault."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest

from counsel.cli.main import main
from counsel.demo.caseload import generate
from counsel.domain import WorkEntry
from counsel.vault.kdf import KdfParams
from counsel.vault.service import Vault

FIXTURES = Path(__file__).parent / "fixtures"
PASS = "correct horse battery staple"


@pytest.fixture(scope="module")
def vault_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("tk") / "demo.vault"
    vault, _code = Vault.create(path, PASS, kdf=KdfParams.fast_for_tests())
    generate(vault, "tiny", seed=3)
    vault.lock()
    return path


@pytest.fixture(autouse=True)
def _passphrase(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COUNSEL_PASSPHRASE", PASS)


def _rows(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text)))


def test_report_time_csv_by_week_adds_up(vault_path: Path, capsys: pytest.CaptureFixture[str]
                                         ) -> None:
    assert main(["--vault", str(vault_path), "report", "time", "--from", "2020-01-01",
                 "--to", "2026-12-31", "--by", "week"]) == 0
    rows = _rows(capsys.readouterr().out)
    total = next(r for r in rows if r["section"] == "total")
    weeks = [r for r in rows if r["section"] == "period"]
    assert int(total["total_minutes"]) > 0
    assert sum(int(r["total_minutes"]) for r in weeks) == int(total["total_minutes"])
    assert not any(r["section"] == "client" for r in rows)


def test_report_time_by_client_pdf(vault_path: Path, tmp_path: Path) -> None:
    out = tmp_path / "time.pdf"
    assert main(["--vault", str(vault_path), "report", "time", "--from", "2020-01-01",
                 "--to", "2026-12-31", "--by", "client", "--format", "pdf",
                 "--out", str(out)]) == 0
    assert out.read_bytes().startswith(b"%PDF")


def test_pdf_without_out_is_a_clear_error(vault_path: Path,
                                          capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--vault", str(vault_path), "report", "indicators", "--from", "2026-01-01",
                 "--to", "2026-03-31", "--format", "pdf"]) == 1
    assert "--out" in capsys.readouterr().err


def test_import_dry_run_prints_one_line_per_event_and_saves_nothing(
        vault_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    before = _count(vault_path)
    assert main(["--vault", str(vault_path), "import", "ics",
                 str(FIXTURES / "outlook_export.ics"), "--dry-run",
                 "--from", "2026-01-01", "--to", "2026-06-30"]) == 0
    out = capsys.readouterr()
    lines = out.out.splitlines()
    assert len(lines) == 9 and all(" ics:" in line for line in lines)
    assert _count(vault_path) == before


def test_import_saves_only_decided_events_once(vault_path: Path,
                                               capsys: pytest.CaptureFixture[str]) -> None:
    from counsel.timekeeping.cli import load_rules, save_rules
    from counsel.timekeeping.matching import Action, MatchRule

    vault = Vault.unlock(vault_path, PASS)
    save_rules(vault, (MatchRule(pattern="ohjausaika", action=Action.VISIBLE),))
    assert len(load_rules(vault)) == 1
    before = len(vault.all(WorkEntry))
    vault.lock()
    argv = ["--vault", str(vault_path), "import", "ics", str(FIXTURES / "outlook_export.ics"),
            "--yes", "--from", "2026-01-01", "--to", "2026-06-30"]
    assert main(argv) == 0
    assert main(argv) == 0  # the same file again: nothing new
    capsys.readouterr()
    vault = Vault.unlock(vault_path, PASS)
    new = [e for e in vault.all(WorkEntry) if e.source.startswith("ics:")]
    vault.lock()
    assert len(new) == 5 and len({e.source for e in new}) == 5
    assert before + 5 == _count(vault_path)


def test_import_missing_file_is_a_known_error(vault_path: Path,
                                              capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--vault", str(vault_path), "import", "ics", "/nonexistent/cal.ics"]) == 1
    err = capsys.readouterr().err
    # says what is wrong and what to do, not the hint for a file that is no calendar
    assert "There is no file /nonexistent/cal.ics" in err and "Check the file name" in err
    assert "calendar (.ics) export" not in err


def test_import_reversed_dates_say_to_swap_them(vault_path: Path, tmp_path: Path,
                                                capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "cal.ics"
    path.write_bytes((FIXTURES / "google_export.ics").read_bytes())
    assert main(["--vault", str(vault_path), "import", "ics", str(path), "--dry-run",
                 "--from", "2026-06-30", "--to", "2026-01-01"]) == 1
    err = capsys.readouterr().err
    assert "before the start date" in err and "Swap the two dates" in err
    assert "calendar (.ics) export" not in err


def _count(path: Path) -> int:
    vault = Vault.unlock(path, PASS)
    try:
        return len(vault.all(WorkEntry))
    finally:
        vault.lock()


def test_dates_are_validated(vault_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main(["--vault", str(vault_path), "report", "time", "--from", "2026-13-01",
              "--to", "2026-12-31"])
    assert "not a date" in capsys.readouterr().err
    assert main(["--vault", str(vault_path), "report", "time", "--from", "2026-12-31",
                 "--to", "2026-01-01"]) == 1
