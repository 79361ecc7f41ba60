"""The teams endpoints (issue 15), added to the app by :func:`endpoints`.

==========================================  =============================================
``PUT|GET /v1/identity``                    publish / fetch this account's keys (GET adds
                                            the sealed private keys, for its other devices)
``GET  /v1/identities/{account}``           a colleague's public keys (verify them!)
``POST /v1/teams`` / ``GET /v1/teams``      create a team (its vault) / this account's teams
``GET  /v1/teams/{team}``                   roster + current members' grants
``POST /v1/teams/{team}/grants``            grants (a new member, role or key version)
``DELETE /v1/teams/{team}/members/{account}``  remove: their pulls are refused from now on
``GET|POST /v1/teams/{team}/aggregates``    sealed figures for supervisors
==========================================  =============================================
"""

from __future__ import annotations

import base64
from collections.abc import Awaitable, Callable
from typing import Any

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from counsel.server.model import Principal, StorageError, valid_account, valid_id
from counsel.server.storage_sql import SqlStorage
from counsel.server.teams_store import TeamStore, parse_grant

Handler = Callable[[Request], Awaitable[Response]]


def _b64e(data: bytes) -> str:
    return base64.b64encode(data).decode()


def endpoints(storage: SqlStorage, principal: Callable[[Request], Awaitable[Principal]],
              read_json: Callable[..., Awaitable[dict[str, Any]]],
              b64: Callable[[object, str, int], bytes]) -> list[tuple[str, Handler, str,
                                                                    list[str]]]:
    store = TeamStore(storage)

    def team_id(request: Request) -> str:
        tid = request.path_params["team_id"]
        if not valid_id(tid):
            raise StorageError("no_team", "no such team for this account", 404)
        return str(tid)

    async def identity(request: Request) -> Response:
        who = await principal(request)
        if request.method == "PUT":
            body = await read_json(request, 64 * 1024)
            enc, sign = b64(body.get("enc"), "enc", 32), b64(body.get("sign"), "sign", 32)
            sealed = b64(body.get("sealed_private"), "sealed_private", 4096)
            if len(enc) != 32 or len(sign) != 32:
                raise StorageError("malformed", "public keys are 32 bytes")
            created = await run_in_threadpool(store.put_identity, who.account, enc, sign,
                                              sealed)
            return JSONResponse({"created": created})
        found = await run_in_threadpool(store.identity, who.account, private=True)
        if found is None:
            raise StorageError("no_identity", "this account has no published keys", 404)
        return JSONResponse({"account": who.account,
                             **{k: _b64e(v) for k, v in found.items()}})

    async def colleague(request: Request) -> Response:
        await principal(request)
        account = request.path_params["account"]
        found = (await run_in_threadpool(store.identity, account)
                 if valid_account(account) else None)
        if found is None:
            raise StorageError("no_identity", "no published keys for that account", 404)
        return JSONResponse({"account": account, **{k: _b64e(v) for k, v in found.items()}})

    async def teams(request: Request) -> Response:
        who = await principal(request)
        if request.method == "POST":
            body = await read_json(request, 16 * 1024)
            tid, name = body.get("team_id"), body.get("name")
            if not valid_id(tid) or not isinstance(name, str) or not 0 < len(name) <= 200:
                raise StorageError("malformed", "team_id and name are required")
            await run_in_threadpool(store.create_team, who.account, tid, name)
            return JSONResponse({"created": True})
        return JSONResponse({"teams": await run_in_threadpool(store.teams_of, who.account)})

    async def team(request: Request) -> Response:
        who = await principal(request)
        return JSONResponse(await run_in_threadpool(store.team, who.account,
                                                    team_id(request)))

    async def grants(request: Request) -> Response:
        who = await principal(request)
        tid = team_id(request)
        body = await read_json(request, 1024 * 1024)
        items = body.get("grants")
        if not isinstance(items, list) or not 0 < len(items) <= 200:
            raise StorageError("malformed", "grants must be a list of 1 to 200 grants")
        rows = [parse_grant(g, tid) for g in items]
        rotate_from = body.get("rotate_from")
        if rotate_from is not None and (not isinstance(rotate_from, int)
                                        or isinstance(rotate_from, bool) or rotate_from < 0):
            raise StorageError("malformed", "rotate_from must be a key version")
        stored = await run_in_threadpool(store.add_grants, who.account, tid, rows, rotate_from)
        return JSONResponse({"stored": stored})

    async def remove(request: Request) -> Response:
        who = await principal(request)
        account = request.path_params["account"]
        if not valid_account(account):
            raise StorageError("no_member", "no such member", 404)
        await run_in_threadpool(store.remove, who.account, team_id(request), account)
        return JSONResponse({"removed": True})

    async def aggregates(request: Request) -> Response:
        who = await principal(request)
        tid = team_id(request)
        if request.method == "POST":
            body = await read_json(request, 1024 * 1024)
            sealed = b64(body.get("sealed"), "sealed", 512 * 1024)
            seq = await run_in_threadpool(store.put_aggregate, who.account, tid, sealed)
            return JSONResponse({"seq": seq})
        try:
            since = int(request.query_params.get("since", "0"))
        except ValueError:
            raise StorageError("malformed", "since must be a whole number") from None
        found = await run_in_threadpool(store.aggregates, who.account, tid, since)
        return JSONResponse({"aggregates": [
            {"seq": a["seq"], "sender": a["sender"], "sealed": _b64e(a["sealed"])}
            for a in found]})

    return [
        ("/v1/identity", identity, "identity", ["GET", "PUT"]),
        ("/v1/identities/{account}", colleague, "identities", ["GET"]),
        ("/v1/teams", teams, "teams", ["GET", "POST"]),
        ("/v1/teams/{team_id}", team, "team", ["GET"]),
        ("/v1/teams/{team_id}/grants", grants, "team-grants", ["POST"]),
        ("/v1/teams/{team_id}/members/{account}", remove, "team-remove", ["DELETE"]),
        ("/v1/teams/{team_id}/aggregates", aggregates, "team-aggregates", ["GET", "POST"]),
    ]
