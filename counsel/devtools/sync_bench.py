"""Sync benchmark (QUALITY.md): first sync, one edit's round trip, server throughput.

    python -m counsel.devtools sync-bench [--records 10000] [--db postgresql://...] [--clients 4]

The server runs as its own process (``counsel-server serve``) on loopback over
PostgreSQL — a throwaway cluster with normal durability settings unless ``--db`` names
one.  Times are reported with ratios against baselines measured in the same run,
because shared machines drift:

* first sync of N records to a fresh device  vs  a bulk COPY of the same envelopes into
  PostgreSQL plus a bulk insert into a local vault store (the floor for any protocol);
* one edit: save on device A → on the server → visible on device B (p50/p95);
* push throughput with several concurrent clients  vs  one client.
"""

from __future__ import annotations

import itertools
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

PASS = "benchmark passphrase"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _start_server(db_url: str) -> tuple[subprocess.Popen[bytes], str]:
    port = _free_port()
    proc = subprocess.Popen(
        [sys.executable, "-c", "from counsel.server.cli import main; main()", "--db", db_url,
         "serve", "--host", "127.0.0.1", "--port", str(port)],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    import httpx

    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            if httpx.get(url + "/v1/health", timeout=1).status_code == 200:
                return proc, url
        except httpx.TransportError:
            pass
        time.sleep(0.05)
    proc.kill()
    raise RuntimeError("server did not start")


def _timed(fn: Any) -> tuple[float, Any]:
    t0 = time.perf_counter()
    result = fn()
    return time.perf_counter() - t0, result


def run(records: int = 10_000, db_url: str | None = None, clients: int = 4) -> str:
    from counsel.demo import caseload as demo
    from counsel.server.pg_cluster import TempCluster
    from counsel.server.storage import open_storage
    from counsel.sync import enrol
    from counsel.sync.client import SyncClient
    from counsel.vault.floor import bulk_load_seconds  # the baseline: no protocol
    from counsel.vault.kdf import KdfParams
    from counsel.vault.service import Vault

    work = Path(tempfile.mkdtemp(prefix="counsel-sync-bench-"))
    cluster = None
    if db_url is None:
        cluster = TempCluster(fsync=True)
        cluster.start()
        db_url = cluster.url("postgres")
    storage = open_storage(db_url, migrate=True)  # the schema before the server starts
    server, url = _start_server(db_url)
    rows: list[tuple[str, str, str]] = []
    try:
        account = f"bench{os.getpid()}{int(time.time())}"
        secret = storage.create_account(account)
        a, _ = Vault.create(work / "a.vault", PASS, kdf=KdfParams.fast_for_tests())
        a.save_many(list(itertools.islice(demo.records("small", seed=7), records)))
        enrol.connect(a, url, account, PASS, enrol_secret=secret)
        n = a.sync_port.outbox_count()
        client = SyncClient.from_vault(a)
        t_push, _ = _timed(client.sync)
        client.close()

        t_join, b = _timed(lambda: enrol.join(work / "b.vault", url, account, PASS))
        assert b.sync_port.count_revisions() == n

        t_wire = _download_only(url, b)

        # Baselines: the same envelopes, bulk-loaded with no protocol at all.
        revs = a.sync_port.all_revisions()
        t_copy = _copy_baseline(db_url, revs)
        t_local = bulk_load_seconds(work / "baseline.vault", revs)
        floor = t_copy + t_local

        rows.append((f"first sync, {n} revisions → fresh device", f"{t_join:.2f} s",
                     f"{t_join / floor:.1f}× bulk load ({floor:.2f} s); "
                     f"{n / t_join:,.0f} rev/s"))
        rows.append(("  of which download only (HTTP + server + JSON)", f"{t_wire:.2f} s",
                     f"{t_wire / t_join:.0%} of the first sync; the rest is the local vault"))
        rows.append((f"first push of {n} revisions", f"{t_push:.2f} s",
                     f"{t_push / floor:.1f}× bulk load"))

        lat = _round_trips(a, b, 20)
        rows.append(("one edit: save → server → other device",
                     f"p50 {statistics.median(lat) * 1000:.0f} ms",
                     f"p95 {_p95(lat) * 1000:.0f} ms (goal ≤ 1 s)"))

        one = _throughput(url, storage, 1)
        many = _throughput(url, storage, clients)
        spread = _throughput(url, storage, clients, own_vaults=True)
        rows.append((f"push throughput, {clients} clients, one vault", f"{many:,.0f} rev/s",
                     f"{many / one:.2f}× one client ({one:,.0f} rev/s)"))
        rows.append((f"push throughput, {clients} clients, own vaults", f"{spread:,.0f} rev/s",
                     f"{spread / one:.2f}× one client"))
        a.lock()
        b.lock()
    finally:
        server.terminate()
        server.wait(10)
        storage.close()
        if cluster is not None:
            cluster.stop()
        shutil.rmtree(work, ignore_errors=True)
    width = max(len(r[0]) for r in rows)
    lines = [f"{'workload'.ljust(width)}  {'time':>12}  vs baseline"]
    lines += [f"{r[0].ljust(width)}  {r[1]:>12}  {r[2]}" for r in rows]
    return "\n".join(lines)


def _download_only(url: str, vault: Any) -> float:
    """Pull every page again without storing anything: the wire and server share."""
    from counsel.sync import credentials
    from counsel.sync.client import PULL_PAGE
    from counsel.sync.transport import Transport

    creds = credentials.load(vault)
    assert creds is not None
    with Transport(url, creds.token) as t:
        t0 = time.perf_counter()
        since, more = 0, True
        while more:
            page = t.pull(vault.vault_id, since, PULL_PAGE)
            since, more = page.next, page.more
        return time.perf_counter() - t0


def _p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * 0.95))]


def _copy_baseline(db_url: str, revs: list[Any]) -> float:
    import psycopg

    with psycopg.connect(db_url) as conn:
        conn.execute("CREATE TEMP TABLE bench_copy (rev_id text, record_id text, parents text, "
                     "kind text, key_id text, device_id text, envelope bytea)")
        t0 = time.perf_counter()
        with conn.cursor() as cur, cur.copy(
                "COPY bench_copy FROM STDIN") as copy:
            for r in revs:
                copy.write_row((r.rev_id, r.record_id, ",".join(r.parents), r.kind, r.key_id,
                                r.device_id, r.envelope))
        conn.commit()
        return time.perf_counter() - t0


def _round_trips(a: Any, b: Any, n: int) -> list[float]:
    from counsel.domain import Contact
    from counsel.sync.client import SyncClient

    ca, cb = SyncClient.from_vault(a), SyncClient.from_vault(b)
    out = []
    try:
        a.save(Contact(id="benchcontact", name="start"))
        ca.sync()
        cb.sync()
        for i in range(n):
            t0 = time.perf_counter()
            a.save(a.get("benchcontact").replace(phone=str(i)))
            ca.push()
            cb.pull()
            assert b.get("benchcontact").phone == str(i)
            out.append(time.perf_counter() - t0)
    finally:
        ca.close()
        cb.close()
    return out


def _throughput(url: str, storage: Any, clients: int, batches: int = 20,
                size: int = 100, own_vaults: bool = False) -> float:
    """Revisions/s pushed by ``clients`` concurrent devices into one vault (or one each).

    Pushes to one vault are serialised by its row lock by design; different vaults
    proceed in parallel.
    """
    import secrets

    from counsel.sync.transport import Transport
    from counsel.vault.revision import StoredRevision

    account = f"tp{clients}{secrets.token_hex(4)}"
    secret = storage.create_account(account)
    vault_ids = [secrets.token_hex(16) for _ in range(clients if own_vaults else 1)]
    with Transport(url) as t:
        _, token = t.enrol(account, secret, "bench", None, vault=(vault_ids[0], {"opaque": True}))
        for vault_id in vault_ids[1:]:  # registering a vault takes an enrolment secret
            t.enrol(account, storage.new_enrol_secret(account), "bench", None,
                    vault=(vault_id, {"opaque": True}))
    payload = os.urandom(1200)
    counter = itertools.count()

    def work() -> None:
        vault_id = vault_ids[next(counter) % len(vault_ids)]
        with Transport(url, token) as t:
            for _ in range(batches):
                revs = [StoredRevision(secrets.token_hex(16), secrets.token_hex(16), (),
                                       "encounter", "vault", "benchdev", payload)
                        for _ in range(size)]
                t.push(vault_id, {}, revs)

    threads = [threading.Thread(target=work) for _ in range(clients)]
    t0 = time.perf_counter()
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    return clients * batches * size / (time.perf_counter() - t0)


if __name__ == "__main__":
    print(run(records=int(sys.argv[1]) if len(sys.argv) > 1 else 10_000))
