from __future__ import annotations

import os
from pathlib import Path

import pytest

from counsel.vault import snapshot


def _read(path: Path, key: bytes, vault_id: str) -> list[tuple[str, bytes]] | None:
    try:
        return [(n, bytes(d)) for n, d in snapshot.read(path, key, vault_id)]
    except snapshot.Unusable:
        return None


@pytest.mark.parametrize("sizes", [(0,), (1, 999), (1000, 1001, 5555), (3000, 0, 7)])
def test_chunked_parts_round_trip_and_rejections(tmp_path: Path, sizes: tuple[int, ...],
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(snapshot, "CHUNK", 1000)
    key, path = os.urandom(32), tmp_path / "x.wscache"
    parts = [(f"p{i}", os.urandom(n)) for i, n in enumerate(sizes)]
    snapshot.write(path, key, "vault-a", 7, iter(parts))
    assert snapshot.read_seq(path) == 7
    assert _read(path, key, "vault-a") == parts
    assert _read(path, key, "vault-b") is None  # bound to its vault
    assert _read(path, os.urandom(32), "vault-a") is None
    good = path.read_bytes()
    for damage in range(0, len(good), max(1, len(good) // 17)):
        raw = bytearray(good)
        raw[damage] ^= 1
        path.write_bytes(bytes(raw))
        assert _read(path, key, "vault-a") is None, damage
    path.write_bytes(good[: len(good) // 2])  # truncated
    assert _read(path, key, "vault-a") is None
    path.write_bytes(good[:-1])  # the end marker is checked
    assert _read(path, key, "vault-a") is None
    assert list(tmp_path.iterdir()) == [path]  # no temp files left behind
