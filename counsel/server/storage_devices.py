"""Storage for issue 15: a device's own account's devices (rename, revoke with a sealed
notice), the notice a revoked device is shown, organisation escrows and the relayed
organisation policy.  A mixin of ``SqlStorage``; everything sealed is opaque here."""

from __future__ import annotations

import contextlib
import time
from typing import TYPE_CHECKING, Any

from counsel.server import auth

if TYPE_CHECKING:
    from counsel.server.storage_sql import Db

ORG_POLICY = "org_policy"


def _now() -> float:
    return time.time()


class DeviceStorage:
    def transaction(self, *, write: bool) -> contextlib.AbstractContextManager[Db]:
        raise NotImplementedError  # SqlStorage's

    def devices(self, account: str) -> list[dict[str, Any]]:
        with self.transaction(write=False) as db:
            rows = db.execute(
                "SELECT device_id, name, created, revoked, last_seen FROM devices "
                "WHERE account = %s ORDER BY created", (account,))
        return [{"device_id": r[0], "name": r[1], "created": r[2], "revoked": r[3],
                 "last_seen": r[4]} for r in rows]

    def rename_device(self, account: str, device_id: str, name: str) -> bool:
        with self.transaction(write=True) as db:
            rows = db.execute(
                "UPDATE devices SET name = %s WHERE account = %s AND device_id = %s "
                "RETURNING device_id", (name, account, device_id))
        return bool(rows)

    def revoke_device(self, account: str, device_id: str, notice: bytes | None = None) -> bool:
        """Revoke an active device; ``notice``: what the revoking device sealed for it."""
        with self.transaction(write=True) as db:
            rows = db.execute(
                "UPDATE devices SET revoked = %s, notice = %s WHERE account = %s "
                "AND device_id = %s AND revoked IS NULL RETURNING device_id",
                (_now(), notice, account, device_id))
        return bool(rows)

    def revocation(self, token: str) -> tuple[str, bytes | None] | None:
        """For a revoked device's token: its id and the sealed notice (if any)."""
        with self.transaction(write=False) as db:
            rows = db.execute(
                "SELECT device_id, notice FROM devices WHERE token_hash = %s "
                "AND revoked IS NOT NULL", (auth.digest(token),))
        if not rows:
            return None
        return rows[0][0], None if rows[0][1] is None else bytes(rows[0][1])

    # -- organisation escrows and policy -------------------------------------------------
    def put_escrow(self, vault_id: str, account: str, generation: int, record: str) -> None:
        with self.transaction(write=True) as db:
            db.execute("DELETE FROM escrows WHERE vault_id = %s AND account = %s "
                       "AND generation = %s", (vault_id, account, generation))
            db.execute("INSERT INTO escrows (vault_id, account, generation, record, updated) "
                       "VALUES (%s, %s, %s, %s, %s)",
                       (vault_id, account, generation, record, _now()))

    def escrows(self, vault_id: str, account: str) -> dict[int, str]:
        with self.transaction(write=False) as db:
            rows = db.execute("SELECT generation, record FROM escrows WHERE vault_id = %s "
                              "AND account = %s", (vault_id, account))
        return {int(r[0]): str(r[1]) for r in rows}

    def org_policy(self) -> str | None:
        with self.transaction(write=False) as db:
            rows = db.execute("SELECT value FROM server_meta WHERE key = %s", (ORG_POLICY,))
        return str(rows[0][0]) if rows else None

    def set_org_policy(self, text: str) -> None:
        with self.transaction(write=True) as db:
            db.execute("DELETE FROM server_meta WHERE key = %s", (ORG_POLICY,))
            db.execute("INSERT INTO server_meta (key, value) VALUES (%s, %s)",
                       (ORG_POLICY, text))
