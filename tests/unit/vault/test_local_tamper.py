"""Issue 11, finding 7: rolling a vault file back by hand — a head pointed at an older
revision, the newest revision deleted, revisions relabelled with an erased key — shows as
damage in `check` (exit 3) and in the app, and the damage is remembered."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from counsel.cli.main import main as cli_main
from counsel.domain import Client, Contact
from counsel.vault.kdf import KdfParams
from counsel.vault.service import Vault

PASS = "correct horse battery"


def _made(tmp_path: Path) -> Path:
    path = tmp_path / "v.vault"
    v, _ = Vault.create(path, PASS, kdf=KdfParams.fast_for_tests())
    v.save(Contact(id="contact1", name="First name"))
    v.save(v.get("contact1").replace(name="Second name"))  # type: ignore[attr-defined]
    v.save(Contact(id="contact2", name="Other"))
    gone = Client(name="Erased Person")
    v.save(gone)
    v.erase_client(gone.id)
    v.lock()
    return path


def _sql(path: Path, sql: str, params: tuple[object, ...] = ()) -> list[tuple[object, ...]]:
    conn = sqlite3.connect(path)
    try:
        rows = conn.execute(sql, params).fetchall()
        conn.commit()
        return rows
    finally:
        conn.close()


def _first_rev(path: Path, record: str) -> str:
    return str(_sql(path, "SELECT rev_id FROM revisions WHERE record_id=? ORDER BY local_seq",
                    (record,))[0][0])


def _check(path: Path, monkeypatch: pytest.MonkeyPatch,
           capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    monkeypatch.setenv("COUNSEL_PASSPHRASE", PASS)
    code = cli_main(["--vault", str(path), "check"])
    return code, capsys.readouterr().out


def test_head_pointed_back_is_damage(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                     capsys: pytest.CaptureFixture[str]) -> None:
    path = _made(tmp_path)
    _sql(path, "UPDATE heads SET rev_id=? WHERE record_id='contact1'",
         (_first_rev(path, "contact1"),))
    v = Vault.unlock(path, PASS)
    assert "contact1" in v.damaged()
    v.lock()
    code, out = _check(path, monkeypatch, capsys)
    assert code == 3 and "DAMAGED contact1: " in out and "(revision )" not in out


def test_newest_revision_deleted_is_damage(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                           capsys: pytest.CaptureFixture[str]) -> None:
    path = _made(tmp_path)
    newest = _sql(path, "SELECT rev_id FROM revisions WHERE record_id='contact1' "
                  "ORDER BY local_seq DESC LIMIT 1")[0][0]
    first = _first_rev(path, "contact1")
    _sql(path, "DELETE FROM revisions WHERE rev_id=?", (newest,))
    _sql(path, "DELETE FROM heads WHERE record_id='contact1'")
    _sql(path, "INSERT INTO heads(record_id, rev_id) VALUES ('contact1', ?)", (first,))
    v = Vault.unlock(path, PASS)
    assert v.damaged(), "a rollback of the newest change went unnoticed"
    v.lock()
    code, _out = _check(path, monkeypatch, capsys)
    assert code == 3


def test_relabelled_with_an_erased_key_is_damage(tmp_path: Path,
                                                 monkeypatch: pytest.MonkeyPatch,
                                                 capsys: pytest.CaptureFixture[str]) -> None:
    path = _made(tmp_path)
    erased = _sql(path, "SELECT key_id FROM erased")[0][0]
    _sql(path, "UPDATE revisions SET key_id=? WHERE record_id='contact2'", (erased,))
    v = Vault.unlock(path, PASS)
    assert "contact2" in v.damaged()
    v.lock()
    code, out = _check(path, monkeypatch, capsys)
    assert code == 3 and "contact2" in out


def test_damage_is_remembered_across_the_unlock_cache(tmp_path: Path,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    from counsel.vault import current

    monkeypatch.setattr(current, "SNAPSHOT_MIN_RECORDS", 1)
    path = _made(tmp_path)
    _sql(path, "UPDATE heads SET rev_id=? WHERE record_id='contact1'",
         (_first_rev(path, "contact1"),))
    v = Vault.unlock(path, PASS)
    assert "contact1" in v.damaged()
    v.lock()  # writes the unlock cache
    again = Vault.unlock(path, PASS)
    try:
        assert "contact1" in again.damaged()
    finally:
        again.lock()


def test_untouched_vault_has_no_damage(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                       capsys: pytest.CaptureFixture[str]) -> None:
    path = _made(tmp_path)
    v = Vault.unlock(path, PASS)
    assert v.damaged() == {}
    assert v.get("contact1").name == "Second name"  # type: ignore[attr-defined]
    v.lock()
    code, _ = _check(path, monkeypatch, capsys)
    assert code == 0
