"""Load test of the sync server on PostgreSQL: many devices, many vaults, loopback only.

    python -m counsel.devtools server-load [--vaults 50] [--devices 200] [--rounds 5]
        [--batch 20] [--concurrency 16] [--workers 2] [--db postgresql://127.0.0.1/...]

A throwaway PostgreSQL cluster (fsync on) unless ``--db`` names a loopback one; ``--workers``
``counsel-server serve`` processes on loopback ports, the client spreading requests over
them as the TLS proxy would.  Each device does ``--rounds`` sync rounds: push ``--batch``
revisions (1–4 KiB envelopes, each a child of its previous one), then pull everything new
in its vault.  Bounded by construction: devices x rounds rounds, nothing else.  Prints
throughput and latency percentiles per request kind.  Clients and servers share this
machine's CPUs, so the figures are a floor for a real deployment.
"""

from __future__ import annotations

import argparse
import base64
import os
import random
import secrets
import statistics
import subprocess
import sys
import threading
import time
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

import httpx

LOOPBACK = {"127.0.0.1", "::1", "localhost", None, ""}


@dataclass
class Device:
    token: str
    vault: str
    base: str  # the worker this device talks to
    parent: str | None = None
    cursor: int = 0
    pulled: int = 0


@dataclass
class Timings:
    lock: threading.Lock = field(default_factory=threading.Lock)
    samples: dict[str, list[float]] = field(default_factory=dict)
    errors: int = 0

    def add(self, kind: str, seconds: float) -> None:
        with self.lock:
            self.samples.setdefault(kind, []).append(seconds)

    def error(self) -> None:
        with self.lock:
            self.errors += 1


def _pct(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]


def _start_workers(db_url: str, n: int) -> tuple[list[subprocess.Popen[bytes]], list[str]]:
    from counsel.devtools.sync_bench import _free_port

    procs, urls = [], []
    for _ in range(n):
        port = _free_port()
        env = dict(os.environ, COUNSEL_SERVER_DB=db_url, COUNSEL_SERVER_POOL_SIZE="8")
        procs.append(subprocess.Popen(
            [sys.executable, "-c", "from counsel.server.cli import main; main()", "serve",
             "--host", "127.0.0.1", "--port", str(port)],
            env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL))
        urls.append(f"http://127.0.0.1:{port}")
    deadline = time.monotonic() + 60
    for url in urls:
        while True:
            try:
                if httpx.get(url + "/v1/ready", timeout=1).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError("a serve worker did not become ready")
            time.sleep(0.1)
    return procs, urls


def _setup(storage: Any, urls: list[str], vaults: int, devices: int) -> list[Device]:
    out: list[Device] = []
    vault_ids = [secrets.token_hex(16) for _ in range(vaults)]
    for i in range(devices):
        account = f"load{i % vaults:05d}"  # one account per vault, several devices each
        if i < vaults:
            storage.create_account(account)
        secret = storage.new_enrol_secret(account)
        base = urls[i % len(urls)]
        vault = vault_ids[i % vaults]
        body: dict[str, Any] = {"account": account, "secret": secret, "device_name": f"dev{i}"}
        if i < vaults:  # the first device registers the vault (it takes an enrolment secret)
            body["vault"] = {"vault_id": vault, "keyring": {"x": 1}}
        r = httpx.post(base + "/v1/enrol", json=body, timeout=30)
        r.raise_for_status()
        out.append(Device(r.json()["token"], vault, base))
    return out


def _round(dev: Device, client: httpx.Client, batch: int, timings: Timings,
           rng: random.Random) -> None:
    revs = []
    for _ in range(batch):
        rev_id = secrets.token_hex(16)
        revs.append({"rev_id": rev_id, "record_id": secrets.token_hex(16),
                     "parents": [dev.parent] if dev.parent else [], "kind": "encounter",
                     "key_id": "vault", "device_id": "loadtest",
                     "envelope": base64.b64encode(rng.randbytes(rng.randint(1024, 4096)))
                     .decode()})
        dev.parent = rev_id
    headers = {"Authorization": "Bearer " + dev.token}
    t0 = time.perf_counter()
    r = client.post(f"{dev.base}/v1/vaults/{dev.vault}/push", json={"revisions": revs},
                    headers=headers)
    timings.add("push", time.perf_counter() - t0)
    if r.status_code != 200:
        timings.error()
        return
    while True:
        t0 = time.perf_counter()
        r = client.get(f"{dev.base}/v1/vaults/{dev.vault}/pull",
                       params={"since": dev.cursor, "limit": 500}, headers=headers)
        timings.add("pull", time.perf_counter() - t0)
        if r.status_code != 200:
            timings.error()
            return
        body = r.json()
        dev.cursor, dev.pulled = body["next"], dev.pulled + len(body["revisions"])
        if not body["more"]:
            return


def run(vaults: int = 50, devices: int = 200, rounds: int = 5, batch: int = 20,
        concurrency: int = 16, workers: int = 2, db_url: str | None = None) -> str:
    from counsel.server.pg_cluster import TempCluster
    from counsel.server.storage import open_storage

    if db_url is not None and urlsplit(db_url).hostname not in LOOPBACK:
        raise SystemExit("server-load runs against a loopback database only")
    cluster = None
    if db_url is None:
        cluster = TempCluster(fsync=True)
        cluster.start()
        db_url = cluster.url("postgres")
    storage = open_storage(db_url, migrate=True)
    procs: list[subprocess.Popen[bytes]] = []
    try:
        procs, urls = _start_workers(db_url, workers)
        devs = _setup(storage, urls, vaults, max(devices, vaults))
        timings = Timings()
        local = threading.local()

        def task(dev: Device, seed: int) -> None:
            client = getattr(local, "client", None)
            if client is None:
                client = local.client = httpx.Client(timeout=60)
            _round(dev, client, batch, timings, random.Random(seed))

        # A device's rounds run in order; devices run concurrently.
        started = time.perf_counter()
        with ThreadPoolExecutor(concurrency) as pool:
            for r in range(rounds):
                list(pool.map(task, devs, [hash((d.token, r)) for d in devs]))
        wall = time.perf_counter() - started
        revs_pushed = len(devs) * rounds * batch
        revs_pulled = sum(d.pulled for d in devs)
        lines = [f"server load: {len(devs)} devices, {vaults} vaults, {rounds} rounds x "
                 f"{batch} revisions, concurrency {concurrency}, {workers} serve workers, "
                 f"PostgreSQL (fsync on), {os.cpu_count()} CPUs shared by clients and servers",
                 f"wall {wall:.1f} s; {sum(len(v) for v in timings.samples.values()) / wall:.0f} "
                 f"requests/s; {revs_pushed / wall:.0f} revisions pushed/s; "
                 f"{revs_pulled / wall:.0f} revisions pulled/s; errors {timings.errors}"]
        for kind, values in sorted(timings.samples.items()):
            lines.append(f"{kind:5} n={len(values):6d}  p50 {_pct(values, 50) * 1000:7.1f} ms  "
                         f"p95 {_pct(values, 95) * 1000:7.1f} ms  "
                         f"p99 {_pct(values, 99) * 1000:7.1f} ms  "
                         f"mean {statistics.fmean(values) * 1000:7.1f} ms")
        return "\n".join(lines)
    finally:
        for p in procs:
            p.terminate()
        for p in procs:
            p.wait(10)
        storage.close()
        if cluster is not None:
            cluster.stop()


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m counsel.devtools server-load")
    parser.add_argument("--vaults", type=int, default=50)
    parser.add_argument("--devices", type=int, default=200)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--batch", type=int, default=20)
    parser.add_argument("--concurrency", type=int, default=16)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--db", metavar="URL", help="a loopback PostgreSQL (default: throwaway)")
    args = parser.parse_args(argv)
    for name in ("vaults", "devices", "rounds", "batch", "concurrency", "workers"):
        if not 1 <= getattr(args, name) <= 10_000:
            parser.error(f"--{name} must be between 1 and 10000")
    print(run(args.vaults, args.devices, args.rounds, args.batch, args.concurrency,
              args.workers, args.db))
    return 0
