"""What sync trust (issue 11) costs, against the code before it, in one run.

    python -m counsel.devtools trust-cost --before PATH [--records 10000] [--saves 300]
                                          [--rounds 2]

``PATH`` is a checkout of the code before issue 11, e.g.
``git worktree add --detach /tmp/pre e2a0393^``.  One PostgreSQL cluster (fsync on)
serves both sides; each round runs the same measurement in a child process of the
checkout before and of this one, alternating, so the drift of a shared machine hits
both alike.  Each child imports only its own checkout's ``counsel`` and runs its own
``counsel-server serve`` over a fresh database:

* first sync of ``records`` records (the demo caseload) to a fresh device
  (``enrol.join``, which downloads and stores everything);
* a single save's latency (``saves`` edits of one record in that ``records``-record
  vault, each ``Vault.save`` timed alone): p50 and p99.

Reported: each side's median over the rounds and the ratio after/before.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path

# Runs inside a checkout (cwd), with only the APIs both sides have.
CHILD = r"""
import itertools, json, os, shutil, statistics, sys, tempfile, time
from pathlib import Path
import counsel
assert Path(counsel.__file__).resolve().is_relative_to(Path.cwd().resolve()), counsel.__file__
from counsel.demo import caseload as demo
from counsel.devtools.sync_bench import _start_server
from counsel.domain import Contact
from counsel.server.storage import open_storage
from counsel.sync import enrol
from counsel.sync.client import SyncClient
from counsel.vault.kdf import KdfParams
from counsel.vault.service import Vault

PASS = "benchmark passphrase"
db_url, records, saves = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
work = Path(tempfile.mkdtemp(prefix="counsel-trust-cost-"))
storage = open_storage(db_url, migrate=True)
server, url = _start_server(db_url)
try:
    account = f"cost{os.getpid()}"
    a, _ = Vault.create(work / "a.vault", PASS, kdf=KdfParams.fast_for_tests())
    a.save_many(list(itertools.islice(demo.records("small", seed=7), records)))
    enrol.connect(a, url, account, PASS, enrol_secret=storage.create_account(account))
    client = SyncClient.from_vault(a)
    t0 = time.perf_counter()
    client.sync()
    push = time.perf_counter() - t0
    client.close()
    t0 = time.perf_counter()
    b = enrol.join(work / "b.vault", url, account, PASS)
    join = time.perf_counter() - t0
    n = b.sync_port.count_revisions()
    b.save(Contact(id="costcontact", name="start"))
    lat = []
    for i in range(saves):
        rec = b.get("costcontact").replace(phone=str(i))
        t0 = time.perf_counter()
        b.save(rec)
        lat.append(time.perf_counter() - t0)
    lat.sort()
    a.lock()
    b.lock()
    print(json.dumps({"revisions": n, "push": push, "join": join,
                      "save_p50": statistics.median(lat),
                      "save_p99": lat[min(len(lat) - 1, int(len(lat) * 0.99))]}))
finally:
    server.terminate()
    server.wait(10)
    storage.close()
    shutil.rmtree(work, ignore_errors=True)
"""

KEYS = ("join", "push", "save_p50", "save_p99")


def _git(path: Path) -> str:
    out = subprocess.run(["git", "-C", str(path), "rev-parse", "--short", "HEAD"],
                         capture_output=True, text=True, check=False)
    return out.stdout.strip() or "?"


def _child(checkout: Path, db_url: str, records: int, saves: int) -> dict[str, float]:
    env = {**os.environ, "PYTHONPATH": str(checkout)}
    out = subprocess.run([sys.executable, "-c", CHILD, db_url, str(records), str(saves)],
                         cwd=checkout, env=env, capture_output=True, text=True, check=False)
    if out.returncode != 0:
        raise RuntimeError(f"{checkout}: {out.stderr[-2000:]}")
    return dict(json.loads(out.stdout.strip().splitlines()[-1]))


def run(before: Path, records: int = 10_000, saves: int = 300, rounds: int = 2) -> str:
    import psycopg

    from counsel.server.pg_cluster import TempCluster

    after = Path(__file__).resolve().parents[2]
    sides = {"before": before.resolve(), "after": after}
    cluster = TempCluster(fsync=True)
    cluster.start()
    admin = cluster.url("postgres")
    results: dict[str, list[dict[str, float]]] = {"before": [], "after": []}
    try:
        for r in range(rounds):
            for side, path in sides.items():
                name = f"cost_{side}_{r}"
                with psycopg.connect(admin, autocommit=True) as conn:
                    conn.execute(f"CREATE DATABASE {name}")
                results[side].append(_child(path, cluster.url(name), records, saves))
                print(f"round {r + 1} {side}: " + ", ".join(
                    f"{k} {results[side][-1][k]:.4f}" for k in KEYS), file=sys.stderr)
    finally:
        cluster.stop()
    med = {side: {k: statistics.median(x[k] for x in rows) for k in KEYS}
           for side, rows in results.items()}
    n = int(results["after"][0]["revisions"])
    lines = [f"before = {_git(sides['before'])}, after = {_git(after)}; {rounds} rounds "
             f"alternating, medians; {n} revisions",
             f"{'workload':<34} {'before':>10} {'after':>10} {'ratio':>7}"]
    labels = {"join": f"first sync of {n} revisions", "push": f"first push of {n} revisions",
              "save_p50": "single save p50", "save_p99": "single save p99"}
    for k in KEYS:
        b, a = med["before"][k], med["after"][k]
        unit, scale = ("s", 1.0) if k in ("join", "push") else ("ms", 1000.0)
        lines.append(f"{labels[k]:<34} {b * scale:>8.2f} {unit:<2}{a * scale:>8.2f} {unit:<2}"
                     f"{a / b:>6.2f}×")
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m counsel.devtools trust-cost")
    p.add_argument("--before", required=True, type=Path,
                   help="a checkout of the code before issue 11 (e.g. e2a0393^)")
    p.add_argument("--records", type=int, default=10_000)
    p.add_argument("--saves", type=int, default=300)
    p.add_argument("--rounds", type=int, default=2)
    args = p.parse_args(argv)
    print(run(args.before, args.records, args.saves, args.rounds))
    return 0
