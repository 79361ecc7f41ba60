"""The audit trail as a data-protection officer reads it: filters, rows, CSV.

Entries come from ``vault.audit.entries()`` (every device's, as synced); the chain's state
from ``vault.audit.verify()``.  Nothing here writes; the CLI (``counsel audit``) and the
viewer (counsel_ui.audit.page) show the same rows.
"""

from __future__ import annotations

import csv
import dataclasses
import datetime as dt
import io
from collections.abc import Iterable, Sequence

from counsel.domain.audit import ACTIONS, AuditEntry
from counsel.i18n import N_, ngettext
from counsel.i18n import gettext as _
from counsel.records.auditchain import ChainState

#: Every kind of entry, in the order filters list them.
KINDS = tuple(ACTIONS)


@dataclasses.dataclass(frozen=True)
class Filter:
    client: str | None = None
    person: str | None = None
    kind: str | None = None
    since: dt.date | None = None
    until: dt.date | None = None  # included

    def keeps(self, e: AuditEntry) -> bool:
        day = e.at.date()
        return ((self.client is None or e.client == self.client)
                and (self.person is None or e.person == self.person)
                and (self.kind is None or e.action == self.kind)
                and (self.since is None or day >= self.since)
                and (self.until is None or day <= self.until))


def select(entries: Iterable[AuditEntry], flt: Filter = Filter()) -> list[AuditEntry]:
    """The entries kept by ``flt``, newest first."""
    return sorted((e for e in entries if flt.keeps(e)),
                  key=lambda e: (e.at, e.device, e.counter), reverse=True)


#: What an entry's ``record_kind`` names, as the viewer shows it.
RECORD_KINDS = {
    "client": N_("Client"), "encounter": N_("Encounter"), "plan": N_("Plan"),
    "work": N_("Work entry"), "reminder": N_("Reminder"), "contact": N_("Contact"),
    "report": N_("Report"), "audit": N_("Audit trail"), "consent": N_("Consent"),
    "disclosure": N_("Disclosure"), "competence": N_("Competence profile"),
    "proposal": N_("Proposal"), "employer": N_("Employer"), "role": N_("Role"),
    "retention": N_("Retention review"),
    "backup": N_("Backup"),
}


def kind_label(kind: str) -> str:
    return _(RECORD_KINDS[kind]) if kind in RECORD_KINDS else kind


def action_label(action: str) -> str:
    return _(ACTIONS[action]) if action in ACTIONS else action


HEADER = ("time_utc", "action", "person", "device", "client_id", "record_id", "record_kind",
          "detail", "device_counter", "entry_id")


def row(e: AuditEntry) -> tuple[str, ...]:
    return (e.at.isoformat(), e.action, e.person, e.device, e.client or "", e.record or "",
            e.record_kind, e.detail, str(e.counter), e.id)


def to_csv(entries: Sequence[AuditEntry], state: ChainState | None = None) -> str:
    """The DPO's export: one row per entry (ids and kinds only, no case content); the
    chain's state as a last comment-like row when given."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(HEADER)
    for e in entries:
        writer.writerow(row(e))
    if state is not None:
        writer.writerow(["# " + state_text(state)])
    return out.getvalue()


def state_text(state: ChainState) -> str:
    if state.intact:
        return ngettext("Audit trail intact: {n} entries from {d} device.",
                        "Audit trail intact: {n} entries from {d} devices.",
                        state.devices).format(n=state.entries, d=state.devices)
    first = state.breaks[0]
    where = (_("device {device}, entry {n}").format(device=first.device[:8], n=first.counter)
             if first.device else _("entry {id}").format(id=first.entry_id[:8]))
    return ngettext("Audit trail BROKEN at {where}: {reason} ({n} problem).",
                    "Audit trail BROKEN at {where}: {reason} ({n} problems).",
                    len(state.breaks)).format(where=where, reason=first.text(),
                                              n=len(state.breaks))


def to_text(entries: Sequence[AuditEntry]) -> str:
    from counsel.records.auditdetail import detail_text

    lines = []
    for e in entries:
        what = " ".join(x for x in (kind_label(e.record_kind) if e.record_kind else "",
                                    (e.record or "")[:8], detail_text(e.detail)) if x)
        lines.append(f"{e.at:%Y-%m-%d %H:%M}  {action_label(e.action):<12} {e.person:<12} "
                     f"{e.device[:8]}  {(e.client or '-')[:8]:<8}  {what}")
    return "\n".join(lines)
