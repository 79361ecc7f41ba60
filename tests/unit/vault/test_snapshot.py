from __future__ import annotations

import os
from pathlib import Path

import pytest

from counsel.vault import snapshot


@pytest.mark.parametrize("size", [0, 1, 999, 1000, 1001, 5555])
def test_chunked_cache_round_trip_and_rejections(tmp_path: Path, size: int,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(snapshot, "CHUNK", 1000)
    key, path, data = os.urandom(32), tmp_path / "x.wscache", os.urandom(size)
    snapshot.write(path, key, "vault-a", 7, data)
    assert snapshot.read(path, key, "vault-a") == (7, bytearray(data))
    assert snapshot.read(path, key, "vault-b") is None  # bound to its vault
    assert snapshot.read(path, os.urandom(32), "vault-a") is None
    raw = bytearray(path.read_bytes())
    raw[-1] ^= 1
    path.write_bytes(bytes(raw))
    assert snapshot.read(path, key, "vault-a") is None
    path.write_bytes(bytes(raw[: len(raw) // 2]))  # truncated
    assert snapshot.read(path, key, "vault-a") is None
    assert list(tmp_path.iterdir()) == [path]  # no temp files left behind
