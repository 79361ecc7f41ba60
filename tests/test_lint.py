"""Ruff over the whole tree and mypy (strict) over the core, as configured in pyproject."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", *args], cwd=ROOT, capture_output=True,
                          text=True, timeout=900)


def test_ruff_clean() -> None:
    out = _run("ruff", "check", "counsel", "ui", "tests", "packaging")
    assert out.returncode == 0, out.stdout[-4000:]


@pytest.mark.slow
def test_mypy_strict_on_core() -> None:
    out = _run("mypy", "counsel")
    assert out.returncode == 0, out.stdout[-4000:]
