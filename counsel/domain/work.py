"""A work entry: visible appointment time or background liaison work, for a client."""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import ClassVar

from counsel.domain.base import (
    Record,
    require_date,
    require_enum,
    require_id,
    require_int,
    require_text,
)
from counsel.domain.enums import Channel, PartyKind, WorkKind
from counsel.errors import ValidationError
from counsel.i18n import gettext as _


@dataclasses.dataclass(frozen=True, kw_only=True)
class WorkEntry(Record):
    KIND: ClassVar[str] = "work"

    kind: WorkKind
    date: dt.date
    minutes: int
    client: str | None = None  # client record id, where there is one
    start: dt.time | None = None
    contact: str | None = None  # contact record id (the other party)
    party_kind: PartyKind | None = None  # kind of other party, even without a contact
    channel: Channel = Channel.MEETING
    what: str = ""  # one line of what was done
    encounter: str | None = None  # the encounter this appointment time belongs to
    source: str = ""  # e.g. "ics:<uid>|<recurrence-id>" for calendar imports (dedup key)
    #: the account that wrote it, in a team's vault (as ``Encounter.author``)
    author: str = ""

    def __post_init__(self) -> None:
        super().__post_init__()
        require_enum("kind", self.kind, WorkKind)
        require_date("date", self.date)
        require_int("minutes", self.minutes, low=1, high=24 * 60)
        require_id("client", self.client, optional=True)
        require_id("contact", self.contact, optional=True)
        require_id("encounter", self.encounter, optional=True)
        require_enum("party_kind", self.party_kind, PartyKind, optional=True)
        require_enum("channel", self.channel, Channel)
        require_text("what", self.what, single_line=True)
        require_text("source", self.source, single_line=True)
        require_text("author", self.author, single_line=True)
        if self.start is not None and not isinstance(self.start, dt.time):
            raise ValidationError("start", _("must be a time of day"))

    @property
    def client_id(self) -> str | None:
        return self.client
