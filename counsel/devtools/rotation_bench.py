"""What a key rotation costs (issue 11, key generations).

    python -m counsel.devtools rotation-bench [--clients 1000] [--per-client 9]

A vault of ``clients`` clients with ``per-client`` encounters each (10,000 records by
default, from the demo caseload) on device A, joined by device B through a loopback
sync server (its own process, SQLite).  Measured, each against a baseline from the same
run because shared machines drift:

* ``rotate_keys`` on A (new master and vault key, older keys re-wrapped, unlock cache
  re-keyed)  vs  one save of one record;
* A's first sync after the rotation (keyring upload + 100 edits sealed under the new
  generation)  vs  the same sync of 100 edits before the rotation;
* B's first sync after it (judges the keyring, takes the new generation at once since the
  passphrase is the same, pulls the 100 edits)  vs  B's sync of 100 edits before;
* after a passphrase change on A: B's sync (keyring kept pending) and B's unlock with the
  new passphrase (adopts it; the working set is rebuilt because the unlock cache left
  the newer records out)  vs  B's ordinary unlock from its cache.
"""

from __future__ import annotations

import argparse
import contextlib
import shutil
import tempfile
import time
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any

PASS = "benchmark passphrase"
NEW = "benchmark passphrase two"


def _timed(fn: Callable[[], Any]) -> tuple[float, Any]:
    t0 = time.perf_counter()
    out = fn()
    return time.perf_counter() - t0, out


def _records(clients: int, per_client: int) -> Iterator[Any]:
    from counsel.demo import caseload as demo
    from counsel.domain import Client, Encounter

    seen = 0
    kept: dict[str, int] = {}
    for rec in demo.records("large", seed=11):
        if isinstance(rec, Client):
            if seen == clients:
                return
            seen += 1
            kept[rec.id] = 0
            yield rec
        elif isinstance(rec, Encounter) and kept.get(rec.client, per_client) < per_client:
            kept[rec.client] += 1
            yield rec


def _sync(v: Any) -> Any:
    from counsel.sync.client import SyncClient

    client = SyncClient.from_vault(v)
    try:
        return client.sync()
    finally:
        client.close()


def _edit(v: Any, ids: list[str], tag: str) -> None:
    for rid in ids:
        v.save(v.get(rid).replace(situation=f"edited {tag}"))


@contextlib.contextmanager
def loopback(prefix: str) -> Iterator[tuple[Path, Any, str]]:
    """A scratch folder and a sync server in its own process on it (SQLite):
    (folder, the server's storage, its URL); stopped and removed afterwards."""
    from counsel.devtools.sync_bench import _start_server
    from counsel.server.storage import open_storage

    work = Path(tempfile.mkdtemp(prefix=prefix))
    db = str(work / "server.sqlite3")
    storage = open_storage(db, migrate=True)
    server, url = _start_server(db)
    try:
        yield work, storage, url
    finally:
        server.terminate()
        server.wait(10)
        storage.close()
        shutil.rmtree(work, ignore_errors=True)


def baselines(writer: Any, reader: Any, encounters: list[str]) -> tuple[float, float, float]:
    """The same run's baselines a rotation is measured against: one save of one record
    (best of 5), then the writer's sync of 100 edits and the reader's sync pulling them
    (seconds)."""
    one = min(_timed(lambda: _edit(writer, encounters[:1], "x"))[0] for _ in range(5))
    _sync(writer)
    _sync(reader)
    _edit(writer, encounters, "before")
    t_writer, _ = _timed(lambda: _sync(writer))
    t_reader, _ = _timed(lambda: _sync(reader))
    return one, t_writer, t_reader


def table(rows: Sequence[tuple[str, str, str]]) -> str:
    width = max(len(r[0]) for r in rows)
    lines = [f"{'workload'.ljust(width)}  {'time':>10}  vs baseline"]
    lines += [f"{r[0].ljust(width)}  {r[1]:>10}  {r[2]}" for r in rows]
    return "\n".join(lines)


def bench_main(prog: str, run_bench: Callable[[int, int], str],
               argv: Sequence[str] | None) -> int:
    """``--clients`` and ``--per-client`` (10,000 records by default), then the table."""
    p = argparse.ArgumentParser(prog=prog)
    p.add_argument("--clients", type=int, default=1000)
    p.add_argument("--per-client", type=int, default=9)
    args = p.parse_args(argv)
    print(run_bench(args.clients, args.per_client))
    return 0


def run(clients: int = 1000, per_client: int = 9) -> str:
    from counsel.domain import Encounter
    from counsel.sync import enrol
    from counsel.vault.kdf import KdfParams
    from counsel.vault.service import Vault

    rows: list[tuple[str, str, str]] = []
    with loopback("counsel-rotation-bench-") as (work, storage, url):
        secret = storage.create_account("bench")
        a, _ = Vault.create(work / "a.vault", PASS, kdf=KdfParams.fast_for_tests())
        a.save_many(list(_records(clients, per_client)))
        n = a.count()
        enrol.connect(a, url, "bench", PASS, enrol_secret=secret)
        _sync(a)
        b = enrol.join(work / "b.vault", url, "bench", PASS)
        encounters = [e.id for e in a.all(Encounter)[:100]]
        one, t_a0, t_b0 = baselines(a, b, encounters)

        t_rot, _ = _timed(a.rotate_keys)
        rows.append((f"rotate_keys, {n} records / {clients} clients", f"{t_rot * 1000:.1f} ms",
                     f"{t_rot / one:.1f}× one save ({one * 1000:.1f} ms)"))
        _edit(a, encounters, "after")
        t_a1, _ = _timed(lambda: _sync(a))
        rows.append(("A: first sync after (keyring + 100 edits)", f"{t_a1 * 1000:.0f} ms",
                     f"{t_a1 / t_a0:.2f}× the same sync before ({t_a0 * 1000:.0f} ms)"))
        t_b1, report = _timed(lambda: _sync(b))
        assert b.key_generation == 1 and not report.alarms
        rows.append(("B: first sync after (takes generation 1, 100 edits)",
                     f"{t_b1 * 1000:.0f} ms",
                     f"{t_b1 / t_b0:.2f}× the same sync before ({t_b0 * 1000:.0f} ms)"))

        b.lock()
        t_unlock, b = _timed(lambda: Vault.unlock(work / "b.vault", PASS))
        a.change_passphrase(PASS, NEW)
        enrol.update_login(a, NEW)
        _edit(a, encounters, "new passphrase")
        _sync(a)
        t_b2, report = _timed(lambda: _sync(b))
        assert report.keys_pending == 2
        rows.append(("B: sync after a passphrase change (kept pending)",
                     f"{t_b2 * 1000:.0f} ms", f"{t_b2 / t_b0:.2f}× a sync of 100 edits"))
        b.lock()
        t_adopt, b = _timed(lambda: Vault.unlock(work / "b.vault", NEW))
        assert b.key_generation == 2 and b.get(encounters[0]).situation == "edited new passphrase"
        rows.append(("B: unlock with the new passphrase (adopts, rebuilds)",
                     f"{t_adopt * 1000:.0f} ms",
                     f"{t_adopt / t_unlock:.1f}× an unlock from the cache "
                     f"({t_unlock * 1000:.0f} ms)"))
        a.lock()
        b.lock()
    return table(rows)


def main(argv: Sequence[str] | None = None) -> int:
    return bench_main("python -m counsel.devtools rotation-bench", run, argv)
