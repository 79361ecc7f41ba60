"""The sync service: a small JSON-over-HTTP ASGI app (Starlette).

Endpoints (all JSON; authenticated ones take ``Authorization: Bearer <device token>``):

==========================================  =============================================
``GET  /v1/health``                         liveness: the process answers → ``{"status": "ok"}``
``GET  /v1/ready``                          readiness: database reachable, schema current
``GET  /metrics``                           Prometheus text (allowed networks only)
``GET  /v1/login-params?account=NAME``      public salt/params of the login-key derivation
``POST /v1/enrol``                          one-time enrolment secret → device token
                                            (and registers a new vault: the only way)
``POST /v1/login``                          login key (from the passphrase) → device token
``PUT  /v1/login-key``                      replace the login key (passphrase changed)
``GET  /v1/devices``                        this account's devices (name, added, last seen)
``PATCH|DELETE /v1/devices/{id}``           rename / revoke one (with a sealed notice)
``GET|PUT /v1/vaults/{vault}/escrow``       the master key sealed to the organisation key
``GET  /v1/org/policy``                     the organisation policy the server relays
``GET  /v1/vaults``                         vault ids this account may use
``GET|PUT /v1/vaults/{vault}/keyring``      the wrapped master/vault keys (opaque); PUT only
                                            updates a vault this account already uses
``POST /v1/vaults/{vault}/push``            revisions + wrapped client keys, idempotent
``GET  /v1/vaults/{vault}/pull?since=&limit=``  a page of revisions after a cursor
``POST /v1/vaults/{vault}/erase``           erase client keys everywhere (with the sealed
                                            erasure records devices check)
``GET|PUT /v1/vaults/{vault}/checkpoints``  devices' sealed checkpoints; chain counts
``/v1/identity``, ``/v1/identities/…``,     teams (issue 15): see counsel.server.teams_api
``/v1/teams…``
==========================================  =============================================

Errors are ``{"error": {"code": ..., "message": ...}}`` with a fitting status.  Logs are
one JSON object per request — method, route, status, time, counts — never a body.
"""

from __future__ import annotations

import base64
import binascii
import ipaddress
import json
import logging
import time
from collections.abc import Awaitable, Callable
from typing import Any

from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from counsel.server import auth, migrate, routes_devices
from counsel.server.metrics import CONTENT_TYPE, Metrics
from counsel.server.model import (
    MAX_PARENTS,
    LoginParams,
    Principal,
    Revision,
    StorageError,
    valid_account,
    valid_id,
    valid_kind,
)
from counsel.server.storage_sql import SqlStorage

log = logging.getLogger("counsel.server")

#: the key id of the vault key itself (never erasable); the client's ``keys.VAULT_KEY_ID``
VAULT_KEY_ID = "vault"

MAX_BODY = 32 * 1024 * 1024
MAX_ENVELOPE = 4 * 1024 * 1024
MAX_KEYRING = 64 * 1024
MAX_BATCH = 1000
#: deepest nesting any request needs is 4 (push → revisions → revision → parents);
#: deeper bodies are refused with 400 before anything walks them recursively
MAX_DEPTH = 16
MAX_PAGE = 1000
DEFAULT_PAGE = 500
PAGE_BYTES = 8 * 1024 * 1024


class ApiError(Exception):
    def __init__(self, status: int, code: str, message: str,
                 extra: dict[str, Any] | None = None) -> None:
        super().__init__(message)
        self.status, self.code, self.message = status, code, message
        self.extra = extra or {}


def error(status: int, code: str, message: str,
          extra: dict[str, Any] | None = None) -> JSONResponse:
    return JSONResponse({"error": {"code": code, "message": message, **(extra or {})}},
                        status_code=status)


async def read_json(request: Request, limit: int = MAX_BODY) -> dict[str, Any]:
    declared = request.headers.get("content-length")
    if declared is not None and (not declared.isdigit() or int(declared) > limit):
        raise ApiError(413, "too_large", f"request body over {limit} bytes")
    chunks, size = [], 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise ApiError(413, "too_large", f"request body over {limit} bytes")
        chunks.append(chunk)
    body = b"".join(chunks)
    if _nesting(body) > MAX_DEPTH:
        raise ApiError(400, "malformed", f"JSON nested deeper than {MAX_DEPTH} levels")
    try:
        data = json.loads(body)
    except (ValueError, UnicodeDecodeError, RecursionError):
        raise ApiError(400, "malformed", "body is not valid JSON") from None
    if not isinstance(data, dict):
        raise ApiError(400, "malformed", "body must be a JSON object")
    return data


_OPEN, _CLOSE, _QUOTE, _ESC = ord("["), ord("]"), ord('"'), ord("\\")


def _nesting(body: bytes) -> int:
    """How deep ``[``/``{`` nest outside strings, without parsing (linear, no recursion).

    Bytes inside strings are skipped with ``bytes.find`` so a 32 MiB push of base64
    envelopes costs a few fast scans, not a Python loop over every byte.
    """
    depth = deepest = i = 0
    n = len(body)
    while i < n:
        c = body[i]
        if c == _QUOTE:
            j = i + 1
            while True:
                j = body.find(b'"', j)
                if j < 0:
                    return deepest  # unterminated: json.loads reports it
                k = j - 1
                while body[k] == _ESC:
                    k -= 1
                if (j - 1 - k) % 2 == 0:
                    break
                j += 1
            i = j + 1
            continue
        if c == _OPEN or c == 123:
            depth += 1
            deepest = max(deepest, depth)
            if deepest > MAX_DEPTH:
                return deepest
        elif c == _CLOSE or c == 125:
            depth -= 1
        i += 1
    return deepest


def _b64(value: object, what: str, limit: int) -> bytes:
    if not isinstance(value, str) or len(value) > limit * 4 // 3 + 4:
        raise ApiError(400, "malformed", f"{what} must be base64 text of at most {limit} bytes")
    try:
        return base64.b64decode(value, validate=True)
    except (binascii.Error, ValueError):
        raise ApiError(400, "malformed", f"{what} is not valid base64") from None


def parse_revision(item: object, device_id: str) -> Revision:
    if not isinstance(item, dict):
        raise ApiError(400, "malformed", "a revision must be an object")
    parents = item.get("parents")
    if (not isinstance(parents, list) or len(parents) > MAX_PARENTS
            or not all(valid_id(p) for p in parents)):
        raise ApiError(400, "malformed", "parents must be a list of revision ids")
    for field in ("rev_id", "record_id", "key_id"):
        if not valid_id(item.get(field)):
            raise ApiError(400, "malformed", f"{field} is missing or not an id")
    if not valid_id(item.get("device_id")):
        raise ApiError(400, "malformed", "device_id is missing or not an id")
    if not valid_kind(item.get("kind")):
        raise ApiError(400, "malformed", "kind is missing or invalid")
    # empty only for an erased client's change (the storage checks the key is erased)
    envelope = _b64(item.get("envelope"), "envelope", MAX_ENVELOPE)
    counter, prev = item.get("counter", 0), item.get("prev", "")
    if (not isinstance(counter, int) or isinstance(counter, bool)
            or not 0 <= counter < 1 << 62 or not isinstance(prev, str) or len(prev) > 64
            or not all(c in "0123456789abcdef" for c in prev)):
        raise ApiError(400, "malformed", "counter/prev are not a change number and a link")
    # ``device_id`` is the client's own label, kept as sent so every copy of a revision has
    # the same header; which authenticated device pushed it is recorded in ``pushed_by``.
    return Revision(rev_id=item["rev_id"], record_id=item["record_id"], parents=tuple(parents),
                    kind=item["kind"], key_id=item["key_id"], device_id=item["device_id"],
                    envelope=envelope, pushed_by=device_id, counter=counter, prev=prev)


def revision_json(r: Revision) -> dict[str, Any]:
    return {"seq": r.seq, "rev_id": r.rev_id, "record_id": r.record_id,
            "parents": list(r.parents), "kind": r.kind, "key_id": r.key_id,
            "device_id": r.device_id, "envelope": base64.b64encode(r.envelope).decode(),
            "counter": r.counter, "prev": r.prev}


def _int_param(request: Request, name: str, default: int, low: int, high: int) -> int:
    raw = request.query_params.get(name)
    if raw is None:
        return default
    try:
        value = int(raw)
    except ValueError:
        raise ApiError(400, "malformed", f"{name} must be a whole number") from None
    if not low <= value <= high:
        raise ApiError(400, "malformed", f"{name} must be between {low} and {high}")
    return value


Handler = Callable[[Request], Awaitable[Response]]


def create_app(storage: SqlStorage, *, metrics: bool = True,
               metrics_allow: tuple[str, ...] = ("127.0.0.1/32", "::1/128")) -> Starlette:
    stats = Metrics(storage)
    scrapers = [ipaddress.ip_network(n, strict=False) for n in metrics_allow]

    async def principal(request: Request) -> Principal:
        token = auth.bearer(request.headers.get("authorization"))
        who = await run_in_threadpool(storage.authenticate, token) if token else None
        if who is None:
            revoked = await run_in_threadpool(storage.revocation, token) if token else None
            if revoked is not None:  # the notice is sealed by the account; devices check it
                notice = base64.b64encode(revoked[1]).decode() if revoked[1] else None
                raise ApiError(401, "revoked", "this device was revoked",
                               {"device_id": revoked[0], "notice": notice})
            raise ApiError(401, "bad_token", "missing, unknown or revoked device token")
        request.state.account = who.account
        return who

    async def member(request: Request) -> tuple[Principal, str]:
        who = await principal(request)
        vault_id = request.path_params["vault_id"]
        if not valid_id(vault_id) or not await run_in_threadpool(
                storage.is_member, who.account, vault_id):
            # Same answer for "does not exist" and "not yours": ids are not probeable.
            raise ApiError(404, "no_vault", "no such vault for this account")
        return who, vault_id

    async def health(request: Request) -> Response:
        return JSONResponse({"status": "ok"})

    async def ready(request: Request) -> Response:
        try:
            version = await run_in_threadpool(migrate.check, storage)
        except migrate.SchemaError:
            raise ApiError(503, "not_ready", "database schema does not match this server") from None
        except Exception:
            log.warning(json.dumps({"event": "not_ready", "reason": "database"}))
            raise ApiError(503, "not_ready", "database unreachable") from None
        return JSONResponse({"status": "ready", "schema": version})

    async def metrics_text(request: Request) -> Response:
        # Through the proxy (X-Forwarded-For) or from elsewhere: as if it did not exist.
        host = request.client.host if request.client else ""
        try:
            addr = ipaddress.ip_address(host)
        except ValueError:
            addr = None
        if (not metrics or addr is None or "x-forwarded-for" in request.headers
                or not any(addr in net for net in scrapers)):
            raise ApiError(404, "not_found", "no such endpoint or method")
        return Response(stats.render(), media_type=CONTENT_TYPE)

    async def login_params(request: Request) -> Response:
        account = request.query_params.get("account")
        if not valid_account(account):
            raise ApiError(400, "malformed", "account is missing or invalid")
        # Unknown accounts get the same shape of answer (a deterministic fake salt): the
        # endpoint does not reveal which accounts exist.
        params = await run_in_threadpool(storage.login_params, account)
        return JSONResponse({"salt": params.salt, "params": json.loads(params.params)})

    async def enrol(request: Request) -> Response:
        body = await read_json(request, MAX_KEYRING + 64 * 1024)
        account, secret = body.get("account"), body.get("secret")
        device_name = body.get("device_name", "")
        if not valid_account(account) or not isinstance(secret, str) or not isinstance(
                device_name, str) or len(device_name) > 200 or len(secret) > 200:
            raise ApiError(400, "malformed", "account, secret and device_name are required")
        login = _login_from(body.get("login"))
        vault = _vault_from(body.get("vault"))
        device_id, token = await run_in_threadpool(
            storage.enrol, account, secret, device_name, login, vault)
        return JSONResponse({"device_id": device_id, "token": token})

    async def login(request: Request) -> Response:
        body = await read_json(request, 64 * 1024)
        account, key = body.get("account"), body.get("login_key")
        device_name = body.get("device_name", "")
        if not valid_account(account) or not isinstance(key, str) or len(key) > 200 or (
                not isinstance(device_name, str) or len(device_name) > 200):
            raise ApiError(400, "malformed", "account, login_key and device_name are required")
        device_id, token = await run_in_threadpool(storage.login, account, key, device_name)
        return JSONResponse({"device_id": device_id, "token": token})

    async def set_login(request: Request) -> Response:
        who = await principal(request)
        body = await read_json(request, 64 * 1024)
        login = _login_from(body.get("login"))
        if login is None:
            raise ApiError(400, "malformed", "login is required")
        await run_in_threadpool(storage.set_login, who.account, login[0], login[1])
        return JSONResponse({"updated": True})

    async def vaults(request: Request) -> Response:
        who = await principal(request)
        return JSONResponse({"vaults": await run_in_threadpool(storage.vaults_of, who.account)})

    async def keyring(request: Request) -> Response:
        who = await principal(request)
        vault_id = request.path_params["vault_id"]
        if not valid_id(vault_id):
            raise ApiError(404, "no_vault", "no such vault for this account")
        if request.method == "PUT":
            body = await read_json(request, MAX_KEYRING)
            ring = body.get("keyring")
            if not isinstance(ring, dict):
                raise ApiError(400, "malformed", "keyring must be an object")
            created = await run_in_threadpool(
                storage.put_keyring, who.account, vault_id, json.dumps(ring))
            return JSONResponse({"created": created})
        _, vault_id = await member(request)
        ring_text = await run_in_threadpool(storage.keyring, vault_id)
        return JSONResponse({"keyring": json.loads(ring_text or "{}")})

    async def push(request: Request) -> Response:
        who, vault_id = await member(request)
        body = await read_json(request)
        items, raw_keys = body.get("revisions", []), body.get("keys", {})
        if not isinstance(items, list) or len(items) > MAX_BATCH:
            raise ApiError(400, "malformed", f"revisions must be a list of at most {MAX_BATCH}")
        if not isinstance(raw_keys, dict) or len(raw_keys) > MAX_BATCH:
            raise ApiError(400, "malformed", f"keys must be an object of at most {MAX_BATCH}")
        revs = [parse_revision(i, who.device_id) for i in items]
        keys = {}
        for key_id, wrapped in raw_keys.items():
            if not valid_id(key_id):
                raise ApiError(400, "malformed", "a key id is invalid")
            keys[key_id] = _b64(wrapped, "wrapped key", 4096)
        result = await run_in_threadpool(storage.push, vault_id, keys, revs)
        request.state.count = len(revs)
        stats.revisions.labels("push").inc(len(revs))
        stats.stored.inc(result.stored)
        return JSONResponse({"stored": result.stored, "seq": result.seq,
                             "before": result.before, "last_rev": result.last_rev,
                             "acked": [r.rev_id for r in revs]})

    async def pull(request: Request) -> Response:
        _, vault_id = await member(request)
        since = _int_param(request, "since", 0, 0, 1 << 62)
        limit = _int_param(request, "limit", DEFAULT_PAGE, 1, MAX_PAGE)
        page = await run_in_threadpool(storage.pull, vault_id, since, limit, PAGE_BYTES)
        request.state.count = len(page.revisions)
        stats.revisions.labels("pull").inc(len(page.revisions))
        return JSONResponse({
            "revisions": [revision_json(r) for r in page.revisions],
            "keys": {k: base64.b64encode(v).decode() for k, v in page.keys.items()},
            "erased": page.erased, "next": page.next, "more": page.more, "top": page.top,
            "erasures": {k: base64.b64encode(v).decode() if v is not None else None
                         for k, v in page.erasures.items()}})

    async def erase(request: Request) -> Response:
        _, vault_id = await member(request)
        body = await read_json(request, 1024 * 1024)
        ids = body.get("key_ids")
        if not isinstance(ids, list) or not all(valid_id(i) for i in ids) or len(ids) > 10_000:
            raise ApiError(400, "malformed", "key_ids must be a list of ids")
        if VAULT_KEY_ID in ids:
            # the vault key seals every record that belongs to no client: erasing it would
            # erase the whole vault; no device ever asks for that
            raise ApiError(400, "malformed", "the vault key cannot be erased")
        raw = body.get("records", {})
        if not isinstance(raw, dict) or not set(raw) <= set(ids):
            raise ApiError(400, "malformed", "records must map erased key ids to sealed records")
        records = {k: _b64(v, "erasure record", 4096) for k, v in raw.items()}
        seq = await run_in_threadpool(storage.erase, vault_id, ids, records)
        return JSONResponse({"seq": seq})

    async def checkpoints(request: Request) -> Response:
        """GET: every device's sealed checkpoint and the server's chain counts;
        PUT: replace this device label's checkpoint (opaque; devices verify)."""
        _, vault_id = await member(request)
        if request.method == "PUT":
            body = await read_json(request, 256 * 1024)
            device = body.get("device_id")
            if not valid_id(device):
                raise ApiError(400, "malformed", "device_id is missing or not an id")
            sealed = _b64(body.get("sealed"), "checkpoint", 192 * 1024)
            await run_in_threadpool(storage.put_checkpoint, vault_id, device, sealed)
            return JSONResponse({"stored": True})
        ckpts, chains = await run_in_threadpool(storage.checkpoints, vault_id)
        return JSONResponse({
            "checkpoints": {d: base64.b64encode(v).decode() for d, v in ckpts.items()},
            "chains": {d: list(v) for d, v in chains.items()}})

    def wrap(fn: Handler, name: str, path: str) -> Handler:
        async def endpoint(request: Request) -> Response:
            started = time.perf_counter()
            request.state.count = 0
            request.state.account = None
            try:
                response = await fn(request)
            except ApiError as exc:
                response = error(exc.status, exc.code, exc.message, exc.extra)
            except StorageError as exc:
                response = error(exc.status, exc.code, exc.message)
            except Exception:
                log.exception(json.dumps({"event": "error", "route": name}))
                response = error(500, "internal", "internal server error")
            seconds = time.perf_counter() - started
            stats.observe(path, request.method, response.status_code, seconds)
            log.info(json.dumps({
                "event": "request", "method": request.method, "route": name,
                "status": response.status_code, "account": request.state.account,
                "count": request.state.count, "ms": round(seconds * 1000, 2)}))
            return response
        return endpoint

    endpoints: list[tuple[str, Handler, str, list[str]]] = [
        ("/v1/health", health, "health", ["GET"]),
        ("/v1/ready", ready, "ready", ["GET"]),
        ("/v1/login-params", login_params, "login-params", ["GET"]),
        ("/v1/enrol", enrol, "enrol", ["POST"]),
        ("/v1/login", login, "login", ["POST"]),
        ("/v1/login-key", set_login, "login-key", ["PUT"]),
        *routes_devices.endpoints(storage, principal, member, read_json, _b64, ApiError),
        ("/v1/vaults", vaults, "vaults", ["GET"]),
        ("/v1/vaults/{vault_id}/keyring", keyring, "keyring", ["GET", "PUT"]),
        ("/v1/vaults/{vault_id}/push", push, "push", ["POST"]),
        ("/v1/vaults/{vault_id}/pull", pull, "pull", ["GET"]),
        ("/v1/vaults/{vault_id}/erase", erase, "erase", ["POST"]),
        ("/v1/vaults/{vault_id}/checkpoints", checkpoints, "checkpoints", ["GET", "PUT"]),
        ("/metrics", metrics_text, "metrics", ["GET"]),
    ]
    from counsel.server import teams_api  # imports this module's helpers

    endpoints += teams_api.endpoints(storage, principal, read_json, _b64)
    routes = [Route(path, wrap(fn, name, path), methods=methods)
              for path, fn, name, methods in endpoints]

    async def not_found(request: Request, exc: Exception) -> Response:
        status = getattr(exc, "status_code", 404)
        stats.observe("unmatched", request.method, status, None)
        return error(status, "not_found" if status == 404 else "bad_request",
                     "no such endpoint or method")

    return Starlette(routes=routes, exception_handlers={404: not_found, 405: not_found})


def _vault_from(value: object) -> tuple[str, str] | None:
    if value is None:
        return None
    if not isinstance(value, dict) or not valid_id(value.get("vault_id")) or not isinstance(
            value.get("keyring"), dict):
        raise ApiError(400, "malformed", "vault needs vault_id and keyring")
    ring = json.dumps(value["keyring"])
    if len(ring) > MAX_KEYRING:
        raise ApiError(413, "too_large", "keyring too large")
    return value["vault_id"], ring


def _login_from(value: object) -> tuple[LoginParams, str] | None:
    if value is None:
        return None
    if not isinstance(value, dict):
        raise ApiError(400, "malformed", "login must be an object")
    salt, params, key = value.get("salt"), value.get("params"), value.get("login_key")
    if not (isinstance(salt, str) and len(salt) <= 200 and isinstance(params, dict)
            and isinstance(key, str) and len(key) <= 200):
        raise ApiError(400, "malformed", "login needs salt, params and login_key")
    return LoginParams(salt=salt, params=json.dumps(params)), key
