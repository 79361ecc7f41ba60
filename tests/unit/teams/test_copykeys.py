"""Team copies open at unlock without another passphrase derivation (the copy's key kept
sealed in the personal vault: counsel.teams.copykeys), and nothing is weaker for it: the
files without the passphrase open nothing, a kept key moved to another team or another
vault opens nothing, a passphrase change keeps the copies opening, and copies made the old
way (no kept key) open with the passphrase once and are kept from then on."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from counsel.domain import Contact
from counsel.errors import WrongPassphrase
from counsel.teams import copykeys
from counsel.teams.membership import team_path
from counsel.teams.vaultset import VaultSet
from counsel.vault import keyring, keys
from counsel.vault.kdf import KdfParams
from counsel.vault.service import Vault

PASS, NEW = "correct horse battery", "a new passphrase here"
FAST = KdfParams.fast_for_tests()
A, B = "a" * 32, "b" * 32


def _old_install(tmp_path: Path) -> Path:
    """A personal vault and two team copies made as before kept keys (nothing kept)."""
    path = tmp_path / "personal.vault"
    v, _ = Vault.create(path, PASS, kdf=FAST)
    for team_id in (A, B):
        copy = Vault.adopt(team_path(v, team_id), team_id, keys.new_key(), PASS, kdf=FAST)
        copy.save(Contact(id=team_id, name=f"Contact of {team_id[0]}"))
        copy.lock()
    v.lock()
    return path


@pytest.fixture
def derivations(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Counts passphrase derivations made to unlock a file."""
    seen: list[int] = []
    real: Callable[..., bytes] = keyring.derive

    def counted(*args: object) -> bytes:
        seen.append(1)
        return real(*args)

    monkeypatch.setattr(keyring, "derive", counted)
    return seen


def test_copies_open_with_the_kept_key_after_the_first_unlock(
        tmp_path: Path, derivations: list[int]) -> None:
    path = _old_install(tmp_path)
    personal = Vault.unlock(path, PASS)
    vs = VaultSet.open(personal, PASS)  # an old install: one derivation per copy, once
    assert sorted(vs.copies) == [A, B] and len(derivations) == 3
    vs.lock()
    personal.lock()

    derivations.clear()
    personal = Vault.unlock(path, PASS)
    vs = VaultSet.open(personal, PASS)
    assert len(derivations) == 1  # the personal vault's only
    assert vs.problems == []
    assert {c.vault.get(c.team_id).name for c in vs.copies.values()} == {  # type: ignore[attr-defined]
        "Contact of a", "Contact of b"}
    vs.lock()
    personal.lock()


def test_a_passphrase_change_keeps_the_copies_opening(tmp_path: Path) -> None:
    path = _old_install(tmp_path)
    personal = Vault.unlock(path, PASS)
    VaultSet.open(personal, PASS).lock()
    personal.change_passphrase(PASS, NEW)  # rotates the personal vault's keys too
    personal.rotate_keys()
    personal.lock()
    personal = Vault.unlock(path, NEW)
    vs = VaultSet.open(personal, NEW)
    assert sorted(vs.copies) == [A, B] and vs.problems == []
    vs.lock()
    personal.lock()


def test_a_recovery_with_the_printed_code_keeps_the_copies_opening(tmp_path: Path) -> None:
    path = tmp_path / "personal.vault"
    v, code = Vault.create(path, PASS, kdf=FAST)
    membership_copy = Vault.adopt(team_path(v, A), A, keys.new_key(), PASS, kdf=FAST)
    membership_copy.lock()
    VaultSet.open(v, PASS).lock()  # kept from this unlock on
    v.lock()
    # the passphrase is forgotten: recovered with the printed code and a new passphrase
    personal = Vault.recover(path, code, NEW)
    copykeys.after_new_passphrase(personal, NEW)
    vs = VaultSet.open(personal, NEW)
    assert sorted(vs.copies) == [A] and vs.problems == []
    vs.lock()
    Vault.unlock(team_path(personal, A), NEW).lock()  # its own keyring followed
    personal.lock()


CHILD = ("import sys; from counsel.vault import kdf; kdf.allow_fast_for_tests(); "
         "from counsel.cli.main import main; sys.exit(main(sys.argv[1:]))")


def test_counsel_passwd_keeps_old_install_copies_opening(tmp_path: Path) -> None:
    path = _old_install(tmp_path)  # nothing kept yet: passwd keeps the keys first
    env = {**os.environ, "COUNSEL_PASSPHRASE": PASS, "COUNSEL_NEW_PASSPHRASE": NEW,
           "LANGUAGE": "en"}
    done = subprocess.run([sys.executable, "-c", CHILD, "--vault", str(path), "passwd"],
                          env=env, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    personal = Vault.unlock(path, NEW)
    vs = VaultSet.open(personal, NEW)
    assert sorted(vs.copies) == [A, B] and vs.problems == []
    vs.lock()
    # the copies' own keyrings follow: the old passphrase (a leaked one, say) opens none
    for team_id in (A, B):
        with pytest.raises(WrongPassphrase):
            Vault.unlock(team_path(personal, team_id), PASS)
        Vault.unlock(team_path(personal, team_id), NEW).lock()
    personal.lock()


def test_the_files_without_the_passphrase_open_nothing(tmp_path: Path) -> None:
    path = _old_install(tmp_path)
    personal = Vault.unlock(path, PASS)
    vs = VaultSet.open(personal, PASS)
    kept = {c.team_id: c.vault.local.passphrase_key() for c in vs.copies.values()}
    vs.lock()
    personal.lock()
    # the kept keys are nowhere in the files in the clear
    files = b"".join(p.read_bytes() for p in tmp_path.rglob("*") if p.is_file())
    for kek in kept.values():
        assert kek not in files and kek.hex().encode() not in files
    with pytest.raises(WrongPassphrase):
        Vault.unlock(path, "not the passphrase")
    with pytest.raises(WrongPassphrase):
        Vault.unlock(team_path(personal, A), "not the passphrase")

    # team A's kept key put where team B's is kept opens nothing: only B's own key or the
    # passphrase opens B
    personal = Vault.unlock(path, PASS)
    port = personal.sync_port
    port.set_states({copykeys._state(B): port.state(copykeys._state(A)) or ""})
    with pytest.raises(WrongPassphrase):
        copykeys.open_copy(personal, team_path(personal, B), "not the passphrase")
    # ... and a kept key carried into another vault of the same passphrase opens nothing
    sealed = port.state(copykeys._state(A)) or ""
    personal.lock()
    other, _ = Vault.create(tmp_path / "other" / "personal.vault", PASS, kdf=FAST)
    other.sync_port.set_states({copykeys._state(A): sealed})
    with pytest.raises(WrongPassphrase):
        copykeys.open_copy(other, team_path(personal, A), "not the passphrase")
    other.lock()
