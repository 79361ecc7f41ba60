"""Reading what the path needs from the vault (public methods only)."""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import TYPE_CHECKING

from counsel.domain import Client, Employer, Plan, Proposal, Role
from counsel.domain.competence import CompetenceProfile, profile_id
from counsel.errors import RecordNotFound
from counsel.path.matching import MatchIndex
from counsel.path.timeline import Fact, assemble

if TYPE_CHECKING:
    from counsel.vault.service import Vault


def profile_of(vault: Vault, client_id: str) -> CompetenceProfile | None:
    """The client's competence profile: the one with the derived id (what the editor
    creates), else any other of theirs (made elsewhere, e.g. by an import)."""
    try:
        return vault.get_typed(CompetenceProfile, profile_id(client_id))
    except RecordNotFound:
        pass
    others = vault.of_client(CompetenceProfile, client_id)
    return others[-1] if others else None


def blank_profile(client_id: str) -> CompetenceProfile:
    return CompetenceProfile(id=profile_id(client_id), client=client_id)


@dataclasses.dataclass(frozen=True)
class ClientPath:
    client: Client
    profile: CompetenceProfile | None
    facts: list[Fact]
    employer_names: dict[str, str]
    proposals: list[Proposal]


def client_path(vault: Vault, client_id: str, registry: Vault | None = None) -> ClientPath:
    """``registry``: the vault holding the employers and roles, when the client's records
    are elsewhere (a team client: the team's copy; the employers: the personal vault)."""
    client = vault.get_typed(Client, client_id)
    profile = profile_of(vault, client_id)
    plans = vault.of_client(Plan, client_id)
    encounters = vault.encounter_facts(client_id)
    proposals = vault.of_client(Proposal, client_id)
    reg = registry or vault
    roles = {r.id: r.title for v in {id(vault): vault, id(reg): reg}.values()
             for r in v.all(Role)} if proposals else {}
    employers = {e.id: e.name for v in {id(vault): vault, id(reg): reg}.values()
                 for e in v.all(Employer)}
    facts = assemble(client, profile, plans, encounters, proposals, roles)
    return ClientPath(client, profile, facts, employers, proposals)


def match_index(vault: Vault, on: dt.date | None = None) -> MatchIndex:
    """The index of consenting clients (decodes every profile once)."""
    return MatchIndex.build(vault.all(Client), vault.all(CompetenceProfile), on)


def open_roles(vault: Vault, on: dt.date) -> list[Role]:
    return [r for r in vault.all(Role)
            if r.open and (r.closes is None or r.closes >= on)]
