"""Settings that travel with the vault: encrypted ``Setting`` records, synced like any
other record.  Use through ``vault.settings``; values are anything JSON can hold."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from counsel.domain import Record, Setting, setting_id
from counsel.errors import RecordNotFound
from counsel.vault.views import Saved


class Settings:
    def __init__(self, get: Callable[[str], Record], save: Callable[[Record], Saved]) -> None:
        self._get = get
        self._save = save

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
