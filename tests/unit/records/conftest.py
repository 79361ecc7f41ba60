from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from counsel.vault.kdf import KdfParams
from counsel.vault.service import Vault

PASS = "correct horse battery"


@pytest.fixture(autouse=True)
def _language_restored() -> Iterator[None]:
    """``counsel --lang fi …`` sets the process's language; later tests expect their own."""
    from counsel.i18n import current_language, set_language

    before = current_language()
    yield
    set_language(before)


@pytest.fixture
def vault(tmp_path: Path) -> Iterator[Vault]:
    v, _code = Vault.create(tmp_path / "records.vault", PASS, kdf=KdfParams.fast_for_tests())
    yield v
    if not v.locked:
        v.lock()
