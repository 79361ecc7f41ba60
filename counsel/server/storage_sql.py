"""Storage logic shared by the SQLite and PostgreSQL backends.

Every key leads with ``vault_id`` so the tables shard by vault (Citus) without change.

Ordering guarantee: a push reads and bumps ``vaults.next_seq`` while holding the vault
row's lock (``SELECT ... FOR UPDATE`` on PostgreSQL, the database write lock on
SQLite) and keeps it until commit.  So sequence numbers of one vault become visible in
increasing order, and a pull cursor ``seq > since`` can never step over a row that
commits later with a smaller number — which a plain SEQUENCE would allow.
"""

from __future__ import annotations

import abc
import contextlib
import dataclasses
import json
import threading
import time
from collections.abc import Sequence
from typing import Any

from counsel.server import auth
from counsel.server.model import LoginParams, Page, Principal, PushResult, Revision, StorageError
from counsel.server.storage_devices import DeviceStorage

CHUNK = 500
#: seconds between updates of a device's ``last_seen`` (admin lists, not security)
SEEN_EVERY = 300


class Db(abc.ABC):
    """The few calls the shared logic needs; SQL is written with ``%s`` placeholders."""

    @abc.abstractmethod
    def execute(self, sql: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]: ...

    @abc.abstractmethod
    def executemany(self, sql: str, rows: Sequence[Sequence[Any]]) -> None: ...


@dataclasses.dataclass(frozen=True)
class PoolStats:
    size: int  # connections open
    in_use: int  # ... of which lent to a transaction now
    wait_seconds: float  # total time transactions waited for a connection
    transactions: int  # transactions begun


class PoolUsage:
    """Thread-safe counters behind ``pool_stats`` (for /metrics)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.in_use = 0
        self.waited = 0.0
        self.transactions = 0

    def enter(self, waited: float) -> None:
        with self._lock:
            self.in_use += 1
            self.waited += waited
            self.transactions += 1

    def leave(self) -> None:
        with self._lock:
            self.in_use -= 1

    def stats(self, size: int) -> PoolStats:
        with self._lock:
            return PoolStats(size, self.in_use, round(self.waited, 6), self.transactions)


class SqlStorage(DeviceStorage, abc.ABC):
    #: statement that reads the vault's next sequence number and locks the row
    LOCK_VAULT = "SELECT next_seq FROM vaults WHERE vault_id = %s"
    #: "sqlite" or "postgresql", for migrations that differ between the two
    DIALECT = ""

    @abc.abstractmethod
    def transaction(self, *, write: bool) -> contextlib.AbstractContextManager[Db]: ...

    @abc.abstractmethod
    def close(self) -> None: ...

    @abc.abstractmethod
    def pool_stats(self) -> PoolStats: ...

    @abc.abstractmethod
    def table_names(self, db: Db) -> set[str]:
        """The tables of the server's schema that exist (inside a transaction)."""

    def lock_schema(self, db: Db) -> None:  # noqa: B027 - SQLite's BEGIN IMMEDIATE suffices
        """Serialise migrations across processes (held until the transaction ends)."""

    def ping(self) -> None:
        with self.transaction(write=False) as db:
            db.execute("SELECT 1")

    # -- accounts and devices -------------------------------------------------------

    def create_account(self, name: str) -> str:
        secret = auth.new_secret()
        with self.transaction(write=True) as db:
            if db.execute("SELECT 1 FROM accounts WHERE name = %s", (name,)):
                raise StorageError("account_exists", f"account {name!r} exists", 409)
            db.execute(
                "INSERT INTO accounts (name, enrol_hash, created) VALUES (%s, %s, %s)",
                (name, auth.digest(secret), _now()),
            )
        return secret

    def new_enrol_secret(self, name: str) -> str:
        secret = auth.new_secret()
        with self.transaction(write=True) as db:
            if not db.execute("SELECT 1 FROM accounts WHERE name = %s", (name,)):
                raise StorageError("no_account", f"no account {name!r}", 404)
            db.execute("UPDATE accounts SET enrol_hash = %s WHERE name = %s",
                       (auth.digest(secret), name))
        return secret

    def enrol(self, name: str, secret: str, device_name: str,
              login: tuple[LoginParams, str] | None,
              vault: tuple[str, str] | None = None) -> tuple[str, str]:
        """Trade a one-time enrolment secret for a device token; optionally set the login key
        and register a new vault ``(vault_id, keyring)``.

        Registering a vault needs the secret: a signed-in device cannot claim an unused id
        (``put_keyring`` only updates a vault the account already uses).  An id that is
        taken by someone else is refused like an unknown one, and nothing is consumed.
        """
        with self.transaction(write=True) as db:
            rows = db.execute("SELECT enrol_hash, login_hash FROM accounts WHERE name = %s",
                              (name,))
            if not rows or rows[0][0] is None or rows[0][0] != auth.digest(secret):
                raise StorageError("bad_enrolment", "unknown account or enrolment secret", 401)
            db.execute("UPDATE accounts SET enrol_hash = NULL WHERE name = %s", (name,))
            if login is not None and rows[0][1] is None:
                params, key = login
                db.execute(
                    "UPDATE accounts SET login_salt = %s, login_params = %s, login_hash = %s "
                    "WHERE name = %s", (params.salt, params.params, auth.digest(key), name))
            if vault is not None:
                self._register_vault(db, name, *vault)
            return self._new_device(db, name, device_name)

    def register_vault(self, account: str, vault_id: str, keyring: str) -> None:
        """Register a vault for ``account`` (what an enrolment with a vault does; for the
        administrator's tools and tests).  Someone else's id → ``no_vault``."""
        with self.transaction(write=True) as db:
            self._register_vault(db, account, vault_id, keyring)

    def _register_vault(self, db: Db, account: str, vault_id: str, keyring: str) -> None:
        if not db.execute("SELECT 1 FROM vaults WHERE vault_id = %s", (vault_id,)):
            db.execute("INSERT INTO vaults (vault_id, owner, next_seq, keyring, created) "
                       "VALUES (%s, %s, 1, %s, %s)", (vault_id, account, keyring, _now()))
            db.execute("INSERT INTO members (vault_id, account) VALUES (%s, %s)",
                       (vault_id, account))
        elif not db.execute("SELECT 1 FROM members WHERE vault_id = %s AND account = %s",
                            (vault_id, account)):
            raise StorageError("no_vault", "no such vault for this account", 404)

    def _login_secret(self) -> bytes:
        """A random server secret (made once) keying the fake salts of unknown accounts."""
        with self.transaction(write=False) as db:
            rows = db.execute("SELECT value FROM server_meta WHERE key = 'login_secret'")
        if rows:
            return bytes.fromhex(rows[0][0])
        with self.transaction(write=True) as db:
            db.execute("INSERT INTO server_meta (key, value) VALUES ('login_secret', %s) "
                       "ON CONFLICT (key) DO NOTHING", (auth.new_secret_hex(),))
            return bytes.fromhex(db.execute(
                "SELECT value FROM server_meta WHERE key = 'login_secret'")[0][0])

    def login_params(self, name: str) -> LoginParams:
        """The account's public login parameters — or, for an account that does not exist
        or has no login yet, parameters that look the same: the vault defaults with a
        salt that is an HMAC of the name under a server secret (the same every time), so
        the answer does not tell whether an account exists."""
        with self.transaction(write=False) as db:
            rows = db.execute("SELECT login_salt, login_params FROM accounts WHERE name = %s",
                              (name,))
        if rows and rows[0][0] is not None:
            return LoginParams(salt=rows[0][0], params=rows[0][1])
        salt = auth.fake_salt(self._login_secret(), name)
        return LoginParams(salt=salt, params=json.dumps(
            {"alg": "argon2id", "salt": salt, "m": 64 * 1024, "t": 3, "p": 4}))

    def login(self, name: str, login_key: str, device_name: str) -> tuple[str, str]:
        with self.transaction(write=True) as db:
            rows = db.execute("SELECT login_hash FROM accounts WHERE name = %s", (name,))
            if not rows or rows[0][0] is None or rows[0][0] != auth.digest(login_key):
                raise StorageError("bad_login", "unknown account or wrong passphrase", 401)
            return self._new_device(db, name, device_name)

    def set_login(self, account: str, params: LoginParams, login_key: str) -> None:
        """Replace the login key (after a passphrase change on a signed-in device)."""
        with self.transaction(write=True) as db:
            db.execute("UPDATE accounts SET login_salt = %s, login_params = %s, login_hash = %s "
                       "WHERE name = %s",
                       (params.salt, params.params, auth.digest(login_key), account))

    def _new_device(self, db: Db, account: str, device_name: str) -> tuple[str, str]:
        device_id, token = auth.new_device_id(), auth.new_secret()
        db.execute(
            "INSERT INTO devices (device_id, account, name, token_hash, created) "
            "VALUES (%s, %s, %s, %s, %s)",
            (device_id, account, device_name, auth.digest(token), _now()))
        return device_id, token

    def authenticate(self, token: str) -> Principal | None:
        with self.transaction(write=False) as db:
            rows = db.execute(
                "SELECT account, device_id, last_seen FROM devices WHERE token_hash = %s "
                "AND revoked IS NULL", (auth.digest(token),))
        if not rows:
            return None
        account, device_id, last_seen = rows[0]
        now = _now()
        if last_seen is None or now - float(last_seen) > SEEN_EVERY:
            # At most one write per device per interval: reads stay read-only.
            with self.transaction(write=True) as db:
                db.execute("UPDATE devices SET last_seen = %s WHERE device_id = %s",
                           (now, device_id))
        return Principal(account, device_id)

    # -- vaults -----------------------------------------------------------------------

    def vaults_of(self, account: str) -> list[str]:
        with self.transaction(write=False) as db:
            rows = db.execute("SELECT vault_id FROM members WHERE account = %s ORDER BY vault_id",
                              (account,))
        return [r[0] for r in rows]

    def is_member(self, account: str, vault_id: str) -> bool:
        """A member of the vault (a team's removed members and supervisors are not; a
        substitute stops being one at the end of their time, whatever devices do)."""
        with self.transaction(write=False) as db:
            return bool(db.execute(
                "SELECT 1 FROM members m WHERE m.vault_id = %s AND m.account = %s AND NOT "
                "EXISTS (SELECT 1 FROM team_members t WHERE t.team_id = m.vault_id AND "
                "t.account = m.account AND (t.removed IS NOT NULL OR t.role = 'supervisor' "
                "OR (t.expires IS NOT NULL AND t.expires <= %s)))",
                (vault_id, account, _now())))

    def put_keyring(self, account: str, vault_id: str, keyring: str) -> bool:
        """Replace the keyring of a vault this account uses (after a passphrase change or a
        key rotation).  Never creates a vault: that takes an enrolment secret (``enrol``).
        An unknown id and someone else's id get the same 404.  Always False (not created)."""
        with self.transaction(write=True) as db:
            if not db.execute("SELECT 1 FROM members WHERE vault_id = %s AND account = %s",
                              (vault_id, account)):
                raise StorageError("no_vault", "no such vault for this account", 404)
            db.execute("UPDATE vaults SET keyring = %s WHERE vault_id = %s", (keyring, vault_id))
            return False

    def keyring(self, vault_id: str) -> str | None:
        with self.transaction(write=False) as db:
            rows = db.execute("SELECT keyring FROM vaults WHERE vault_id = %s", (vault_id,))
        return rows[0][0] if rows else None

    def grant(self, vault_id: str, account: str) -> None:
        with self.transaction(write=True) as db:
            if not db.execute("SELECT 1 FROM vaults WHERE vault_id = %s", (vault_id,)):
                raise StorageError("no_vault", f"no vault {vault_id}", 404)
            if not db.execute("SELECT 1 FROM accounts WHERE name = %s", (account,)):
                raise StorageError("no_account", f"no account {account!r}", 404)
            if not db.execute("SELECT 1 FROM members WHERE vault_id = %s AND account = %s",
                              (vault_id, account)):
                db.execute("INSERT INTO members (vault_id, account) VALUES (%s, %s)",
                           (vault_id, account))

    # -- revisions ------------------------------------------------------------------

    def push(self, vault_id: str, keys: dict[str, bytes], revs: Sequence[Revision]) -> PushResult:
        """Store new revisions and wrapped keys under the vault lock; all or nothing."""
        with self.transaction(write=True) as db:
            locked = db.execute(self.LOCK_VAULT, (vault_id,))
            if not locked:
                raise StorageError("no_vault", "no such vault", 404)
            seq = first = int(locked[0][0])
            # Keys take lower sequence numbers than the revisions they open, so a pull page
            # never holds a revision whose key only comes in a later page.
            seq = self._put_keys(db, vault_id, keys, seq)
            erased = self._erased(db, vault_id, {r.key_id for r in revs})
            # An erased client's revisions (from a device that has not heard of the erasure
            # yet) are stored as headers only, their envelopes dropped: erasure is final,
            # and every device's chain of changes stays whole (counsel.vault.history).
            revs = [dataclasses.replace(r, envelope=b"") if r.key_id in erased else r
                    for r in revs]
            if any(not r.envelope and r.key_id not in erased for r in revs):
                raise StorageError("malformed", "an envelope is empty but its key is not "
                                   "erased", 400)
            known = self._existing(db, vault_id, [r.rev_id for r in revs])
            batch_ids = {r.rev_id for r in revs}
            needed = {p for r in revs for p in r.parents} - batch_ids
            missing = needed - self._existing(db, vault_id, list(needed))
            if missing:
                raise StorageError(
                    "unknown_parents",
                    f"{len(missing)} parent revision(s) are not on the server", 422)
            rows: list[tuple[Any, ...]] = []
            seen: set[str] = set()
            for r in revs:
                if r.rev_id in known or r.rev_id in seen:
                    continue
                seen.add(r.rev_id)
                rows.append((vault_id, seq, r.rev_id, r.record_id, json.dumps(list(r.parents)),
                             r.kind, r.key_id, r.device_id, r.pushed_by, r.envelope,
                             r.counter, r.prev))
                seq += 1
            for i in range(0, len(rows), CHUNK):
                db.executemany(
                    "INSERT INTO revisions (vault_id, seq, rev_id, record_id, parents, kind, "
                    "key_id, device_id, pushed_by, envelope, counter, prev) "
                    "VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s) "
                    "ON CONFLICT (vault_id, rev_id) DO NOTHING", rows[i:i + CHUNK])
            db.execute("UPDATE vaults SET next_seq = %s, last_write = %s WHERE vault_id = %s",
                       (seq, _now(), vault_id))
        return PushResult(stored=len(rows), seq=seq - 1, before=first - 1,
                          last_rev=rows[-1][2] if rows else None)

    def _put_keys(self, db: Db, vault_id: str, keys: dict[str, bytes], seq: int) -> int:
        if not keys:
            return seq
        present = set()
        ids = sorted(keys)
        for i in range(0, len(ids), CHUNK):
            part = ids[i:i + CHUNK]
            present |= {r[0] for r in db.execute(
                f"SELECT key_id FROM vault_keys WHERE vault_id = %s AND key_id IN "
                f"({', '.join(['%s'] * len(part))})", (vault_id, *part))}
        # First write wins and erased keys are never brought back: an erasure is final.
        rows = []
        for key_id in ids:
            if key_id not in present:
                rows.append((vault_id, key_id, keys[key_id], seq))
                seq += 1
        if rows:
            db.executemany("INSERT INTO vault_keys (vault_id, key_id, wrapped, seq) "
                           "VALUES (%s, %s, %s, %s) "
                           "ON CONFLICT (vault_id, key_id) DO NOTHING", rows)
        return seq

    def _erased(self, db: Db, vault_id: str, key_ids: set[str]) -> set[str]:
        ids = sorted(key_ids)
        if not ids:
            return set()
        return {r[0] for r in db.execute(
            f"SELECT key_id FROM vault_keys WHERE vault_id = %s AND wrapped IS NULL AND key_id "
            f"IN ({', '.join(['%s'] * len(ids))})", (vault_id, *ids))}

    def erase(self, vault_id: str, key_ids: Sequence[str],
              records: dict[str, bytes] | None = None) -> int:
        """Erase clients: forget their wrapped keys and delete every envelope they sealed.

        The erasure itself gets a sequence number and reaches every device by pull.
        Afterwards ``purge`` makes the deleted bytes physically gone from the database
        files (not only unreachable): see the backends.
        """
        seq = self._erase(vault_id, key_ids, records or {})
        self.purge()
        return seq

    def purge(self) -> None:  # noqa: B027 - each backend says how
        """Make deleted rows physically unreadable in the database files."""

    def _erase(self, vault_id: str, key_ids: Sequence[str], records: dict[str, bytes]) -> int:
        with self.transaction(write=True) as db:
            locked = db.execute(self.LOCK_VAULT, (vault_id,))
            if not locked:
                raise StorageError("no_vault", "no such vault", 404)
            seq = int(locked[0][0])
            for key_id in sorted(set(key_ids)):
                db.execute("DELETE FROM vault_keys WHERE vault_id = %s AND key_id = %s",
                           (vault_id, key_id))
                # the envelopes go; the headers (ids, links) stay for the devices' chains
                db.execute("UPDATE revisions SET envelope = %s WHERE vault_id = %s AND "
                           "key_id = %s", (b"", vault_id, key_id))
                db.execute("INSERT INTO vault_keys (vault_id, key_id, wrapped, seq, erasure) "
                           "VALUES (%s, %s, NULL, %s, %s)",
                           (vault_id, key_id, seq, records.get(key_id)))
                seq += 1
            db.execute("UPDATE vaults SET next_seq = %s, last_write = %s WHERE vault_id = %s",
                       (seq, _now(), vault_id))
        return seq - 1

    def _existing(self, db: Db, vault_id: str, rev_ids: list[str]) -> set[str]:
        found: set[str] = set()
        for i in range(0, len(rev_ids), CHUNK):
            part = rev_ids[i:i + CHUNK]
            found |= {r[0] for r in db.execute(
                f"SELECT rev_id FROM revisions WHERE vault_id = %s AND rev_id IN "
                f"({', '.join(['%s'] * len(part))})", (vault_id, *part))}
        return found

    def pull(self, vault_id: str, since: int, limit: int, max_bytes: int = 1 << 62) -> Page:
        # One snapshot for both tables, so the key range matches the revision range.
        with self.transaction(write=False) as db:
            top = db.execute("SELECT next_seq FROM vaults WHERE vault_id = %s", (vault_id,))
            if not top:
                raise StorageError("no_vault", "no such vault", 404)
            rows = db.execute(
                "SELECT seq, rev_id, record_id, parents, kind, key_id, device_id, envelope, "
                "counter, prev FROM revisions WHERE vault_id = %s AND seq > %s ORDER BY seq "
                "LIMIT %s", (vault_id, since, limit + 1))
            more = len(rows) > limit
            rows = rows[:limit]
            size = 0
            for i, row in enumerate(rows):
                size += len(row[7])
                if size > max_bytes and i > 0:
                    rows, more = rows[:i], True
                    break
            upper = int(rows[-1][0]) if more else int(top[0][0]) - 1
            key_rows = db.execute(
                "SELECT key_id, wrapped, erasure FROM vault_keys WHERE vault_id = %s AND "
                "seq > %s AND seq <= %s ORDER BY seq", (vault_id, since, upper))
        revs = [Revision(rev_id=r[1], record_id=r[2], parents=tuple(json.loads(r[3])),
                         kind=r[4], key_id=r[5], device_id=r[6], envelope=bytes(r[7]),
                         seq=int(r[0]), counter=int(r[8]), prev=str(r[9])) for r in rows]
        keys = {k: bytes(w) for k, w, _e in key_rows if w is not None}
        erased = [k for k, w, _e in key_rows if w is None]
        erasures = {k: (bytes(e) if e is not None else None)
                    for k, w, e in key_rows if w is None}
        return Page(revisions=revs, keys=keys, erased=erased, next=max(upper, since), more=more,
                    top=int(top[0][0]) - 1, erasures=erasures)

    # -- checkpoints (sealed by devices; opaque here) --------------------------------

    def put_checkpoint(self, vault_id: str, device: str, sealed: bytes) -> None:
        with self.transaction(write=True) as db:
            db.execute("DELETE FROM checkpoints WHERE vault_id = %s AND device_id = %s",
                       (vault_id, device))
            db.execute("INSERT INTO checkpoints (vault_id, device_id, sealed, updated) "
                       "VALUES (%s, %s, %s, %s)", (vault_id, device, sealed, _now()))

    def checkpoints(self, vault_id: str) -> tuple[dict[str, bytes], dict[str, tuple[int, int]]]:
        """Every device's latest checkpoint, and per device label how many chained
        revisions the server holds and the highest counter (for devices to compare
        against what they sent)."""
        with self.transaction(write=False) as db:
            ckpts = {str(d): bytes(s) for d, s in db.execute(
                "SELECT device_id, sealed FROM checkpoints WHERE vault_id = %s", (vault_id,))}
            chains = {str(d): (int(n), int(m)) for d, n, m in db.execute(
                "SELECT device_id, COUNT(DISTINCT counter), MAX(counter) FROM revisions "
                "WHERE vault_id = %s AND counter > 0 GROUP BY device_id", (vault_id,))}
        return ckpts, chains


def _now() -> float:
    return round(time.time(), 3)
