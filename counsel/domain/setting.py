"""A setting synced with the vault (e.g. calendar matching rules): encrypted like a record."""

from __future__ import annotations

import dataclasses
import hashlib
from typing import ClassVar

from counsel.domain.base import Record, require_text


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
