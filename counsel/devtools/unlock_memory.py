"""Where an unlock's memory goes, step by step::

    COUNSEL_PASSPHRASE=... python -m counsel.devtools unlock-memory --vault PATH [--cold]

Opens the vault in this process (``--cold``: without its unlock cache, as a first unlock on
a new device — the cache is removed and written again at lock), lists the clients, searches
the notes and locks, printing this process's resident memory (VmRSS) and its high-water
mark (VmHWM) after each step: after the deadlines computed at lock and after each
working-set part sealed into the unlock cache.  The benchmark's peak RSS row
(``bench --size large``) is one number with ±10 MB of noise between runs; this says which
step makes it.  Linux only (/proc/self/status).
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any


def _memory() -> tuple[int, int]:
    """(VmRSS, VmHWM) of this process in MB."""
    found = {}
    with open("/proc/self/status") as status:
        for line in status:
            key, _sep, value = line.partition(":")
            if key in ("VmRSS", "VmHWM"):
                found[key] = int(value.split()[0]) // 1024
    return found["VmRSS"], found["VmHWM"]


def _say(step: str, started: float) -> None:
    rss, hwm = _memory()
    print(f"{step:<40} {time.perf_counter() - started:7.2f} s  RSS {rss:4d} MB  "
          f"peak {hwm:4d} MB", flush=True)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m counsel.devtools unlock-memory")
    parser.add_argument("--vault", required=True)
    parser.add_argument("--cold", action="store_true",
                        help="without the unlock cache (a first unlock on a new device)")
    args = parser.parse_args(argv)
    passphrase = os.environ.get("COUNSEL_PASSPHRASE")
    if not passphrase:
        print("set COUNSEL_PASSPHRASE", file=sys.stderr)
        return 2
    from counsel.vault import deadlines as deadline_rows
    from counsel.vault import keyring, snapshot
    from counsel.vault.service import Vault

    path = Path(args.vault)
    opening = keyring.unlock(path, passphrase)
    if args.cold:
        snapshot.remove(snapshot.cache_path(path))
    started = time.perf_counter()
    _say("key derived (the clock starts here)", started)
    bring_up_to_date, write = deadline_rows.bring_up_to_date, snapshot.write

    def deadlines(ws: Any) -> None:
        bring_up_to_date(ws)
        _say("lock: deadlines brought up to date", started)

    def sealing(parts: Iterable[tuple[str, bytes]]) -> Iterator[tuple[str, bytes]]:
        for name, data in parts:
            yield name, data
            _say(f"lock: part '{name}' sealed", started)

    def seal(path: Path, key: bytes, vault_id: str, seq: int,
             parts: Iterable[tuple[str, bytes]]) -> None:
        write(path, key, vault_id, seq, sealing(parts))

    # (counsel.vault.current calls both through their modules)
    deadline_rows.bring_up_to_date = deadlines
    snapshot.write = seal
    try:
        vault = Vault.open(opening)
        _say("opened" + (" (working set rebuilt)" if vault.snapshot_seq < 0 else
                         " (from the unlock cache)"), started)
        clients = vault.clients()
        _say(f"client list ({len(clients)})", started)
        vault.search("kelloa")
        _say("note search", started)
        vault.lock()
        _say("locked", started)
    finally:
        deadline_rows.bring_up_to_date = bring_up_to_date
        snapshot.write = write
    return 0
