"""Working-set parts decrypted into memory SQLite takes over (counsel.vault.workingset_direct):
the same working set as a copy gives, loaded without holding the last part twice; a part
never handed over is freed; a cache that fails authentication half-way still rebuilds."""

from __future__ import annotations

import gc
import os
from pathlib import Path

import pytest
from wshelp import dump, every_kind

from counsel.domain import Client
from counsel.vault import deadlines, snapshot, workingset_direct
from counsel.vault.kdf import KdfParams
from counsel.vault.service import Vault
from counsel.vault.workingset import WorkingSet
from counsel.vault.workingset_schema import PARTS

PASS = "correct horse battery"

pytestmark = pytest.mark.skipif(not workingset_direct.available(),
                                reason="parts are copied here (another Python or SQLite)")


def _filled() -> WorkingSet:
    ws = WorkingSet()
    ws.put_many((r.id, r.KIND, f"rev-{i}", r, None) for i, r in enumerate(every_kind()))
    return ws


def _direct(parts: list[tuple[str, bytes]]) -> list[tuple[str, workingset_direct.Part]]:
    out = []
    for name, data in parts:
        part = workingset_direct.allocate(len(data))
        assert part is not None
        memoryview(part.array).cast("B")[:] = data
        out.append((name, part))
    return out


def test_handed_over_parts_load_the_same_working_set_and_stay_writable() -> None:
    ws = _filled()
    parts = [(n, bytes(d)) for n, d in ws.to_parts()]
    copied, direct = WorkingSet.from_parts(iter(parts)), WorkingSet.from_parts(
        iter(_direct(parts)))
    assert dump(direct) == dump(copied) == dump(ws)
    # SQLite owns the memory: the parts grow, and serialize as they are
    more = Client(name="Uusi Asiakas")
    for w in (copied, direct):
        w.put(record_id=more.id, kind=more.KIND, rev_id="rev-new", record=more, old=None)
        w.db.execute("INSERT INTO encounters(rowid, client, obstacles) VALUES (999, 'x', ?)",
                     ("y" * 300_000,))
    assert dump(direct) == dump(copied)
    assert dump(WorkingSet.from_parts(iter(_direct([(n, bytes(d)) for n, d in
                                                     direct.to_parts()])))) == dump(copied)
    for w in (ws, copied, direct):
        w.close()


def test_a_part_never_handed_over_is_freed_and_one_is_handed_over_once() -> None:
    part = workingset_direct.allocate(4096)
    assert part is not None and len(part) == 4096
    freed = part._free
    del part
    gc.collect()
    assert not freed.alive
    ws = _filled()
    name, data = next(ws.to_parts())
    (name, part), = _direct([(name, bytes(data))])
    other = WorkingSet()
    workingset_direct.hand_over(other.db, "fts" if name != "fts" else "act", part)
    with pytest.raises(ValueError):
        workingset_direct.hand_over(other.db, name, part)
    assert workingset_direct.allocate(0) is None
    ws.close()
    other.close()


def test_an_unlock_from_the_cache_hands_every_part_over(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import counsel.vault.current as current

    monkeypatch.setattr(current, "SNAPSHOT_MIN_RECORDS", 1)
    path = tmp_path / "d.vault"
    v, _code = Vault.create(path, PASS, kdf=KdfParams.fast_for_tests())
    v.save_many(every_kind() + [Client(name=f"Asiakas {i}") for i in range(20)])
    deadlines.bring_up_to_date(v._current.ws)  # (as sealed at lock)
    expected = dump(v._current.ws)
    v.lock()
    handed: list[str] = []
    real = workingset_direct.hand_over

    def spy(conn: object, name: str, part: workingset_direct.Part) -> None:
        handed.append(name)
        real(conn, name, part)  # type: ignore[arg-type]

    monkeypatch.setattr(workingset_direct, "hand_over", spy)
    v = Vault.unlock(path, PASS)
    assert v.snapshot_seq >= 0  # from the cache
    assert sorted(handed) == sorted(PARTS)
    assert dump(v._current.ws) == expected
    names = sorted(c.name for c in v.clients())
    assert len(names) == 21
    v.lock()
    # the last part damaged: the parts loaded before it are let go, the vault rebuilds
    cache = snapshot.cache_path(path)
    raw = bytearray(cache.read_bytes())
    raw[-200] ^= 1
    cache.write_bytes(bytes(raw))
    v = Vault.unlock(path, PASS)
    assert v.snapshot_seq == -1
    assert sorted(c.name for c in v.clients()) == names
    v.lock()
    assert os.path.exists(cache)


def test_parts_are_sealed_from_where_sqlite_holds_them_not_from_a_copy() -> None:
    import ctypes

    ws = _filled()
    for part in PARTS:
        view = workingset_direct.view_of(ws.db, part)
        assert view is not None, part
        assert bytes(view) == ws.db.serialize(name=part)
        again = workingset_direct.view_of(ws.db, part)
        assert again is not None and ctypes.addressof(again) == ctypes.addressof(view)
        del view, again
    # what is sealed: the same bytes as a copy, and a cache made of them loads the same
    parts = [(n, bytes(d)) for n, d in ws.to_parts()]
    assert [n for n, _d in parts] == list(PARTS)
    assert dump(WorkingSet.from_parts(iter(parts))) == dump(ws)
    ws.close()


def test_a_working_set_changed_while_a_part_is_sealed_is_never_sealed() -> None:
    """Sealed in place, a part changed half-way would be sealed torn, with a valid tag:
    the sealing stops instead (the cache file stays as it was)."""
    from counsel.errors import VaultError

    ws = _filled()
    parts = ws.to_parts()
    next(parts)
    more = Client(name="Kesken Sinetöinnin")
    ws.put(record_id=more.id, kind=more.KIND, rev_id="rev-late", record=more, old=None)
    with pytest.raises(VaultError):
        next(parts)
    ws.close()
