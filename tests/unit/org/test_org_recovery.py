"""Organisation recovery: the officers' key parts open an escrowed master key and nothing
else does (one part, another organisation's key, a tampered or moved escrow)."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest

from counsel.domain import Contact
from counsel.errors import WrongPassphrase
from counsel.org import policy, recovery
from counsel.org.escrow import EscrowError
from counsel.org.policy import OrgPolicy, PolicyError
from counsel.org.recovery_key import RecoveryKeyError, parse_part
from counsel.vault.kdf import KdfParams
from counsel.vault.service import Vault

PASS = "correct horse battery"
NEW = "a brand new passphrase"


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _enrolled(tmp_path: Path, *, split: bool = True) -> tuple[Path, recovery.CreatedKey]:
    made = recovery.create_key(tmp_path / "officers", "org-1", "Example Org", split=split)
    path = tmp_path / "maria.vault"
    vault, _code = Vault.create(path, PASS, kdf=KdfParams.fast_for_tests())
    vault.save(Contact(id="contact0001", name="Jobcentre"))
    policy.pin(vault, made.policy, made.policy.fingerprint)
    recovery.escrow(vault, "maria")
    vault.lock()
    return path, made


def _texts(made: recovery.CreatedKey) -> list[str]:
    return [p.read_text() for p in made.part_files]


def test_recovery_with_both_parts_opens_the_vault_and_sets_a_new_passphrase(
        tmp_path: Path) -> None:
    path, made = _enrolled(tmp_path)
    assert len(made.part_files) == 2
    vault = recovery.recover(path, "maria", _texts(made), NEW)
    assert vault.get("contact0001").name == "Jobcentre"  # type: ignore[attr-defined]
    vault.lock()
    with pytest.raises(WrongPassphrase):
        Vault.unlock(path, PASS)
    again = Vault.unlock(path, NEW)
    assert again.get("contact0001").name == "Jobcentre"  # type: ignore[attr-defined]
    again.lock()


def test_a_whole_key_works_too(tmp_path: Path) -> None:
    path, made = _enrolled(tmp_path, split=False)
    assert len(made.part_files) == 1
    recovery.recover(path, "maria", _texts(made), NEW).lock()
    Vault.unlock(path, NEW).lock()


def test_one_part_alone_opens_nothing_and_changes_nothing(tmp_path: Path) -> None:
    path, made = _enrolled(tmp_path)
    before = _digest(path)
    for text in _texts(made):
        with pytest.raises(RecoveryKeyError):
            recovery.recover(path, "maria", [text], NEW)
    # the same part twice is not two parts
    with pytest.raises(RecoveryKeyError):
        recovery.recover(path, "maria", [_texts(made)[0]] * 2, NEW)
    assert _digest(path) == before
    Vault.unlock(path, PASS).lock()


def test_another_organisations_key_opens_nothing(tmp_path: Path) -> None:
    path, _made = _enrolled(tmp_path)
    other = recovery.create_key(tmp_path / "other", "org-1", "Example Org", split=True)
    before = _digest(path)
    with pytest.raises(EscrowError):
        recovery.recover(path, "maria", _texts(other), NEW)
    assert _digest(path) == before


def test_an_escrow_made_for_another_account_is_refused(tmp_path: Path) -> None:
    path, made = _enrolled(tmp_path)
    with pytest.raises(EscrowError):
        recovery.recover(path, "mallory", _texts(made), NEW)


def test_a_tampered_escrow_is_refused(tmp_path: Path) -> None:
    import sqlite3

    path, made = _enrolled(tmp_path)
    conn = sqlite3.connect(path)
    stored = json.loads(conn.execute("SELECT value FROM meta WHERE key = 'org_escrow'")
                        .fetchone()[0])
    import base64
    sealed = bytearray(base64.b64decode(stored["sealed"]))
    sealed[-1] ^= 1
    stored["sealed"] = base64.b64encode(bytes(sealed)).decode()
    conn.execute("UPDATE meta SET value = ? WHERE key = 'org_escrow'",
                 (json.dumps(stored).encode(),))
    conn.commit()
    conn.close()
    before = _digest(path)
    with pytest.raises(EscrowError):
        recovery.recover(path, "maria", _texts(made), NEW)
    assert _digest(path) == before
    Vault.unlock(path, PASS).lock()


def test_a_mistyped_part_is_refused_by_its_checksum(tmp_path: Path) -> None:
    _path, made = _enrolled(tmp_path)
    parsed = recovery.parse_part_file(_texts(made)[0])
    public = made.policy.recovery_public
    assert public is not None
    good = parsed.part.text(public)
    assert parse_part(good.lower().replace("-", " "), public) == parsed.part
    swapped = ("B" if good[0] != "B" else "C") + good[1:]
    with pytest.raises(RecoveryKeyError):
        parse_part(swapped, public)


def test_pinning_needs_the_printed_fingerprint(tmp_path: Path) -> None:
    made = recovery.create_key(tmp_path / "officers", "org-1", "Example Org", split=False)
    vault, _code = Vault.create(tmp_path / "v.vault", PASS, kdf=KdfParams.fast_for_tests())
    try:
        with pytest.raises(PolicyError):
            policy.pin(vault, made.policy, None)
        with pytest.raises(PolicyError):
            policy.pin(vault, made.policy, "AAAA-BBBB-CCCC-DDDD-EEEE-FFFF")
        assert policy.pinned(vault) is None
        fp = made.policy.fingerprint
        assert fp is not None
        policy.pin(vault, made.policy, fp.lower().replace("-", " "))
        assert policy.pinned(vault) == made.policy
    finally:
        vault.lock()


def test_a_server_swapping_the_org_key_is_caught(tmp_path: Path) -> None:
    made = recovery.create_key(tmp_path / "officers", "org-1", "Example Org", split=False)
    swapped = recovery.create_key(tmp_path / "server", "org-1", "Example Org", split=False)
    vault, _code = Vault.create(tmp_path / "v.vault", PASS, kdf=KdfParams.fast_for_tests())
    try:
        policy.pin(vault, made.policy, made.policy.fingerprint)
        policy.check_offered(vault, made.policy)  # the same key: fine
        with pytest.raises(PolicyError):
            policy.check_offered(vault, swapped.policy)
        # the escrow goes to the pinned key only
        recovery.escrow(vault, "maria")
    finally:
        vault.lock()
    path = tmp_path / "v.vault"
    with pytest.raises(EscrowError):
        recovery.recover(path, "maria", _texts(swapped), NEW)
    recovery.recover(path, "maria", _texts(made), NEW).lock()


def test_policy_file_round_trip_and_refusals(tmp_path: Path) -> None:
    made = recovery.create_key(tmp_path, "org-1", "Example Org", split=True,
                               wipe_on_revoke="if_synced")
    read = OrgPolicy.from_text(made.policy_file.read_text())
    assert read == made.policy and read.wipe_on_revoke == "if_synced"
    for bad in ("[]", "{}", '{"format": 1, "org_id": "x", "wipe_on_revoke": "sometimes"}',
                '{"format": 1, "org_id": "x", "recovery_public": "AAAA"}', "not json"):
        with pytest.raises(PolicyError):
            OrgPolicy.from_text(bad)
