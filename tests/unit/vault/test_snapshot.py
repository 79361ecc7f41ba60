from __future__ import annotations

import os
import tempfile
from pathlib import Path

import pytest

from counsel.domain import Client
from counsel.vault import snapshot
from counsel.vault.kdf import KdfParams
from counsel.vault.service import Vault

PASS = "correct horse battery"  # as in conftest.py


def _read(path: Path, key: bytes, vault_id: str) -> list[tuple[str, bytes]] | None:
    try:
        return [(n, bytes(d)) for n, d in snapshot.read(path, key, vault_id)]
    except snapshot.Unusable:
        return None


def _pieces(raw: bytes) -> tuple[bytes, list[tuple[bytes, list[bytes]]], bytes]:
    """(head, [(part header, [framed chunk, ...]), ...], end record) of a cache file: the
    pieces an attacker can cut, swap, drop or splice without the key."""
    at = len(snapshot.MAGIC) + 8 + snapshot.ID_LEN
    head, parts = raw[:at], []
    while raw[at:at + 1] == b"P":
        n = raw[at + 1]
        header_end = at + 2 + n + 12
        header = raw[at:header_end]
        count = int.from_bytes(raw[at + 2 + n: at + 6 + n], "big")
        at, chunks = header_end, []
        for _ in range(count):
            length = int.from_bytes(raw[at:at + 4], "big")
            chunks.append(raw[at:at + 4 + length])
            at += 4 + length
        parts.append((header, chunks))
    return head, parts, raw[at:]


def _join(head: bytes, parts: list[tuple[bytes, list[bytes]]], end: bytes) -> bytes:
    return head + b"".join(h + b"".join(c) for h, c in parts) + end


@pytest.fixture
def small_chunks(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(snapshot, "CHUNK", 1000)


@pytest.mark.usefixtures("small_chunks")
@pytest.mark.parametrize("sizes", [(0,), (1, 999), (1000, 5555, 1001), (3000, 0, 7)])
def test_chunked_parts_round_trip_largest_first_and_rejections(
        tmp_path: Path, sizes: tuple[int, ...]) -> None:
    key, path = os.urandom(32), tmp_path / "x.wscache"
    parts = [(f"p{i}", os.urandom(n)) for i, n in enumerate(sizes)]
    snapshot.write(path, key, "vault-a", 7, iter(parts))
    assert snapshot.read_seq(path) == 7
    # every part, largest first (loading needs the least memory that way)
    assert _read(path, key, "vault-a") == sorted(parts, key=lambda p: -len(p[1]))
    assert _read(path, key, "vault-b") is None  # bound to its vault
    assert _read(path, os.urandom(32), "vault-a") is None
    good = path.read_bytes()
    for damage in range(0, len(good), max(1, len(good) // 37)):
        raw = bytearray(good)
        raw[damage] ^= 1
        path.write_bytes(bytes(raw))
        assert _read(path, key, "vault-a") is None, damage
    for cut in range(0, len(good), max(1, len(good) // 23)):  # truncated anywhere
        path.write_bytes(good[:cut])
        assert _read(path, key, "vault-a") is None, cut
    path.write_bytes(good[:-1])  # the end record is checked
    assert _read(path, key, "vault-a") is None
    path.write_bytes(good + b"\0")  # and nothing may follow it
    assert _read(path, key, "vault-a") is None
    assert list(tmp_path.iterdir()) == [path]  # no temp files left behind


@pytest.mark.usefixtures("small_chunks")
def test_chunks_swapped_dropped_or_spliced_from_another_cache_are_refused(
        tmp_path: Path) -> None:
    key, path = os.urandom(32), tmp_path / "x.wscache"
    one, two = os.urandom(3500), os.urandom(2500)

    def written(*parts: tuple[str, bytes]) -> bytes:
        snapshot.write(path, key, "vault-a", 7, iter(parts))
        return path.read_bytes()

    def refused(raw: bytes) -> bool:
        path.write_bytes(raw)
        return _read(path, key, "vault-a") is None

    good = written(("one", one), ("two", two))
    head, parts, end = _pieces(good)
    assert [len(c) for _h, c in parts] == [4, 3] and not refused(_join(head, parts, end))
    (h1, c1), (h2, c2) = parts
    # two chunks of a part swapped
    assert refused(_join(head, [(h1, [c1[1], c1[0], *c1[2:]]), (h2, c2)], end))
    # a chunk of one part in place of another's
    assert refused(_join(head, [(h1, [c2[0], *c1[1:]]), (h2, c2)], end))
    # a chunk dropped, with the part's header saying so too
    fewer = h1[:-12] + (3).to_bytes(4, "big") + (3000).to_bytes(8, "big")
    assert refused(_join(head, [(h1, c1[:-1]), (h2, c2)], end))
    assert refused(_join(head, [(fewer, c1[:-1]), (h2, c2)], end))
    # the parts' order swapped, a whole part dropped or doubled
    assert refused(_join(head, [(h2, c2), (h1, c1)], end))
    assert refused(_join(head, [(h1, c1)], end))
    assert refused(_join(head, [(h1, c1), (h2, c2), (h2, c2)], end))
    # a newer cache of the SAME vault, key and local_seq (the same state sealed again, as
    # after a layout upgrade): nothing of the older file may be spliced into it
    new = written(("one", one[:3000] + os.urandom(500)), ("two", two))
    nhead, nparts, nend = _pieces(new)
    assert nhead[:-snapshot.ID_LEN] == head[:-snapshot.ID_LEN]  # only the file id differs
    assert not refused(new)
    (n1, nc1), (n2, nc2) = nparts
    assert refused(_join(nhead, [(n1, [*nc1[:3], c1[3]]), (n2, nc2)], nend))  # one old chunk
    assert refused(_join(nhead, [(n1, nc1), (h2, c2)], nend))  # an old part
    assert refused(_join(nhead, [(n1, nc1), (n2, nc2)], end))  # the old end record
    assert refused(_join(head, [(n1, nc1), (n2, nc2)], nend))  # the old head
    assert refused(_join(head, parts, nend))


def _cached_vault(path: Path, name: str, monkeypatch: pytest.MonkeyPatch) -> Client:
    import counsel.vault.current as current

    monkeypatch.setattr(current, "SNAPSHOT_MIN_RECORDS", 1)
    v, _code = Vault.create(path, PASS, kdf=KdfParams.fast_for_tests())
    c = Client(name=name)
    v.save(c)
    v.save_many([Client(name=f"Other Client {i}") for i in range(30)])
    v.lock()
    return c


@pytest.mark.usefixtures("small_chunks")
def test_vault_with_a_spliced_cache_rebuilds_and_shows_what_is_true(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A cache of the older state kept aside, the vault changed and its cache sealed again
    at the same ``local_seq``: the newer file with any older chunk is not used (the vault
    rebuilds and shows the newer name); the older file whole is a true older state, used
    and brought up to date from the revisions."""
    path = tmp_path / "s.vault"
    c = _cached_vault(path, "Original Name", monkeypatch)
    cache = snapshot.cache_path(path)
    older = cache.read_bytes()
    v = Vault.unlock(path, PASS)
    v.save(c.replace(name="Renamed Client"))
    v.lock()
    newer = cache.read_bytes()
    ohead, oparts, oend = _pieces(older)
    nhead, nparts, nend = _pieces(newer)
    assert [h for h, _c in oparts] == [h for h, _c in nparts]  # the same parts and sizes
    for p, (_header, chunks) in enumerate(nparts):
        for i in sorted({0, len(chunks) // 2, len(chunks) - 1}):
            spliced = [(h, list(cs)) for h, cs in nparts]
            spliced[p][1][i] = oparts[p][1][i]
            if spliced == nparts:
                continue  # (the same bytes cannot happen: fresh nonces)
            cache.write_bytes(_join(nhead, spliced, nend))
            v = Vault.unlock(path, PASS)
            assert v.snapshot_seq == -1, (p, i)  # refused: rebuilt
            assert [s.name for s in v.clients("renamed")] == ["Renamed Client"]
            assert v.clients("original") == []
            v._current.snapshot_seq = v.store.max_seq()  # lock without sealing it again
            v.lock()
    cache.write_bytes(older)  # a whole older cache: replayed up to date
    v = Vault.unlock(path, PASS)
    assert 0 <= v.snapshot_seq < v.store.max_seq()
    assert [s.name for s in v.clients("renamed")] == ["Renamed Client"]
    assert v.clients("original") == []
    v.lock()


@pytest.mark.usefixtures("small_chunks")
def test_cache_and_temp_files_hold_no_plaintext(tmp_path: Path,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    tmpdir = tmp_path / "tmp"
    tmpdir.mkdir()
    monkeypatch.setenv("TMPDIR", str(tmpdir))
    monkeypatch.setattr(tempfile, "tempdir", str(tmpdir))
    path = tmp_path / "v" / "p.vault"
    path.parent.mkdir()
    _cached_vault(path, "Zebulon Plaintextcanary", monkeypatch)
    cache = snapshot.cache_path(path)
    raw = cache.read_bytes()
    assert len(raw) > 20 * snapshot.CHUNK  # many chunks: every one was looked at
    v = Vault.unlock(path, PASS)
    assert v.snapshot_seq >= 0  # the cache holds the client: it was used
    assert [s.name for s in v.clients("zebulon")] == ["Zebulon Plaintextcanary"]
    v._current.ws.upgraded = True  # seal it again, from a loaded working set
    v.lock()
    assert cache.read_bytes() != raw
    for blob in (raw, cache.read_bytes(),
                 b"".join(p.read_bytes() for p in tmp_path.rglob("*") if p.is_file())):
        for needle in ("Plaintextcanary", "plaintextcanary", "PLAINTEXTCANARY"):
            assert needle.encode() not in blob and needle.encode("utf-16-le") not in blob
    assert sorted(p.name for p in path.parent.iterdir() if not p.name.startswith("p.vault-")) \
        == ["p.vault", "p.vault.wscache"]  # no temporary file of the cache left
    assert list(tmpdir.iterdir()) == []


def test_a_part_that_cannot_be_compacted_at_lock_is_not_sealed_and_the_vault_locks(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Parts are rewritten full before they are sealed at lock, without a journal; if that
    fails (here SQLite refuses: a statement still reading) nothing of it is sealed, the
    cache file stays as it was, and the keys are dropped all the same."""
    path = tmp_path / "c.vault"
    _cached_vault(path, "Kept Name", monkeypatch)
    cache = snapshot.cache_path(path)
    before = cache.read_bytes()
    files = sorted(p.name for p in tmp_path.iterdir())
    v = Vault.unlock(path, PASS)
    v._current.snapshot_seq = -1  # (sealed again at this lock)
    reading = v._current.ws.db.execute("SELECT * FROM records")
    reading.fetchone()
    v.lock()
    assert v.locked
    assert cache.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == files  # (no temporary file left)
    v = Vault.unlock(path, PASS)
    assert v.snapshot_seq >= 0 and [c.name for c in v.clients("kept")] == ["Kept Name"]
    v.lock()
