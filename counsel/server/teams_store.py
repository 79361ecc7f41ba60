"""The server's side of teams (issue 15): published identities, team rosters, grants and
relayed aggregates.  Everything secret is opaque here: grants and aggregates are sealed
for members' keys, private identity keys are sealed under each account's master key.

A team's vault is an ordinary ``vaults`` row; members and substitutes are ``members`` rows
(so push/pull work unchanged) and ``is_member`` drops removed members, supervisors and
substitutes past their end.  Supervisors are never ``members``: the server has no way to
send them a revision, only the aggregates relayed here.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import time
from typing import Any

from counsel.server.model import StorageError
from counsel.server.storage_sql import Db, SqlStorage

ROLES = ("member", "substitute", "supervisor")
READ_WRITE = ("member", "substitute")


@dataclasses.dataclass(frozen=True)
class GrantRow:
    """What the server reads of a grant (the rest is opaque)."""

    member: str
    version: int
    role: str
    expires: float | None
    text: str


def parse_grant(data: object, team_id: str) -> GrantRow:
    if not isinstance(data, dict):
        raise StorageError("malformed", "a grant must be an object")
    member, version, role, expires = (data.get("member"), data.get("version"),
                                      data.get("role"), data.get("expires", ""))
    if (data.get("team_id") != team_id or not isinstance(member, str)
            or not isinstance(version, int) or isinstance(version, bool) or version < 0
            or role not in ROLES or not isinstance(expires, str)):
        raise StorageError("malformed", "grant needs team_id, member, version, role, expires")
    end = None
    if expires:
        try:
            when = dt.datetime.fromisoformat(expires)
        except ValueError:
            raise StorageError("malformed", "expires is not an ISO date-time") from None
        end = (when if when.tzinfo else when.replace(tzinfo=dt.UTC)).timestamp()
    text = json.dumps(data, sort_keys=True)
    if len(text) > 16 * 1024:
        raise StorageError("too_large", "grant too large", 413)
    return GrantRow(member, version, role, end, text)


def _now() -> float:
    return time.time()


class TeamStore:
    def __init__(self, storage: SqlStorage) -> None:
        self.storage = storage

    # -- identities -----------------------------------------------------------------
    def put_identity(self, account: str, enc: bytes, sign: bytes, sealed: bytes) -> bool:
        """Publish an account's keys once; the same keys again is a no-op, others are
        refused (a key change is an administrator's reset, and colleagues' codes change)."""
        with self.storage.transaction(write=True) as db:
            rows = db.execute("SELECT enc_public, sign_public FROM identities WHERE "
                              "account = %s", (account,))
            if rows:
                if (bytes(rows[0][0]), bytes(rows[0][1])) != (enc, sign):
                    raise StorageError("identity_exists", "this account has other keys", 409)
                return False
            db.execute("INSERT INTO identities (account, enc_public, sign_public, "
                       "sealed_private, created) VALUES (%s, %s, %s, %s, %s)",
                       (account, enc, sign, sealed, _now()))
            return True

    def identity(self, account: str, *, private: bool = False) -> dict[str, bytes] | None:
        with self.storage.transaction(write=False) as db:
            rows = db.execute("SELECT enc_public, sign_public, sealed_private FROM identities "
                              "WHERE account = %s", (account,))
        if not rows:
            return None
        out = {"enc": bytes(rows[0][0]), "sign": bytes(rows[0][1])}
        if private:
            out["sealed_private"] = bytes(rows[0][2])
        return out

    # -- teams ------------------------------------------------------------------------
    def create_team(self, account: str, team_id: str, name: str) -> None:
        with self.storage.transaction(write=True) as db:
            if db.execute("SELECT 1 FROM vaults WHERE vault_id = %s", (team_id,)):
                raise StorageError("team_exists", "that team id is taken", 409)
            now = _now()
            db.execute("INSERT INTO vaults (vault_id, owner, next_seq, keyring, created) "
                       "VALUES (%s, %s, 1, %s, %s)", (team_id, account, "{}", now))
            db.execute("INSERT INTO members (vault_id, account) VALUES (%s, %s)",
                       (team_id, account))
            db.execute("INSERT INTO teams (team_id, name, founder, version, created) VALUES "
                       "(%s, %s, %s, 0, %s)", (team_id, name, account, now))
            db.execute("INSERT INTO team_members (team_id, account, role) VALUES "
                       "(%s, %s, 'member')", (team_id, account))

    def _role(self, db: Db, team_id: str, account: str) -> str | None:
        rows = db.execute("SELECT role, expires FROM team_members WHERE team_id = %s AND "
                          "account = %s AND removed IS NULL", (team_id, account))
        if not rows or (rows[0][1] is not None and float(rows[0][1]) <= _now()):
            return None
        return str(rows[0][0])

    def _require(self, db: Db, team_id: str, account: str, roles: tuple[str, ...]) -> str:
        role = self._role(db, team_id, account)
        if role is None:
            raise StorageError("no_team", "no such team for this account", 404)
        if role not in roles:
            raise StorageError("forbidden", f"a {role} cannot do this", 403)
        return role

    def teams_of(self, account: str) -> list[dict[str, Any]]:
        with self.storage.transaction(write=False) as db:
            rows = db.execute(
                "SELECT t.team_id, t.name, t.founder, t.version, m.role, m.expires FROM teams t "
                "JOIN team_members m ON m.team_id = t.team_id WHERE m.account = %s AND "
                "m.removed IS NULL ORDER BY t.name, t.team_id", (account,))
        return [{"team_id": r[0], "name": r[1], "founder": r[2], "version": int(r[3]),
                 "role": r[4], "expires": r[5]} for r in rows]

    def team(self, account: str, team_id: str) -> dict[str, Any]:
        """The roster and every current member's newest grant (for any current member)."""
        with self.storage.transaction(write=False) as db:
            self._require(db, team_id, account, ROLES)
            head = db.execute("SELECT name, founder, version FROM teams WHERE team_id = %s",
                              (team_id,))[0]
            members = db.execute(
                "SELECT account, role, expires, removed FROM team_members WHERE team_id = %s "
                "ORDER BY account", (team_id,))
            grants = db.execute(
                "SELECT g.grant_json FROM team_grants g JOIN team_members m ON m.team_id = "
                "g.team_id AND m.account = g.account WHERE g.team_id = %s AND m.removed IS "
                "NULL ORDER BY g.version, g.account", (team_id,))
        return {"team_id": team_id, "name": head[0], "founder": head[1],
                "version": int(head[2]),
                "members": [{"account": r[0], "role": r[1], "expires": r[2],
                             "removed": r[3]} for r in members],
                "grants": [json.loads(r[0]) for r in grants]}

    def add_grants(self, account: str, team_id: str, rows: list[GrantRow],
                   rotate_from: int | None = None) -> int:
        """Store grants (only a ``member`` may grant) and give each grantee their role;
        the team's version becomes the highest granted.  All or nothing.

        ``rotate_from``: these grants are a rotation from that version to the next.  It is
        refused (409 ``team_moved_on``) when another member rotated first or a grantee was
        removed meanwhile: two members removing people at once must not make two keys of
        one version, nor bring a removed member back."""
        with self.storage.transaction(write=True) as db:
            self._require(db, team_id, account, ("member",))
            if rotate_from is not None:
                current = int(db.execute("SELECT version FROM teams WHERE team_id = %s",
                                         (team_id,))[0][0])
                removed = {str(r[0]) for r in db.execute(
                    "SELECT account FROM team_members WHERE team_id = %s AND removed IS NOT "
                    "NULL", (team_id,))}
                if current != rotate_from or any(
                        g.version != rotate_from + 1 or g.member in removed for g in rows):
                    raise StorageError("team_moved_on", "the team's keys or members changed "
                                       "since this rotation was made", 409)
            now = _now()
            for g in rows:
                if not db.execute("SELECT 1 FROM identities WHERE account = %s", (g.member,)):
                    raise StorageError("no_identity", f"{g.member!r} has no published keys",
                                       404)
                db.execute("DELETE FROM team_grants WHERE team_id = %s AND version = %s AND "
                           "account = %s", (team_id, g.version, g.member))
                db.execute("INSERT INTO team_grants (team_id, version, account, grant_json, "
                           "created) VALUES (%s, %s, %s, %s, %s)",
                           (team_id, g.version, g.member, g.text, now))
                db.execute("DELETE FROM team_members WHERE team_id = %s AND account = %s",
                           (team_id, g.member))
                db.execute("INSERT INTO team_members (team_id, account, role, expires) VALUES "
                           "(%s, %s, %s, %s)", (team_id, g.member, g.role, g.expires))
                has = db.execute("SELECT 1 FROM members WHERE vault_id = %s AND account = %s",
                                 (team_id, g.member))
                if g.role in READ_WRITE and not has:
                    db.execute("INSERT INTO members (vault_id, account) VALUES (%s, %s)",
                               (team_id, g.member))
                elif g.role not in READ_WRITE and has:
                    db.execute("DELETE FROM members WHERE vault_id = %s AND account = %s",
                               (team_id, g.member))
            top = max((g.version for g in rows), default=0)
            db.execute("UPDATE teams SET version = %s WHERE team_id = %s AND version < %s",
                       (top, team_id, top))
            return len(rows)

    def remove(self, account: str, team_id: str, who: str) -> None:
        """Remove a member: the server stops serving them the team's vault at once."""
        with self.storage.transaction(write=True) as db:
            self._require(db, team_id, account, ("member",))
            if self._role(db, team_id, who) is None:
                raise StorageError("no_member", f"{who!r} is not in this team", 404)
            db.execute("UPDATE team_members SET removed = %s WHERE team_id = %s AND "
                       "account = %s", (_now(), team_id, who))
            db.execute("DELETE FROM members WHERE vault_id = %s AND account = %s",
                       (team_id, who))

    # -- aggregates for supervisors -------------------------------------------------
    def put_aggregate(self, account: str, team_id: str, sealed: bytes) -> int:
        with self.storage.transaction(write=True) as db:
            self._require(db, team_id, account, ("member",))
            rows = db.execute("SELECT MAX(seq) FROM team_aggregates WHERE team_id = %s",
                              (team_id,))
            seq = int(rows[0][0] or 0) + 1
            db.execute("INSERT INTO team_aggregates (team_id, seq, sender, sealed, created) "
                       "VALUES (%s, %s, %s, %s, %s)", (team_id, seq, account, sealed, _now()))
            return seq

    def aggregates(self, account: str, team_id: str, since: int) -> list[dict[str, Any]]:
        with self.storage.transaction(write=False) as db:
            self._require(db, team_id, account, ("member", "supervisor"))
            rows = db.execute("SELECT seq, sender, sealed FROM team_aggregates WHERE "
                              "team_id = %s AND seq > %s ORDER BY seq LIMIT 1000",
                              (team_id, since))
        return [{"seq": int(r[0]), "sender": r[1], "sealed": bytes(r[2])} for r in rows]
