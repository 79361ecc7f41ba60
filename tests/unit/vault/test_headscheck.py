"""The heads digest computed by a helper process beside the unlock (counsel.vault.headscheck):
the same answer as in-process, the same damage found, nothing shown from a damaged file, and
an in-process fallback whenever the helper gives no answer."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from rawsql import sql as _sql

from counsel.domain import Client, Contact
from counsel.vault import current, headscheck, integrity
from counsel.vault.kdf import KdfParams
from counsel.vault.service import Vault

PASS = "correct horse battery"


@pytest.fixture
def helper_always(monkeypatch: pytest.MonkeyPatch) -> list[list[str]]:
    """Use the helper process for any vault size; record the command lines it ran."""
    monkeypatch.setattr(headscheck, "THRESHOLD", 0)
    started: list[list[str]] = []
    real = subprocess.Popen

    def popen(args, *a, **kw):  # type: ignore[no-untyped-def]
        started.append([str(x) for x in args])
        return real(args, *a, **kw)

    monkeypatch.setattr(headscheck.subprocess, "Popen", popen)
    return started


def _made(tmp_path: Path) -> Path:
    path = tmp_path / "v.vault"
    v, _ = Vault.create(path, PASS, kdf=KdfParams.fast_for_tests())
    v.save(Contact(id="contact1", name="First name"))
    v.save(v.get("contact1").replace(name="Second name"))  # type: ignore[attr-defined]
    # a record whose id sorts below the split: its head is hashed by the helper, not here
    v.save(Contact(id="0contact", name="Old zero"))
    v.save(v.get("0contact").replace(name="New zero"))  # type: ignore[attr-defined]
    for i in range(30):
        v.save(Client(name=f"Client {i}"))
    v.lock()
    return path


def _point_back(path: Path, record: str = "contact1") -> None:
    first = _sql(path, "SELECT rev_id FROM revisions WHERE record_id=? ORDER BY local_seq",
                 (record,))[0][0]
    _sql(path, "UPDATE heads SET rev_id=? WHERE record_id=?", (first, record))


def test_the_helper_gives_the_in_process_answer(tmp_path: Path,
                                                helper_always: list[list[str]]) -> None:
    from counsel.vault.store import Store

    path = _made(tmp_path)
    key = b"k" * 32
    pending = headscheck.start(path, key, 1)
    assert pending is not None
    got = pending.result()
    assert got is not None
    st = Store.open(path)
    try:
        whole = integrity.heads_digest(key, st.heads_as_bytes())
        rest = st.heads_digest(key, got.split)
        want = headscheck.Facts(integrity.heads_digest(
            key, [r for r in st.heads_as_bytes() if r[0].decode() < got.split]),
            st.chain_counts())
    finally:
        st.close()
    assert got == want and whole[1] == 32  # the two contacts and 30 clients
    assert 0 < got.heads[1] < 32  # both halves hold rows
    assert (got.heads[0] ^ rest[0], got.heads[1] + rest[1]) == whole
    assert sum(n for n, _top in want.chains.values()) == 34  # and the contacts' renames
    # the key went over the pipe, not the command line (visible to every user in ps)
    assert helper_always and not any(key.hex() in arg for arg in helper_always[0])


def test_a_deleted_older_change_is_found_through_the_helper(
        tmp_path: Path, helper_always: list[list[str]]) -> None:
    path = _made(tmp_path)
    first = _sql(path, "SELECT rev_id FROM revisions WHERE record_id='contact1' "
                 "ORDER BY local_seq")[0][0]
    _sql(path, "DELETE FROM revisions WHERE rev_id=?", (first,))
    v = Vault.unlock(path, PASS)
    try:
        assert any(k.startswith("history:") for k in v.damaged())
    finally:
        v.lock()
    assert helper_always


def test_an_untouched_vault_opens_without_damage_through_the_helper(
        tmp_path: Path, helper_always: list[list[str]]) -> None:
    path = _made(tmp_path)
    v = Vault.unlock(path, PASS)
    try:
        assert v.damaged() == {}
        assert len(v.clients()) == 30
    finally:
        v.lock()
    assert helper_always, "the helper process was not used"


@pytest.mark.parametrize("record,old,new", [("contact1", "First name", "Second name"),
                                            ("0contact", "Old zero", "New zero")])
@pytest.mark.parametrize("cached", [False, True])
def test_a_head_pointed_back_is_found_and_not_shown(tmp_path: Path,
                                                    monkeypatch: pytest.MonkeyPatch,
                                                    helper_always: list[list[str]],
                                                    cached: bool, record: str, old: str,
                                                    new: str) -> None:
    """Without a cache the working set is first built from the tampered heads (it shows
    the older name); the check, answered by the helper, finds the damage and the working
    set is rebuilt from the repaired file before the vault is handed out."""
    monkeypatch.setattr(current, "SNAPSHOT_MIN_RECORDS", 1 if cached else 10**9)
    path = _made(tmp_path)
    if cached:
        Vault.unlock(path, PASS).lock()  # writes the unlock cache
    assert current.snapshot.cache_path(path).exists() is cached
    assert (record < headscheck.SPLIT) is (record == "0contact")  # one in each half
    _point_back(path, record)
    v = Vault.unlock(path, PASS)
    try:
        assert record in v.damaged()
        assert v.get(record).name == new  # type: ignore[attr-defined]
        assert not v.search(old)
    finally:
        v.lock()
    assert helper_always


@pytest.mark.parametrize("executable", ["/bin/false", "/nonexistent/python"])
def test_no_answer_from_the_helper_checks_in_process(tmp_path: Path,
                                                     monkeypatch: pytest.MonkeyPatch,
                                                     executable: str) -> None:
    monkeypatch.setattr(headscheck, "THRESHOLD", 0)
    path = _made(tmp_path)
    _point_back(path)
    monkeypatch.setattr(sys, "executable", executable)
    v = Vault.unlock(path, PASS)
    try:
        assert "contact1" in v.damaged()
        assert v.get("contact1").name == "Second name"  # type: ignore[attr-defined]
    finally:
        v.lock()


def test_a_failed_open_stops_the_helper(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(headscheck, "THRESHOLD", 0)
    path = _made(tmp_path)
    made: list[headscheck.Pending] = []
    real_start = headscheck.start

    def start(*a, **kw):  # type: ignore[no-untyped-def]
        pending = real_start(*a, **kw)
        assert pending is not None
        made.append(pending)
        return pending

    def broken(*a, **kw):  # type: ignore[no-untyped-def]
        raise RuntimeError("working set broke")

    monkeypatch.setattr(headscheck, "start", start)
    monkeypatch.setattr(current, "Current", broken)
    with pytest.raises(RuntimeError):
        Vault.unlock(path, PASS)
    assert made and made[0]._proc.poll() is not None


def test_small_vaults_and_old_states_are_checked_in_process(tmp_path: Path) -> None:
    assert headscheck.start(tmp_path / "v.vault", b"k" * 32, headscheck.THRESHOLD - 1) is None
    assert headscheck.start(tmp_path / "v.vault", None, 10**6) is None  # format-1 state
    assert headscheck.start(None, b"k" * 32, 10**6) is None  # in-memory store


def test_the_digest_read_in_chunks_is_the_whole_digest(tmp_path: Path) -> None:
    path = _made(tmp_path)
    key = b"k" * 32
    conn = sqlite3.connect(path)
    try:
        rows = conn.execute(headscheck.SQL).fetchall()
        whole = headscheck.fold(headscheck.keyed_all(key, rows))
        assert headscheck.digest_rows(key, conn.execute(headscheck.SQL), size=3) == whole
        assert whole[1] == 32
    finally:
        conn.close()
