"""The core must never grow a Qt dependency: import every counsel module with Qt blocked."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

SCRIPT = r"""
import importlib, pkgutil, sys
class Block:
    def find_spec(self, name, path=None, target=None):
        if name.split(".")[0] in {"PySide6", "shiboken6", "PyQt5", "PyQt6", "counsel_ui", "ui"}:
            raise ImportError(f"blocked: {name}")
        return None
sys.meta_path.insert(0, Block())
import counsel
count = 0
for mod in pkgutil.walk_packages(counsel.__path__, "counsel."):
    importlib.import_module(mod.name)
    count += 1
assert not any(m.split(".")[0] in {"PySide6", "shiboken6"} for m in sys.modules)
print(count)
"""


def test_every_core_module_imports_without_qt() -> None:
    out = subprocess.run([sys.executable, "-c", SCRIPT], cwd=ROOT, capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    assert int(out.stdout.strip()) >= 20  # the walk really visited the package


def test_the_blocker_does_block() -> None:
    """Control: the same harness fails when a module imports Qt."""
    bad = SCRIPT.replace("import counsel\n", "import counsel\nimport PySide6\n")
    out = subprocess.run([sys.executable, "-c", bad], cwd=ROOT, capture_output=True, text=True)
    assert out.returncode != 0 and "blocked: PySide6" in out.stderr
