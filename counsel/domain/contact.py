"""A contact: a party in the counsellor's network (not a client)."""

from __future__ import annotations

import dataclasses
from typing import ClassVar

from counsel.domain.base import Record, require_enum, require_text
from counsel.domain.enums import PartyKind


@dataclasses.dataclass(frozen=True, kw_only=True)
class Contact(Record):
    KIND: ClassVar[str] = "contact"

    name: str
    party_kind: PartyKind = PartyKind.OTHER
    organisation: str = ""
    role: str = ""
    phone: str = ""
    email: str = ""
    notes: str = ""

    def __post_init__(self) -> None:
        super().__post_init__()
        require_text("name", self.name, required=True, single_line=True)
        require_enum("party_kind", self.party_kind, PartyKind)
        for f in ("organisation", "role", "phone", "email"):
            require_text(f, getattr(self, f), single_line=True)
        require_text("notes", self.notes)

    @property
    def display_name(self) -> str:
        return f"{self.name}, {self.organisation}" if self.organisation else self.name
