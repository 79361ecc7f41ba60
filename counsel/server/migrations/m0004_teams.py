"""Migration 4: teams (issue 15).

* ``identities``: each account's public keys (X25519, Ed25519) and its private keys sealed
  under the account's master key (opaque: only the account's devices open it);
* ``teams``: a team's name, founder and current key version (its vault is a ``vaults`` row);
* ``team_members``: role (member, substitute, supervisor), the substitute's end (epoch
  seconds, enforced on every request) and when a member was removed;
* ``team_grants``: the sealed, signed grants (JSON, opaque; devices verify them);
* ``team_aggregates``: sealed aggregate figures relayed to supervisors.
"""

from __future__ import annotations

from counsel.server.storage_sql import Db

NAME = "teams: identities, members, grants, aggregates"


def up(db: Db, dialect: str) -> None:
    blob = "BYTEA" if dialect == "postgresql" else "BLOB"
    db.execute(
        f"CREATE TABLE IF NOT EXISTS identities (account TEXT PRIMARY KEY REFERENCES "
        f"accounts(name), enc_public {blob} NOT NULL, sign_public {blob} NOT NULL, "
        f"sealed_private {blob} NOT NULL, created DOUBLE PRECISION NOT NULL)")
    db.execute(
        "CREATE TABLE IF NOT EXISTS teams (team_id TEXT PRIMARY KEY REFERENCES "
        "vaults(vault_id), name TEXT NOT NULL, founder TEXT NOT NULL, version BIGINT NOT NULL, "
        "created DOUBLE PRECISION NOT NULL)")
    db.execute(
        "CREATE TABLE IF NOT EXISTS team_members (team_id TEXT NOT NULL, account TEXT NOT NULL, "
        "role TEXT NOT NULL, expires DOUBLE PRECISION, removed DOUBLE PRECISION, "
        "PRIMARY KEY (team_id, account))")
    db.execute(
        "CREATE TABLE IF NOT EXISTS team_grants (team_id TEXT NOT NULL, version BIGINT NOT NULL, "
        "account TEXT NOT NULL, grant_json TEXT NOT NULL, created DOUBLE PRECISION NOT NULL, "
        "PRIMARY KEY (team_id, version, account))")
    db.execute(
        f"CREATE TABLE IF NOT EXISTS team_aggregates (team_id TEXT NOT NULL, seq BIGINT NOT "
        f"NULL, sender TEXT NOT NULL, sealed {blob} NOT NULL, created DOUBLE PRECISION NOT "
        f"NULL, PRIMARY KEY (team_id, seq))")
    db.execute("CREATE INDEX IF NOT EXISTS team_members_account ON team_members (account)")
