"""Texts of a printed plan or appointment card that are not part of a template.

Marked with ``N_`` so extraction puts them in the ``plans`` domain (printed for the
client, translated with ``counsel.plans.templates.plan_gettext``).  The renderer may mark
the same strings in its own modules; equal msgids are one catalog entry.

Some repeat labels of ``counsel.domain.enums`` on purpose: those are translated for the
counsellor's interface (domain ``counsel``), these for the client's printout, which comes
in many more languages.
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
