"""HTTP calls to the sync service (httpx), turned into values or clear errors.

Plain HTTP is refused except to this machine (loopback): everything else must be
HTTPS.  A network failure is an ``OfflineError`` (the scheduler retries with backoff);
an answer from the server that says no is a ``SyncError`` with a translated message;
a garbage answer is a ``SyncError`` too — never a crash.
"""

from __future__ import annotations

import base64
import dataclasses
import ipaddress
from typing import Any
from urllib.parse import urlsplit

from counsel.errors import KnownError, OfflineError
from counsel.i18n import N_
from counsel.i18n import gettext as _
from counsel.vault.revision import StoredRevision

TIMEOUT = 30.0


class SyncError(KnownError):
    """The sync server refused a request or answered something unusable."""

    help_text = N_("Your work is kept on this computer. Try again later or contact your IT "
                   "support if this keeps happening.")

    def __init__(self, message: str, *, code: str = "error", status: int = 0,
                 help_text: str | None = None) -> None:
        super().__init__(message, help_text=help_text)
        self.code = code
        self.status = status


class NotSignedIn(SyncError):
    help_text = N_("Sign in to the sync server again on this computer (counsel sync --server "
                   "... --account ...). Your unsynced work is kept.")


class DeviceRevoked(NotSignedIn):
    """The server says this device was revoked; ``notice``: the sealed notice it relays
    (None if it sent none).  Nothing is trusted until ``counsel.sync.revocation`` checks it."""

    def __init__(self, message: str, *, notice: bytes | None, status: int = 401) -> None:
        super().__init__(message, code="revoked", status=status)
        self.notice = notice


def _messages() -> dict[str, str]:
    return {
        "bad_token": _("This computer is no longer signed in to the sync server."),
        "revoked": _("The sync server says this computer was removed from your account."),
        "bad_enrolment": _("The account name or the enrolment secret is not correct."),
        "bad_login": _("The account name or the passphrase is not correct (or this account "
                       "has no computer enrolled yet)."),
        "no_vault": _("The sync server has no such vault for this account."),
        "no_login": _("This account has no synced vault yet; enrol your first computer."),
        "unknown_parents": _("The sync server is missing earlier changes this computer "
                             "builds on (was the server restored from a backup?)."),
        "too_large": _("A change is too large to sync."),
        "malformed": _("The sync server did not accept the data this computer sent."),
    }


def _notice(value: object) -> bytes | None:
    if not isinstance(value, str) or len(value) > 8192:
        return None
    try:
        return base64.b64decode(value, validate=True)
    except ValueError:
        return None


def check_url(url: str) -> str:
    """Normalise a server address; refuse plain HTTP to anything but loopback."""
    parts = urlsplit(url.strip())
    if parts.scheme not in ("https", "http") or not parts.hostname:
        raise SyncError(_("The server address must look like https://sync.example.org."),
                        code="bad_url")
    if parts.scheme == "http" and not _loopback(parts.hostname):
        raise SyncError(
            _("Refusing to sync over unencrypted HTTP to {host}.").format(host=parts.hostname),
            code="insecure",
            help_text=N_("Use the https:// address of your sync server."))
    return url.strip().rstrip("/")


def _loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


@dataclasses.dataclass(frozen=True)
class PulledPage:
    revisions: list[StoredRevision]
    keys: dict[str, bytes]
    erased: list[str]
    next: int
    more: bool
    top: int = -1  # the server's highest sequence number for the vault (-1: not told)
    last: tuple[int, str] | None = None  # (seq, rev id) of the page's last revision
    #: the sealed erasure record sent with each erased key (None: the server has none)
    erasures: dict[str, bytes | None] = dataclasses.field(default_factory=dict)


@dataclasses.dataclass(frozen=True)
class PushAck:
    acked: list[str]  # rev ids the server has now (stored or already known)
    before: int  # sequence numbers (before, seq] belong to this push alone
    seq: int
    last_rev: str | None = None  # the revision this push stored at ``seq``, if any


class Transport:
    def __init__(self, url: str, token: str | None = None, *, timeout: float = TIMEOUT,
                 transport: Any = None) -> None:
        import httpx

        self.url = check_url(url)
        self.token = token
        self._httpx = httpx
        self.client = httpx.Client(base_url=self.url, timeout=timeout, transport=transport,
                                   follow_redirects=False)

    def close(self) -> None:
        self.client.close()

    def __enter__(self) -> Transport:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _call(self, method: str, path: str, *, json_body: Any = None,
              params: dict[str, Any] | None = None, auth: bool = True) -> dict[str, Any]:
        headers = {}
        if auth:
            if not self.token:
                raise NotSignedIn(_messages()["bad_token"], code="bad_token")
            headers["Authorization"] = "Bearer " + self.token
        try:
            resp = self.client.request(method, path, json=json_body, params=params,
                                       headers=headers)
        except self._httpx.TransportError as exc:
            raise OfflineError(_("The sync server cannot be reached right now.")) from exc
        try:
            body = resp.json()
        except (ValueError, UnicodeDecodeError):
            body = None
        if not isinstance(body, dict):
            if resp.status_code >= 500:
                raise OfflineError(_("The sync server is not available right now."))
            raise SyncError(_("The sync server sent a reply Counsel does not understand."),
                            code="garbage", status=resp.status_code)
        if resp.status_code >= 400:
            err = body.get("error")
            code = str(err.get("code", "error")) if isinstance(err, dict) else "error"
            if resp.status_code >= 500:
                raise OfflineError(_("The sync server is not available right now."))
            message = _messages().get(code) or _("The sync server refused the request.")
            if code == "revoked" and resp.status_code == 401 and isinstance(err, dict):
                raise DeviceRevoked(message, notice=_notice(err.get("notice")))
            cls = NotSignedIn if code == "bad_token" else SyncError
            raise cls(message, code=code, status=resp.status_code)
        return body

    def request(self, method: str, path: str, *, json_body: Any = None,
                params: dict[str, Any] | None = None) -> dict[str, Any]:
        """An authenticated JSON call (for areas with their own endpoints: counsel.teams)."""
        return self._call(method, path, json_body=json_body, params=params)

    # -- account ---------------------------------------------------------------------
    def health(self) -> bool:
        try:
            return self._call("GET", "/v1/health", auth=False).get("status") == "ok"
        except (OfflineError, SyncError):
            return False

    def login_params(self, account: str) -> dict[str, Any]:
        return self._call("GET", "/v1/login-params", params={"account": account}, auth=False)

    def enrol(self, account: str, secret: str, device_name: str,
              login: dict[str, Any] | None,
              vault: tuple[str, dict[str, Any]] | None = None) -> tuple[str, str]:
        """Trade the enrolment secret for a device token; ``vault`` (id, keyring) registers
        this vault on the server — the only way a new vault id can be claimed."""
        payload: dict[str, Any] = {
            "account": account, "secret": secret, "device_name": device_name, "login": login}
        if vault is not None:
            payload["vault"] = {"vault_id": vault[0], "keyring": vault[1]}
        body = self._call("POST", "/v1/enrol", auth=False, json_body=payload)
        return _str(body, "device_id"), _str(body, "token")

    def login(self, account: str, login_key: str, device_name: str) -> tuple[str, str]:
        body = self._call("POST", "/v1/login", auth=False, json_body={
            "account": account, "login_key": login_key, "device_name": device_name})
        return _str(body, "device_id"), _str(body, "token")

    def set_login(self, login: dict[str, Any]) -> None:
        self._call("PUT", "/v1/login-key", json_body={"login": login})

    def devices(self) -> list[dict[str, Any]]:
        devices = self._call("GET", "/v1/devices").get("devices")
        if not isinstance(devices, list):
            raise _garbage()
        return devices

    def revoke(self, device_id: str, notice: bytes | None = None) -> None:
        body = None if notice is None else {"notice": base64.b64encode(notice).decode()}
        self._call("DELETE", f"/v1/devices/{device_id}", json_body=body)

    def rename_device(self, device_id: str, name: str) -> None:
        self._call("PATCH", f"/v1/devices/{device_id}", json_body={"name": name})

    def put_escrow(self, vault_id: str, generation: int, record: str) -> None:
        self._call("PUT", f"/v1/vaults/{vault_id}/escrow",
                   json_body={"generation": generation, "record": record})

    def org_policy(self) -> dict[str, Any] | None:
        policy = self._call("GET", "/v1/org/policy").get("policy")
        return policy if isinstance(policy, dict) else None

    def vaults(self) -> list[str]:
        ids = self._call("GET", "/v1/vaults").get("vaults")
        if not isinstance(ids, list) or not all(isinstance(i, str) for i in ids):
            raise _garbage()
        return ids

    def put_keyring(self, vault_id: str, keyring: dict[str, Any]) -> None:
        self._call("PUT", f"/v1/vaults/{vault_id}/keyring", json_body={"keyring": keyring})

    def keyring(self, vault_id: str) -> dict[str, Any]:
        ring = self._call("GET", f"/v1/vaults/{vault_id}/keyring").get("keyring")
        if not isinstance(ring, dict):
            raise _garbage()
        return ring

    # -- revisions -----------------------------------------------------------------------
    def push(self, vault_id: str, keys: dict[str, bytes],
             revs: list[StoredRevision]) -> PushAck:
        """Send revisions; the answer names the rev ids the server acknowledged."""
        body = self._call("POST", f"/v1/vaults/{vault_id}/push", json_body={
            "keys": {k: base64.b64encode(v).decode() for k, v in keys.items()},
            "revisions": [{
                "rev_id": r.rev_id, "record_id": r.record_id, "parents": list(r.parents),
                "kind": r.kind, "key_id": r.key_id, "device_id": r.device_id,
                "envelope": base64.b64encode(r.envelope).decode(),
                "counter": r.counter, "prev": r.prev} for r in revs]})
        acked, before, seq = body.get("acked"), body.get("before", -1), body.get("seq", -1)
        if not isinstance(acked, list) or not all(isinstance(a, str) for a in acked):
            raise _garbage()
        if not isinstance(before, int) or not isinstance(seq, int):
            before = seq = -1
        last_rev = body.get("last_rev")
        return PushAck(acked, before, seq, last_rev if _valid(last_rev) else None)

    def pull(self, vault_id: str, since: int, limit: int) -> PulledPage:
        body = self._call("GET", f"/v1/vaults/{vault_id}/pull",
                          params={"since": since, "limit": limit})
        try:
            revs = [StoredRevision(
                rev_id=_id(r["rev_id"]), record_id=_id(r["record_id"]),
                parents=tuple(_id(p) for p in r["parents"]), kind=_id(r["kind"]),
                key_id=_id(r["key_id"]), device_id=_id(r["device_id"]),
                envelope=base64.b64decode(r["envelope"], validate=True),
                counter=_counter(r.get("counter", 0)), prev=_link(r.get("prev", "")),
            ) for r in body["revisions"]]
            keys = {_id(k): base64.b64decode(v, validate=True) for k, v in body["keys"].items()}
            erased = [_id(k) for k in body["erased"]]
            raw_records = body.get("erasures") or {}
            records = {_id(k): (base64.b64decode(v, validate=True) if v else None)
                       for k, v in raw_records.items()}
            nxt, more, top = body["next"], body["more"], body.get("top", -1)
            last_seq = body["revisions"][-1]["seq"] if revs else None
        except (KeyError, TypeError, ValueError, AttributeError):
            raise _garbage() from None
        if not isinstance(nxt, int) or nxt < since or not isinstance(more, bool):
            raise _garbage()
        last = (last_seq, revs[-1].rev_id) if isinstance(last_seq, int) else None
        return PulledPage(revs, keys, erased, nxt, more, top if isinstance(top, int) else -1,
                          last, {k: records.get(k) for k in erased})

    def erase(self, vault_id: str, key_ids: list[str],
              records: dict[str, bytes] | None = None) -> None:
        """Erase keys on the server, sending each one's sealed erasure record."""
        self._call("POST", f"/v1/vaults/{vault_id}/erase", json_body={
            "key_ids": key_ids,
            "records": {k: base64.b64encode(v).decode() for k, v in (records or {}).items()}})

    def put_checkpoint(self, vault_id: str, device: str, sealed: bytes) -> None:
        self._call("PUT", f"/v1/vaults/{vault_id}/checkpoints", json_body={
            "device_id": device, "sealed": base64.b64encode(sealed).decode()})

    def checkpoints(self, vault_id: str) -> tuple[dict[str, bytes], dict[str, tuple[int, int]]]:
        """Every device's sealed checkpoint, and the server's (count, highest counter) of
        each device's chained revisions."""
        body = self._call("GET", f"/v1/vaults/{vault_id}/checkpoints")
        try:
            ckpts = {_id(d): base64.b64decode(v, validate=True)
                     for d, v in body["checkpoints"].items()}
            chains = {_id(d): (_counter(v[0]), _counter(v[1]))
                      for d, v in body["chains"].items()}
        except (KeyError, TypeError, ValueError, AttributeError, IndexError):
            raise _garbage() from None
        return ckpts, chains


def _counter(value: Any) -> int:
    if not isinstance(value, int) or isinstance(value, bool) or not 0 <= value < 1 << 62:
        raise ValueError("bad counter")
    return value


def _link(value: Any) -> str:
    if not isinstance(value, str) or len(value) > 64 or any(
            c not in "0123456789abcdef" for c in value):
        raise ValueError("bad link")
    return value


def _garbage() -> SyncError:
    return SyncError(_("The sync server sent a reply Counsel does not understand."),
                     code="garbage")


def _str(body: dict[str, Any], key: str) -> str:
    value = body.get(key)
    if not isinstance(value, str) or not value:
        raise _garbage()
    return value


def _valid(value: Any) -> bool:
    from counsel.server.model import valid_id

    return valid_id(value)


def _id(value: Any) -> str:
    if not _valid(value):
        raise ValueError("bad id")
    return str(value)
