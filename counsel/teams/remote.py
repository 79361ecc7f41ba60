"""The teams endpoints as seen from a device (counsel.server.teams_api)."""

from __future__ import annotations

import base64
from typing import Any

from counsel.i18n import gettext as _
from counsel.sync.transport import SyncError, Transport
from counsel.teams.grants import Grant
from counsel.teams.identity import PublicIdentity


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode()


def _garbage() -> SyncError:
    return SyncError(_("The sync server sent a reply Counsel does not understand."),
                     code="garbage")


class TeamRemote:
    def __init__(self, transport: Transport) -> None:
        self.t = transport

    # -- identities -----------------------------------------------------------------
    def my_identity(self) -> tuple[PublicIdentity, bytes] | None:
        """This account's published keys and its sealed private keys (None: none yet)."""
        try:
            body = self.t.request("GET", "/v1/identity")
        except SyncError as exc:
            if exc.code == "no_identity":
                return None
            raise
        try:
            return PublicIdentity.from_json(body), base64.b64decode(body["sealed_private"])
        except (KeyError, TypeError, ValueError):
            raise _garbage() from None

    def publish(self, public: PublicIdentity, sealed_private: bytes) -> None:
        self.t.request("PUT", "/v1/identity", json_body={
            "enc": _b64(public.enc_public), "sign": _b64(public.sign_public),
            "sealed_private": _b64(sealed_private)})

    def identity(self, account: str) -> PublicIdentity:
        """A colleague's keys as the server tells them (compare the safety code!)."""
        found = PublicIdentity.from_json(self.t.request("GET", f"/v1/identities/{account}"))
        if found.account != account:
            raise _garbage()
        return found

    # -- teams ----------------------------------------------------------------------
    def create(self, team_id: str, name: str) -> None:
        self.t.request("POST", "/v1/teams", json_body={"team_id": team_id, "name": name})

    def teams(self) -> list[dict[str, Any]]:
        found = self.t.request("GET", "/v1/teams").get("teams")
        if not isinstance(found, list):
            raise _garbage()
        return found

    def team(self, team_id: str) -> dict[str, Any]:
        return self.t.request("GET", f"/v1/teams/{team_id}")

    def grants(self, team_id: str) -> list[Grant]:
        return [Grant.from_json(g) for g in self.team(team_id).get("grants", [])]

    def post_grants(self, team_id: str, grants: list[Grant],
                    rotate_from: int | None = None) -> None:
        """Store grants; ``rotate_from``: they rotate that key version to the next (the
        server refuses with ``team_moved_on`` when another member got there first)."""
        body: dict[str, Any] = {"grants": [g.to_json() for g in grants]}
        if rotate_from is not None:
            body["rotate_from"] = rotate_from
        self.t.request("POST", f"/v1/teams/{team_id}/grants", json_body=body)

    def remove(self, team_id: str, account: str) -> None:
        self.t.request("DELETE", f"/v1/teams/{team_id}/members/{account}")

    def put_aggregate(self, team_id: str, sealed: bytes) -> int:
        return int(self.t.request("POST", f"/v1/teams/{team_id}/aggregates",
                                  json_body={"sealed": _b64(sealed)}).get("seq", 0))

    def aggregates(self, team_id: str, since: int = 0) -> list[tuple[int, str, bytes]]:
        found = self.t.request("GET", f"/v1/teams/{team_id}/aggregates",
                               params={"since": since}).get("aggregates")
        if not isinstance(found, list):
            raise _garbage()
        try:
            return [(int(a["seq"]), str(a["sender"]), base64.b64decode(a["sealed"]))
                    for a in found]
        except (KeyError, TypeError, ValueError):
            raise _garbage() from None
