"""What an administrator sees and does: accounts, devices and vaults, revocation, removal.

Selectors refuse anything ambiguous: a device is named by its id, by a unique id prefix
(at least 4 characters) or by a device name that only one device has; a vault by its id
or a unique prefix; an account only by its exact name.  When more than one thing
matches, nothing is changed and the error lists the candidates.
"""

from __future__ import annotations

import dataclasses
from typing import Any

from counsel.server.storage_sql import Db, SqlStorage

MIN_PREFIX = 4


class AdminError(Exception):
    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclasses.dataclass(frozen=True)
class AccountInfo:
    name: str
    created: float
    devices: int  # active (not revoked)
    revoked: int
    vaults: int  # vaults it may use (owned or granted)
    last_seen: float | None  # newest last_seen of its devices


@dataclasses.dataclass(frozen=True)
class DeviceInfo:
    device_id: str
    account: str
    name: str
    created: float
    revoked: float | None
    last_seen: float | None


@dataclasses.dataclass(frozen=True)
class VaultInfo:
    vault_id: str
    owner: str
    members: tuple[str, ...]
    revisions: int
    bytes: int  # envelope bytes stored
    created: float
    last_write: float | None


@dataclasses.dataclass(frozen=True)
class Removal:
    account: str
    erased: tuple[str, ...]  # vault ids whose data was erased
    handed_over: tuple[str, ...]  # vault ids now owned by ``to``
    to: str | None
    devices: int  # device tokens removed


def _opt(value: Any) -> float | None:
    return None if value is None else float(value)


def accounts(storage: SqlStorage) -> list[AccountInfo]:
    with storage.transaction(write=False) as db:
        rows = db.execute(
            "SELECT a.name, a.created, "
            "(SELECT COUNT(*) FROM devices d WHERE d.account = a.name AND d.revoked IS NULL), "
            "(SELECT COUNT(*) FROM devices d WHERE d.account = a.name "
            " AND d.revoked IS NOT NULL), "
            "(SELECT COUNT(*) FROM members m WHERE m.account = a.name), "
            "(SELECT MAX(d.last_seen) FROM devices d WHERE d.account = a.name) "
            "FROM accounts a ORDER BY a.name")
    return [AccountInfo(r[0], float(r[1]), int(r[2]), int(r[3]), int(r[4]), _opt(r[5]))
            for r in rows]


def devices(storage: SqlStorage, account: str | None = None) -> list[DeviceInfo]:
    with storage.transaction(write=False) as db:
        if account is not None:
            _require_account(db, account)
        rows = db.execute(
            "SELECT device_id, account, name, created, revoked, last_seen FROM devices "
            + ("WHERE account = %s " if account is not None else "")
            + "ORDER BY account, created", (account,) if account is not None else ())
    return [DeviceInfo(r[0], r[1], r[2], float(r[3]), _opt(r[4]), _opt(r[5])) for r in rows]


def vaults(storage: SqlStorage, account: str | None = None) -> list[VaultInfo]:
    with storage.transaction(write=False) as db:
        if account is not None:
            _require_account(db, account)
        where = ("WHERE v.vault_id IN (SELECT vault_id FROM members WHERE account = %s) "
                 if account is not None else "")
        rows = db.execute(
            "SELECT v.vault_id, v.owner, v.created, v.last_write, "
            "COALESCE(s.n, 0), COALESCE(s.size, 0) FROM vaults v LEFT JOIN "
            "(SELECT vault_id, COUNT(*) AS n, SUM(LENGTH(envelope)) AS size FROM revisions "
            " GROUP BY vault_id) s ON s.vault_id = v.vault_id "
            + where + "ORDER BY v.owner, v.vault_id",
            (account,) if account is not None else ())
        members: dict[str, list[str]] = {}
        for vault_id, name in db.execute(
                "SELECT vault_id, account FROM members ORDER BY account"):
            members.setdefault(vault_id, []).append(name)
    return [VaultInfo(r[0], r[1], tuple(members.get(r[0], [])), int(r[4]), int(r[5]),
                      float(r[2]), _opt(r[3])) for r in rows]


def _require_account(db: Db, name: str) -> None:
    if db.execute("SELECT 1 FROM accounts WHERE name = %s", (name,)):
        return
    near = [r[0] for r in db.execute("SELECT name FROM accounts WHERE LOWER(name) LIKE %s "
                                     "ORDER BY name", (f"%{name.lower()}%",))][:5]
    hint = f" (did you mean: {', '.join(near)}?)" if near else ""
    raise AdminError(f"no account named {name!r}{hint}; account names must match exactly")


def _short(ident: str) -> str:
    return ident[:12]


def find_device(storage: SqlStorage, selector: str, account: str | None = None,
                *, active_only: bool = True) -> DeviceInfo:
    """The one device ``selector`` names (id, id prefix or device name); else AdminError."""
    candidates = [d for d in devices(storage, account)
                  if not (active_only and d.revoked is not None)]
    exact = [d for d in candidates if d.device_id == selector]
    if exact:
        return exact[0]
    by_prefix = ([d for d in candidates if d.device_id.startswith(selector.lower())]
                 if len(selector) >= MIN_PREFIX else [])
    by_name = [d for d in candidates if d.name == selector]
    found = {d.device_id: d for d in by_prefix + by_name}
    if len(found) == 1:
        return next(iter(found.values()))
    scope = f" of {account}" if account else ""
    if not found:
        extra = (f" (an id prefix needs at least {MIN_PREFIX} characters)"
                 if len(selector) < MIN_PREFIX else "")
        raise AdminError(f"no active device{scope} matches {selector!r}{extra}; "
                         f"'counsel-server devices' lists them")
    listing = "; ".join(f"{_short(d.device_id)} ({d.account}, {d.name!r})"
                        for d in found.values())
    raise AdminError(f"{len(found)} devices{scope} match {selector!r}: {listing}. "
                     f"Nothing was changed; give more of the device id.")


def find_vault(storage: SqlStorage, selector: str) -> VaultInfo:
    every = vaults(storage)
    exact = [v for v in every if v.vault_id == selector]
    if exact:
        return exact[0]
    found = ([v for v in every if v.vault_id.startswith(selector.lower())]
             if len(selector) >= MIN_PREFIX else [])
    if len(found) == 1:
        return found[0]
    if not found:
        raise AdminError(f"no vault matches {selector!r} (an id or a prefix of at least "
                         f"{MIN_PREFIX} characters); 'counsel-server vaults' lists them")
    listing = "; ".join(f"{_short(v.vault_id)} (owner {v.owner})" for v in found)
    raise AdminError(f"{len(found)} vaults match {selector!r}: {listing}. "
                     f"Nothing was changed; give more of the vault id.")


def revoke(storage: SqlStorage, selector: str, account: str | None = None) -> DeviceInfo:
    device = find_device(storage, selector, account)
    if not storage.revoke_device(device.account, device.device_id):
        raise AdminError(f"device {_short(device.device_id)} was revoked meanwhile")
    return device


def remove_account(storage: SqlStorage, name: str, *, erase: bool = False,
                   hand_over_to: str | None = None) -> Removal:
    """Delete an account and its device tokens; its own vaults are erased or handed over.

    Exactly one of ``erase`` / ``hand_over_to`` must be chosen when it owns vaults.
    Erasing refuses a vault other accounts also use: hand that one over instead.
    """
    if erase and hand_over_to is not None:
        raise AdminError("choose either --erase or --hand-over-to, not both")
    if hand_over_to == name:
        raise AdminError("an account cannot hand its vaults over to itself")
    with storage.transaction(write=True) as db:
        _require_account(db, name)
        if hand_over_to is not None:
            _require_account(db, hand_over_to)
        owned = [r[0] for r in db.execute(
            "SELECT vault_id FROM vaults WHERE owner = %s ORDER BY vault_id", (name,))]
        if owned and not erase and hand_over_to is None:
            raise AdminError(
                f"{name} owns {len(owned)} vault(s). Say what happens to them: --erase "
                f"deletes their data from the server, --hand-over-to ACCOUNT gives them to "
                f"another account. Nothing was changed.")
        if erase:
            shared = db.execute(
                "SELECT vault_id, account FROM members WHERE account <> %s AND vault_id IN "
                "(SELECT vault_id FROM vaults WHERE owner = %s) ORDER BY vault_id, account",
                (name, name))
            if shared:
                listing = "; ".join(f"{_short(v)} (also used by {a})" for v, a in shared)
                raise AdminError(
                    f"{name}'s vaults are shared: {listing}. Erasing would take them from "
                    f"the other accounts too; use --hand-over-to. Nothing was changed.")
            for vault_id in owned:
                for table in ("revisions", "vault_keys", "escrows", "members", "vaults"):
                    db.execute(f"DELETE FROM {table} WHERE vault_id = %s", (vault_id,))
        elif hand_over_to is not None:
            for vault_id in owned:
                db.execute("UPDATE vaults SET owner = %s WHERE vault_id = %s",
                           (hand_over_to, vault_id))
                if not db.execute("SELECT 1 FROM members WHERE vault_id = %s AND account = %s",
                                  (vault_id, hand_over_to)):
                    db.execute("INSERT INTO members (vault_id, account) VALUES (%s, %s)",
                               (vault_id, hand_over_to))
        db.execute("DELETE FROM members WHERE account = %s", (name,))
        db.execute("DELETE FROM escrows WHERE account = %s", (name,))
        gone = db.execute("DELETE FROM devices WHERE account = %s RETURNING device_id", (name,))
        db.execute("DELETE FROM accounts WHERE name = %s", (name,))
    return Removal(name, tuple(owned) if erase else (),
                   tuple(owned) if hand_over_to is not None else (), hand_over_to, len(gone))
