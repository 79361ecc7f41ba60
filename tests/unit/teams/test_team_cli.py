"""``counsel team create|list|verify|invite|join|remove|sync`` as an admin's script would
run them, against a live server: an unverified colleague is refused until confirmed, a
wrong code is refused with a clear message, the invited colleague joins and reads, and
after removal their ``team sync`` is refused while the team's key version goes up."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

from synchelp import LiveServer

from counsel.domain import Contact
from counsel.sync import enrol
from counsel.teams import membership
from counsel.vault.kdf import KdfParams
from counsel.vault.service import Vault

PASS = "correct horse battery"
CHILD = ("import sys; from counsel.vault import kdf; kdf.allow_fast_for_tests(); "
         "from counsel.cli.main import main; sys.exit(main(sys.argv[1:]))")


def _cli(vault: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "COUNSEL_PASSPHRASE": PASS, "LANGUAGE": "en"}
    return subprocess.run([sys.executable, "-c", CHILD, "--vault", str(vault), *args],
                          env=env, capture_output=True, text=True, timeout=300)


def _person(tmp_path: Path, live_server: LiveServer, name: str) -> Path:
    path = tmp_path / name / "personal.vault"
    v, _ = Vault.create(path, PASS, kdf=KdfParams.fast_for_tests())
    enrol.connect(v, live_server.url, name, PASS,
                  enrol_secret=live_server.storage.create_account(name))
    s = membership.session(v)
    membership.ensure_identity(s)
    s.close()
    v.lock()
    return path


def _ok(result: subprocess.CompletedProcess[str]) -> str:
    assert result.returncode == 0, result.stderr
    return result.stdout


def _refused(result: subprocess.CompletedProcess[str]) -> str:
    assert result.returncode != 0 and "Traceback" not in result.stderr, result.stderr
    return result.stderr


def test_create_invite_join_remove_from_the_command_line(
        tmp_path: Path, live_server: LiveServer) -> None:
    maria, jonas = (_person(tmp_path, live_server, n) for n in ("maria", "jonas"))
    team_id = re.search(r"[0-9a-f]{32}", _ok(_cli(maria, "team", "create", "North"))).group()  # type: ignore[union-attr]

    assert "compared safety codes" in _refused(_cli(maria, "team", "invite", "North", "jonas"))
    assert "codes differ" in _refused(
        _cli(maria, "team", "verify", "jonas", "--code", "000 000 000 000 000 000"))
    code = re.search(r"(\d{3} ){5}\d{3}", _ok(_cli(jonas, "team", "verify", "maria"))).group()  # type: ignore[union-attr]
    # both sides compute the same code; Jonas reads his aloud and Maria types it
    assert code in _ok(_cli(maria, "team", "verify", "jonas"))
    assert "verified" in _ok(_cli(maria, "team", "verify", "jonas", "--code", code))
    _ok(_cli(maria, "team", "invite", "North", "jonas"))
    listed = _ok(_cli(maria, "team", "list"))
    assert "North" in listed and re.search(r"jonas\s+member\s+verified", listed)

    team = Vault.unlock(tmp_path / "maria" / "teams" / f"{team_id}.vault", PASS)
    team.save(Contact(id="c" * 32, name="Shared contact"))
    team.lock()
    _ok(_cli(maria, "team", "sync", "North"))
    _ok(_cli(jonas, "team", "join", "North"))
    copy = Vault.unlock(tmp_path / "jonas" / "teams" / f"{team_id}.vault", PASS)
    assert copy.get("c" * 32).name == "Shared contact"  # type: ignore[attr-defined]
    copy.lock()

    assert "key version 1" in _ok(_cli(maria, "team", "remove", "North", "jonas"))
    # Jonas wrote offline before hearing of it: his team sync handles the removal as the
    # app's does — exit 3, says why, the copy set aside (encrypted) since it holds that
    copy_path = tmp_path / "jonas" / "teams" / f"{team_id}.vault"
    copy = Vault.unlock(copy_path, PASS)
    copy.save(Contact(id="d" * 32, name="Written offline"))
    copy.lock()
    left = _cli(jonas, "team", "sync", "North")
    assert left.returncode == 3 and "Traceback" not in left.stderr, left.stderr
    assert "no longer a member" in left.stderr and ".vault.removed" in left.stderr
    assert not copy_path.exists()
    kept = Vault.unlock(copy_path.with_name(copy_path.name + ".removed"), PASS)
    assert kept.get("d" * 32).name == "Written offline"  # type: ignore[attr-defined]
    kept.lock()
    # the team is gone from this computer now: a second sync is an error, not a removal
    assert _refused(_cli(jonas, "team", "sync", "North"))
    assert "key version 1" in _ok(_cli(maria, "team", "list"))
    assert "No team called Nowhere" in _refused(_cli(maria, "team", "invite", "Nowhere", "x"))
