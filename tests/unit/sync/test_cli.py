"""``counsel sync`` and ``counsel-server`` from the command line."""

from __future__ import annotations

from pathlib import Path

import pytest
from synchelp import LiveServer

from counsel.cli import main as cli
from counsel.domain import Contact
from counsel.server import cli as server_cli
from counsel.vault.kdf import KdfParams
from counsel.vault.service import Vault

PASS = "correct horse battery"


def test_enrol_sync_join_status_and_sign_out(tmp_path: Path, live_server: LiveServer,
                                             monkeypatch: pytest.MonkeyPatch,
                                             capsys: pytest.CaptureFixture[str]) -> None:
    a, _ = Vault.create(tmp_path / "a.vault", PASS, kdf=KdfParams.fast_for_tests())
    a.save(Contact(id="contact0001", name="Jobcentre"))
    a.lock()
    monkeypatch.setenv("COUNSEL_PASSPHRASE", PASS)
    monkeypatch.setenv("COUNSEL_ENROL_SECRET", live_server.storage.create_account("maria"))
    va = ["--vault", str(tmp_path / "a.vault")]
    assert cli.main([*va, "sync", "--server", live_server.url, "--account", "maria"]) == 0
    assert "Sent 1 change.\nReceived changes to 0 records." in capsys.readouterr().out

    # A second laptop: no vault yet; account + passphrase are enough.
    monkeypatch.delenv("COUNSEL_ENROL_SECRET")
    vb = ["--vault", str(tmp_path / "b.vault")]
    assert cli.main([*vb, "sync", "--server", live_server.url, "--account", "maria"]) == 0
    assert "1 records downloaded" in capsys.readouterr().out

    b = Vault.unlock(tmp_path / "b.vault", PASS)
    b.save(b.get("contact0001").replace(phone="123"))  # type: ignore[attr-defined]
    b.lock()
    assert cli.main([*vb, "sync", "--status"]) == 0
    assert "waiting to be sent: 1" in capsys.readouterr().out
    assert cli.main([*vb, "sync", "--sign-out"]) == 1  # refuses: unsynced work
    assert "have not reached the server" in capsys.readouterr().err
    assert cli.main([*vb, "sync"]) == 0
    assert cli.main([*va, "sync"]) == 0
    assert "Received changes to 1 record." in capsys.readouterr().out
    assert cli.main([*vb, "sync", "--sign-out"]) == 0
    assert cli.main([*vb, "sync"]) == 1  # signed out: says how to set it up again
    assert "--server" in capsys.readouterr().err


def test_server_cli_add_account_and_grant(tmp_path: Path,
                                          capsys: pytest.CaptureFixture[str]) -> None:
    db = ["--db", str(tmp_path / "s.sqlite3")]
    assert server_cli.main([*db, "migrate"]) == 0
    assert server_cli.main([*db, "add-account", "maria"]) == 0
    secret = capsys.readouterr().out.strip().splitlines()[-1]
    assert len(secret) >= 40
    assert server_cli.main([*db, "add-account", "maria"]) == 1
    assert "exists" in capsys.readouterr().err
    assert server_cli.main([*db, "grant", "f" * 32, "maria"]) == 1
    assert server_cli.main([*db, "devices", "maria", "--json"]) == 0
    assert capsys.readouterr().out.strip() == "[]"


def test_sync_report_says_when_changes_were_sent_again(
        capsys: pytest.CaptureFixture[str]) -> None:
    from counsel.sync.cli import _print_report
    from counsel.sync.client import SyncReport

    _print_report(SyncReport(7, 0, (), (), 0, 0, resent=7))
    assert "restored from a backup?" in capsys.readouterr().out
    _print_report(SyncReport(1, 0, (), (), 0, 0))
    assert "backup" not in capsys.readouterr().out


def test_each_warning_is_said_once(tmp_path: Path, live_server: LiveServer,
                                   monkeypatch: pytest.MonkeyPatch,
                                   capsys: pytest.CaptureFixture[str]) -> None:
    """Alarms are kept per device and change; several can read the same (two refused
    changes of one device): `counsel sync`, `--status` and the app's list say each once."""
    from counsel.sync.status import warnings
    from counsel.vault.history import gap_alarm, reparented_alarm

    a, _ = Vault.create(tmp_path / "a.vault", PASS, kdf=KdfParams.fast_for_tests())
    a.lock()
    monkeypatch.setenv("COUNSEL_PASSPHRASE", PASS)
    monkeypatch.setenv("COUNSEL_ENROL_SECRET", live_server.storage.create_account("maria"))
    va = ["--vault", str(tmp_path / "a.vault")]
    assert cli.main([*va, "sync", "--server", live_server.url, "--account", "maria"]) == 0
    a = Vault.unlock(tmp_path / "a.vault", PASS)
    device = "d" * 32
    same = [reparented_alarm(device, n) for n in (3, 4, 5)]
    assert len({x.message for x in same}) == 1 and len(same) == 3
    a.trust.remember([*same, gap_alarm(device, 9)])
    assert len(a.trust.alarms()) == 4
    assert warnings(a) == (same[0].message, gap_alarm(device, 9).message)
    a.lock()
    capsys.readouterr()

    assert cli.main([*va, "sync"]) == 4  # WARNED
    err = [line for line in capsys.readouterr().err.splitlines() if line.startswith("Warning")]
    assert err == [f"Warning: {same[0].message}", f"Warning: {gap_alarm(device, 9).message}"]
    assert cli.main([*va, "sync", "--status"]) == 0
    out = [line for line in capsys.readouterr().out.splitlines() if line.startswith("Warning")]
    assert out == err
