"""Issue 11, findings 1, 7 and 8 on the local side: files only their owner can read, any
vault path works, `check` runs SQLite's integrity check, weak KDF settings in a file are
refused before anything is derived."""

from __future__ import annotations

import json
import os
import sqlite3
from pathlib import Path

import pytest

from counsel.cli.main import main as cli_main
from counsel.domain import Contact
from counsel.vault import kdf
from counsel.vault.kdf import KdfParams, WeakKdf
from counsel.vault.service import Vault

PASS = "correct horse battery"


def test_vault_and_wal_are_created_owner_only(tmp_path: Path) -> None:
    old = os.umask(0o022)
    try:
        v, _ = Vault.create(tmp_path / "v.vault", PASS, kdf=KdfParams.fast_for_tests())
        v.save(Contact(id="c0000001", name="Someone"))
        files = [p for p in tmp_path.iterdir() if p.name.startswith("v.vault")]
        assert any(p.name.endswith("-wal") for p in files)
        for p in files:
            assert p.stat().st_mode & 0o077 == 0, (p.name, oct(p.stat().st_mode))
        v.lock()
    finally:
        os.umask(old)


@pytest.mark.parametrize("name", ["Clients #2/v.vault", "what?/v.vault", "100%/v?x#y.vault"])
def test_any_vault_path_works(tmp_path: Path, name: str) -> None:
    path = tmp_path / name
    v, _ = Vault.create(path, PASS, kdf=KdfParams.fast_for_tests())
    v.save(Contact(id="c0000001", name="Someone"))
    v.lock()
    again = Vault.unlock(path, PASS)
    assert again.get("c0000001").name == "Someone"  # type: ignore[attr-defined]
    again.lock()


def test_failed_create_leaves_no_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "v.vault"

    def broken(*args: object, **kwargs: object) -> Vault:
        raise sqlite3.DatabaseError("simulated failure opening the new vault")

    monkeypatch.setattr(Vault, "open", classmethod(broken))
    with pytest.raises(sqlite3.DatabaseError):
        Vault.create(path, PASS, kdf=KdfParams.fast_for_tests())
    assert list(tmp_path.iterdir()) == []


def test_check_runs_sqlite_integrity_check(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                           monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "v.vault"
    v, _ = Vault.create(path, PASS, kdf=KdfParams.fast_for_tests())
    v.save_many([Contact(id=f"c{i:07d}", name=f"N {i}") for i in range(30)])
    v.lock()
    # Corrupt an index nobody reads when opening envelopes: declare the key_id index as
    # an index on record_id.  Every envelope still opens; the b-tree is now wrong.
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA writable_schema=ON")
    conn.execute("UPDATE sqlite_master SET sql=replace(sql, '(key_id)', '(record_id)') "
                 "WHERE name='revisions_key'")
    conn.commit()
    conn.close()
    monkeypatch.setenv("COUNSEL_PASSPHRASE", PASS)
    code = cli_main(["--vault", str(path), "check"])
    out = capsys.readouterr().out
    assert code == 3, out
    assert "DAMAGED FILE STRUCTURE" in out


def _weaken(path: Path, m: int, t: int) -> None:
    conn = sqlite3.connect(path)
    ring = json.loads(conn.execute("SELECT value FROM meta WHERE key='keyring'").fetchone()[0])
    ring["kdf"].update(m=m, t=t)
    conn.execute("UPDATE meta SET value=? WHERE key='keyring'", (json.dumps(ring).encode(),))
    conn.commit()
    conn.close()


def test_weak_kdf_in_a_file_is_refused_before_deriving(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "v.vault"
    v, _ = Vault.create(path, PASS, kdf=KdfParams.fast_for_tests())
    v.lock()
    _weaken(path, 8, 1)
    derived: list[object] = []
    real = kdf.derive
    monkeypatch.setattr(kdf, "derive", lambda *a: derived.append(a) or real(*a))
    with pytest.raises(WeakKdf):
        Vault.unlock(path, PASS)
    assert derived == []
    monkeypatch.setenv("COUNSEL_PASSPHRASE", PASS)
    assert cli_main(["--vault", str(path), "check"]) != 0
    assert "weaker" in capsys.readouterr().err


def test_production_floor_refuses_below_64_mib_or_3_passes(
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(kdf, "_floor", kdf.FLOOR)
    good = KdfParams.new()
    assert KdfParams.from_json(good.to_json()) == good
    for m, t in [(8, 1), (32 * 1024, 3), (64 * 1024, 2), (1024, 1)]:
        bad = {**good.to_json(), "m": m, "t": t}
        with pytest.raises(WeakKdf):
            KdfParams.from_json(bad)
    with pytest.raises(WeakKdf):
        KdfParams.from_json(good.to_json(), at_least=KdfParams.new(memory_kib=128 * 1024))
    with pytest.raises(WeakKdf):
        kdf.derive(PASS, KdfParams.new(memory_kib=8, iterations=1, lanes=1))


def test_the_test_floor_still_refuses_the_8_kib_downgrade() -> None:
    KdfParams.fast_for_tests()
    assert kdf.current_floor() == kdf.TEST_FLOOR
    with pytest.raises(WeakKdf):
        KdfParams.from_json({**KdfParams.fast_for_tests().to_json(), "m": 8})
