"""Fixtures for the desktop app's tests (offscreen Qt, small fast vaults)."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")  # also set by tests/conftest.py

import pytest  # noqa: E402

from counsel_ui.common.qtcompat import guard_none_refcount  # noqa: E402

guard_none_refcount()

from uihelp import PASSPHRASE, sample_records, unlock  # noqa: E402


@pytest.fixture
def vault_path(tmp_path: Path) -> Iterator[Path]:
    from counsel.vault.kdf import KdfParams
    from counsel.vault.service import Vault

    path = tmp_path / "test.vault"
    vault, _code = Vault.create(path, PASSPHRASE, kdf=KdfParams.fast_for_tests())
    vault.save_many(sample_records())
    vault.lock()
    yield path


@pytest.fixture
def window(qtbot, vault_path: Path, monkeypatch):  # type: ignore[no-untyped-def]
    """A main window unlocked on the sample vault."""
    from counsel.vault.kdf import KdfParams
    from counsel_ui.shell.main_window import MainWindow

    monkeypatch.setenv("COUNSEL_HOME", str(vault_path.parent / "home"))
    win = MainWindow(vault_path, kdf=KdfParams.fast_for_tests())
    qtbot.addWidget(win)
    win.show()
    unlock(qtbot, win)
    yield win
    from counsel_ui.common import ops

    if not win.locked:
        win.lock()
    ops.wait_idle()


@pytest.fixture
def server(tmp_path: Path) -> Iterator[object]:
    """A sync server on loopback over a fresh SQLite database (team and sync page tests)."""
    from synchelp import LiveServer

    from counsel.server.storage import open_storage

    storage = open_storage(str(tmp_path / "server.sqlite3"), migrate=True)
    srv = LiveServer(storage).start()
    yield srv
    srv.stop()
    storage.close()
