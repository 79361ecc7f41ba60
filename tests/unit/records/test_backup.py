"""Encrypted, incremental backups (counsel.records.backup): backup → wipe → restore gives
the same vault; a truncated, altered, foreign, wrong-passphrase or weakened-KDF backup is
refused with nothing written; only ciphertext in the file; erasure and old backups."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from pathlib import Path

import pytest

from counsel.domain import Client, Encounter
from counsel.errors import KnownError, VaultExists, WrongPassphrase, WrongRecoveryCode
from counsel.records import backup
from counsel.vault import kdf
from counsel.vault.kdf import KdfParams, WeakKdf
from counsel.vault.service import Vault

PASS = "correct horse battery"
CANARY = "Kanarialintu-Bk71"


def _needles(text: str) -> list[bytes]:
    return [text.encode(enc) for enc in ("utf-8", "utf-16-le", "utf-16-be")]


@dataclasses.dataclass
class Made:
    path: Path
    code: str
    canary: Client
    other: Client


@pytest.fixture
def made(tmp_path: Path) -> Made:
    path = tmp_path / "home" / "counsel.vault"
    vault, code = Vault.create(path, PASS, kdf=KdfParams.fast_for_tests())
    canary = Client(name=f"Zainab {CANARY}", notes=f"muistiinpano {CANARY}")
    other = Client(name="Other Person", notes="tyonhaku")
    enc = Encounter(client=canary.id, date=dt.date(2026, 11, 2), minutes=45,
                    notes=f"{CANARY} encounter notes")
    vault.save_many([canary, other, enc], audited=True)
    vault.save(dataclasses.replace(other, notes="työnhaku ja kielikurssi"))  # a history
    vault.audit.record("print", client_id=other.id, record_kind="client", detail="card")
    vault.lock()
    return Made(path, code, canary, other)


def _state(vault: Vault, made: Made) -> dict[str, object]:
    return {
        "clients": sorted(vault.record_dicts(Client), key=lambda d: str(d["id"])),
        "search": [vault.search(q) for q in ("kielikurssi", CANARY, "Zainab", "other")],
        "history": [vault.history(made.other.id), vault.history(made.canary.id)],
        "audit": len(vault.audit.entries()),
        "revisions": vault.check().revisions,
    }


def _unlocked(path: Path) -> Vault:
    return Vault.unlock(path, PASS)


def _backup(vault_path: Path, out: Path) -> backup.BackupResult:
    vault = _unlocked(vault_path)
    try:
        return backup.backup(vault.backup_port, out)
    finally:
        vault.lock()


def _nothing_written(folder: Path, target: Path) -> None:
    assert not target.exists()
    assert not [p for p in folder.iterdir() if p.name.startswith(f".{target.name}")]


def test_backup_wipe_restore_gives_the_same_vault(made: Made, tmp_path: Path) -> None:
    vault = _unlocked(made.path)
    before = _state(vault, made)
    out = tmp_path / "usb" / "counsel.backup"
    done = backup.backup(vault.backup_port, out)
    assert done.rewritten and done.number == 1 and done.new_chunks > 0
    vault.wipe()
    assert not made.path.exists()

    other_machine = tmp_path / "new" / "restored.vault"
    restored = backup.restore(out, other_machine, passphrase=PASS)
    assert restored.number == 1 and restored.erased == () and not restored.ignored_tail
    again = _unlocked(other_machine)
    try:
        report = again.check()
        assert report.ok and report.revisions > 0
        assert _state(again, made) == before
        assert again.search(CANARY)  # the control: the search finds something to compare
    finally:
        again.lock()


def test_the_backup_holds_only_ciphertext(made: Made, tmp_path: Path) -> None:
    from counsel.vault import vaultfile

    out = tmp_path / "b.backup"
    beside = set(made.path.parent.iterdir())
    _backup(made.path, out)
    assert set(made.path.parent.iterdir()) == beside  # the page copy is gone again
    crashed = made.path.with_name(f".{made.path.name}{vaultfile.BACKUP_COPY}99-1")
    crashed.write_bytes(b"a copy a crash left")  # a revoked device's wipe finds it
    assert crashed in vaultfile.companions(made.path)
    data = out.read_bytes()
    for needle in _needles(CANARY) + _needles("Zainab") + _needles("muistiinpano"):
        assert needle not in data
    # the vault file has plaintext ids (key_id, record_id); the backup has none of them
    ids = [made.canary.id.encode(), made.other.id.encode()]
    assert all(i in made.path.read_bytes() for i in ids)  # control
    assert not any(i in data for i in ids)


def test_incremental_backup_adds_little_and_restores_the_newer_state(
        made: Made, tmp_path: Path) -> None:
    vault = _unlocked(made.path)  # a caseload of some size: one client is a small change
    vault.save_many([Client(name=f"Client {i}", notes="muistiinpanot " * 40)
                     for i in range(300)])
    vault.lock()
    out = tmp_path / "b.backup"
    first = _backup(made.path, out)
    vault = _unlocked(made.path)
    newer = Client(name="Added After The First Backup")
    vault.save(newer)
    second = backup.backup(vault.backup_port, out)
    vault.lock()
    assert not second.rewritten and second.number == 2
    assert second.reused_chunks > second.new_chunks > 0
    assert second.added * 5 < first.file_size
    assert second.file_size == first.file_size + second.added == out.stat().st_size

    restored = backup.restore(out, tmp_path / "r.vault", passphrase=PASS)
    assert restored.number == 2
    again = _unlocked(tmp_path / "r.vault")
    try:
        assert again.exists(newer.id) and again.check().ok
    finally:
        again.lock()


def _refused(src: Path, target: Path, error: type[Exception] = KnownError, **how: str) -> None:
    with pytest.raises(error):
        backup.restore(src, target, **(how or {"passphrase": PASS}))
    _nothing_written(target.parent, target)


def test_truncated_backups_are_refused(made: Made, tmp_path: Path) -> None:
    out = tmp_path / "b.backup"
    first = _backup(made.path, out)
    _backup(made.path, out)  # a second backup after the first one's end
    data = out.read_bytes()
    cut = tmp_path / "cut.backup"
    for length in (0, 10, 40, 5000, len(data) // 2, first.file_size, len(data) - 1):
        cut.write_bytes(data[:length])
        with pytest.raises(backup.BackupError):
            backup.restore(cut, tmp_path / "r.vault", passphrase=PASS)
        _nothing_written(tmp_path, tmp_path / "r.vault")


def test_altered_backups_are_refused(made: Made, tmp_path: Path) -> None:
    out = tmp_path / "b.backup"
    _backup(made.path, out)
    data = out.read_bytes()
    bad = tmp_path / "bad.backup"
    positions = sorted({*range(0, 64), *range(64, len(data), max(1, len(data) // 60)),
                        *range(len(data) - 300, len(data), 7)})
    for at in positions:
        flipped = bytearray(data)
        flipped[at] ^= 0x04
        bad.write_bytes(bytes(flipped))
        with pytest.raises(KnownError):
            backup.restore(bad, tmp_path / "r.vault", passphrase=PASS)
        _nothing_written(tmp_path, tmp_path / "r.vault")
    # the control: the unaltered bytes restore
    bad.write_bytes(data)
    backup.restore(bad, tmp_path / "r.vault", passphrase=PASS)


def test_wrong_passphrase_and_wrong_code_are_refused(made: Made, tmp_path: Path) -> None:
    out = tmp_path / "b.backup"
    _backup(made.path, out)
    _refused(out, tmp_path / "r.vault", WrongPassphrase, passphrase="not the passphrase")
    _refused(out, tmp_path / "r.vault", WrongRecoveryCode,
             recovery_code="AAAA-BBBB-CCCC-DDDD-EEEE-FFFF-GGGG-HHHH")


def _with_keyring(data: bytes, change: dict[str, object]) -> bytes:
    """The backup with its keyring's KDF settings rewritten (framing kept consistent)."""
    head = data[:backup.HEADER]
    at = int.from_bytes(head[16:24], "big")
    body = data[at + 5:]
    klen = int.from_bytes(body[:4], "big")
    ring = json.loads(body[4:4 + klen])
    ring["kdf"].update(change)
    raw = json.dumps(ring).encode()
    new_body = len(raw).to_bytes(4, "big") + raw + body[4 + klen:]
    record = b"M" + len(new_body).to_bytes(4, "big") + new_body
    end = at + len(record)
    return (backup.MAGIC + end.to_bytes(8, "big") + head[16:]) + data[backup.HEADER:at] + record


def test_weakened_kdf_settings_are_refused_before_deriving(
        made: Made, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    out = tmp_path / "b.backup"
    _backup(made.path, out)
    data = out.read_bytes()
    weak = tmp_path / "weak.backup"
    derived: list[object] = []
    real_derive = kdf.derive
    monkeypatch.setattr(kdf, "derive", lambda p, params: derived.append(params) or
                        real_derive(p, params))
    for change in ({"m": 8}, {"t": 0}, {"m": 512, "t": 1}):
        weak.write_bytes(_with_keyring(data, change))
        with pytest.raises((WeakKdf, KnownError)) as caught:
            backup.restore(weak, tmp_path / "r.vault", passphrase=PASS)
        assert not derived, change
        _nothing_written(tmp_path, tmp_path / "r.vault")
        if change.get("m") == 8:
            assert isinstance(caught.value, WeakKdf)
    # the control: the same rewriting with unchanged settings restores (framing is right)
    weak.write_bytes(_with_keyring(data, {}))
    backup.restore(weak, tmp_path / "r.vault", passphrase=PASS)
    assert derived


def test_restore_with_the_recovery_code(made: Made, tmp_path: Path) -> None:
    out = tmp_path / "b.backup"
    _backup(made.path, out)
    target = tmp_path / "r.vault"
    backup.restore(out, target, recovery_code=made.code.lower().replace("-", " "))
    vault = Vault.recover(target, made.code, "a brand new passphrase")
    try:
        assert vault.check().ok and vault.exists(made.canary.id)
        assert vault.take_recovery_code()  # the used code is replaced
    finally:
        vault.lock()


def test_never_overwrites_and_refuses_foreign_files(made: Made, tmp_path: Path) -> None:
    out = tmp_path / "b.backup"
    _backup(made.path, out)
    target = tmp_path / "existing.vault"
    target.write_bytes(b"somebody's file")
    with pytest.raises(VaultExists):
        backup.restore(out, target, passphrase=PASS)
    assert target.read_bytes() == b"somebody's file"

    with pytest.raises(backup.BackupError, match="not a Counsel backup"):
        backup.restore(made.path, tmp_path / "r.vault", passphrase=PASS)  # a vault file
    _nothing_written(tmp_path, tmp_path / "r.vault")

    # another vault's backup into the same file is refused; the file is left as it was
    other, _ = Vault.create(tmp_path / "other.vault", PASS, kdf=KdfParams.fast_for_tests())
    before = out.read_bytes()
    with pytest.raises(backup.BackupError, match="another vault"):
        backup.backup(other.backup_port, out)
    other.lock()
    assert out.read_bytes() == before
    notes = tmp_path / "notes.txt"
    notes.write_bytes(b"not a backup")
    with pytest.raises(backup.BackupError, match="not a Counsel backup"):
        _backup(made.path, notes)
    assert notes.read_bytes() == b"not a backup"


def _chunk_records(path: Path) -> int:
    data = path.read_bytes()
    end = int.from_bytes(data[8:16], "big")
    at, count = backup.HEADER, 0
    while at < end:
        count += data[at:at + 1] == b"C"
        at += 5 + int.from_bytes(data[at + 1:at + 5], "big")
    return count


def test_erasure_rewrites_the_backup_and_restore_names_the_erased(
        made: Made, tmp_path: Path) -> None:
    out = tmp_path / "b.backup"
    _backup(made.path, out)
    old_copy = tmp_path / "old-copy.backup"
    old_copy.write_bytes(out.read_bytes())
    vault = _unlocked(made.path)
    sealed = [r.revision.envelope for r in vault.store.revisions_of(made.canary.id)]
    assert sealed and all(sealed)
    vault.erase_client(made.canary.id)
    done = backup.backup(vault.backup_port, out)
    vault.lock()
    assert done.rewritten and done.number == 2  # not appended: the old chunks held them
    newest = backup.inspect(out, passphrase=PASS)
    assert newest.erased == (made.canary.id,)
    assert _chunk_records(out) == len({n for n, _ in (*newest.chunks, *newest.cache)})

    restored = backup.restore(out, tmp_path / "r.vault", passphrase=PASS)
    assert restored.erased == (made.canary.id,)
    data = (tmp_path / "r.vault").read_bytes()
    assert not any(envelope in data for envelope in sealed)
    again = _unlocked(tmp_path / "r.vault")
    try:
        assert again.was_erased(made.canary.id) and not again.exists(made.canary.id)
        assert again.check().ok
    finally:
        again.lock()

    # a copy taken before the erasure still holds the client, and says how old it is
    old = backup.restore(old_copy, tmp_path / "old.vault", passphrase=PASS)
    assert old.erased == () and old.number == 1 and old.created <= restored.created
    assert any(envelope in (tmp_path / "old.vault").read_bytes() for envelope in sealed)


def test_an_interrupted_backup_is_ignored_then_cut_off(made: Made, tmp_path: Path) -> None:
    out = tmp_path / "b.backup"
    first = _backup(made.path, out)
    with open(out, "ab") as fp:
        fp.write(b"C\x00\x00\x10\x00" + b"\x00" * 100)  # a backup cut off mid-write
    restored = backup.restore(out, tmp_path / "r.vault", passphrase=PASS)
    assert restored.ignored_tail and restored.number == 1
    second = _backup(made.path, out)
    assert out.stat().st_size == first.file_size + second.added
    assert not backup.restore(out, tmp_path / "r2.vault", passphrase=PASS).ignored_tail


def test_a_damaged_older_chunk_makes_the_next_backup_write_anew(
        made: Made, tmp_path: Path) -> None:
    out = tmp_path / "b.backup"
    _backup(made.path, out)
    data = bytearray(out.read_bytes())
    data[backup.HEADER + 40] ^= 1  # inside the first chunk, which the next backup reuses
    out.write_bytes(bytes(data))
    done = _backup(made.path, out)
    assert done.rewritten
    backup.verify(out, _unlocked_keys(made.path))
    backup.restore(out, tmp_path / "r.vault", passphrase=PASS)


def _unlocked_keys(path: Path) -> backup.BackupKeys:
    vault = _unlocked(path)
    try:
        return vault.backup_port.keys()
    finally:
        vault.lock()


def test_a_new_passphrase_between_backups(made: Made, tmp_path: Path) -> None:
    """The backup keys come from vault key 0, which a rotation keeps: the same file takes
    the next backup; the newest keyring (the new passphrase) opens it, the old one not."""
    out = tmp_path / "b.backup"
    _backup(made.path, out)
    vault = _unlocked(made.path)
    vault.change_passphrase(PASS, "a different passphrase")
    added = Client(name="After The New Passphrase")
    vault.save(added)
    done = backup.backup(vault.backup_port, out)
    vault.lock()
    assert not done.rewritten and done.number == 2
    _refused(out, tmp_path / "r.vault", WrongPassphrase, passphrase=PASS)
    backup.restore(out, tmp_path / "r.vault", passphrase="a different passphrase")
    again = Vault.unlock(tmp_path / "r.vault", "a different passphrase")
    try:
        assert again.exists(added.id) and again.check().ok and again.key_generation == 1
    finally:
        again.lock()


def test_into_a_folder_and_one_at_a_time(made: Made, tmp_path: Path) -> None:
    import fcntl
    import os

    stick = tmp_path / "usb-stick"
    stick.mkdir()
    done = _backup(made.path, stick)
    assert done.path.parent == stick and done.path.suffix == ".backup"
    assert _backup(made.path, stick).number == 2  # the same file again: incremental
    fd = os.open(stick, os.O_RDONLY)  # another backup into this folder is running
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        before = done.path.read_bytes()
        with pytest.raises(backup.BackupError, match="Another backup"):
            _backup(made.path, stick)
        assert done.path.read_bytes() == before
    finally:
        os.close(fd)
    assert _backup(made.path, stick).number == 3


def test_the_unlock_cache_travels_so_the_restored_vault_opens_without_rebuilding(
        made: Made, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from counsel.vault import current, snapshot

    monkeypatch.setattr(current, "SNAPSHOT_MIN_RECORDS", 1)
    _unlocked(made.path).lock()  # writes the unlock cache
    assert snapshot.cache_path(made.path).is_file()
    out = tmp_path / "b.backup"
    first = _backup(made.path, out)
    vault = _unlocked(made.path)
    later = Client(name="Saved After The Cache Was Written")
    vault.save(later)
    second = backup.backup(vault.backup_port, out)  # appended: keeps the first's cache
    vault.lock()
    newest = backup.inspect(out, passphrase=PASS)
    assert newest.cache and not second.rewritten
    assert newest.cache == backup.inspect(out, passphrase=PASS).cache
    assert second.added < first.file_size // 2

    target = tmp_path / "r.vault"
    backup.restore(out, target, passphrase=PASS)
    assert snapshot.cache_path(target).is_file()
    again = _unlocked(target)
    try:
        assert again.snapshot_seq >= 0  # loaded from the cache, then caught up
        assert again.exists(later.id) and again.search("Cache Was Written")
        assert again.check().ok
    finally:
        again.lock()

    # a flipped bit in the cache's part of the file is refused like any other
    data = bytearray(out.read_bytes())
    data[newest.cache[0][1] + 30] ^= 0x10
    bad = tmp_path / "bad.backup"
    bad.write_bytes(bytes(data))
    _refused(bad, tmp_path / "r2.vault", backup.BackupError)
    assert not snapshot.cache_path(tmp_path / "r2.vault").exists()
