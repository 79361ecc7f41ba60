"""Where the calendar matching rules are kept.

A rule that assigns events to a client names them twice: its pattern is usually the
event's title ("Zainab Qadiri - asylum interview prep") and its ``client`` is their id.
So such rules are kept per client, in a ``ClientSetting`` sealed under the client's key:
erasing the client erases their rules and every earlier version of them, on every device
and the server.  Rules that name no client (team meetings, Kela, …) stay in the vault
setting ``RULES_SETTING``.

Vaults from before this split kept every rule in ``RULES_SETTING``; those rules are read
from there until the next save moves them, and a rule of an erased client is
dropped when read (it stays dropped from the next save on).
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import TYPE_CHECKING

from counsel.domain import Record, Setting, setting_id
from counsel.timekeeping.matching import MatchRule, rules_from_json, rules_to_json

if TYPE_CHECKING:
    from counsel.vault.service import Vault

RULES_SETTING = "timekeeping.match_rules"


def load_rules(vault: Vault) -> tuple[MatchRule, ...]:
    """Every matching rule: the general ones, then each client's."""
    raw = vault.settings.get(RULES_SETTING)
    rules = list(rules_from_json(raw)) if raw else []
    for raw_client in vault.settings.of_clients(RULES_SETTING).values():
        if raw_client:
            rules += rules_from_json(raw_client)
    erased = vault.erased_clients()
    return tuple(r for r in rules if r.client is None or r.client not in erased)


def rules_records(rules: Iterable[MatchRule], previous: Iterable[MatchRule] = ()
                  ) -> list[Record]:
    """The records that keep ``rules`` (save them in one write): the general setting and
    one record per client that has rules now or had some in ``previous``."""
    general: list[MatchRule] = []
    by_client: dict[str, list[MatchRule]] = {}
    for rule in rules:
        if rule.client is None:
            general.append(rule)
        else:
            by_client.setdefault(rule.client, []).append(rule)
    for rule in previous:
        if rule.client is not None:
            by_client.setdefault(rule.client, [])
    from counsel.vault.settings import Settings

    out: list[Record] = [Setting(id=setting_id(RULES_SETTING), key=RULES_SETTING,
                                 value_json=json.dumps(rules_to_json(general)))]
    out += [Settings.client_record(client, RULES_SETTING, rules_to_json(items))
            for client, items in sorted(by_client.items())]
    return out


def save_rules(vault: Vault, rules: Iterable[MatchRule]) -> None:
    vault.save_many(rules_records(rules, load_rules(vault)))


def names_client(vault: Vault, client_id: str) -> bool:
    """Whether the general setting still holds a rule of ``client_id`` (an older vault's)."""
    raw = vault.settings.get(RULES_SETTING)
    return bool(raw) and any(r.client == client_id for r in rules_from_json(raw))
