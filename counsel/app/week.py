"""A week of appointments: the encounters dated in it (planned ones included) and the
appointment time imported from calendars, day by day, for the Week page.

Read with the vault's named queries over its working set (``vault.agenda``), so a
week costs one indexed query, not a walk over every client.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from counsel.vault.service import Vault

@dataclasses.dataclass(frozen=True)
class WeekItem:
    day: dt.date
    start: dt.time | None
    minutes: int
    client_id: str | None
    client_name: str
    encounter_id: str | None  # None: time imported from a calendar
    place: str = ""  # Place value of an encounter
    interpreter_language: str = ""  # "" when none is booked
    what: str = ""  # an imported event's line
    interpreter_missing: bool = False  # the client needs one, the encounter books none

    @property
    def planned(self) -> bool:
        return self.encounter_id is not None and self.day >= dt.date.today()


def monday_of(day: dt.date) -> dt.date:
    return day - dt.timedelta(days=day.weekday())


def _time(text: str | None) -> dt.time | None:
    return dt.time.fromisoformat(text) if text else None


def week(vault: Vault, monday: dt.date, author: str | None = None) -> list[WeekItem]:
    """The week's items in ``vault`` (with ``author``: that account's, in a team copy;
    the whole session's week is ``counsel.teams.teamtime.week``)."""
    first, last = monday.isoformat(), (monday + dt.timedelta(days=6)).isoformat()
    items = [
        WeekItem(dt.date.fromisoformat(d), _time(start), minutes or 0, client, name or "",
                 rid, place or "", lang if mode and mode != "none" else "",
                 interpreter_missing=bool(needed) and (not mode or mode == "none"))
        for rid, client, d, start, minutes, place, mode, lang, name, needed
        in vault.agenda.encounters_between(first, last, author)]
    items += [
        WeekItem(dt.date.fromisoformat(d), _time(start), minutes or 0, client, name or "",
                 None, what=what or "")
        for _rid, client, d, start, minutes, what, name
        in vault.agenda.imported_between(first, last, author)]
    return sort_week(items)


def sort_week(items: list[WeekItem]) -> list[WeekItem]:
    return sorted(items, key=lambda i: (i.day, i.start or dt.time(0), i.client_name))
