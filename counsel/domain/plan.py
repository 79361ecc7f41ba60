"""The integration plan (kotoutumissuunnitelma) and its measures."""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import ClassVar

from counsel.domain.base import Record, require_date, require_enum, require_id, require_text
from counsel.domain.enums import MeasureStatus, PlanStatus
from counsel.errors import ValidationError
from counsel.i18n import gettext as _


@dataclasses.dataclass(frozen=True)
class Measure:
    """One agreed measure: ``code`` refers to the measure catalogue (counsel.plans)."""

    code: str  # catalogue id, e.g. "integration_training"
    status: MeasureStatus = MeasureStatus.PLANNED
    who: str = ""
    start: dt.date | None = None
    due: dt.date | None = None
    provider: str = ""
    note: str = ""  # counsellor's free text, printed as typed

    def __post_init__(self) -> None:
        require_text("measures.code", self.code, required=True, single_line=True)
        require_enum("measures.status", self.status, MeasureStatus)
        require_text("measures.who", self.who, single_line=True)
        require_text("measures.provider", self.provider, single_line=True)
        require_text("measures.note", self.note, max_len=5000)
        require_date("measures.start", self.start, optional=True)
        require_date("measures.due", self.due, optional=True)
        if self.start and self.due and self.due < self.start:
            raise ValidationError("measures.due", _("cannot be before the start"))


@dataclasses.dataclass(frozen=True)
class PrintRecord:
    """What was printed or exported, and when (kept in the plan's revisions)."""

    at: dt.datetime
    language: str
    variant: str  # "standard", "large_print", "card"
    sha256: str


@dataclasses.dataclass(frozen=True, kw_only=True)
class Plan(Record):
    KIND: ClassVar[str] = "plan"

    client: str
    template: str = "integration_plan"
    client_language: str = "en"
    status: PlanStatus = PlanStatus.DRAFT
    made: dt.date = dataclasses.field(default_factory=dt.date.today)
    valid_until: dt.date | None = None
    review: dt.date | None = None
    # section id -> counsellor's free text (printed as typed; never machine-translated)
    sections: tuple[tuple[str, str], ...] = ()
    goals: str = ""  # the client's goals in their own words
    measures: tuple[Measure, ...] = ()
    printed: tuple[PrintRecord, ...] = ()

    def __post_init__(self) -> None:
        super().__post_init__()
        require_id("client", self.client)
        require_text("template", self.template, required=True, single_line=True)
        require_enum("status", self.status, PlanStatus)
        require_date("made", self.made)
        require_date("valid_until", self.valid_until, optional=True)
        require_date("review", self.review, optional=True)
        require_text("goals", self.goals)
        if self.valid_until and self.valid_until < self.made:
            raise ValidationError("valid_until", _("cannot be before the plan was made"))
        for key, text in self.sections:
            require_text("sections", key, required=True, single_line=True)
            require_text(f"sections.{key}", text)
        if not all(isinstance(m, Measure) for m in self.measures):
            raise ValidationError("measures", _("must be a list of measures"))

    @property
    def client_id(self) -> str | None:
        return self.client

    def section(self, key: str) -> str:
        return dict(self.sections).get(key, "")
