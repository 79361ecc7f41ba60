"""What a backup and a restore cost (issue 16, counsel.records.backup).

    python -m counsel.devtools backup-bench [--size small|large] [--vault PATH] [--edits N]

A demo vault of ``size`` is made (or ``--vault`` is copied, opened with
``COUNSEL_PASSPHRASE``); then, in a temporary folder:

* the first backup into a new file (page copy, chunks sealed, read back and verified);
* ``edits`` saved records, then a second backup into the same file (only what changed);
* a restore of it to a new vault file with the passphrase (key derivation, every chunk
  authenticated, the file and its unlock cache assembled and checked), the first unlock
  of the restored vault (from that cache when the backup has one, else rebuilt), and a
  full ``check`` of it.

Sizes are of the vault file and the backup file; times are wall-clock seconds.
"""

from __future__ import annotations

import argparse
import dataclasses
import os
import shutil
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

PASS = "benchmark passphrase"


def _timed(fn: Callable[[], Any]) -> tuple[float, Any]:
    t0 = time.perf_counter()
    out = fn()
    return time.perf_counter() - t0, out


def _mb(n: int) -> str:
    return f"{n / 1_000_000:.1f} MB"


def _make(path: Path, size: str) -> tuple[float, str]:
    from counsel.demo import caseload
    from counsel.vault.service import Vault

    vault, _code = Vault.create(path, PASS)
    seconds, _n = _timed(lambda: caseload.generate(vault, size))
    vault.lock()
    return seconds, PASS


def run(size: str, source: Path | None, edits: int) -> str:
    from counsel.domain import Client
    from counsel.records import backup
    from counsel.vault.service import Vault

    work = Path(tempfile.mkdtemp(prefix="counsel-backup-bench-"))
    lines = []
    try:
        vault_path = work / "bench.vault"
        if source is not None:
            shutil.copyfile(source, vault_path)
            cache = source.with_name(source.name + ".wscache")
            if cache.is_file():  # its unlock cache too: the bench measures the backup
                shutil.copyfile(cache, vault_path.with_name(vault_path.name + ".wscache"))
            passphrase = os.environ.get("COUNSEL_PASSPHRASE", PASS)
            lines.append(f"vault: a copy of {source}")
        else:
            built, passphrase = _make(vault_path, size)
            lines.append(f"vault: demo --size {size}, built in {built:.0f} s")
        t_unlock, vault = _timed(lambda: Vault.unlock(vault_path, passphrase))
        lines.append(f"records: {vault.count():,}; unlock {t_unlock:.1f} s")
        out = work / "usb" / "counsel.backup"
        t_first, first = _timed(lambda: backup.backup(vault.backup_port, out))
        lines.append(f"first backup: {t_first:.1f} s, backup file {_mb(first.file_size)} "
                     f"({first.new_chunks:,} chunks, of a {_mb(first.vault_size)} copy)")
        t_verify, _m = _timed(lambda: backup.verify(out, vault.backup_port.keys()))
        lines.append(f"  of which verifying (read back, every chunk authenticated): "
                     f"{t_verify:.1f} s")
        clients = vault.all(Client)[:edits]
        vault.save_many([dataclasses.replace(c, notes=c.notes + " (edited)") for c in clients])
        t_second, second = _timed(lambda: backup.backup(vault.backup_port, out))
        lines.append(f"second backup after {len(clients)} edited clients: {t_second:.1f} s, "
                     f"added {_mb(second.added)} ({second.new_chunks:,} new chunks, "
                     f"{second.reused_chunks:,} reused)")
        vault.lock()
        target = work / "restored" / "restored.vault"
        t_restore, _r = _timed(lambda: backup.restore(out, target, passphrase=passphrase))
        lines.append(f"restore (passphrase, authenticate, assemble, check header): "
                     f"{t_restore:.1f} s")
        t_open, again = _timed(lambda: Vault.unlock(target, passphrase))
        t_check, report = _timed(again.check)
        how = "from the restored unlock cache" if again.snapshot_seq >= 0 else "rebuilt"
        lines.append(f"first unlock of the restored vault (working set {how}): "
                     f"{t_open:.1f} s; check of {report.revisions:,} revisions: "
                     f"{t_check:.1f} s, ok={report.ok}")
        again.lock()
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return "\n".join(lines)


def main(argv: Sequence[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m counsel.devtools backup-bench")
    parser.add_argument("--size", choices=["tiny", "small", "large"], default="small")
    parser.add_argument("--vault", type=Path, help="copy this vault instead of making one "
                        "(passphrase from COUNSEL_PASSPHRASE)")
    parser.add_argument("--edits", type=int, default=100)
    args = parser.parse_args(argv)
    print(run(args.size, args.vault, args.edits))
    return 0
