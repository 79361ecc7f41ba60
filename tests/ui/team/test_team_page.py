"""The Team page: members with roles and verification, the share warning, and revoking
a computer through the page against a real sync server."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtWidgets import QMessageBox
from synchelp import LiveServer

from counsel.domain import Client
from counsel.sync import credentials, enrol, revocation
from counsel.sync.client import SyncClient
from counsel.sync.transport import DeviceRevoked
from counsel.vault.kdf import KdfParams
from counsel.vault.service import Vault

PASS = "correct horse battery"


def _page(qtbot, vault: Vault, loader=None):  # type: ignore[no-untyped-def]
    from counsel_ui.shell.session import Session
    from counsel_ui.team.page import TeamPage

    session = Session(vault)
    page = TeamPage(session, loader=loader)
    qtbot.addWidget(page)
    page.show()
    qtbot.waitUntil(lambda: page.data is not None, timeout=20_000)
    return page


def test_revoking_a_computer_from_the_page(qtbot, tmp_path: Path,  # type: ignore[no-untyped-def]
                                           server: LiveServer) -> None:
    a, _code = Vault.create(tmp_path / "a.vault", PASS, kdf=KdfParams.fast_for_tests())
    secret = server.storage.create_account("maria")
    enrol.connect(a, server.url, "maria", PASS, enrol_secret=secret, name="laptop")
    b = enrol.join(tmp_path / "b.vault", server.url, "maria", PASS, name="tablet")
    try:
        page = _page(qtbot, a)
        assert page.data is not None and not page.data.teams
        names = [page.devices.item(r, 0).text() for r in range(page.devices.rowCount())]
        assert names == ["laptop", "tablet"]
        # the computer in use cannot be revoked here
        page.devices.selectRow(0)
        page.revoke_device()
        assert page.dialog is None and "sign out" in page.message.text()
        page.devices.selectRow(1)
        page.revoke_device()
        box = page.dialog
        assert isinstance(box, QMessageBox) and "tablet" in box.text()
        box.accept()
        qtbot.waitUntil(lambda: page.devices.item(1, 3).text() == "revoked", timeout=20_000)
        client = SyncClient.from_vault(b)
        try:
            with pytest.raises(DeviceRevoked) as err:
                client.sync()
        finally:
            client.close()
        creds = credentials.load(b)
        assert creds is not None
        assert revocation.notice_is_authentic(b, "maria", creds.device_id, err.value.notice)
    finally:
        a.lock()
        b.lock()


def _sample():  # type: ignore[no-untyped-def]
    from counsel_ui.devtools.team_shots import sample

    return sample(bytes(range(32)))


def test_members_roles_verification_and_the_share_warning(
        qtbot, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    vault, _code = Vault.create(tmp_path / "v.vault", PASS, kdf=KdfParams.fast_for_tests())
    vault.save(Client(id="c" * 32, name="Ahmad Ali"))
    data = _sample()
    try:
        page = _page(qtbot, vault, loader=lambda _v: data)
        first = page.team_boxes[0].members
        cells = {first.item(r, 0).text(): (first.item(r, 1).text(), first.item(r, 2).text())
                 for r in range(first.rowCount())}
        assert "old.colleague" not in cells  # removed members are not listed
        assert cells["ahmed.hassan"] == ("member", "verified")
        assert cells["liisa.korhonen"][0].startswith("substitute, until ")
        assert cells["jukka.niemi"] == ("supervisor (figures only)", "key changed: compare again")
        # nothing is shared before a client is chosen
        page.share_with(data.teams[0])
        assert page.dialog is None
        page.session.current_client = "c" * 32
        page.share_with(data.teams[0])
        box = page.dialog
        assert isinstance(box, QMessageBox)
        assert "Ahmad Ali" in box.text()
        details = box.informativeText().replace("\u2068", "").replace("\u2069", "")
        readable = details.split("Supervisors")[0]
        assert "ahmed.hassan" in readable and "liisa.korhonen" in readable
        assert "jukka.niemi" not in readable and "old.colleague" not in details
        assert "Not verified with a safety code: liisa.korhonen" in details
        box.reject()
    finally:
        vault.lock()


def test_the_clients_a_team_shares_and_who_reads_them(
        qtbot, tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtWidgets import QInputDialog

    from counsel.teams.membership import team_path
    from counsel.vault import keys

    vault, _code = Vault.create(tmp_path / "v.vault", PASS, kdf=KdfParams.fast_for_tests())
    data = _sample()
    team = data.teams[0]
    copy = Vault.adopt(team_path(vault, team.team_id), team.team_id, keys.new_key(), PASS,
                       kdf=KdfParams.fast_for_tests())
    copy.save(Client(name="Hodan Farah"))
    copy.lock()
    try:
        page = _page(qtbot, vault, loader=lambda _v: data)
        box = page.team_boxes[0]
        assert box.clients_button.isEnabled()
        # the second team has no copy on this computer (an invitation waiting)
        assert not page.team_boxes[1].clients_button.isEnabled()
        monkeypatch.setattr(QInputDialog, "getText", lambda *a, **k: (PASS, True))
        box.clients_button.click()
        qtbot.waitUntil(lambda: isinstance(page.dialog, QMessageBox), timeout=20_000)
        shown = page.dialog
        text = shown.text().replace("\u2068", "").replace("\u2069", "")
        assert "Hodan Farah" in shown.informativeText()
        readers = text.split("Supervisors")[0]
        assert "ahmed.hassan" in readers and "liisa.korhonen" in readers
        assert "jukka.niemi" not in readers and "maria.virtanen" not in readers
        shown.reject()
    finally:
        vault.lock()
