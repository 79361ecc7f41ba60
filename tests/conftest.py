"""Suite-wide settings: offscreen Qt, no real user folders, GUI tests auto-marked."""

from __future__ import annotations

import gc
import os
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

# Before anything can import Qt: no display here, and none needed.
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("QT_ACCESSIBILITY", "0")
ROOT = Path(__file__).resolve().parent.parent
for _path in (ROOT, ROOT / "tests" / "support"):  # shared helpers: uihelp, synchelp, ...
    if str(_path) not in sys.path:
        sys.path.insert(0, str(_path))
# Static font instances (not personal data) are made once per checkout, not once per test:
# every test has its own COUNSEL_HOME, which would otherwise hold its own font cache.
os.environ.setdefault("COUNSEL_FONT_CACHE", str(ROOT / "build" / "test-fonts"))


@pytest.fixture(autouse=True)
def _isolated_home(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Every test gets its own COUNSEL_HOME so nothing touches the user's real vault."""
    home = tmp_path_factory.mktemp("counsel-home")
    monkeypatch.setenv("COUNSEL_HOME", str(home))
    monkeypatch.delenv("COUNSEL_PASSPHRASE", raising=False)


_QT_FIXTURES = ("qtbot", "qapp")
_full_every = {"qt_tests": 0}


@pytest.fixture(autouse=True)
def _collect_on_the_main_thread(request: pytest.FixtureRequest) -> Iterator[None]:
    """Qt tests run as the app does (counsel_ui/common/responsive.py): no automatic garbage
    collection, so none starts on a worker thread, where freeing a cycle that holds a Qt
    object crashes the process; collected here, on the main thread, between tests. The
    other tests get automatic collection back once what the Qt tests left is collected."""
    if any(name in request.fixturenames for name in _QT_FIXTURES):
        gc.disable()
        yield
        _full_every["qt_tests"] += 1
        gc.collect(2 if _full_every["qt_tests"] % 50 == 0 else 1)
        return
    if not gc.isenabled():
        gc.collect()
        gc.enable()
    yield


@pytest.fixture(autouse=True)
def _no_unexpected_dialogs(request: pytest.FixtureRequest,
                           monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """A modal dialog nobody answers waits forever offscreen: a test that opens one
    without expecting it (an error box, a crash dialog, a question) fails with what the
    dialog said, instead of hanging until the suite's timeout. Tests that expect a
    dialog patch ``exec`` themselves (their patch wins: it is set after this one)."""
    if not any(name in request.fixturenames for name in _QT_FIXTURES):
        yield
        return
    from PySide6.QtWidgets import QDialog, QMessageBox

    opened: list[str] = []

    def refuse(dialog: QDialog) -> int:
        said = [type(dialog).__name__, dialog.windowTitle()]
        if isinstance(dialog, QMessageBox):
            said += [dialog.text(), dialog.informativeText()]
        said.append(getattr(dialog, "report", ""))
        opened.append(" | ".join(s for s in said if s))
        print("unexpected modal dialog:", opened[-1], file=sys.__stderr__, flush=True)
        return int(QDialog.DialogCode.Rejected)

    # the test's own monkeypatch: its patches of exec are undone before these
    monkeypatch.setattr(QDialog, "exec", refuse)
    monkeypatch.setattr(QMessageBox, "exec", refuse)
    yield
    assert not opened, f"a modal dialog opened that the test did not expect: {opened}"


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    for item in items:
        fixtures = getattr(item, "fixturenames", ())
        if "qtbot" in fixtures or "qapp" in fixtures:
            item.add_marker(pytest.mark.gui)
