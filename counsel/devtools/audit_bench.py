"""What a long audit trail costs (issue 16).

    python -m counsel.devtools audit-bench [--entries 100000] [--clients 1000]

A vault with ``entries`` audit entries about ``clients`` clients (views, edits, prints,
exports, as a year or more of a counsellor's work leaves them), written in batches through
the one save path.  Measured after a fresh unlock, each against a baseline from the same
run because shared machines drift:

* the first entry after unlock (it reads the device's chain tip: every entry is read once)
  vs  the second one;
* reading every entry, then verifying every chain over them (what the Audit trail page
  and ``counsel audit`` do)  vs  reading the clients' list;
* the Audit trail page's first page (500 entries, filtered and sorted in SQL), a page
  deep in the list, one client's page, and the filter choices;
* the DPO's CSV of one client's entries and of everything.
"""

from __future__ import annotations

import argparse
import shutil
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

PASS = "benchmark passphrase"
ACTIONS = ("view", "view", "view", "edit", "edit", "print", "export")


def _timed(fn: Callable[[], Any]) -> tuple[float, Any]:
    t0 = time.perf_counter()
    out = fn()
    return time.perf_counter() - t0, out


def build(path: Path, entries: int, clients: int) -> list[str]:
    from counsel.domain import Client
    from counsel.vault.kdf import KdfParams
    from counsel.vault.service import Vault

    vault, _code = Vault.create(path, PASS, kdf=KdfParams.fast_for_tests())
    try:
        people = [Client(name=f"Client {i}") for i in range(clients)]
        vault.save_many(people)
        ids = [c.id for c in people]
        batch = []
        for n in range(entries):
            cid = ids[n % len(ids)]
            action = ACTIONS[n % len(ACTIONS)]
            batch.append(vault.audit.entry(action, client_id=cid, record_id=cid,
                                           record_kind="client", detail=f"bench {n}"))
            if len(batch) == 2000:
                vault.save_many(batch)
                batch = []
        if batch:
            vault.save_many(batch)
        return ids
    finally:
        vault.lock()


def run(entries: int, clients: int) -> str:
    from counsel.records import audit
    from counsel.vault.service import Vault

    tmp = Path(tempfile.mkdtemp(prefix="counsel-audit-bench-"))
    try:
        t_build, ids = _timed(lambda: build(tmp / "bench.vault", entries, clients))
        t_unlock, vault = _timed(lambda: Vault.unlock(tmp / "bench.vault", PASS))
        try:
            t_first, _ = _timed(lambda: vault.audit.record("export", detail="first"))
            t_second, _ = _timed(lambda: vault.audit.record("export", detail="second"))
            t_list, _ = _timed(lambda: vault.clients(""))
            t_page, (page, kept) = _timed(lambda: vault.audit.query(limit=500))
            t_older, _ = _timed(lambda: vault.audit.query(offset=50_000, limit=500))
            t_one_page, _ = _timed(lambda: vault.audit.query(client=ids[0], limit=500))
            t_choices, _ = _timed(vault.audit.choices)
            t_read, rows = _timed(vault.audit.entries)
            t_verify, state = _timed(lambda: vault.audit.verify(rows))
            assert state.intact and state.entries == entries + 2, state
            t_one, one = _timed(lambda: audit.to_csv(
                audit.select(rows, audit.Filter(client=ids[0])), state))
            t_all, everything = _timed(lambda: audit.to_csv(audit.select(rows), state))
        finally:
            vault.lock()
        size = sum(p.stat().st_size for p in tmp.iterdir()) / 1e6
        return "\n".join([
            f"audit-bench: {entries:,} entries about {clients:,} clients "
            f"(built in {t_build:.1f} s; files {size:.0f} MB)",
            f"  unlock                                   {t_unlock * 1000:8.0f} ms",
            f"  first entry after unlock (reads the tip) {t_first * 1000:8.0f} ms"
            f"   vs second entry {t_second * 1000:.1f} ms",
            f"  the page's first page ({len(page)} of {kept:,})   {t_page * 1000:8.0f} ms"
            f"   a page at offset 50,000 {t_older * 1000:.0f} ms;"
            f" one client's {t_one_page * 1000:.0f} ms",
            f"  the page's filter choices (clients, people) {t_choices * 1000:5.0f} ms",
            f"  read every entry                         {t_read * 1000:8.0f} ms"
            f"   vs clients' list {t_list * 1000:.1f} ms",
            f"  verify every chain (of the entries read) {t_verify * 1000:8.0f} ms",
            f"  CSV of one client ({one.count(chr(10)) - 2} rows)"
            f"{'':>13}{t_one * 1000:8.0f} ms",
            f"  CSV of everything ({len(everything) / 1e6:.1f} MB)"
            f"{'':>14}{t_all * 1000:8.0f} ms",
        ])
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def main(argv: Sequence[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m counsel.devtools audit-bench")
    p.add_argument("--entries", type=int, default=100_000)
    p.add_argument("--clients", type=int, default=1_000)
    args = p.parse_args(argv)
    print(run(args.entries, args.clients))
    return 0
