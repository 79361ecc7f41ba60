"""An encounter (kohtaaminen) recorded by the encounter-based method."""

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
from counsel.domain.enums import Given, InterpreterMode, Obstacle, Place
from counsel.errors import ValidationError
from counsel.i18n import gettext as _


@dataclasses.dataclass(frozen=True)
class AgreedAction:
    """What was agreed, by whom, by when. ``client_step`` marks the client's own next step."""

    what: str
    who: str = ""
    due: dt.date | None = None
    client_step: bool = False
    done: bool = False

    def __post_init__(self) -> None:
        require_text("actions.what", self.what, required=True, max_len=2000)
        require_text("actions.who", self.who, single_line=True)
        require_date("actions.due", self.due, optional=True)


@dataclasses.dataclass(frozen=True, kw_only=True)
class Encounter(Record):
    KIND: ClassVar[str] = "encounter"

    client: str  # client record id
    date: dt.date
    start: dt.time | None = None
    minutes: int = 45
    place: Place = Place.OFFICE
    interpreter_mode: InterpreterMode = InterpreterMode.NONE
    interpreter_language: str = ""
    others_present: str = ""
    given: tuple[Given, ...] = ()
    situation: str = ""  # the client's situation in their own words
    resources: str = ""  # voimavarat
    possibilities: str = ""  # mahdollisuudet
    obstacles: tuple[Obstacle, ...] = ()
    obstacles_text: str = ""  # etenemisen esteet, free text
    experiential: str = ""  # the client's own knowledge (kokemustieto)
    actions: tuple[AgreedAction, ...] = ()
    next_step: str = ""  # the client's own next step
    notes: str = ""
    #: the account that wrote it, in a team's vault: stamped by the save path
    #: (``counsel.teams.teamtime.stamp``), never typed; "" in a personal vault and on
    #: records written before teams kept it (docs/teams.md, "Whose time")
    author: str = ""

    def __post_init__(self) -> None:
        super().__post_init__()
        require_id("client", self.client)
        require_text("author", self.author, single_line=True)
        require_date("date", self.date)
        if self.start is not None and not isinstance(self.start, dt.time):
            raise ValidationError("start", _("must be a time of day"))
        require_int("minutes", self.minutes, low=0, high=24 * 60)
        require_enum("place", self.place, Place)
        require_enum("interpreter_mode", self.interpreter_mode, InterpreterMode)
        if self.interpreter_mode is not InterpreterMode.NONE and not self.interpreter_language:
            raise ValidationError(
                "interpreter_language", _("is required when an interpreter is used")
            )
        for f in ("interpreter_language", "others_present"):
            require_text(f, getattr(self, f), single_line=True)
        for f in (
            "situation",
            "resources",
            "possibilities",
            "obstacles_text",
            "experiential",
            "next_step",
            "notes",
        ):
            require_text(f, getattr(self, f))
        for g in self.given:
            require_enum("given", g, Given)
        if len(set(self.given)) != len(self.given):
            raise ValidationError("given", _("lists a value twice"))
        for o in self.obstacles:
            require_enum("obstacles", o, Obstacle)
        if not all(isinstance(a, AgreedAction) for a in self.actions):
            raise ValidationError("actions", _("must be a list of agreed actions"))

    @property
    def client_id(self) -> str | None:
        return self.client

    @property
    def interpreted(self) -> bool:
        return self.interpreter_mode is not InterpreterMode.NONE

    def text_for_search(self) -> str:
        parts = [
            self.situation,
            self.resources,
            self.possibilities,
            self.obstacles_text,
            self.experiential,
            self.next_step,
            self.notes,
            self.others_present,
        ]
        parts += [a.what for a in self.actions]
        return "\n".join(p for p in parts if p)
