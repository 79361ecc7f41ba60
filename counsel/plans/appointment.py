"""An appointment card printed from a planned encounter (not only from a plan).

The card tells the client what the encounter record says: its date, time, length and
interpreter.  With no interpreter in the record but one needed by the client's
profile, the card is silent about the interpreter instead of telling the client
"No interpreter" — the counsellor is warned on screen (:func:`interpreter_warning`).
The card is in the client's language where plans can be printed in it: the mother
tongue, else the interpreter's language, else Finnish.
"""

from __future__ import annotations

import datetime as dt

from counsel.domain import Client, Encounter, InterpreterMode, Place
from counsel.i18n import gettext as _
from counsel.plans.printing import UnknownLanguage, check_language
from counsel.plans.render_card import Appointment, render_card


def card_language(client: Client, encounter: Encounter) -> str:
    for code in (client.mother_tongue or "", encounter.interpreter_language,
                 client.interpreter_language):
        try:
            return check_language(code)
        except UnknownLanguage:
            continue
    return "fi"


def appointment_of(encounter: Encounter, client: Client, *, counsellor_name: str,
                   phone: str = "", office: str = "") -> Appointment:
    booked = encounter.interpreter_mode is not InterpreterMode.NONE
    place = office if encounter.place is Place.OFFICE else encounter.place.label()
    return Appointment(
        when=dt.datetime.combine(encounter.date, encounter.start or dt.time(9, 0)),
        place=place, counsellor_name=counsellor_name, counsellor_phone=phone,
        minutes=encounter.minutes,
        interpreter_language=(encounter.interpreter_language or client.interpreter_language
                              if booked else ""),
        client_name=client.display_name, interpreter_needed=client.interpreter_needed)


def interpreter_warning(encounter: Encounter, client: Client) -> str:
    """What the counsellor should know before printing ("" when the record agrees)."""
    if client.interpreter_needed and encounter.interpreter_mode is InterpreterMode.NONE:
        return _("The client's profile says an interpreter is needed, but none is booked "
                 "for this encounter. The card will not mention an interpreter.")
    return ""


def render_encounter_card(encounter: Encounter, client: Client, *, counsellor_lang: str,
                          counsellor_name: str, phone: str = "", office: str = "",
                          organisation: str = "", size: str = "A6") -> bytes:
    appointment = appointment_of(encounter, client, counsellor_name=counsellor_name,
                                 phone=phone, office=office)
    return render_card(appointment, client_lang=card_language(client, encounter),
                       counsellor_lang=counsellor_lang, size=size, organisation=organisation)
