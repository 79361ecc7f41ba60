"""Figures for a team's supervisor: the manager report's numbers, sealed, relayed by the
server (``/v1/teams/{team}/aggregates``), never case notes.

A member's device computes the manager report over its copy of the team vault
(counsel.timekeeping: counts and minutes only, small cells suppressed) and seals its CSV
under the team's aggregate key of the current key version (derived one-way from the team
key: it opens nothing else).  The supervisor's grant carries that aggregate key only.

Blob: ``version (4 bytes, big-endian) | envelope``; the envelope's associated data binds
team, sender and version.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import TYPE_CHECKING, Any

from counsel.errors import IntegrityError
from counsel.i18n import gettext as _
from counsel.teams import grants
from counsel.vault import envelope

if TYPE_CHECKING:
    from counsel.teams.membership import Session
    from counsel.vault.service import Vault


def _aad(team_id: str, sender: str, version: int) -> bytes:
    return envelope.aad("team-aggregate", team_id, sender, str(version))


def seal(key: bytes, team_id: str, sender: str, version: int, payload: dict[str, Any]) -> bytes:
    body = json.dumps(payload, sort_keys=True).encode()
    return version.to_bytes(4, "big") + envelope.seal(key, body, _aad(team_id, sender, version))


def open_(keys_by_version: dict[int, bytes], team_id: str, sender: str,
          blob: bytes) -> dict[str, Any]:
    version = int.from_bytes(blob[:4], "big")
    key = keys_by_version.get(version)
    if key is None:
        raise IntegrityError(_("Figures sealed under a key version you do not hold."))
    data = json.loads(envelope.open_(key, blob[4:], _aad(team_id, sender, version)))
    if not isinstance(data, dict):
        raise IntegrityError(_("A team grant is damaged."))
    return data


def publish(s: Session, team: Vault, first: dt.date, last: dt.date) -> int:
    """Send the manager report of ``[first, last]`` over this team copy to its supervisors."""
    from counsel.teams.membership import team_generation, team_keys
    from counsel.timekeeping import report_query
    from counsel.timekeeping.report_csv import to_csv
    from counsel.timekeeping.report_tables import manager_tables

    report = report_query.manager_report(team, first, last)
    payload = {"first": first.isoformat(), "last": last.isoformat(),
               "csv": to_csv(manager_tables(report))}
    version = team_generation(team)
    key = grants.aggregate_key(team_keys(team)[-1])
    return s.remote.put_aggregate(team.vault_id, seal(key, team.vault_id, s.account, version,
                                                      payload))


def received(s: Session, team_id: str) -> list[tuple[str, dict[str, Any]]]:
    """Every report the team's members sent that this account's grants open:
    (sender, {"first", "last", "csv"})."""
    from counsel.teams.membership import ensure_identity, signers

    ident = ensure_identity(s)
    accepted, found, _info = signers(s, team_id)
    keys_by_version = {}
    for g in found:
        if g.member == s.account:
            access = grants.open_grant(g, ident, accepted, team_id=team_id)
            keys_by_version[access.version] = access.aggregate_key
    out = []
    for _seq, sender, blob in s.remote.aggregates(team_id):
        try:
            out.append((sender, open_(keys_by_version, team_id, sender, blob)))
        except IntegrityError:
            continue  # not for a key this account holds, or altered: skipped
    return out
