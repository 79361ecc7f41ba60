"""The client (asiakas) and their languages."""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import ClassVar

from counsel.domain.base import Record, require_date, require_enum, require_text
from counsel.domain.enums import CefrLevel, ClientType, Literacy, PermitBasis
from counsel.errors import ValidationError
from counsel.i18n import gettext as _


def _require_lang(field: str, code: object) -> None:
    if (
        not isinstance(code, str)
        or not (2 <= len(code) <= 12)
        or not code.replace("_", "").isalpha()
    ):
        raise ValidationError(field, _("is not a language code"))


@dataclasses.dataclass(frozen=True)
class LanguageSkill:
    """A language the client uses. ``level`` is for Finnish/Swedish (CEFR sub-scale)."""

    code: str  # ISO 639 (+ region), e.g. "ar", "fa_AF", "ckb", "fi"
    mother_tongue: bool = False
    level: CefrLevel | None = None

    def __post_init__(self) -> None:
        _require_lang("languages", self.code)
        require_enum("languages.level", self.level, CefrLevel, optional=True)


@dataclasses.dataclass(frozen=True, kw_only=True)
class Client(Record):
    KIND: ClassVar[str] = "client"

    name: str
    preferred_name: str = ""
    # the Latin-letter spelling on the residence permit and other official papers, which
    # the client may not write themselves ("Ahmed Hasan" for أحمد حسن); added later:
    # records without it read as ""
    official_name: str = ""
    birth_date: dt.date | None = None
    languages: tuple[LanguageSkill, ...] = ()
    literacy: Literacy | None = None
    interpreter_needed: bool = False
    interpreter_language: str = ""
    permit_date: dt.date | None = None
    permit_basis: PermitBasis | None = None
    municipality: str = ""
    client_type: ClientType = ClientType.MUNICIPAL
    education: str = ""  # e.g. "qualified language teacher"
    work_history: str = ""
    recognised_skills: str = ""
    phone: str = ""
    notes: str = ""
    active: bool = True
    started: dt.date | None = None  # start of the client relationship
    ended: dt.date | None = None

    def __post_init__(self) -> None:
        super().__post_init__()
        require_text("name", self.name, required=True, single_line=True)
        require_text("preferred_name", self.preferred_name, single_line=True)
        require_text("official_name", self.official_name, single_line=True)
        require_date("birth_date", self.birth_date, optional=True, not_future=True)
        require_enum("literacy", self.literacy, Literacy, optional=True)
        require_enum("permit_basis", self.permit_basis, PermitBasis, optional=True)
        require_enum("client_type", self.client_type, ClientType)
        require_date("permit_date", self.permit_date, optional=True, earliest=dt.date(1950, 1, 1))
        require_date("started", self.started, optional=True)
        require_date("ended", self.ended, optional=True)
        if self.started and self.ended and self.ended < self.started:
            raise ValidationError("ended", _("cannot be before the start"))
        if self.birth_date and self.permit_date and self.permit_date < self.birth_date:
            raise ValidationError("permit_date", _("cannot be before the date of birth"))
        for f in ("municipality", "phone", "interpreter_language"):
            require_text(f, getattr(self, f), single_line=True)
        for f in ("education", "work_history", "recognised_skills", "notes"):
            require_text(f, getattr(self, f))
        if self.interpreter_language:
            _require_lang("interpreter_language", self.interpreter_language)
        if not isinstance(self.languages, tuple) or not all(
            isinstance(x, LanguageSkill) for x in self.languages
        ):
            raise ValidationError("languages", _("must be a list of languages"))
        if sum(1 for x in self.languages if x.mother_tongue) > 2:
            raise ValidationError("languages", _("at most two mother tongues"))

    @property
    def client_id(self) -> str | None:
        return self.id

    @property
    def display_name(self) -> str:
        if self.preferred_name and self.preferred_name != self.name:
            return f"{self.name} ({self.preferred_name})"
        return self.name

    @property
    def mother_tongue(self) -> str | None:
        return next((x.code for x in self.languages if x.mother_tongue), None)

    def level_in(self, code: str) -> CefrLevel | None:
        return next((x.level for x in self.languages if x.code == code), None)
