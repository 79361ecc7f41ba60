"""Audit entries, consents and disclosures (issue 16): records management.

An :class:`AuditEntry` says who did what to which record, when and on which device — ids,
kinds and short labels only, never case content, so the log can be handed to a
data-protection officer.  It is sealed under the vault key (``client_id`` is ``None``), so
it outlives an erased client's key: the erasure itself stays on record.  Each device's
entries form a hash chain (``counter``, ``prev``; see counsel.records.auditchain).

A :class:`Consent` (what may be shared with which kind of party, on what basis) and a
:class:`DisclosureEntry` (what was shared, with whom, when) belong to the client: they
are sealed under the client's key and erased with the client.
"""

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
from counsel.domain.enums import PartyKind
from counsel.errors import ValidationError
from counsel.i18n import N_
from counsel.i18n import gettext as _

#: What an audit entry records (the ``action`` field).
ACTIONS: dict[str, str] = {
    "view": N_("Viewed"),
    "edit": N_("Edited"),
    "print": N_("Printed"),
    "export": N_("Exported"),
    "share": N_("Shared"),
    "erase": N_("Erased"),
}

#: What a consent can cover and a disclosure can contain (record kinds / purposes).
SCOPES: dict[str, str] = {
    "plan": N_("Integration or employment plan"),
    "profile": N_("Competence profile"),
    "timeline": N_("Path to work timeline"),
    "contact": N_("Contact details"),
    "client_file": N_("The whole client file"),
}

#: The legal basis of a consent or disclosure.
BASES: dict[str, str] = {
    "consent": N_("Client's consent"),
    "law": N_("Required by law"),
}


def _require_utc(field: str, value: object) -> None:
    if not isinstance(value, dt.datetime) or value.tzinfo is None:
        raise ValidationError(field, _("must be a date and time"))


def _require_scope(field: str, items: object) -> None:
    if not isinstance(items, tuple) or not all(isinstance(x, str) and x in SCOPES for x in items):
        raise ValidationError(field, _("has an unknown value"))


@dataclasses.dataclass(frozen=True, kw_only=True)
class AuditEntry(Record):
    KIND: ClassVar[str] = "audit"

    at: dt.datetime
    action: str
    person: str
    device: str
    counter: int
    prev: str = ""
    client: str | None = None
    record: str | None = None
    record_kind: str = ""
    detail: str = ""

    def __post_init__(self) -> None:
        super().__post_init__()
        _require_utc("at", self.at)
        if self.action not in ACTIONS:
            raise ValidationError("action", _("has an unknown value"))
        require_text("person", self.person, single_line=True)
        require_text("device", self.device, required=True, single_line=True)
        require_int("counter", self.counter, low=1, high=2**53)
        require_text("prev", self.prev, single_line=True)
        require_id("client", self.client, optional=True)
        require_id("record", self.record, optional=True)
        require_text("record_kind", self.record_kind, single_line=True)
        require_text("detail", self.detail, single_line=True)


@dataclasses.dataclass(frozen=True, kw_only=True)
class Consent(Record):
    """What may be shared with one kind of party, on which basis, from when to when."""

    KIND: ClassVar[str] = "consent"

    client: str
    party: PartyKind
    scope: tuple[str, ...]
    basis: str = "consent"
    reference: str = ""  # the law's section, or where the signed consent is kept
    given: dt.date
    withdrawn: dt.date | None = None

    def __post_init__(self) -> None:
        super().__post_init__()
        require_id("client", self.client)
        require_enum("party", self.party, PartyKind)
        _require_scope("scope", self.scope)
        if self.basis not in BASES:
            raise ValidationError("basis", _("has an unknown value"))
        require_text("reference", self.reference, single_line=True)
        if self.basis == "law" and not self.reference.strip():
            raise ValidationError("reference", _("names the law when the basis is law"))
        require_date("given", self.given)
        require_date("withdrawn", self.withdrawn, optional=True)
        if self.withdrawn and self.withdrawn < self.given:
            raise ValidationError("withdrawn", _("cannot be before the start"))

    @property
    def client_id(self) -> str | None:
        return self.client

    def covers(self, party: PartyKind, what: str, day: dt.date) -> bool:
        return (self.party == party and (what in self.scope or "client_file" in self.scope)
                and self.given <= day and (self.withdrawn is None or day < self.withdrawn))


@dataclasses.dataclass(frozen=True, kw_only=True)
class DisclosureEntry(Record):
    """Something shared with a party: what, with whom, on which basis, when."""

    KIND: ClassVar[str] = "disclosure"

    client: str
    party: PartyKind
    what: str
    at: dt.datetime
    basis: str = "consent"
    consent: str | None = None  # the Consent record it relied on
    recipient: str = ""  # e.g. the organisation's name
    record: str | None = None

    def __post_init__(self) -> None:
        super().__post_init__()
        require_id("client", self.client)
        require_enum("party", self.party, PartyKind)
        if self.what not in SCOPES:
            raise ValidationError("what", _("has an unknown value"))
        _require_utc("at", self.at)
        if self.basis not in BASES:
            raise ValidationError("basis", _("has an unknown value"))
        require_id("consent", self.consent, optional=True)
        require_text("recipient", self.recipient, single_line=True)
        require_id("record", self.record, optional=True)

    @property
    def client_id(self) -> str | None:
        return self.client
