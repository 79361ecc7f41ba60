from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from counsel.vault.kdf import KdfParams
from counsel.vault.service import Vault

PASS = "correct horse battery"


@pytest.fixture
def vault_path(tmp_path: Path) -> Path:
    return tmp_path / "test.vault"


@pytest.fixture
def vault(vault_path: Path) -> Iterator[Vault]:
    v, _code = Vault.create(vault_path, PASS, kdf=KdfParams.fast_for_tests())
    yield v
    v.lock()
