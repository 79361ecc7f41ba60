"""An encounter as the editor's draft: plain JSON-able values ↔ a validated Encounter.

The editor autosaves this dict (encrypted) while the counsellor types, so it must hold
anything typed, valid or not — an unreadable date stays text until the record is
saved.  Qt-free so the conversion is tested on its own (round trip, bad input).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from counsel.domain import AgreedAction, Client, Encounter, Given, InterpreterMode, Obstacle, Place
from counsel.errors import ValidationError
from counsel.i18n import display
from counsel.i18n import gettext as _

TEXT_FIELDS = ("situation", "resources", "possibilities", "obstacles_text", "experiential",
               "next_step", "notes")
DEFAULT_MINUTES = 45


def fresh(client: Client | None, now: dt.datetime) -> dict[str, Any]:
    """A new encounter's starting values: now, 45 minutes, the client's interpreter."""
    data: dict[str, Any] = {"date": now.date().isoformat(), "start": now.strftime("%H:%M"),
                            "minutes": DEFAULT_MINUTES}
    if client is not None and client.interpreter_needed:
        # the profile says an interpreter is needed: the new encounter says so too (an
        # interpreter language beside "No interpreter" contradicted it, and reached the
        # client on the printed card); the counsellor changes the mode when it was phone
        data["interpreter_mode"] = InterpreterMode.IN_PERSON.value
        data["interpreter_language"] = client.interpreter_language or client.mother_tongue or ""
    return data


def from_encounter(enc: Encounter) -> dict[str, Any]:
    data: dict[str, Any] = {f: getattr(enc, f) for f in TEXT_FIELDS}
    data.update(
        id=enc.id, client=enc.client, date=enc.date.isoformat(),
        start=enc.start.strftime("%H:%M") if enc.start else "",
        minutes=enc.minutes, place=enc.place.value,
        interpreter_mode=enc.interpreter_mode.value,
        interpreter_language=enc.interpreter_language, others_present=enc.others_present,
        given=[g.value for g in enc.given], obstacles=[o.value for o in enc.obstacles],
        actions=[{"what": a.what, "who": a.who, "due": a.due.isoformat() if a.due else "",
                  "client_step": a.client_step, "done": a.done} for a in enc.actions],
    )
    return data


def _date(text: str, field: str) -> dt.date | None:
    try:
        return display.parse_date(text)
    except ValueError:
        raise ValidationError(field, _("must be a date")) from None


def _time(text: str) -> dt.time | None:
    if not text.strip():
        return None
    try:
        hour, minute = (int(x) for x in text.strip().split(":")[:2])
        return dt.time(hour, minute)
    except ValueError:
        raise ValidationError(_("Start"), _("must be a time of day")) from None


def to_encounter(data: dict[str, Any], *, encounter_id: str, client_id: str) -> Encounter:
    """The record to save; raises ValidationError (a KnownError) for what must be fixed."""
    actions = []
    for a in data.get("actions", ()):
        what = str(a.get("what", "")).strip()
        if not what:
            continue  # an empty row is not an agreement
        actions.append(AgreedAction(
            what=what, who=str(a.get("who", "")).strip(),
            due=_date(str(a.get("due", "")), _("By when")),
            client_step=bool(a.get("client_step")), done=bool(a.get("done"))))
    mode = InterpreterMode(data.get("interpreter_mode", InterpreterMode.NONE.value))
    date = _date(str(data.get("date", "")), _("Date"))
    if date is None:
        raise ValidationError(_("Date"), _("is required"))
    return Encounter(
        id=encounter_id, client=client_id, date=date,
        start=_time(str(data.get("start", ""))),
        minutes=int(data.get("minutes", DEFAULT_MINUTES)),
        place=Place(data.get("place", Place.OFFICE.value)), interpreter_mode=mode,
        interpreter_language=str(data.get("interpreter_language", ""))
        if mode is not InterpreterMode.NONE else "",
        others_present=str(data.get("others_present", "")).strip(),
        given=tuple(Given(g) for g in dict.fromkeys(data.get("given", ()))),
        obstacles=tuple(Obstacle(o) for o in data.get("obstacles", ())),
        actions=tuple(actions),
        **{f: str(data.get(f, "")) for f in TEXT_FIELDS},
    )
