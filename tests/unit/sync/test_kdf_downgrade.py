"""Issue 11, finding 1: a server that asks for cheap KDF settings gets nothing to crack."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from synchelp import LiveServer

from counsel.cli.main import main as cli_main
from counsel.sync import enrol
from counsel.vault import kdf
from counsel.vault.kdf import KdfParams, WeakKdf
from counsel.vault.service import Vault

PASS = "correct horse battery"


def _enrolled(tmp_path: Path, srv: LiveServer) -> Vault:
    a, _ = Vault.create(tmp_path / "a.vault", PASS, kdf=KdfParams.fast_for_tests())
    enrol.connect(a, srv.url, "maria", PASS, enrol_secret=srv.storage.create_account("maria"))
    return a


def _downgrade_login(srv: LiveServer, m: int, t: int) -> None:
    with srv.storage.transaction(write=True) as db:
        params = json.loads(db.execute(
            "SELECT login_params FROM accounts WHERE name = 'maria'")[0][0])
        params.update(m=m, t=t, p=1)
        db.execute("UPDATE accounts SET login_params = %s WHERE name = 'maria'",
                   (json.dumps(params),))


def _login_attempts(log: io.StringIO) -> int:
    return sum(1 for line in log.getvalue().splitlines() if '"route": "login"' in line)


def test_join_refuses_downgraded_login_params_before_sending(
        tmp_path: Path, live_server: LiveServer, server_log: io.StringIO,
        monkeypatch: pytest.MonkeyPatch) -> None:
    a = _enrolled(tmp_path, live_server)
    _downgrade_login(live_server, 8, 1)
    derived: list[object] = []
    real = kdf.derive
    monkeypatch.setattr(kdf, "derive", lambda *x: derived.append(x) or real(*x))
    with pytest.raises(WeakKdf):
        enrol.join(tmp_path / "b.vault", live_server.url, "maria", PASS)
    assert _login_attempts(server_log) == 0
    assert derived == []
    assert not (tmp_path / "b.vault").exists()
    a.lock()


def test_production_floor_refuses_a_half_strength_server(
        tmp_path: Path, live_server: LiveServer, server_log: io.StringIO,
        monkeypatch: pytest.MonkeyPatch) -> None:
    a = _enrolled(tmp_path, live_server)
    monkeypatch.setattr(kdf, "_floor", kdf.FLOOR)
    _downgrade_login(live_server, 32 * 1024, 3)
    with pytest.raises(WeakKdf):
        enrol.join(tmp_path / "b.vault", live_server.url, "maria", PASS)
    assert _login_attempts(server_log) == 0
    a.lock()


def test_downgraded_keyring_from_the_server_is_refused(
        tmp_path: Path, live_server: LiveServer) -> None:
    a = _enrolled(tmp_path, live_server)
    with live_server.storage.transaction(write=True) as db:
        ring = json.loads(db.execute("SELECT keyring FROM vaults")[0][0])
        ring["kdf"].update(m=8, t=1)
        db.execute("UPDATE vaults SET keyring = %s", (json.dumps(ring),))
    with pytest.raises(WeakKdf):
        enrol.join(tmp_path / "b.vault", live_server.url, "maria", PASS)
    assert not (tmp_path / "b.vault").exists()
    a.lock()


def test_cli_join_exits_non_zero_with_a_clear_message(
        tmp_path: Path, live_server: LiveServer, server_log: io.StringIO,
        monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    a = _enrolled(tmp_path, live_server)
    _downgrade_login(live_server, 8, 1)
    monkeypatch.setenv("COUNSEL_PASSPHRASE", PASS)
    code = cli_main(["--vault", str(tmp_path / "b.vault"), "sync", "--server",
                     live_server.url, "--account", "maria"])
    err = capsys.readouterr().err
    assert code != 0
    assert "weaker than Counsel allows" in err
    assert _login_attempts(server_log) == 0
    a.lock()
