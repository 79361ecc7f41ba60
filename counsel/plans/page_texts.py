"""Texts of a printed plan or appointment card that are not part of a template.

Marked with ``N_`` so extraction puts them in the ``plans`` domain (printed for the
client, translated with ``counsel.plans.templates.plan_gettext``).  The renderer may mark
the same strings in its own modules; equal msgids are one catalog entry.

The labels below repeat some labels of ``counsel.domain.enums`` on purpose: those are
translated for the counsellor's interface (domain ``counsel``), these for the client's
printout, which comes in many more languages.
"""

from __future__ import annotations

from counsel.i18n import N_

PAGE = (
    N_("Integration plan"),
    N_("Page {page} of {pages}"),
    N_("Signature"),
    N_("Date"),
    N_("Client"),
    N_("Counsellor"),
    N_("Appointment"),
    N_("Time"),
    N_("Place"),
    N_("Interpreter booked"),
    N_("No interpreter"),
    N_("Phone"),
    N_("Draft translation, not yet reviewed"),
    N_("Valid until"),
    N_("Next review"),
    N_("Who"),
    N_("When"),
    N_("Status"),
)

#: client-record details printed in "languages" and "background" sections
RECORD_LABELS = {
    "mother_tongue": N_("Mother tongue"),
    "other_languages": N_("Other languages"),
    "literacy": N_("Reading and writing"),
    "education": N_("Education"),
    "work_history": N_("Work experience"),
    "recognised_skills": N_("Recognised skills"),
}

#: measure status, keyed by ``MeasureStatus`` value
MEASURE_STATUS = {
    "planned": N_("Planned"),
    "started": N_("Started"),
    "done": N_("Done"),
    "interrupted": N_("Interrupted"),
    "cancelled": N_("Cancelled"),
}

#: literacy, keyed by ``Literacy`` value (plain words, addressed to no one in particular)
LITERACY = {
    "none": N_("Does not read or write yet"),
    "non_latin": N_("Reads and writes in another alphabet"),
    "partial_latin": N_("Reads and writes a little in the Latin alphabet"),
    "latin": N_("Reads and writes in the Latin alphabet"),
}

#: Finnish/Swedish level labels that are words, keyed by ``CefrLevel`` value
LEVEL = {
    "not_tested": N_("Not tested"),
    "below_A1.1": N_("Below A1.1"),
}
