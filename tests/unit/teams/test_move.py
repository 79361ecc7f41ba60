"""Issue 15: ``counsel client move`` re-encrypts a client's records under the destination's
keys and erases them in the source — and a kill between the two loses nothing."""

from __future__ import annotations

import datetime as dt
import os
import signal
import subprocess
import sys
from pathlib import Path

from synchelp import LiveServer

from counsel.domain import Client, Encounter
from counsel.sync import enrol
from counsel.teams import membership
from counsel.vault.kdf import KdfParams
from counsel.vault.service import Vault

PASS = "correct horse battery"
#: the CLI in a child process that may be killed; the vaults were made with fast KDF settings
CHILD = ("import sys; from counsel.vault import kdf; kdf.allow_fast_for_tests(); "
         "from counsel.cli.main import main; sys.exit(main(sys.argv[1:]))")


def _cli(vault: Path, *args: str, fault: str | None = None) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "COUNSEL_PASSPHRASE": PASS}
    env.pop("COUNSEL_SYNC_FAULT", None)
    if fault:
        env["COUNSEL_SYNC_FAULT"] = fault
    return subprocess.run([sys.executable, "-c", CHILD, "--vault", str(vault), *args],
                          env=env, capture_output=True, text=True, timeout=300)


def test_move_to_a_team_and_back_survives_a_kill_in_the_middle(
        tmp_path: Path, live_server: LiveServer) -> None:
    path = tmp_path / "maria" / "personal.vault"
    personal, _ = Vault.create(path, PASS, kdf=KdfParams.fast_for_tests())
    enrol.connect(personal, live_server.url, "maria", PASS,
                  enrol_secret=live_server.storage.create_account("maria"))
    s = membership.session(personal)
    team = membership.create_team(s, "North", PASS, kdf=KdfParams.fast_for_tests())
    team_path = Path(team.path)
    team.lock()
    s.close()
    client = Client(name="Hodan Farah")
    note = Encounter(client=client.id, date=dt.date(2026, 12, 1), situation="Työnhaku alkaa.")
    personal.save_many([client, note])
    personal.lock()

    killed = _cli(path, "client", "move", client.id, "--to", "North", fault="move_after_copy")
    assert killed.returncode == -signal.SIGKILL, killed.stderr
    # killed after the copy, before the erasure: both hold the client, nothing is lost
    personal, team = Vault.unlock(path, PASS), Vault.unlock(team_path, PASS)
    assert personal.exists(client.id) and personal.exists(note.id)
    assert team.get(note.id).situation == "Työnhaku alkaa."  # type: ignore[attr-defined]
    personal.lock()
    team.lock()

    done = _cli(path, "client", "move", client.id, "--to", "North")
    assert done.returncode == 0, done.stderr
    personal, team = Vault.unlock(path, PASS), Vault.unlock(team_path, PASS)
    assert not personal.exists(client.id) and not personal.exists(note.id)
    assert client.id in personal.sync_port.erasure_records()  # the sealed erasure path
    assert team.get(client.id).name == "Hodan Farah"  # type: ignore[attr-defined]
    assert team.sync_port.unsynced_count() == 0  # on the server before the source erased
    personal.lock()
    team.lock()

    back = _cli(path, "client", "move", client.id, "--to", "personal")
    assert back.returncode == 0, back.stderr
    personal, team = Vault.unlock(path, PASS), Vault.unlock(team_path, PASS)
    # an erased id is never reused: back home, the client has a new id everywhere
    back_home = personal.get(note.id)
    assert back_home.situation == "Työnhaku alkaa."  # type: ignore[attr-defined]
    new_id = back_home.client  # type: ignore[attr-defined]
    assert new_id != client.id and personal.get(new_id).name == "Hodan Farah"  # type: ignore
    assert not team.exists(client.id) and not personal.exists(client.id)
    personal.lock()
    team.lock()


def test_a_moved_client_leaves_no_calendar_rule_naming_them_behind(tmp_path: Path) -> None:
    """A vault from before the per-client rules kept them in one general setting: the move's
    erasure in the source cleans that too (counsel.records.erasure_traces)."""
    from counsel.teams.move import move_client
    from counsel.timekeeping.cli import load_rules
    from counsel.timekeeping.matching import Action, MatchRule, rules_to_json
    from counsel.timekeeping.rule_store import RULES_SETTING

    source, _ = Vault.create(tmp_path / "a.vault", PASS, kdf=KdfParams.fast_for_tests())
    dest, _ = Vault.create(tmp_path / "b.vault", PASS, kdf=KdfParams.fast_for_tests())
    try:
        client = Client(name="Hodan Farah")
        source.save(client)
        rule = MatchRule(pattern="Hodan Farah - työhaastattelu", action=Action.VISIBLE,
                         client=client.id)
        source.settings.set(RULES_SETTING, rules_to_json([rule]))  # the old layout
        assert move_client(source, dest, client.id) == 1
        assert load_rules(source) == ()
        assert "Hodan" not in str(source.settings.get(RULES_SETTING))
    finally:
        source.lock()
        dest.lock()
