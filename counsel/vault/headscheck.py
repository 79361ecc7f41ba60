"""The whole-file half of the unlock's history check, on a second core while the working
set loads.

At every unlock the sealed history state (:mod:`counsel.vault.integrity`) is compared with
the file: one keyed BLAKE2b per heads row and a count of every device's chained changes.
On a large vault (312k heads) that is ~0.35 s of one core — SQLite building a Python bytes
object per row and a hash each — and under the GIL it cannot overlap the other half of
the unlock, loading the working set from the unlock cache.  A helper process can: it is
given the file's path and the digest's subkey (over a pipe, never a file or the command
line), reads the chain counts and hashes the heads rows whose record id sorts below
``SPLIT`` in one read transaction and prints them; the vault's process hashes the other rows
once its working set is loaded (the digest is an XOR: the halves combine).  The check itself
stays whole and before the vault is handed out: the caller waits for the answer and compares
the combined digest with the sealed state exactly as before.

Anything that goes wrong (no interpreter to start, a frozen build, a crash, a malformed
answer) falls back to computing the digest in-process — the answer is the same, only
later.  Only the standard library is imported here, so the process starts in ~20 ms; it is
run as a script (``python -I <this file>``), not as ``-m counsel...``, so it does not
depend on how Counsel is installed.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import logging
import os
import sqlite3
import subprocess
import sys
from collections.abc import Iterable
from pathlib import Path

log = logging.getLogger("counsel.vault")

#: every heads row as ``record_id NUL rev_id`` bytes (what the row hashes are taken of)
SQL = "SELECT CAST(record_id || char(0) || rev_id AS BLOB) FROM heads"
#: the heads rows the helper hashes are those whose record id sorts below this; the vault's
#: process hashes the rest once its working set is loaded (record ids are mostly random hex:
#: about half each).  The digest is an XOR, so the two halves simply combine.
SPLIT = "8"
SQL_BELOW = SQL + " WHERE record_id < ?"
SQL_FROM = SQL + " WHERE record_id >= ?"
#: per device: number of chained changes held, highest change number (a gap: deleted ones)
CHAIN_COUNTS_SQL = ("SELECT device_id, COUNT(DISTINCT counter), MAX(counter) FROM revisions "
                    "WHERE counter > 0 GROUP BY device_id")
#: below this many heads the digest is computed in-process (starting a process costs
#: ~20–40 ms, the digest of 50k rows about as much)
THRESHOLD = 50_000
#: how long to wait for the helper before computing in-process anyway
TIMEOUT_S = 120.0


def keyed_all(key: bytes, rows: Iterable[tuple[bytes]]) -> bytes:
    """The keyed row hashes, concatenated.  The hasher is keyed once and copied per row
    (the same digests as ``blake2b(raw, key=key, digest_size=16)``, without hashing the
    key block once per row)."""
    copy = hashlib.blake2b(key=key, digest_size=16).copy
    out: list[bytes] = []
    append = out.append
    for (raw,) in rows:
        h = copy()
        h.update(raw)
        append(h.digest())
    return b"".join(out)


def fold(blob: bytes) -> tuple[int, int]:
    """(XOR of the 16-byte hashes in ``blob``, their number); folded in whole-number
    halves (a few big-integer operations instead of one per row)."""
    count = len(blob) // 16
    if not count:
        return 0, 0
    bits = (1 << (count - 1).bit_length()) * 128
    folded = int.from_bytes(blob, "big")
    while bits > 128:
        bits //= 2
        folded = (folded >> bits) ^ (folded & ((1 << bits) - 1))
    return folded, count


def digest_rows(key: bytes, cursor: sqlite3.Cursor, size: int = 16384) -> tuple[int, int]:
    """:func:`fold` of :func:`keyed_all` over a cursor's rows, ``size`` rows at a time (the
    XOR folds chunk by chunk: no list of every row and hash in memory at once)."""
    digest = count = 0
    while rows := cursor.fetchmany(size):
        part, n = fold(keyed_all(key, rows))
        digest ^= part
        count += n
    return digest, count


def chain_counts(rows: Iterable[tuple[str, int, int]]) -> dict[str, tuple[int, int]]:
    return {str(d): (int(n), int(m)) for d, n, m in rows}


@dataclasses.dataclass(frozen=True)
class Facts:
    """What the helper found in the file: the keyed digest and number of the heads rows
    whose record id sorts below ``split`` (the caller hashes the rest), and each device's
    chain counts."""
    heads: tuple[int, int]
    chains: dict[str, tuple[int, int]]
    split: str = SPLIT


def facts_of_file(path: Path, key: bytes, split: str = SPLIT) -> Facts:
    """The facts of the vault file at ``path``, read in one read transaction."""
    conn = sqlite3.connect(path)
    try:
        conn.execute("PRAGMA query_only=1")
        conn.execute("BEGIN")
        heads = digest_rows(key, conn.execute(SQL_BELOW, (split,)))
        return Facts(heads, chain_counts(conn.execute(CHAIN_COUNTS_SQL)), split)
    finally:
        conn.close()


class Pending:
    """A digest being computed by the helper process."""

    def __init__(self, proc: subprocess.Popen[bytes], split: str = SPLIT) -> None:
        self._proc = proc
        #: the helper hashes the heads rows whose record id sorts below this
        self.split = split

    def result(self) -> Facts | None:
        """The helper's answer, or None if it gave no usable one."""
        try:
            out, _err = self._proc.communicate(timeout=TIMEOUT_S)
        except subprocess.TimeoutExpired:
            self.cancel()
            log.warning("heads check helper took too long; checking in-process")
            return None
        if self._proc.returncode != 0:
            log.warning("heads check helper failed (exit %d); checking in-process",
                        self._proc.returncode)
            return None
        try:
            answer = json.loads(out)
            chains = chain_counts((d, n, m) for d, (n, m) in answer["chains"].items())
            return Facts((int(answer["heads"], 16), int(answer["count"])), chains,
                         str(answer["split"]))
        except (ValueError, KeyError, TypeError, AttributeError):
            log.warning("heads check helper gave no answer; checking in-process")
            return None

    def cancel(self) -> None:
        """Stop the helper (the unlock failed or gave up waiting)."""
        if self._proc.poll() is None:
            self._proc.kill()
        self._proc.wait()
        if self._proc.stdout is not None:
            self._proc.stdout.close()


def start(path: Path | None, key: bytes | None, heads: int) -> Pending | None:
    """Start the helper for a file with about ``heads`` heads rows; None: compute
    in-process (small vault, in-memory store, a format-1 state, a frozen build)."""
    if path is None or key is None or heads < THRESHOLD or getattr(sys, "frozen", False):
        return None
    try:
        proc = subprocess.Popen(
            [sys.executable, "-I", os.path.abspath(__file__), str(path), SPLIT],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
            close_fds=True)
    except OSError as exc:
        log.warning("heads check helper could not start (%s); checking in-process",
                    type(exc).__name__)
        return None
    assert proc.stdin is not None
    try:
        proc.stdin.write(key.hex().encode() + b"\n")
        proc.stdin.close()
        proc.stdin = None  # sent: communicate() only reads the answer
    except OSError:
        pending = Pending(proc)
        pending.cancel()
        return None
    return Pending(proc)


def _main() -> int:
    key = bytes.fromhex(sys.stdin.readline().strip())
    facts = facts_of_file(Path(sys.argv[1]), key, sys.argv[2])
    sys.stdout.write(json.dumps({"heads": f"{facts.heads[0]:032x}", "count": facts.heads[1],
                                 "chains": facts.chains, "split": facts.split}) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(_main())
