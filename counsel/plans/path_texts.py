"""Texts of the printed path-to-work timeline (``counsel.path.timeline_pdf``).

Marked with ``N_`` here so extraction puts them in the ``plans`` domain: the printout is
for the client and comes in every client language.  Plain words, "you" for the client.
Some repeat texts of plans on purpose (equal msgids are one catalog entry).
"""

from __future__ import annotations

from counsel.i18n import N_

TITLE = N_("Your path to work and studies")
HAPPENED = N_("What has happened")
COMING = N_("What is coming")
NOTHING = N_("Nothing written yet.")
PERMIT = N_("Residence permit")
STARTED = N_("Counselling started")
PLAN_MADE = N_("Integration plan made")
PLAN_REVIEW = N_("Plan review")
PLAN_END = N_("The plan ends")
ENDS = N_("Ends")
RECOGNITION = N_("Recognition of your studies and skills")
VALID_UNTIL = N_("Valid until")

STATUS = {
    "planned": N_("Planned"),
    "started": N_("Started"),
    "done": N_("Done"),
    "interrupted": N_("Interrupted"),
    "cancelled": N_("Cancelled"),
}
SKILLS = {
    "speaking": N_("speaking"),
    "listening": N_("understanding speech"),
    "reading": N_("reading"),
    "writing": N_("writing"),
}
SOURCES = {
    "self": N_("self-assessment"),
    "teacher": N_("teacher's assessment"),
    "test": N_("test"),
}
CERTIFICATES = {
    "hygiene_passport": N_("Hygiene passport"),
    "safety_card": N_("Occupational safety card"),
    "first_aid": N_("First aid certificate"),
    "driving_licence": N_("Driving licence"),
    "forklift": N_("Forklift licence"),
    "hot_work": N_("Hot work licence"),
    "other": N_("Other certificate"),
}
RECOGNITIONS = {
    "not_applied": N_("not applied for"),
    "pending": N_("waiting for the decision"),
    "recognised": N_("recognised"),
    "partial": N_("partly recognised"),
}
EVENTS = {
    "work_trial": N_("Work trial"),
    "job": N_("Job"),
    "pay_subsidy": N_("Pay subsidy"),
    "studies": N_("Studies"),
    "apprenticeship": N_("Apprenticeship"),
    "labour_market_training": N_("Labour market training"),
    "other": N_("Other step"),
}
LEVELS = {"not_tested": N_("not tested"), "below_A1.1": N_("below A1.1")}
