"""The storage floor the sync benchmarks compare with: the same sealed revisions, written
into a fresh file with no protocol."""

from __future__ import annotations

from pathlib import Path

from counsel.domain import Client
from counsel.vault.floor import bulk_load_seconds
from counsel.vault.kdf import KdfParams
from counsel.vault.service import Vault
from counsel.vault.store import Store


def test_the_floor_holds_every_revision_as_sealed(tmp_path: Path) -> None:
    vault, _code = Vault.create(tmp_path / "a.vault", "a passphrase for the floor",
                                kdf=KdfParams.fast_for_tests())
    vault.save_many([Client(name=f"Client {i}") for i in range(25)])
    revs = vault.sync_port.all_revisions()
    assert len(revs) == vault.sync_port.count_revisions() >= 25
    assert bulk_load_seconds(tmp_path / "floor.vault", revs) >= 0
    floor = Store.open(tmp_path / "floor.vault")
    try:
        copied = {r.rev_id: r.envelope for r in floor.all_revisions()}
    finally:
        floor.close()
    assert copied == {r.rev_id: r.envelope for r in revs}
    vault.lock()
