"""Erasing a client and every trace derived from them.

``vault.erase_client`` destroys the client's key (every record sealed under it — notes,
plans, work entries, consents, disclosures, their ``ClientSetting``s such as calendar
matching rules — becomes unreadable, on this device, on every device that syncs the
sealed erasure record and on the server, which drops the envelopes), deletes their drafts,
drops them from the working set and its search index, and removes the unlock cache (its
key is replaced).  Audit entries keep the client's random id and what was done, never a
name.

What a vault key still seals and may name a client is cleaned here:

- calendar matching rules kept by a vault from before the per-client split
  (counsel.timekeeping.rule_store): the general setting is saved again without them.
  Its earlier revisions stay in the append-only history under the vault key; the
  DPO's page (docs/records-management.md) says so.

Call :func:`erase_client` wherever a counsellor erases a client.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from counsel.vault.service import Vault


def erase_client(vault: Vault, client_id: str) -> None:
    """Erase ``client_id`` and the traces the vault key would still open."""
    from counsel.timekeeping import rule_store

    vault.erase_client(client_id)
    if rule_store.names_client(vault, client_id):
        # the client is gone: load_rules drops their rules; what remains is saved again
        vault.save_many(rule_store.rules_records(rule_store.load_rules(vault)))
