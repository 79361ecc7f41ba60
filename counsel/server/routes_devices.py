"""Endpoints of issue 15: a device's own account's devices, organisation escrows and the
relayed organisation policy.  Built by ``create_app`` with its helpers (no import cycle)."""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable
from typing import Any

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from counsel.server.model import Principal, valid_id
from counsel.server.storage_sql import SqlStorage

Handler = Callable[[Request], Awaitable[Response]]
MAX_NOTICE = 4096
MAX_ESCROW = 8192
MAX_NAME = 200


def endpoints(storage: SqlStorage, principal: Callable[[Request], Awaitable[Principal]],
              member: Callable[[Request], Awaitable[tuple[Principal, str]]],
              read_json: Callable[..., Awaitable[dict[str, Any]]],
              b64: Callable[[object, str, int], bytes],
              api_error: Callable[..., Exception]) -> list[tuple[str, Handler, str, list[str]]]:

    async def devices(request: Request) -> Response:
        who = await principal(request)
        return JSONResponse({"devices": await run_in_threadpool(storage.devices, who.account),
                             "this_device": who.device_id})

    async def device(request: Request) -> Response:
        """PATCH {"name"}: rename; DELETE (optional {"notice"}): revoke."""
        who = await principal(request)
        device_id = request.path_params["device_id"]
        if not valid_id(device_id):
            raise api_error(404, "no_device", "no such active device on this account")
        body = await read_json(request, 64 * 1024) if await _has_body(request) else {}
        if request.method == "PATCH":
            name = body.get("name")
            if not isinstance(name, str) or not name.strip() or len(name) > MAX_NAME:
                raise api_error(400, "malformed", "name must be text of 1-200 characters")
            if not await run_in_threadpool(storage.rename_device, who.account, device_id,
                                           name.strip()):
                raise api_error(404, "no_device", "no such device on this account")
            return JSONResponse({"renamed": True})
        raw = body.get("notice")
        notice = None if raw is None else b64(raw, "notice", MAX_NOTICE)
        if not await run_in_threadpool(storage.revoke_device, who.account, device_id, notice):
            raise api_error(404, "no_device", "no such active device on this account")
        return JSONResponse({"revoked": True})

    async def escrow(request: Request) -> Response:
        """GET: this account's escrows of the vault; PUT {"generation", "record"}."""
        who, vault_id = await member(request)
        if request.method == "PUT":
            body = await read_json(request, 64 * 1024)
            generation, record = body.get("generation"), body.get("record")
            if (not isinstance(generation, int) or isinstance(generation, bool)
                    or not 1 <= generation < 1 << 31 or not isinstance(record, str)
                    or len(record) > MAX_ESCROW):
                raise api_error(400, "malformed", "generation and record are required")
            await run_in_threadpool(storage.put_escrow, vault_id, who.account, generation,
                                    record)
            return JSONResponse({"stored": True})
        found = await run_in_threadpool(storage.escrows, vault_id, who.account)
        return JSONResponse({"escrows": {str(g): r for g, r in found.items()}})

    async def org_policy(request: Request) -> Response:
        await principal(request)
        text = await run_in_threadpool(storage.org_policy)
        return JSONResponse({"policy": None if text is None else json.loads(text)})

    return [
        ("/v1/devices", devices, "devices", ["GET"]),
        ("/v1/devices/{device_id}", device, "device", ["PATCH", "DELETE"]),
        ("/v1/vaults/{vault_id}/escrow", escrow, "escrow", ["GET", "PUT"]),
        ("/v1/org/policy", org_policy, "org-policy", ["GET"]),
    ]


async def _has_body(request: Request) -> bool:
    length = request.headers.get("content-length")
    return bool(length and length != "0") or "transfer-encoding" in request.headers
