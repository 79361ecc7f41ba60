"""The working-set rebuild's decrypting spread over helper processes.

A rebuild (first unlock on a device, a lost cache) spends most of its time per record in
pure Python that holds the GIL: reading the head, building its associated data, AES-GCM,
``json.loads`` and the row builders.  Here that work runs in ``WORKERS`` processes, each
reading its own range of record ids from the vault file over a read-only connection and
sending back the working-set rows of a chunk of records (numbered from 1 within each run
of records it could build; :func:`counsel.vault.rebuild.rebuild` renumbers them as it
inserts).  Whatever a worker cannot build the fast way — a conflict, an erased key, an
unreadable or damaged revision, keys of a newer generation — comes back as ``("slow",
record_id)`` and goes the record-by-record way in the vault's own process, exactly as in
the single-process rebuild.

The workers are ``python -m counsel.vault.rebuildpool`` started by :mod:`subprocess` (not
``multiprocessing``, whose *spawn* imports the caller's main module again in each child:
a script or app without a ``__main__`` guard would run again).  Key material: the vault
keys are the first message on the worker's stdin pipe (never a file, never its command
line or environment); each worker unwraps the client keys it needs from the vault file as
the vault does.  Plaintext stays in the workers' memory and the pipe back.  If the
workers cannot start (a frozen build has no ``python -m``) or one dies, the caller
finishes the rebuild in its own process (``Unavailable``).
"""

from __future__ import annotations

import logging
import os
import pickle
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import quote

from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from counsel.errors import IntegrityError, RecordNotFound, ValidationError
from counsel.i18n import gettext as _
from counsel.vault import envelope, generations, keys
from counsel.vault.revision import COLUMNS

log = logging.getLogger("counsel.vault")

#: helper processes (the development machine and many laptops have two cores; the vault's
#: own process inserts the rows meanwhile)
WORKERS = 2
MAX_WORKERS = 4
#: records per chunk a worker builds and sends back at once
CHUNK = 4000
#: chunks asked for ahead of the one being inserted (bounds the rows waiting in memory)
AHEAD = 3
#: below this many heads the single-process rebuild is quicker than starting processes
POOL_MIN = 30_000

Item = tuple[Any, ...]
# what fails a record in a worker: handed to the record-by-record way, which finds the
# same failure and marks the record damaged (the same tuple as counsel.vault.current)
_UNREADABLE = (IntegrityError, ValidationError, KeyError, ValueError, RecordNotFound)


class Unavailable(Exception):
    """The workers could not start or stopped; rebuild in this process instead.
    ``reason``: the name of what failed (an exception type; no message, which could
    quote a record)."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


# -- in the worker --------------------------------------------------------------------------
class _WorkerKeys:
    """What :class:`counsel.vault.payload.RevisionCipher` needs of the vault's keys, in a
    worker: the same derivation as ``UnlockedKeys.cipher``, client keys unwrapped from
    the file."""

    def __init__(self, conn: sqlite3.Connection, vault_id: str, vault_keys: list[bytes]) -> None:
        self._conn = conn
        self.vault_id = vault_id
        self._vault_keys = vault_keys
        self.generation = len(vault_keys) - 1
        self._bases: dict[str, bytes] = {keys.VAULT_KEY_ID: vault_keys[0]}
        self._ciphers: dict[tuple[str, int], AESGCM] = {}

    def knows(self, generation: int) -> bool:
        return generation < len(self._vault_keys)

    def cipher(self, key_id: str, arriving: bytes | None = None,
               generation: int = 0) -> AESGCM:
        cipher = self._ciphers.get((key_id, generation))
        if cipher is None:
            if not 0 <= generation < len(self._vault_keys):
                raise RecordNotFound(_("A change was sealed under newer keys than this device "
                                       "has; it opens once this device has them."))
            base = self._bases.get(key_id)
            if base is None:
                row = self._conn.execute("SELECT wrapped FROM keys WHERE key_id=?",
                                         (key_id,)).fetchone()
                if row is None:
                    raise RecordNotFound(
                        _("The client's key is missing (erased or not synced)."))
                wrapped = bytes(row[0])
                gen = envelope.generation_of(wrapped)
                if not gen < len(self._vault_keys):
                    raise RecordNotFound(_("A change was sealed under newer keys than this "
                                           "device has; it opens once this device has them."))
                base = keys.unwrap_client_key(self.vault_id, self._vault_keys[gen], key_id,
                                              wrapped)
                self._bases[key_id] = base
            cipher = AESGCM(generations.record_key(self.vault_id, key_id, generation, base,
                                                   self._vault_keys[generation]))
            self._ciphers[(key_id, generation)] = cipher
        return cipher


_state: dict[str, Any] = {}


def _start(path: str, vault_id: str, vault_keys: list[bytes], erased: list[str],
           defer: bool) -> None:
    from counsel.vault.payload import RevisionCipher

    conn = sqlite3.connect(f"file:{quote(path)}?mode=ro", uri=True)
    conn.execute("PRAGMA query_only = ON")
    wkeys = _WorkerKeys(conn, vault_id, vault_keys)
    _state.update(conn=conn, keys=wkeys, cipher=RevisionCipher(wkeys),  # type: ignore[arg-type]
                  erased=frozenset(erased), defer=defer)


def _heads(lo: str, hi: str | None, kind: str | None = None) -> Iterator[list[Any]]:
    """The head rows of the records in [lo, hi) (those of ``kind``), grouped by record."""
    cols = ", ".join("r." + c.strip() for c in COLUMNS.split(","))
    sql = (f"SELECT {cols} FROM heads h JOIN revisions r ON r.rev_id=h.rev_id "
           "WHERE h.record_id >= ?" + ("" if hi is None else " AND h.record_id < ?") +
           ("" if kind is None else " AND r.kind = ?") + " ORDER BY h.record_id, h.rev_id")
    args = (lo,) if hi is None else (lo, hi)
    group: list[Any] = []
    for row in _state["conn"].execute(sql, args if kind is None else (*args, kind)):
        if group and group[0][1] != row[1]:
            yield group
            group = []
        group.append(row)
    if group:
        yield group


def build_chunk(lo: str, hi: str | None) -> tuple[int, list[Item]]:
    """The heads read and the rows of the records in [lo, hi): runs ``("rows", count,
    [(table, rows)])`` (rowids from 1 within the run) and ``("slow", record_id)``;
    records that show nothing (deleted, erased) leave no item."""
    from counsel.vault.bulkrows import FAST, NotFast
    from counsel.vault.payload import record_from
    from counsel.vault.workingset import Batch

    cipher, wkeys, erased = _state["cipher"], _state["keys"], _state["erased"]
    out: list[Item] = []
    batch = Batch(defer_bodies=_state["defer"])

    def close_run() -> None:
        if len(batch):
            out.append(("rows", len(batch), [(t, rows) for t, rows in batch.tables() if rows]))
            batch.clear()

    heads = 0
    for group in _heads(lo, hi):
        heads += len(group)
        row = group[0]  # (revision.COLUMNS: no StoredRevision made for the usual record)
        rev_id, record_id, kind, key_id = row[0], row[1], row[3], row[4]
        if len(group) != 1:
            close_run()
            out.append(("slow", record_id))
            continue
        if key_id in erased:
            continue
        try:
            if not wkeys.knows(envelope.generation_of(row[6])):
                raise RecordNotFound("newer keys")
            data = cipher.open_row(row)
            if data is None:
                continue  # deleted
            rowid = len(batch) + 1
            add = FAST.get(kind)
            if add is not None:
                try:
                    add(batch, rowid, record_id, rev_id, data)
                    continue
                except NotFast:
                    pass
            record = record_from(kind, data, record_id)
            batch.add_record(rowid, record_id, kind, rev_id, record)
        except _UNREADABLE:
            close_run()
            out.append(("slow", record_id))
    close_run()
    return heads, out


def chunk_bodies(lo: str, hi: str | None) -> list[tuple[str, str]]:
    """The note index's second pass for the records in [lo, hi): ``(record_id, text)`` of
    each encounter with one head that opens and the fast row builder takes (the others
    are indexed by the vault's process)."""
    from counsel.domain import Encounter
    from counsel.vault.bulkrows import NotFast, add_encounter, encounter_body
    from counsel.vault.workingset import Batch

    cipher, erased = _state["cipher"], _state["erased"]
    out: list[tuple[str, str]] = []
    scratch = Batch(defer_bodies=True)
    for group in _heads(lo, hi, Encounter.KIND):
        row = group[0]
        if len(group) != 1 or row[4] in erased:
            continue
        try:
            data = cipher.open_row(row)
            if data is None:
                continue
            add_encounter(scratch, 1, row[1], row[0], data)  # the same checks as the rows
            scratch.clear()
            out.append((row[1], encounter_body(data)))
        except (*_UNREADABLE, NotFast):
            continue
    return out


# -- in the vault's process -----------------------------------------------------------------
def chunk_bounds(conn: sqlite3.Connection, size: int) -> list[tuple[str, str | None]]:
    """[lo, hi) record-id ranges of ``size`` records each, in record-id order."""
    ids = [r[0] for r in conn.execute("SELECT DISTINCT record_id FROM heads ORDER BY record_id")]
    starts = ids[::size]
    return [(lo, starts[i + 1] if i + 1 < len(starts) else None)
            for i, lo in enumerate(starts)]


class _Worker:
    def __init__(self, env: dict[str, str]) -> None:
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "counsel.vault.rebuildpool"], stdin=subprocess.PIPE,
            stdout=subprocess.PIPE, env=env, close_fds=True)
        assert self.proc.stdin is not None and self.proc.stdout is not None
        self.send_pipe, self.recv_pipe = self.proc.stdin, self.proc.stdout

    def send(self, message: Any) -> None:
        pickle.dump(message, self.send_pipe, protocol=pickle.HIGHEST_PROTOCOL)
        self.send_pipe.flush()

    def receive(self) -> Any:
        reply = pickle.load(self.recv_pipe)  # our own child's answer
        if not isinstance(reply, tuple) or reply[0] != "ok":
            raise Unavailable(str(reply[1]) if isinstance(reply, tuple) else "no answer")
        return reply[1]

    def stop(self) -> None:
        """End the helper: it only reads, so one still working is killed (a lock must not
        wait for it); the pipe back is closed after it is gone (a thread reading it gets
        the end of the stream)."""
        try:
            self.send_pipe.close()
        except OSError:
            pass
        try:
            self.proc.wait(timeout=0.5)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        try:
            self.recv_pipe.close()
        except OSError:
            pass


class Pool:
    """Helper processes building chunks; :meth:`results` yields each chunk's result in
    record-id order, with at most ``AHEAD`` chunks asked for per worker."""

    def __init__(self, path: str, vault_id: str, vault_keys: list[bytes],
                 erased: set[str], workers: int = WORKERS, defer: bool = False) -> None:
        if getattr(sys, "frozen", False):  # a bundled app: sys.executable is the app itself
            raise Unavailable("frozen")
        import counsel

        here = str(Path(counsel.__file__).resolve().parent.parent)
        env = {**os.environ, "PYTHONPATH": os.pathsep.join(
            [here, *filter(None, os.environ.get("PYTHONPATH", "").split(os.pathsep))])}
        self._workers: list[_Worker] = []
        #: the ranges :meth:`results` was asked for (:meth:`bodies` goes through them again)
        self.bounds: list[tuple[str, str | None]] = []
        try:
            for _i in range(workers):
                self._workers.append(_Worker(env))
            for w in self._workers:
                w.send((path, vault_id, list(vault_keys), sorted(erased), defer))
            # (their start answers are read by :meth:`results`: they start meanwhile)
        except (OSError, EOFError, pickle.PickleError, Unavailable) as exc:
            self.close()
            raise Unavailable(type(exc).__name__) from exc

    def results(self, bounds: list[tuple[str, str | None]]
                ) -> Iterator[tuple[int, list[Item]]]:
        """The rows of each range (:func:`build_chunk`), in order."""
        self.bounds = bounds
        return self._ask("rows", bounds, started=False)

    def bodies(self) -> Iterator[list[tuple[str, str]]]:
        """The note text of each range :meth:`results` went through (:func:`chunk_bodies`),
        in order: the second pass, after the rows."""
        return self._ask("bodies", self.bounds, started=True)

    def _ask(self, what: str, bounds: list[tuple[str, str | None]],
             started: bool) -> Iterator[Any]:
        n = len(self._workers)
        asked = 0
        try:
            if not started:
                for w in self._workers:
                    w.receive()  # started: the vault file opened, the keys taken
            while asked < min(len(bounds), n * AHEAD):
                self._workers[asked % n].send((what, *bounds[asked]))
                asked += 1
            for i in range(len(bounds)):
                result = self._workers[i % n].receive()
                if asked < len(bounds):
                    self._workers[asked % n].send((what, *bounds[asked]))
                    asked += 1
                yield result
        except (OSError, EOFError, ValueError, pickle.PickleError, Unavailable) as exc:
            raise Unavailable(type(exc).__name__) from exc

    def close(self) -> None:
        workers, self._workers = self._workers, []
        for w in workers:
            w.stop()


def _serve() -> None:
    """The worker: the start message, then one chunk per message until stdin closes."""
    inp, out = sys.stdin.buffer, sys.stdout.buffer
    sys.stdout = sys.stderr  # nothing printed may mix into the answers

    def answer(message: Any) -> None:
        pickle.dump(message, out, protocol=pickle.HIGHEST_PROTOCOL)
        out.flush()

    try:
        _start(*pickle.load(inp))
    except Exception as exc:  # noqa: BLE001 - told to the vault, which goes on without us
        answer(("error", type(exc).__name__))
        return
    answer(("ok", None))
    while True:
        try:
            what, lo, hi = pickle.load(inp)
        except EOFError:
            return
        try:
            answer(("ok", build_chunk(lo, hi) if what == "rows" else chunk_bodies(lo, hi)))
        except Exception as exc:  # noqa: BLE001
            answer(("error", type(exc).__name__))
            return


def workers_wanted() -> int:
    """``WORKERS`` on two or three cores, one per further core up to ``MAX_WORKERS`` (the
    vault's process mostly waits for them), none on one core."""
    cores = os.cpu_count() or 1
    return 0 if cores < 2 else min(MAX_WORKERS, max(WORKERS, cores - 1))


if __name__ == "__main__":
    _serve()
