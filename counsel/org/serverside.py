"""What the sync server does for the organisation features: keep a copy of the escrow,
relay the organisation policy.  It is trusted with neither: the escrow is sealed, and an
offered policy whose recovery key differs from the pinned one is refused."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

from counsel.org import policy
from counsel.org.recovery import MASTER_GENERATION

if TYPE_CHECKING:
    from counsel.vault.service import Vault


def upload_escrow(vault: Vault, record: bytes) -> bool:
    """Send the escrow record to the server; False when this vault is not signed in."""
    from counsel.sync import credentials
    from counsel.sync.transport import Transport

    creds = credentials.load(vault)
    if creds is None:
        return False
    with Transport(creds.url, creds.token) as transport:
        transport.put_escrow(vault.vault_id, MASTER_GENERATION, record.decode())
    return True


def offered_policy(vault: Vault) -> policy.OrgPolicy | None:
    """The policy the server relays, checked against the pinned one (``PolicyError`` when
    its recovery key differs: a server swapping the organisation key)."""
    from counsel.sync import credentials
    from counsel.sync.transport import Transport

    creds = credentials.load(vault)
    if creds is None:
        return None
    with Transport(creds.url, creds.token) as transport:
        data = transport.org_policy()
    if data is None:
        return None
    offered = policy.OrgPolicy.from_text(json.dumps(data))
    policy.check_offered(vault, offered)
    return offered
