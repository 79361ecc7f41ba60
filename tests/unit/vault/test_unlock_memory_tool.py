"""``python -m counsel.devtools unlock-memory`` walks a first unlock step by step: every
working-set part is reported as it is sealed, the cache is written again, and the
vault's own functions are left as they were."""

from __future__ import annotations

from pathlib import Path

import pytest
from wshelp import every_kind

from counsel.devtools import unlock_memory
from counsel.domain import Client
from counsel.vault import current, deadlines, kdf, snapshot
from counsel.vault.service import Vault
from counsel.vault.workingset_schema import PARTS

PASS = "correct horse battery"


def test_a_cold_unlock_is_walked_part_by_part(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setattr(current, "SNAPSHOT_MIN_RECORDS", 1)
    path = tmp_path / "m.vault"
    v, _code = Vault.create(path, PASS, kdf=kdf.KdfParams.fast_for_tests())
    v.save_many(every_kind() + [Client(name=f"Asiakas {i}") for i in range(30)])
    v.lock()
    assert snapshot.cache_path(path).exists()
    real = (deadlines.bring_up_to_date, snapshot.write)
    monkeypatch.setenv("COUNSEL_PASSPHRASE", PASS)
    assert unlock_memory.main(["--vault", str(path), "--cold"]) == 0
    out = capsys.readouterr().out
    assert "opened (working set rebuilt)" in out
    assert "deadlines brought up to date" in out
    assert sorted(p for p in PARTS if f"part '{p}' sealed" in out) == sorted(PARTS)
    assert "locked" in out.splitlines()[-1]
    assert (deadlines.bring_up_to_date, snapshot.write) == real
    # the cache it wrote again opens
    v = Vault.unlock(path, PASS)
    assert v.snapshot_seq >= 0 and len(v.clients()) >= 30
    v.lock()
