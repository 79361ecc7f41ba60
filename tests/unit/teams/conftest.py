"""Four counsellors enrolled with one live sync server, each with a team identity."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from synchelp import LiveServer

from counsel.sync import enrol
from counsel.teams import membership
from counsel.teams.membership import Session
from counsel.vault.kdf import KdfParams
from counsel.vault.service import Vault

PASS = "correct horse battery"
FAST = KdfParams.fast_for_tests()


@pytest.fixture
def people(tmp_path: Path, live_server: LiveServer) -> Iterator[dict[str, Session]]:
    out = {}
    for name in ("maria", "jonas", "sanna", "pekka"):
        v, _ = Vault.create(tmp_path / name / "personal.vault", PASS, kdf=FAST)
        enrol.connect(v, live_server.url, name, PASS,
                      enrol_secret=live_server.storage.create_account(name))
        out[name] = membership.session(v)
        membership.ensure_identity(out[name])
    yield out
    for s in out.values():
        s.close()
        s.personal.lock()
