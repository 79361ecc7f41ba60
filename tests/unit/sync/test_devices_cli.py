"""``counsel devices list|rename|revoke`` as an admin's script runs them: both computers
listed, one renamed and revoked by its new name, the revoked one refused by the server;
an unknown name is a clear error with a non-zero exit and revokes nothing."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from synchelp import LiveServer
from synchelp import sync_once as _sync

from counsel.domain import Contact
from counsel.sync import credentials, enrol
from counsel.sync.transport import DeviceRevoked
from counsel.vault.kdf import KdfParams
from counsel.vault.service import Vault

PASS = "correct horse battery"
CHILD = ("import sys; from counsel.vault import kdf; kdf.allow_fast_for_tests(); "
         "from counsel.cli.main import main; sys.exit(main(sys.argv[1:]))")


def _cli(vault: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "COUNSEL_PASSPHRASE": PASS, "LANGUAGE": "en"}
    return subprocess.run([sys.executable, "-c", CHILD, "--vault", str(vault), *args],
                          env=env, capture_output=True, text=True, timeout=300)


def test_list_rename_and_revoke_from_the_command_line(
        tmp_path: Path, live_server: LiveServer) -> None:
    path = tmp_path / "a.vault"
    a, _ = Vault.create(path, PASS, kdf=KdfParams.fast_for_tests())
    enrol.connect(a, live_server.url, "maria", PASS,
                  enrol_secret=live_server.storage.create_account("maria"))
    a.save(Contact(id="contact0001", name="Jobcentre"))
    _sync(a)
    b = enrol.join(tmp_path / "b.vault", live_server.url, "maria", PASS, name="tablet")
    creds = credentials.load(b)
    assert creds is not None
    a.lock()

    listed = _cli(path, "devices", "list")
    assert listed.returncode == 0, listed.stderr
    assert creds.device_id[:12] in listed.stdout and "tablet" in listed.stdout
    assert "this computer" in listed.stdout

    unknown = _cli(path, "devices", "revoke", "no-such-computer")
    assert unknown.returncode != 0 and "Traceback" not in unknown.stderr
    _sync(b)  # still served

    renamed = _cli(path, "devices", "rename", creds.device_id[:8], "old tablet")
    assert renamed.returncode == 0, renamed.stderr
    revoked = _cli(path, "devices", "revoke", "old tablet")
    assert revoked.returncode == 0, revoked.stderr
    assert "refuses it from now on" in revoked.stdout
    with pytest.raises(DeviceRevoked):
        _sync(b)
    after = _cli(path, "devices", "list")
    assert "old tablet" in after.stdout and "revoked" in after.stdout
    b.lock()
