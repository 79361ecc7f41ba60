"""Settings that travel with the vault: encrypted ``Setting`` records, synced like any
other record.  Use through ``vault.settings``; values are anything JSON can hold.

A setting that names a client is a ``ClientSetting`` (``client_record``, ``of_clients``):
sealed under that client's key, so it is erased with the client, history and all."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from counsel.domain import ClientSetting, Record, Setting, client_setting_id, setting_id
from counsel.errors import RecordNotFound
from counsel.vault.views import Saved


class Settings:
    def __init__(self, get: Callable[[str], Record], save: Callable[[Record], Saved],
                 all_: Callable[[type[ClientSetting]], list[ClientSetting]] | None = None
                 ) -> None:
        self._get = get
        self._save = save
        self._all = all_

    def get(self, key: str, default: Any = None) -> Any:
        try:
            record = self._get(setting_id(key))
        except RecordNotFound:
            return default
        if not isinstance(record, Setting):
            return default
        return json.loads(record.value_json)

    def set(self, key: str, value: Any) -> None:
        self._save(self.record(key, value))

    @staticmethod
    def record(key: str, value: Any) -> Setting:
        """The record :meth:`set` would save, to save together with others in one write."""
        return Setting(id=setting_id(key), key=key, value_json=json.dumps(value))

    @staticmethod
    def client_record(client_id: str, key: str, value: Any) -> ClientSetting:
        """The record of one client's part of a setting (save it with others)."""
        return ClientSetting(id=client_setting_id(client_id, key), client=client_id, key=key,
                             value_json=json.dumps(value))

    def of_clients(self, key: str) -> dict[str, Any]:
        """Every client's part of a setting: client id → value."""
        if self._all is None:
            return {}
        return {r.client: json.loads(r.value_json) for r in self._all(ClientSetting)
                if r.key == key}
