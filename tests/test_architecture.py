"""The layout rules of docs/architecture.md, enforced (qutebrowser style).

* ``counsel/`` never imports Qt or the UI (checked by importing every module with Qt blocked);
* no product module imports ``devtools`` (benchmarks and screenshot scripts stay out of the wheel);
* nothing outside ``counsel/vault/`` reaches the vault's storage, SQL or private attributes;
* every test file sits at the path mirroring what it tests;
* a log call's arguments carry no values: numbers, ids, type names, lengths (``log_arguments``).

Each rule is a function over a source tree, so the controls below can show it fails.
"""

from __future__ import annotations

import ast
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PRODUCT = ("counsel", "ui")

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
    if mod.name.endswith("__main__"):
        continue
    importlib.import_module(mod.name)
    count += 1
assert not any(m.split(".")[0] in {"PySide6", "shiboken6"} for m in sys.modules)
print(count)
"""


def _py_files(root: Path, top: str) -> Iterator[Path]:
    yield from sorted(p for p in (root / top).rglob("*.py") if "__pycache__" not in p.parts)


def _imports(path: Path) -> Iterator[tuple[int, str]]:
    tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield node.lineno, alias.name
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            yield node.lineno, node.module
            for alias in node.names:
                yield node.lineno, f"{node.module}.{alias.name}"


def devtools_imports(root: Path) -> list[str]:
    """Product modules that import a devtools package."""
    bad = []
    for top in PRODUCT:
        for path in _py_files(root, top):
            rel = path.relative_to(root)
            if "devtools" in rel.parts:
                continue
            for line, name in _imports(path):
                if name.split(".")[:2] in (["counsel", "devtools"], ["counsel_ui", "devtools"]):
                    bad.append(f"{rel.as_posix()}:{line} imports {name}")
    return bad


#: attribute names that are the vault's storage internals or private state
_INTERNAL = {"store", "sql", "_ws", "_vault", "_ring", "_umk", "_vault_key"}
#: code that owns the vault's storage (and the server, whose storage is its own)
_OWNERS = ("counsel/vault/", "counsel/server/")


def vault_back_doors(root: Path) -> list[str]:
    """Code outside counsel/vault that reaches into a vault's storage or private state."""
    bad = []
    for top in PRODUCT:
        for path in _py_files(root, top):
            rel = path.relative_to(root).as_posix()
            if rel.startswith(_OWNERS):
                continue
            tree = ast.parse(path.read_text(encoding="utf-8"), rel)
            for node in ast.walk(tree):
                if not (isinstance(node, ast.Attribute) and node.attr in _INTERNAL):
                    continue
                owner = node.value
                name = owner.attr if isinstance(owner, ast.Attribute) else getattr(owner, "id", "")
                if "vault" in name.lower() or (node.attr in {"_vault", "sql"}
                                               and name not in {"self", "cls"}):
                    bad.append(f"{rel}:{node.lineno} reaches {name}.{node.attr}")
    return sorted(bad)


def misplaced_tests(root: Path) -> list[str]:
    """Test files not at the path mirroring the package they test."""
    bad = []
    for path in sorted((root / "tests").rglob("test_*.py")):
        parts = path.relative_to(root / "tests").parts
        if len(parts) == 1 or parts[0] == "packaging":
            continue  # whole-tree checks (lint, architecture); the packaging/ folder
        source = {"unit": root / "counsel", "ui": root / "ui"}.get(parts[0])
        if source is None or len(parts) != 3 or not (source / parts[1] / "__init__.py").exists():
            bad.append(f"tests/{'/'.join(parts)}: not under tests/unit/<counsel package>/ "
                       "or tests/ui/<ui package>/")
    return bad


def duplicate_test_names(root: Path) -> list[str]:
    """Test files with the same name (pytest's default import mode cannot tell them apart)."""
    seen: dict[str, Path] = {}
    dup = []
    for path in sorted((root / "tests").rglob("test_*.py")):
        if path.name in seen:
            dup.append(f"{path.relative_to(root)} and {seen[path.name].relative_to(root)}")
        seen[path.name] = path
    return dup


def wheel_packages(root: Path) -> list[str]:
    """Packages the wheel misses, or devtools packages it would ship."""
    import tomllib

    listed = set(tomllib.loads((root / "pyproject.toml").read_text())["tool"]["setuptools"]
                 ["packages"])
    problems = [f"{name} would ship in the wheel" for name in sorted(listed) if "devtools" in name]
    for top, name in (("counsel", "counsel"), ("ui", "counsel_ui")):
        for init in sorted((root / top).rglob("__init__.py")):
            rel = init.parent.relative_to(root / top).parts
            dotted = ".".join((name, *rel))
            if "devtools" not in rel and dotted not in listed:
                problems.append(f"{dotted} is missing from [tool.setuptools] packages")
    return problems


def test_every_core_module_imports_without_qt() -> None:
    out = subprocess.run([sys.executable, "-c", SCRIPT], cwd=ROOT, capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    assert int(out.stdout.strip()) >= 20  # the walk really visited the package


def test_the_qt_blocker_does_block() -> None:
    """Control: the same harness fails when a module imports Qt."""
    bad = SCRIPT.replace("import counsel\n", "import counsel\nimport PySide6\n")
    out = subprocess.run([sys.executable, "-c", bad], cwd=ROOT, capture_output=True, text=True)
    assert out.returncode != 0 and "blocked: PySide6" in out.stderr


_LOG_METHODS = {"debug", "info", "warning", "error", "exception", "critical"}
#: variables logged by name that hold counts or fixed names, never what a person typed
_LOG_NAMES = {"done", "queued", "family"}


def _value_free(arg: ast.expr) -> bool:
    """An argument that cannot hold what a person typed: a number, an id, a type's name, a
    length, or text marked ``Scrubbed`` (built from names only)."""
    if isinstance(arg, ast.Constant):
        return isinstance(arg.value, int | float)
    if isinstance(arg, ast.Call) and isinstance(arg.func, ast.Name):
        return arg.func.id in {"len", "Scrubbed"}
    if isinstance(arg, ast.Attribute):
        return arg.attr in {"__name__", "__qualname__", "failures", "returncode"} \
            or arg.attr.endswith("_id")
    if isinstance(arg, ast.Name):
        return arg.id in _LOG_NAMES or arg.id.endswith("_id")
    return False


def log_arguments(root: Path) -> list[str]:
    """Log calls in the app (not the server, which holds no plaintext) whose message is not
    a fixed text or whose arguments could carry a value (a name, a note, a message)."""
    bad = []
    for top in PRODUCT:
        for path in _py_files(root, top):
            rel = path.relative_to(root).as_posix()
            if rel.startswith("counsel/server/") or "devtools" in rel:
                continue
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), rel)):
                if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
                        and node.func.attr in _LOG_METHODS
                        and isinstance(node.func.value, ast.Name)
                        and node.func.value.id in {"log", "logger", "logging"}):
                    continue
                first, *rest = node.args or [None]
                if not (isinstance(first, ast.Constant) and isinstance(first.value, str)):
                    bad.append(f"{rel}:{node.lineno} logs a message that is not a fixed text")
                bad += [f"{rel}:{node.lineno} logs {ast.unparse(a)}"
                        for a in rest if not _value_free(a)]
    return sorted(bad)


@pytest.mark.parametrize("rule", [
    devtools_imports, misplaced_tests, duplicate_test_names, wheel_packages, vault_back_doors,
    log_arguments,
])
def test_the_tree_follows_the_rule(rule: Callable[[Path], list[str]]) -> None:
    assert rule(ROOT) == []


def test_controls_each_rule_catches_its_violation(tmp_path: Path) -> None:
    files = {
        "counsel/__init__.py": "", "counsel/vault/__init__.py": "", "ui/__init__.py": "",
        "counsel/app/__init__.py": "from counsel.devtools import bench\n",
        "ui/page.py": "def f(session):\n    return session.vault.store.meta()\n",
        "ui/other.py": "def g(ctx):\n    ctx._vault = None\n    return ctx.db.sql('x')\n",
        "counsel/vault/ok.py": "def h(vault):\n    return vault.store\n",
        "tests/test_whole_tree.py": "", "tests/unit/vault/test_ok.py": "",
        "tests/unit/nowhere/test_lost.py": "", "tests/ui/test_flat.py": "",
        "tests/unit/vault/deeper/test_ok.py": "",
        "ui/logged.py": ("def k(log, client, exc, n, record_id):\n"
                         "    log.info('saved %s', client.name)\n"
                         "    log.error(f'failed for {client.name}')\n"
                         "    log.warning('sync: %s', exc.message)\n"
                         "    log.info('%d of %s', n, record_id)\n"
                         "    log.info('%s', type(exc).__name__)\n"),
    }
    for name, text in files.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(text)
    assert devtools_imports(tmp_path) == [
        "counsel/app/__init__.py:1 imports counsel.devtools",
        "counsel/app/__init__.py:1 imports counsel.devtools.bench"]
    doors = [d.split(" ")[0] for d in vault_back_doors(tmp_path)]
    assert doors == ["ui/other.py:2", "ui/other.py:3", "ui/page.py:2"]
    assert [m.split(":")[0] for m in misplaced_tests(tmp_path)] == [
        "tests/ui/test_flat.py", "tests/unit/nowhere/test_lost.py",
        "tests/unit/vault/deeper/test_ok.py"]
    assert len(duplicate_test_names(tmp_path)) == 1
    assert log_arguments(tmp_path) == [
        "ui/logged.py:2 logs client.name", "ui/logged.py:3 logs a message that is not a fixed text",
        "ui/logged.py:4 logs exc.message", "ui/logged.py:5 logs n"]


def test_control_wheel_rule_catches_missing_and_devtools_packages(tmp_path: Path) -> None:
    for name in ("counsel/__init__.py", "counsel/new_area/__init__.py",
                 "counsel/devtools/__init__.py", "ui/__init__.py"):
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text("")
    (tmp_path / "pyproject.toml").write_text(
        '[tool.setuptools]\npackages = ["counsel", "counsel.devtools", "counsel_ui"]\n')
    assert wheel_packages(tmp_path) == [
        "counsel.devtools would ship in the wheel",
        "counsel.new_area is missing from [tool.setuptools] packages"]
