"""The `counsel` command as scripts use it: env passphrase, stdout lines, stderr errors."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]


def run(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "counsel.cli", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env={**os.environ, **(env or {})},
        timeout=300,
    )


@pytest.fixture
def demo_vault(tmp_path: Path) -> Path:
    path = tmp_path / "demo.vault"
    out = run(
        "--vault",
        str(path),
        "demo",
        "--size",
        "tiny",
        env={"COUNSEL_PASSPHRASE": "demo passphrase"},
    )
    assert out.returncode == 0, out.stderr
    return path


def test_demo_search_check(demo_vault: Path) -> None:
    env = {"COUNSEL_PASSPHRASE": "demo passphrase"}
    out = run("--vault", str(demo_vault), "search", "helsinki", env=env)
    assert out.returncode == 0, out.stderr
    lines = out.stdout.splitlines()
    assert lines and all(line.split("\t")[3] == "Helsinki" for line in lines)
    out = run("--vault", str(demo_vault), "check", env=env)
    assert out.returncode == 0 and " 0 damaged" in out.stdout


def test_wrong_passphrase_goes_to_stderr_nonzero(demo_vault: Path) -> None:
    out = run("--vault", str(demo_vault), "search", "x", env={"COUNSEL_PASSPHRASE": "nope nope"})
    assert out.returncode == 1
    assert "passphrase" in out.stderr.lower() and out.stdout == ""


def test_missing_vault_is_a_clear_error(tmp_path: Path) -> None:
    out = run(
        "--vault", str(tmp_path / "none.vault"), "check", env={"COUNSEL_PASSPHRASE": "whatever1"}
    )
    assert out.returncode == 1 and "No vault" in out.stderr


def test_init_prints_recovery_code_once(tmp_path: Path) -> None:
    out = run(
        "--vault",
        str(tmp_path / "i.vault"),
        "init",
        env={"COUNSEL_PASSPHRASE": "long enough passphrase"},
    )
    assert out.returncode == 0, out.stderr
    code = out.stdout.strip().splitlines()[-1]
    assert len(code.replace("-", "")) == 32


def test_demo_measures_are_in_the_catalogue() -> None:
    from counsel.demo.caseload import MEASURES
    from counsel.plans.templates import load_catalogue

    assert set(MEASURES) <= set(load_catalogue())


def test_plans_export_csv_has_service_codes(demo_vault: Path) -> None:
    out = run("--vault", str(demo_vault), "plans", "export", "--format", "csv", "--out", "-",
              env={"COUNSEL_PASSPHRASE": "demo passphrase"})
    assert out.returncode == 0, out.stderr
    header, *rows = out.stdout.splitlines()
    assert header.startswith("plan_id,client_id,") and rows
    assert any(",integration_training,036" in r or ",work_trial,018" in r or ",074," in r
               for r in rows)


def test_search_into_a_closed_pipe_exits_quietly(demo_vault: Path) -> None:
    # `counsel search … | head -1`: the reader leaves after one line
    env = {**os.environ, "COUNSEL_PASSPHRASE": "demo passphrase"}
    proc = subprocess.Popen([sys.executable, "-m", "counsel.cli", "--vault", str(demo_vault),
                             "search", ""], cwd=ROOT, env=env, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE)
    assert proc.stdout is not None and proc.stderr is not None
    proc.stdout.close()  # like `| head -0`: nobody reads what search prints
    err = proc.stderr.read().decode()
    proc.stderr.close()
    proc.wait(timeout=300)
    assert "Traceback" not in err and "BrokenPipe" not in err, err


def test_an_unknown_language_is_a_clear_error(demo_vault: Path) -> None:
    env = {"COUNSEL_PASSPHRASE": "demo passphrase"}
    out = run("--vault", str(demo_vault), "--lang", "xx", "today", env=env)
    assert out.returncode == 2 and out.stdout == ""
    assert "unknown language xx" in out.stderr and "Traceback" not in out.stderr
    for lang in ("fi", "so", "fa-AF"):  # the interface's and the clients' languages
        out = run("--vault", str(demo_vault), "--lang", lang, "today", env=env)
        assert out.returncode == 0, (lang, out.stderr)
