"""Retention: how long each kind of record is kept after the client relationship ends,
what is due, legal holds, and erasure from the review queue in one step.

Schedules and holds are vault settings (encrypted, synced): set once, every device reviews
the same queue.  An organisation policy (counsel.org.policy) may set schedules for some or
all kinds; those follow the policy and cannot be changed in the vault.  The queue is
counted in SQL over the working set (``vault.retention``), never by building every record.

A client is due **as a whole** when every kind of record they have is past its schedule:
erasing them is the vault's ``erase_client`` (their key destroyed, on every device and the
server).  Before that, kinds with a shorter schedule are due **record by record**: those
are deleted with ``vault.delete`` (gone from the current file, search and sync; their
earlier versions stay sealed under the client's key until the client is erased).
Either way a :class:`Destruction` says what kinds, how many, which client id, when and by
whom — no content, no name — and is printed by :mod:`counsel.records.retention_pdf`.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any

from counsel.errors import KnownError, ValidationError
from counsel.i18n import N_
from counsel.i18n import gettext as _

if TYPE_CHECKING:
    from counsel.vault.service import Vault

SCHEDULES_KEY = "retention.schedules"
HOLDS_KEY = "retention.holds"

#: Years kept after the client relationship ends (docs/records-management.md says why).
DEFAULT_YEARS: dict[str, int] = {
    "client": 6, "encounter": 6, "work": 6, "plan": 6, "competence": 6, "consent": 6,
    "disclosure": 6, "proposal": 2, "reminder": 1,
}
KIND_LABELS: dict[str, str] = {
    "client": N_("Client details"), "encounter": N_("Encounters"), "work": N_("Work entries"),
    "plan": N_("Plans"), "competence": N_("Competence profiles"), "consent": N_("Consents"),
    "disclosure": N_("Disclosures"), "proposal": N_("Proposals to employers"),
    "reminder": N_("Reminders"),
}
MAX_YEARS = 100


def kind_label(kind: str) -> str:
    return _(KIND_LABELS[kind]) if kind in KIND_LABELS else kind


def pseudonym(client_id: str) -> str:
    """How a destroyed client is named on paper: the start of their random id."""
    return f"C-{client_id[:8]}"


# -- schedules and holds (vault settings) -------------------------------------------------
def organisation_years(vault: Vault) -> dict[str, int]:
    """The schedules the organisation's policy sets (kinds it names that Counsel knows)."""
    from counsel.org.policy import pinned

    held = pinned(vault)
    return {k: n for k, n in held.retention if k in DEFAULT_YEARS} if held else {}


def schedules(vault: Vault) -> dict[str, int]:
    stored = vault.settings.get(SCHEDULES_KEY, {}) or {}
    out = dict(DEFAULT_YEARS)
    out.update({k: int(v) for k, v in stored.items() if k in DEFAULT_YEARS and
                isinstance(v, int) and not isinstance(v, bool) and 0 <= v <= MAX_YEARS})
    out.update(organisation_years(vault))  # the organisation's word is final
    return out


def set_schedules(vault: Vault, years: Mapping[str, int]) -> None:
    fixed = organisation_years(vault)
    for kind, n in years.items():
        if kind not in DEFAULT_YEARS:
            raise ValidationError("kind", _("is not a kind of record with a schedule"))
        if isinstance(n, bool) or not isinstance(n, int) or not 0 <= n <= MAX_YEARS:
            raise ValidationError(kind, _("must be between {low} and {high}").format(
                low=0, high=MAX_YEARS))
        if kind in fixed and n != fixed[kind]:
            raise ValidationError(kind_label(kind), _(
                "is set by your organisation's policy ({years} years)").format(
                    years=fixed[kind]))
    before = schedules(vault)
    vault.settings.set(SCHEDULES_KEY, {**before, **dict(years)})
    changed = {k: n for k, n in years.items() if before.get(k) != n}
    if changed:  # the DPO sees who changed how long records are kept
        vault.audit.record("edit", record_kind="retention", detail="schedules " + " ".join(
            f"{k}={n}" for k, n in sorted(changed.items())))


class BadSchedules(KnownError):
    help_text = N_("For example: encounter=6 reminder=1 (whole years, 0 to 100). Nothing was "
                   "changed.")


def parse_years(items: list[str]) -> dict[str, int]:
    """``["encounter=6", "reminder=1"]`` → ``{"encounter": 6, "reminder": 1}`` (checked)."""
    years: dict[str, int] = {}
    for item in items:
        kind, _sep, n = item.partition("=")
        if not n.isdigit():
            raise BadSchedules(_("Write each schedule as KIND=YEARS, e.g. encounter=6."))
        if kind not in DEFAULT_YEARS:
            raise BadSchedules(_("{kind} is not a kind of record with a schedule; the kinds "
                                 "are: {kinds}.").format(kind=kind,
                                                         kinds=", ".join(DEFAULT_YEARS)))
        if int(n) > MAX_YEARS:
            raise BadSchedules(_("Years must be between {low} and {high}.").format(
                low=0, high=MAX_YEARS))
        years[kind] = int(n)
    return years


@dataclasses.dataclass(frozen=True)
class Hold:
    client_id: str
    reason: str
    by: str
    at: dt.datetime


def holds(vault: Vault) -> dict[str, Hold]:
    stored: dict[str, Any] = vault.settings.get(HOLDS_KEY, {}) or {}
    return {cid: Hold(cid, str(h.get("reason", "")), str(h.get("by", "")),
                      dt.datetime.fromisoformat(h["at"])) for cid, h in stored.items()}


def place_hold(vault: Vault, client_id: str, reason: str, *, by: str | None = None,
               now: dt.datetime | None = None) -> Hold:
    """Nothing of this client is due while held (a dispute, an inquiry, a request)."""
    from counsel.domain import Client

    if not reason.strip():
        raise ValidationError("reason", _("is required"))
    vault.get_typed(Client, client_id)  # RecordNotFound for an unknown client
    hold = Hold(client_id, reason.strip(), by or vault.audit.person(),
                now or dt.datetime.now(dt.UTC))
    stored = dict(vault.settings.get(HOLDS_KEY, {}) or {})
    stored[client_id] = {"reason": hold.reason, "by": hold.by, "at": hold.at.isoformat()}
    vault.settings.set(HOLDS_KEY, stored)
    vault.audit.record("edit", client_id=client_id, record_kind="retention",
                       detail="legal hold placed")  # the reason may name people: not here
    return hold


def release_hold(vault: Vault, client_id: str) -> bool:
    stored = dict(vault.settings.get(HOLDS_KEY, {}) or {})
    if stored.pop(client_id, None) is None:
        return False
    vault.settings.set(HOLDS_KEY, stored)
    vault.audit.record("edit", client_id=client_id, record_kind="retention",
                       detail="legal hold released")
    return True


# -- the review queue ---------------------------------------------------------------------
@dataclasses.dataclass(frozen=True)
class Due:
    """One client in the review queue: the whole client, or some kinds of their records."""

    client_id: str
    ended: dt.date
    whole: bool  # every kind they have is due: erase the client
    due: Mapping[str, int]  # kind → current records due
    kept: Mapping[str, int]  # kind → current records not yet due

    @property
    def pseudonym(self) -> str:
        return pseudonym(self.client_id)

    @property
    def count(self) -> int:
        return sum(self.due.values())


def _years_before(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


def due(vault: Vault, today: dt.date | None = None) -> list[Due]:
    """What is due on ``today``, oldest end first; clients on hold are never due."""
    today = today or dt.date.today()
    years = schedules(vault)
    last_end = {kind: _years_before(today, n).isoformat() for kind, n in years.items()}
    rows = vault.retention.ended_counts(last_end, holds(vault))
    grouped: dict[str, tuple[str, dict[str, int], dict[str, int]]] = {}
    for client, ended, kind, n, is_due in rows:
        _end, due_kinds, kept = grouped.setdefault(client, (ended, {}, {}))
        (due_kinds if is_due else kept)[kind] = n
    out = []
    for cid, (ended, due_kinds, kept) in grouped.items():
        whole = not kept and "client" in due_kinds
        if not whole:  # the profile goes with the client as a whole, never before the rest
            due_kinds.pop("client", None)
        if due_kinds:
            out.append(Due(cid, dt.date.fromisoformat(ended), whole, due_kinds, kept))
    return out


# -- erasure from the queue -----------------------------------------------------------------
@dataclasses.dataclass(frozen=True)
class Destruction:
    """What was destroyed: kinds and counts, never content or a name."""

    client_id: str
    pseudonym: str
    whole: bool
    counts: Mapping[str, int]
    ended: dt.date
    at: dt.datetime
    by: str
    schedules: Mapping[str, int]


class NotDue(KnownError):
    help_text = N_("Only what the retention review lists as due can be erased from it.")


def erase_due(vault: Vault, client_id: str, *, today: dt.date | None = None,
              now: dt.datetime | None = None,
              keep_record: Callable[[Destruction], None] | None = None) -> Destruction:
    """Erase what is due of one client, in one step, checked again against the schedules
    and holds of this moment.  The whole client → ``vault.erase_client``; some kinds →
    ``vault.delete`` of each due record.  ``keep_record`` gets the destruction record
    *before* anything is erased (a record that cannot be written stops the erasure)."""
    item = next((d for d in due(vault, today) if d.client_id == client_id), None)
    if item is None:
        raise NotDue(_("Nothing of client {id} is due for erasure.").format(
            id=pseudonym(client_id)))
    done = Destruction(client_id, item.pseudonym, item.whole, dict(item.due), item.ended,
                       now or dt.datetime.now(dt.UTC), vault.audit.person(), schedules(vault))
    if keep_record is not None:
        keep_record(done)
    if item.whole:
        from counsel.records.erasure_traces import erase_client

        erase_client(vault, client_id)  # the client and their derived traces
    else:
        for record_id in vault.retention.record_ids(client_id, item.due):
            vault.delete(record_id)
        for kind, n in sorted(item.due.items()):
            vault.audit.record("erase", client_id=client_id, record_kind=kind,
                               detail=f"retention: {n}")
    return done
