"""Suite-wide settings: offscreen Qt, no real user folders, GUI tests auto-marked."""

from __future__ import annotations

import os
import sys
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


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    for item in items:
        fixtures = getattr(item, "fixturenames", ())
        if "qtbot" in fixtures or "qapp" in fixtures:
            item.add_marker(pytest.mark.gui)
