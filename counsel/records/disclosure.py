"""Consents and disclosures: what may be shared with which party, and what was.

Before a print or export that goes to a party (a plan for the TE office, a profile for an
employer), :func:`check` finds the consent that covers it — or the law it is shared
under — and refuses with a translated :class:`NoConsent` otherwise; :func:`share` checks,
then records the disclosure (a ``DisclosureEntry`` under the client's key) and a "share"
audit entry, in one write.

Proposals to employers (counsel.path.proposals) are disclosures already — their own
consent (the competence profile's ``ProposalConsent``) is checked there and the proposal
itself records what was given — so :func:`log` lists them with the others instead of
copying them, and a profile's employer consent counts as consent to share the profile
with an employer here too.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import TYPE_CHECKING

from counsel.domain import Consent, DisclosureEntry, PartyKind, Proposal
from counsel.domain.audit import SCOPES
from counsel.domain.competence import CompetenceProfile, profile_id
from counsel.errors import KnownError, RecordNotFound
from counsel.i18n import N_
from counsel.i18n import gettext as _

if TYPE_CHECKING:
    from counsel.vault.service import Vault


class NoConsent(KnownError):
    help_text = N_("Record the client's consent (with its date and what it covers) or the "
                   "law the disclosure is based on, then try again. Nothing was shared.")


@dataclasses.dataclass(frozen=True)
class Shared:
    """One line of the disclosure log."""

    at: dt.datetime
    party: PartyKind
    what: str  # a SCOPES key, or "profile" for an employer proposal
    basis: str
    recipient: str
    record_id: str


def scope_label(what: str) -> str:
    return _(SCOPES[what]) if what in SCOPES else what


def consents(vault: Vault, client_id: str) -> list[Consent]:
    return sorted(vault.of_client(Consent, client_id), key=lambda c: (c.given, c.id))


def check(vault: Vault, client_id: str, party: PartyKind, what: str,
          day: dt.date | None = None) -> Consent | None:
    """The consent (or law) that covers sharing ``what`` with ``party`` on ``day``.

    Returns the Consent record, or None when an employer proposal consent in the competence
    profile covers it; raises :class:`NoConsent` when nothing does."""
    day = day or dt.date.today()
    covering = [c for c in consents(vault, client_id) if c.covers(party, what, day)]
    if covering:
        return max(covering, key=lambda c: (c.basis == "law", c.given))
    if party is PartyKind.EMPLOYER and what == "profile":
        try:
            profile = vault.get_typed(CompetenceProfile, profile_id(client_id))
        except RecordNotFound:
            profile = None
        if profile is not None and profile.consents_on(day):
            return None
    raise NoConsent(_("No consent or law covers sharing “{what}” with {party}.").format(
        what=scope_label(what), party=party.label()))


def share(vault: Vault, client_id: str, party: PartyKind, what: str, *,
          recipient: str = "", record_id: str | None = None,
          at: dt.datetime | None = None) -> DisclosureEntry:
    """Check the consent, then record the disclosure and its audit entry (one write)."""
    at = at or dt.datetime.now(dt.UTC).replace(microsecond=0)
    consent = check(vault, client_id, party, what, at.date())
    entry = DisclosureEntry(client=client_id, party=party, what=what, at=at,
                            basis=consent.basis if consent else "consent",
                            consent=consent.id if consent else None,
                            recipient=recipient, record=record_id)
    audit = vault.audit.entry("share", client_id=client_id, record_id=entry.id,
                              record_kind=entry.KIND, detail=f"{party.value} {what}")
    try:
        vault.save_many([entry, audit])
    except BaseException:
        vault.audit.forget_tip()
        raise
    return entry


def log(vault: Vault, client_id: str) -> list[Shared]:
    """Everything shared about the client, newest first: disclosures and proposals."""
    out = [Shared(d.at, d.party, d.what, d.basis, d.recipient, d.id)
           for d in vault.of_client(DisclosureEntry, client_id)]
    out += [Shared(p.at, PartyKind.EMPLOYER, "profile", "consent",
                   ", ".join(x.label() for x in p.disclosed), p.id)
            for p in vault.of_client(Proposal, client_id)]
    return sorted(out, key=lambda s: s.at, reverse=True)


def withdraw(vault: Vault, consent: Consent, day: dt.date | None = None) -> Consent:
    withdrawn: Consent = consent.replace(withdrawn=day or dt.date.today())
    vault.save_many([withdrawn], audited=True)
    return withdrawn
