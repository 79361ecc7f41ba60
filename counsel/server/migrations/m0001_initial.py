"""Migration 1: the schema exactly as releases before migrations created it.

Frozen: never edit this file (a database created by it may exist anywhere).  It keeps
``IF NOT EXISTS`` so that a database the previous release created at start-up (with
this very DDL and no ``schema_migrations`` table) is adopted as version 1 unchanged.
"""

from __future__ import annotations

from counsel.server.storage_sql import Db

NAME = "initial schema"

DDL = """
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


def up(db: Db, dialect: str) -> None:
    blob = "BYTEA" if dialect == "postgresql" else "BLOB"
    for stmt in DDL.format(blob=blob).split(";"):
        if stmt.strip():
            db.execute(stmt.strip())
