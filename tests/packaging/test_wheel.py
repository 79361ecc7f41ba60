"""The installed wheel: every product module and data file is in it, no devtools.

Editable installs (the README's commands) import from the source tree, so a package left
out of pyproject's explicit ``packages`` list would only break an installed app; this
builds the real wheel and compares it with the tree.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _product_modules() -> set[str]:
    """Wheel paths of every module of counsel/ and ui/ (installed as counsel_ui)."""
    found = {p.relative_to(ROOT).as_posix() for p in (ROOT / "counsel").rglob("*.py")}
    found |= {"counsel_ui/" + p.relative_to(ROOT / "ui").as_posix()
              for p in (ROOT / "ui").rglob("*.py")}
    return {p for p in found if "/devtools/" not in p and "__pycache__" not in p}


def test_wheel_holds_every_product_module_and_no_devtools(tmp_path: Path) -> None:
    # from a clean copy: setuptools' build/lib of an earlier build would hide an omission
    src = tmp_path / "src"
    skip = shutil.ignore_patterns("__pycache__", "*.pyc", "*.mo")
    for part in ("counsel", "ui", "locales"):
        shutil.copytree(ROOT / part, src / part, ignore=skip)
    for part in ("pyproject.toml", "README.md"):
        shutil.copy2(ROOT / part, src / part)
    out = subprocess.run([sys.executable, "-m", "pip", "wheel", str(src), "--no-deps",
                          "-q", "-w", str(tmp_path)], capture_output=True, text=True,
                         timeout=600)
    assert out.returncode == 0, out.stderr[-2000:]
    (wheel,) = tmp_path.glob("counsel-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    assert not [n for n in names if "/devtools/" in n]
    missing = sorted(_product_modules() - names)
    assert not missing, f"left out of pyproject's packages: {missing}"
    for data in ("counsel/path/data/isco08.csv", "counsel/path/data/places.csv",
                 "counsel/py.typed"):
        assert data in names
    assert [n for n in names if n.startswith("counsel/plans/data/")]
