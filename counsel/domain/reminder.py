"""A reminder: stored (custom, set by the counsellor) or computed (counsel.reminders)."""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import ClassVar

from counsel.domain.base import Record, require_date, require_enum, require_id, require_text
from counsel.domain.enums import ReminderKind


@dataclasses.dataclass(frozen=True, kw_only=True)
class Reminder(Record):
    KIND: ClassVar[str] = "reminder"

    due: dt.date
    text: str
    kind: ReminderKind = ReminderKind.CUSTOM
    client: str | None = None
    done: bool = False
    source: str = ""  # for computed reminders: which record/rule made it

    def __post_init__(self) -> None:
        super().__post_init__()
        require_date("due", self.due)
        require_text("text", self.text, required=True, max_len=2000)
        require_enum("kind", self.kind, ReminderKind)
        require_id("client", self.client, optional=True)

    @property
    def client_id(self) -> str | None:
        return self.client
