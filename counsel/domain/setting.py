"""A setting synced with the vault (e.g. calendar matching rules): encrypted like a record."""

from __future__ import annotations

import dataclasses
import hashlib
from typing import ClassVar

from counsel.domain.base import Record, require_id, require_text


def setting_id(key: str) -> str:
    return hashlib.sha256(b"counsel setting|" + key.encode()).hexdigest()[:32]


@dataclasses.dataclass(frozen=True, kw_only=True)
class Setting(Record):
    KIND: ClassVar[str] = "setting"

    key: str
    value_json: str = "null"

    def __post_init__(self) -> None:
        super().__post_init__()
        require_text("key", self.key, required=True, single_line=True)
        require_text("value_json", self.value_json, max_len=2_000_000)


def client_setting_id(client: str, key: str) -> str:
    return hashlib.sha256(f"counsel client setting|{client}|{key}".encode()).hexdigest()[:32]


@dataclasses.dataclass(frozen=True, kw_only=True)
class ClientSetting(Record):
    """A setting that names a client (e.g. calendar matching rules that assign events to
    them): sealed under the client's key, so erasing the client erases it and its whole
    history on every device and the server."""

    KIND: ClassVar[str] = "client_setting"

    client: str
    key: str
    value_json: str = "null"

    def __post_init__(self) -> None:
        super().__post_init__()
        require_id("client", self.client)
        require_text("key", self.key, required=True, single_line=True)
        require_text("value_json", self.value_json, max_len=2_000_000)

    @property
    def client_id(self) -> str | None:
        return self.client
