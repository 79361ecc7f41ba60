"""Fault budgets of QUALITY.md for the vault: each a test that can fail."""

from __future__ import annotations

import hashlib
import logging
import os
import signal
import sqlite3
import subprocess
import sys
import tempfile
import textwrap
import time
from pathlib import Path

import pytest
from soak import soak

from counsel.domain import Client, Encounter
from counsel.errors import NewerVaultFormat, VaultError
from counsel.vault.kdf import KdfParams
from counsel.vault.service import Vault

PASS = "correct horse battery"
ROOT = Path(__file__).resolve().parents[3]
CANARY = "CANARY-7f3a9c-kohtaava"


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _all_bytes_under(folder: Path) -> bytes:
    return b"".join(p.read_bytes() for p in folder.rglob("*") if p.is_file())


def test_canary_never_on_disk_in_plaintext(
    tmp_path: Path, caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    tmpdir = tmp_path / "tmp"
    tmpdir.mkdir()
    monkeypatch.setenv("TMPDIR", str(tmpdir))
    monkeypatch.setattr(tempfile, "tempdir", str(tmpdir))
    import counsel.vault.current as current

    monkeypatch.setattr(current, "SNAPSHOT_MIN_RECORDS", 1)  # the cache file is written too
    caplog.set_level(logging.DEBUG, logger="counsel")
    path = tmp_path / "v" / "canary.vault"
    v, _ = Vault.create(path, PASS, kdf=KdfParams.fast_for_tests())
    c = Client(name=f"{CANARY} name")
    v.save(c)
    e = Encounter(
        client=c.id,
        date=__import__("datetime").date(2026, 1, 5),
        situation=f"{CANARY} lost his family",
        notes=CANARY * 20,
    )
    v.save(e)
    v.save(e.replace(notes=f"edited {CANARY}"))
    v.drafts.save(f"{c.id}:enc", {"text": CANARY})
    v.check()
    # while open: the WAL holds the recent writes
    on_disk_open = _all_bytes_under(path.parent)
    v.lock()
    on_disk_closed = _all_bytes_under(path.parent)
    needle = CANARY.encode()
    for blob in (on_disk_open, on_disk_closed, _all_bytes_under(tmpdir)):
        assert needle not in blob
        assert CANARY.encode("utf-16-le") not in blob
    assert CANARY not in caplog.text
    assert (path.parent / "canary.vault.wscache").exists()  # the check looked at it


def test_truncated_file_clear_error_untouched(tmp_path: Path) -> None:
    path = tmp_path / "t.vault"
    v, _ = Vault.create(path, PASS, kdf=KdfParams.fast_for_tests())
    for i in range(50):
        v.save(Client(name=f"Client {i}"))
    v.lock()
    data = path.read_bytes()
    for cut in (10, 100, len(data) // 2):
        path.write_bytes(data[:cut])
        before = _digest(path)
        with pytest.raises(VaultError) as err:
            Vault.unlock(path, PASS)
        assert err.value.help()
        assert _digest(path) == before
        assert sorted(p.name for p in tmp_path.iterdir()) == ["t.vault"]


def test_newer_schema_refused_untouched(tmp_path: Path) -> None:
    path = tmp_path / "n.vault"
    v, _ = Vault.create(path, PASS, kdf=KdfParams.fast_for_tests())
    v.lock()
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA user_version = 99")
    conn.commit()
    conn.close()
    before = _digest(path)
    with pytest.raises(NewerVaultFormat) as err:
        Vault.unlock(path, PASS)
    assert "99" in str(err.value)
    assert _digest(path) == before


def test_flipped_byte_reported_per_record_others_readable(tmp_path: Path) -> None:
    path = tmp_path / "f.vault"
    v, _ = Vault.create(path, PASS, kdf=KdfParams.fast_for_tests())
    good = [Client(name=f"Good {i}") for i in range(5)]
    bad = Client(name="Will be damaged")
    v.save_many([*good, bad])
    (env,) = v.store.conn.execute(
        "SELECT envelope FROM revisions WHERE record_id=?", (bad.id,)
    ).fetchone()
    flipped = bytearray(env)
    flipped[20] ^= 0xFF
    v.store.conn.execute(
        "UPDATE revisions SET envelope=? WHERE record_id=?", (bytes(flipped), bad.id)
    )
    v.lock()
    v2 = Vault.unlock(path, PASS)  # no crash
    report = v2.check()
    assert [d.record_id for d in report.damaged] == [bad.id]
    assert all(v2.get(c.id) == c for c in good)
    assert bad.id in v2.damaged() and not v2.exists(bad.id)
    v2.lock()


def test_envelope_copied_onto_another_record_fails(tmp_path: Path) -> None:
    path = tmp_path / "s.vault"
    v, _ = Vault.create(path, PASS, kdf=KdfParams.fast_for_tests())
    a, b = Client(name="Alpha"), Client(name="Beta")
    v.save_many([a, b])
    c = Encounter(client=a.id, date=__import__("datetime").date(2026, 2, 2), situation="x")
    d = Encounter(client=a.id, date=__import__("datetime").date(2026, 2, 3), situation="y")
    v.save_many([c, d])
    v.store.conn.execute(
        "UPDATE revisions SET envelope=(SELECT envelope FROM revisions WHERE record_id=?) "
        "WHERE record_id=?",
        (c.id, d.id),
    )
    report = v.check()
    assert {x.record_id for x in report.damaged} == {d.id}
    v.lock()
    v2 = Vault.unlock(path, PASS)
    assert v2.get(c.id) == c and not v2.exists(d.id)
    v2.lock()


WRITER = textwrap.dedent("""
    import sys, datetime as dt
    from pathlib import Path
    from counsel.domain import Client, Encounter
    from counsel.vault import kdf
    from counsel.vault.service import Vault
    kdf.allow_fast_for_tests()  # the parent made the vault with fast test settings
    v = Vault.unlock(Path(sys.argv[1]), sys.argv[2])
    cid = sys.argv[3]
    i = 0
    while True:
        e = Encounter(client=cid, date=dt.date(2026, 1, 1), situation=f"note {i} " + "x" * 1500)
        v.save(e)
        print(e.id, flush=True)  # printed only after save() returned
        i += 1
""")


@pytest.mark.parametrize("trial", range(soak(25, "COUNSEL_SOAK_KILL")))
def test_kill_9_during_writes_loses_nothing_committed(tmp_path: Path, trial: int) -> None:
    path = tmp_path / "k.vault"
    v, _ = Vault.create(path, PASS, kdf=KdfParams.fast_for_tests())
    c = Client(name="Killed Writer")
    v.save(c)
    v.lock()
    proc = subprocess.Popen(
        [sys.executable, "-c", WRITER, str(path), PASS, c.id],
        stdout=subprocess.PIPE,
        text=True,
        cwd=ROOT,
    )
    assert proc.stdout is not None
    first = proc.stdout.readline()  # it is writing
    assert first.strip()
    time.sleep(0.01 + (trial % 7) * 0.013)
    os.kill(proc.pid, signal.SIGKILL)
    rest = proc.stdout.read()
    proc.stdout.close()
    proc.wait()
    committed = [line.strip() for line in (first + rest).splitlines() if line.strip()]
    v2 = Vault.unlock(path, PASS)
    assert v2.check().ok
    for rid in committed:
        assert v2.get(rid).situation.startswith("note ")  # type: ignore[attr-defined]
    v2.lock()
