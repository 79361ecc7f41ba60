"""Organisation recovery end to end through the commands a person types (docs/teams.md):
the officers make a split key offline, the counsellor pins the policy (which escrows the
master key), forgets the passphrase, and the two officers' printed parts open the vault
with a new one.  One part alone opens nothing and leaves the file as it was."""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
from pathlib import Path

import pytest

from counsel.domain import Contact
from counsel.errors import WrongPassphrase
from counsel.org.policy import OrgPolicy
from counsel.vault.kdf import KdfParams
from counsel.vault.service import Vault

PASS = "correct horse battery"
NEW = "a brand new passphrase"
CHILD = ("import sys; from counsel.vault import kdf; kdf.allow_fast_for_tests(); "
         "from counsel.cli.main import main; sys.exit(main(sys.argv[1:]))")


def _cli(*args: str, passphrase: str = PASS) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "COUNSEL_PASSPHRASE": passphrase, "COUNSEL_NEW_PASSPHRASE": NEW,
           "LANGUAGE": "en"}
    return subprocess.run([sys.executable, "-c", CHILD, *args], env=env,
                          capture_output=True, text=True, timeout=300)


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_escrow_and_recovery_with_two_officers_parts(tmp_path: Path) -> None:
    path = tmp_path / "maria.vault"
    vault, _code = Vault.create(path, PASS, kdf=KdfParams.fast_for_tests())
    vault.save(Contact(id="contact0001", name="Jobcentre"))
    # a team copy on this computer, opened once (its key kept in the personal vault)
    from counsel.teams.membership import team_path
    from counsel.teams.vaultset import VaultSet
    from counsel.vault import keys

    team_id = "t" * 32
    Vault.adopt(team_path(vault, team_id), team_id, keys.new_key(), PASS,
                kdf=KdfParams.fast_for_tests()).lock()
    VaultSet.open(vault, PASS).lock()
    vault.lock()
    officers = tmp_path / "officers"

    made = _cli("org", "recovery-key", "create", "--out", str(officers), "--org-id", "org-1",
                "--name", "Example Org", "--split")
    assert made.returncode == 0, made.stderr
    parts = sorted(officers.glob("org-recovery-key-part-*-of-2.txt"))
    assert len(parts) == 2
    policy_file = officers / "org-policy.json"
    fingerprint = OrgPolicy.from_text(policy_file.read_text()).fingerprint
    assert fingerprint and fingerprint in made.stdout  # what the officers read out

    wrong = _cli("--vault", str(path), "org", "policy", "import", str(policy_file),
                 "--fingerprint", "0" * len(fingerprint), "--account", "maria")
    assert wrong.returncode != 0 and "Traceback" not in wrong.stderr
    pinned = _cli("--vault", str(path), "org", "policy", "import", str(policy_file),
                  "--fingerprint", fingerprint, "--account", "maria")
    assert pinned.returncode == 0, pinned.stderr
    assert "escrowed" in pinned.stdout

    # the passphrase is forgotten: the recovery never asks for it
    before = _digest(path)
    for part in parts:
        alone = _cli("--vault", str(path), "org", "recover", "--account", "maria",
                     "--key-file", str(part), passphrase="forgotten")
        assert alone.returncode != 0 and "Traceback" not in alone.stderr
        assert _digest(path) == before
    other = _cli("--vault", str(path), "org", "recover", "--account", "jonas",
                 "--key-file", str(parts[0]), "--key-file", str(parts[1]),
                 passphrase="forgotten")
    assert other.returncode != 0 and _digest(path) == before

    done = _cli("--vault", str(path), "org", "recover", "--account", "maria",
                "--key-file", str(parts[0]), "--key-file", str(parts[1]),
                passphrase="forgotten")
    assert done.returncode == 0, done.stderr
    with pytest.raises(WrongPassphrase):
        Vault.unlock(path, PASS)
    again = Vault.unlock(path, NEW)
    assert again.get("contact0001").name == "Jobcentre"  # type: ignore[attr-defined]
    # the team copy keeps opening, and its own keyring followed the new passphrase
    vs = VaultSet.open(again, NEW)
    assert list(vs.copies) == [team_id] and vs.problems == []
    vs.lock()
    with pytest.raises(WrongPassphrase):
        Vault.unlock(team_path(again, team_id), PASS)
    again.lock()
