"""A team client's path: its records are in the team's copy, the employers and roles in
the counsellor's own vault (``client_path(..., registry=)``) — the names still show."""

from __future__ import annotations

from pathlib import Path

from counsel.domain import Client, Employer
from counsel.path.load import client_path
from counsel.vault.kdf import KdfParams
from counsel.vault.service import Vault

FAST = KdfParams.fast_for_tests()


def test_employer_names_come_from_the_register_vault(tmp_path: Path) -> None:
    team, _ = Vault.create(tmp_path / "team.vault", "pass phrase one", kdf=FAST)
    own, _ = Vault.create(tmp_path / "own.vault", "pass phrase one", kdf=FAST)
    client = Client(name="Amina Tiimi")
    team.save(client)
    shop = Employer(name="Kauppa Oy")
    own.save(shop)
    assert client_path(team, client.id).employer_names == {}  # the control
    assert client_path(team, client.id, registry=own).employer_names == {shop.id: "Kauppa Oy"}
    team.lock()
    own.lock()
