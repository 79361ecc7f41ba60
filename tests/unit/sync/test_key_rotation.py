"""Issue 11, finding 6: recovering re-uploads the keyring and login; a new recovery code
replaces the old one here and on the server."""

from __future__ import annotations

from pathlib import Path

import pytest
from synchelp import LiveServer

from counsel.cli.main import main as cli_main
from counsel.errors import KnownError, WrongRecoveryCode
from counsel.sync import enrol
from counsel.sync.transport import Transport
from counsel.vault import keys
from counsel.vault.kdf import KdfParams
from counsel.vault.service import Vault

PASS = "correct horse battery"
NEW = "a brand new passphrase"


def test_recover_moves_the_login_and_keyring(tmp_path: Path, live_server: LiveServer,
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    a, code = Vault.create(tmp_path / "a.vault", PASS, kdf=KdfParams.fast_for_tests())
    enrol.connect(a, live_server.url, "maria", PASS,
                  enrol_secret=live_server.storage.create_account("maria"))
    a.lock()
    monkeypatch.setenv("COUNSEL_RECOVERY_CODE", code)
    monkeypatch.setenv("COUNSEL_NEW_PASSPHRASE", NEW)
    assert cli_main(["--vault", str(tmp_path / "a.vault"), "recover"]) == 0
    with pytest.raises(KnownError):
        enrol.join(tmp_path / "old.vault", live_server.url, "maria", PASS)
    b = enrol.join(tmp_path / "b.vault", live_server.url, "maria", NEW)
    b.lock()


def test_new_recovery_code_replaces_the_old_one_on_the_server(
        tmp_path: Path, live_server: LiveServer) -> None:
    a, old = Vault.create(tmp_path / "a.vault", PASS, kdf=KdfParams.fast_for_tests())
    creds = enrol.connect(a, live_server.url, "maria", PASS,
                          enrol_secret=live_server.storage.create_account("maria"))
    new, uploaded = enrol.replace_recovery_code(a)
    assert uploaded and new != old
    with Transport(creds.url, creds.token) as t:
        ring = keys.Keyring.from_json(t.keyring(a.vault_id))
    with pytest.raises(WrongRecoveryCode):
        keys.unlock_with_recovery(ring, old)
    keys.unlock_with_recovery(ring, new)
    a.lock()
    with pytest.raises(WrongRecoveryCode):
        Vault.recover(tmp_path / "a.vault", old, NEW)
