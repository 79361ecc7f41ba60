"""Texts of the client's copy of their records (``counsel.records.export_pdf``).

Marked with ``N_`` here so extraction puts them in the ``plans`` domain: the copy is for the
client and comes in every client language.  Plain words, "you" for the client.  Typed
content is printed as typed; a field or value without a text here is printed in English
with the visible ``[en]`` marker (``counsel.plans.printing``).
"""

from __future__ import annotations

from counsel.i18n import N_

TITLE = N_("Your information in our records")
INTRO = N_("This is everything recorded about you on {date}. You have the right to see it "
           "and to ask for mistakes to be corrected.")
NOTHING = N_("Nothing recorded.")
VERSION = N_("Version {n}")
DELETED = N_("Deleted")
HISTORY = N_("Earlier versions (corrections)")
RECORD_ID = N_("Record number")

SECTIONS = {
    "client": N_("Your details"),
    "encounter": N_("Meetings with you"),
    "work": N_("Work done for you"),
    "plan": N_("Your plans"),
    "competence": N_("Your skills and path to work"),
    "reminder": N_("Reminders"),
    "proposal": N_("Proposals to employers"),
    "consent": N_("Consents and information shared"),
}

#: labels of record fields; other fields are printed with their English name, marked
FIELDS = {
    "name": N_("Name"),
    "preferred_name": N_("Preferred name"),
    "official_name": N_("Name on official papers"),
    "birth_date": N_("Date of birth"),
    "languages": N_("Languages"),
    "code": N_("Language"),
    "mother_tongue": N_("Mother tongue"),
    "level": N_("Level"),
    "literacy": N_("Reading and writing"),
    "interpreter_needed": N_("Interpreter needed"),
    "interpreter_language": N_("Language"),  # follows the interpreter (mode or need)
    "interpreter_mode": N_("Interpreter"),
    "phone": N_("Phone"),
    "municipality": N_("Municipality"),
    "permit_date": N_("Residence permit"),
    "permit_basis": N_("Basis of the residence permit"),
    "education": N_("Education"),
    "work_history": N_("Work history"),
    "recognised_skills": N_("Recognised skills"),
    "notes": N_("Notes"),
    "active": N_("Counselling ongoing"),
    "started": N_("Counselling started"),
    "ended": N_("Counselling ended"),
    "date": N_("Date"),
    "start": N_("Time"),
    "minutes": N_("Minutes"),
    "place": N_("Place"),
    "others_present": N_("Others present"),
    "given": N_("What you were given"),
    "situation": N_("Your situation"),
    "resources": N_("Your strengths"),
    "possibilities": N_("Possibilities"),
    "obstacles": N_("What is in the way"),
    "obstacles_text": N_("What is in the way"),
    "experiential": N_("Your own experience"),
    "actions": N_("What was agreed"),
    "what": N_("What was done"),
    "who": N_("Who"),
    "due": N_("By when"),
    "done": N_("Done"),
    "next_step": N_("Your next step"),
    "made": N_("Made"),
    "goals": N_("Your goals"),
    "measures": N_("Measures"),
    "valid_until": N_("Valid until"),
    "review": N_("Next review"),
    "status": N_("Status"),
}
YES = N_("yes")
NO = N_("no")
