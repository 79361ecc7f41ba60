"""Server databases as earlier releases left them, for migration tests.

``V1_DDL`` is frozen: it is the text the release before migrations ran at start-up
(``counsel/server/schema.py`` at commit f51e9b4).  Never edit it; add ``V2_DDL`` etc.
when a release ships a new schema.  ``create_v1`` writes what that release would
have stored, with plain SQL of that schema, so it keeps working whatever the current
code looks like.
"""

from __future__ import annotations

import hashlib
import json
import secrets
import sqlite3
from dataclasses import dataclass, field
from typing import Any

V1_DDL = """
CREATE TABLE IF NOT EXISTS accounts (
    name TEXT PRIMARY KEY,
    enrol_hash TEXT,
    login_salt TEXT,
    login_params TEXT,
    login_hash TEXT,
    created DOUBLE PRECISION NOT NULL
);
CREATE TABLE IF NOT EXISTS devices (
    device_id TEXT PRIMARY KEY,
    account TEXT NOT NULL REFERENCES accounts(name),
    name TEXT NOT NULL,
    token_hash TEXT NOT NULL UNIQUE,
    created DOUBLE PRECISION NOT NULL,
    revoked DOUBLE PRECISION
);
CREATE TABLE IF NOT EXISTS vaults (
    vault_id TEXT PRIMARY KEY,
    owner TEXT NOT NULL REFERENCES accounts(name),
    next_seq BIGINT NOT NULL,
    keyring TEXT NOT NULL,
    created DOUBLE PRECISION NOT NULL
);
CREATE TABLE IF NOT EXISTS members (
    vault_id TEXT NOT NULL REFERENCES vaults(vault_id),
    account TEXT NOT NULL REFERENCES accounts(name),
    PRIMARY KEY (vault_id, account)
);
CREATE TABLE IF NOT EXISTS revisions (
    vault_id TEXT NOT NULL,
    seq BIGINT NOT NULL,
    rev_id TEXT NOT NULL,
    record_id TEXT NOT NULL,
    parents TEXT NOT NULL,
    kind TEXT NOT NULL,
    key_id TEXT NOT NULL,
    device_id TEXT NOT NULL,
    pushed_by TEXT NOT NULL,
    envelope {blob} NOT NULL,
    PRIMARY KEY (vault_id, rev_id),
    UNIQUE (vault_id, seq)
);
CREATE TABLE IF NOT EXISTS vault_keys (
    vault_id TEXT NOT NULL,
    key_id TEXT NOT NULL,
    wrapped {blob},
    seq BIGINT NOT NULL,
    PRIMARY KEY (vault_id, key_id)
);
CREATE INDEX IF NOT EXISTS vault_keys_seq ON vault_keys (vault_id, seq);
CREATE INDEX IF NOT EXISTS revisions_key ON revisions (vault_id, key_id);
CREATE TABLE IF NOT EXISTS server_meta (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
"""


@dataclass
class V1Data:
    """What ``populate_v1`` stored: enough to check it all survived and to sync on."""

    tokens: dict[str, str] = field(default_factory=dict)  # device id → bearer token
    revoked_token: str = ""
    vaults: dict[str, list[tuple[int, str, bytes]]] = field(default_factory=dict)
    keys: dict[str, dict[str, bytes | None]] = field(default_factory=dict)
    next_seq: dict[str, int] = field(default_factory=dict)


def _digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


class _Raw:
    """A plain DB-API connection to either backend, with ``%s`` placeholders."""

    def __init__(self, url: str) -> None:
        self.pg = url.startswith("postgresql://")
        if self.pg:
            import psycopg

            self.conn: Any = psycopg.connect(url)
        else:
            self.conn = sqlite3.connect(url)

    def run(self, sql: str, params: tuple[Any, ...] = ()) -> None:
        self.conn.execute(sql if self.pg else sql.replace("%s", "?"), params)

    def close(self) -> None:
        self.conn.commit()
        self.conn.close()


def create_v1(url: str, *, vaults: int = 3, revisions: int = 40) -> V1Data:
    """A version-1 database with two accounts, devices (one revoked), shared and erased keys."""
    raw = _Raw(url)
    for stmt in V1_DDL.format(blob="BYTEA" if raw.pg else "BLOB").split(";"):
        if stmt.strip():
            raw.run(stmt)
    data = V1Data()
    now = 1_700_000_000.0
    for account in ("maria", "jonas"):
        raw.run("INSERT INTO accounts (name, enrol_hash, login_salt, login_params, login_hash, "
                "created) VALUES (%s, NULL, %s, %s, %s, %s)",
                (account, "c2FsdA", json.dumps({"t": 3}), _digest(account + "-login"), now))
        device_id, token = secrets.token_hex(16), secrets.token_urlsafe(32)
        raw.run("INSERT INTO devices (device_id, account, name, token_hash, created) "
                "VALUES (%s, %s, %s, %s, %s)", (device_id, account, "laptop", _digest(token), now))
        data.tokens[account] = token
    data.revoked_token = secrets.token_urlsafe(32)
    raw.run("INSERT INTO devices (device_id, account, name, token_hash, created, revoked) "
            "VALUES (%s, %s, %s, %s, %s, %s)",
            (secrets.token_hex(16), "maria", "old phone", _digest(data.revoked_token), now, now))
    for v in range(vaults):
        vault_id = secrets.token_hex(16)
        raw.run("INSERT INTO vaults (vault_id, owner, next_seq, keyring, created) "
                "VALUES (%s, %s, %s, %s, %s)", (vault_id, "maria", 1, '{"opaque": 1}', now))
        raw.run("INSERT INTO members (vault_id, account) VALUES (%s, %s)", (vault_id, "maria"))
        if v == 0:
            raw.run("INSERT INTO members (vault_id, account) VALUES (%s, %s)",
                    (vault_id, "jonas"))
        seq = 1
        keys: dict[str, bytes | None] = {"client01": secrets.token_bytes(60), "client02": None}
        for key_id, wrapped in keys.items():  # client02 was erased
            raw.run("INSERT INTO vault_keys (vault_id, key_id, wrapped, seq) "
                    "VALUES (%s, %s, %s, %s)", (vault_id, key_id, wrapped, seq))
            seq += 1
        revs: list[tuple[int, str, bytes]] = []
        parent: list[str] = []
        for _ in range(revisions):
            rev_id, envelope = secrets.token_hex(16), secrets.token_bytes(80)
            raw.run("INSERT INTO revisions (vault_id, seq, rev_id, record_id, parents, kind, "
                    "key_id, device_id, pushed_by, envelope) "
                    "VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s)",
                    (vault_id, seq, rev_id, "rec00001", json.dumps(parent), "encounter",
                     "client01", "laptop01", "x" * 32, envelope))
            revs.append((seq, rev_id, envelope))
            parent = [rev_id]
            seq += 1
        raw.run("UPDATE vaults SET next_seq = %s WHERE vault_id = %s", (seq, vault_id))
        data.vaults[vault_id] = revs
        data.keys[vault_id] = keys
        data.next_seq[vault_id] = seq
    raw.close()
    return data
