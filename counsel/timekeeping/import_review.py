"""The calendar import review: proposals the counsellor edits, then saves in one go.

Qt-free state behind the desktop review dialog.  Each event is a :class:`ReviewRow`:
its proposal (:mod:`counsel.timekeeping.matching`), whether it will be saved
(``accepted``) and whether its decision becomes a rule (``remember``).  A proposal
that is only a guess (a client's name in the title) starts not accepted: nothing the
counsellor has not seen as a decision is saved.  Events imported before are shown as
such and can never be saved again; :func:`save_review` checks that once more inside
the write, so two imports racing cannot duplicate an entry.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable, Iterable, Sequence
from typing import TYPE_CHECKING

from counsel.app.birthdates import birth_dates
from counsel.app.labels import client_labels
from counsel.domain import Channel, PartyKind, Record, WorkEntry
from counsel.i18n import gettext as _
from counsel.i18n import ngettext
from counsel.timekeeping.ics_import import ParsedCalendar, read_ics
from counsel.timekeeping.ics_scan import ImportProblem
from counsel.timekeeping.matching import Action, MatchRule, Proposal, learn, normalise, propose

if TYPE_CHECKING:
    from counsel.vault.service import Vault

def problem_counts(problems: Iterable[ImportProblem]) -> tuple[int, int]:
    """(events that could not be read, other problems: time zones, the whole file…)."""
    events = other = 0
    for p in problems:
        if p.event:
            events += 1
        else:
            other += 1
    return events, other


def problem_title(problems: Sequence[ImportProblem]) -> str:
    """The title over the list of problems, counting events only as events."""
    events, other = problem_counts(problems)
    parts = []
    if events or not other:
        parts.append(ngettext("{n} event could not be read", "{n} events could not be read",
                              events).format(n=events))
    if other:
        parts.append((ngettext("{n} other problem in the file",
                               "{n} other problems in the file", other) if events else
                      ngettext("{n} problem in the file", "{n} problems in the file",
                               other)).format(n=other))
    return "; ".join(parts)


RULES_SETTING = "timekeeping.match_rules"  # the CLI's key (counsel.timekeeping.cli)
IMPORT_PAST_DAYS = 365


@dataclasses.dataclass
class ReviewRow:
    proposal: Proposal
    accepted: bool
    already: bool  # imported before: shown, never saved again
    remember: bool = False
    decided: bool = False  # the counsellor changed it (bulk title decisions leave it alone)

    @property
    def editable(self) -> bool:
        """Whether a decision other than skip is possible (needs a duration, not a duplicate)."""
        return not self.already and self.proposal.event.minutes >= 1 and \
            self.proposal.event.minutes <= 24 * 60 and not self.proposal.event.all_day

    @property
    def title_key(self) -> str:
        return normalise(self.proposal.event.summary)


class ImportReview:
    def __init__(self, parsed: ParsedCalendar, proposals: Sequence[Proposal],
                 rules: Sequence[MatchRule], client_names: dict[str, str],
                 client_labels: dict[str, str] | None = None) -> None:
        self.parsed = parsed
        self.rules = tuple(rules)
        self.client_names = dict(client_names)
        #: the picker's and the table's label per client: name · birth date · municipality,
        #: so clients who share a name can be told apart (names only when not given)
        self.client_labels = dict(client_labels) if client_labels is not None else dict(
            client_names)
        already = _("Already imported")
        self.rows = [
            ReviewRow(p, accepted=p.confirmed and p.action is not Action.SKIP,
                      already=p.action is Action.SKIP and p.reason == already)
            for p in proposals
        ]

    @property
    def problems(self) -> tuple[ImportProblem, ...]:
        return self.parsed.problems

    @classmethod
    def load(cls, vault: Vault, data: bytes, *, today: dt.date | None = None,
             first: dt.date | None = None, last: dt.date | None = None,
             tz: dt.tzinfo | None = None, cancel: Callable[[], bool] | None = None,
             progress: Callable[[int, int], None] | None = None) -> ImportReview:
        """Read a calendar file and propose, with the vault's rules, clients and imports.

        By default the past year up to today: time not yet worked is not work time (a
        later import of the same file picks up the rest, without duplicates).
        ``cancel`` and ``progress`` are handed to :func:`read_ics` (the app's Cancel
        button and progress bar)."""
        from counsel.domain import Client
        from counsel.timekeeping.cli import load_rules

        today = today or dt.date.today()
        first = first or today - dt.timedelta(days=IMPORT_PAST_DAYS)
        last = last or today
        parsed = read_ics(data, first=first, last=last, tz=tz, cancel=cancel,
                          progress=progress)
        rules = load_rules(vault)
        # names are all matching needs: the client list's summaries, not whole records
        summaries = vault.clients("")
        clients = [Client(id=c.id, name=c.name, preferred_name=c.preferred_name)
                   for c in summaries]
        proposals = propose(parsed.events, rules, clients, imported_sources(vault))
        births = birth_dates(vault)
        labels = dict(zip([s.id for s in summaries], client_labels(
            (c.display_name, births.get(s.id), s.municipality)
            for s, c in zip(summaries, clients, strict=True)), strict=True))
        return cls(parsed, proposals, rules, {c.id: c.display_name for c in clients}, labels)

    def client_label(self, client_id: str) -> str:
        return self.client_labels.get(client_id, self.client_names.get(client_id, ""))

    # -- editing -------------------------------------------------------------------------
    def decide(self, indexes: Iterable[int], action: Action, client: str | None = None,
               party_kind: PartyKind | None = None, channel: Channel | None = None, *,
               remember: bool = False, same_title: bool = True) -> list[int]:
        """Apply a decision to rows (and, with ``same_title``, to the undecided rows of the
        same title: a weekly series is decided once).  Returns the rows changed."""
        chosen = [i for i in dict.fromkeys(indexes) if self.rows[i].editable]
        if action is not Action.VISIBLE:
            client = client if action is Action.BACKGROUND else None
        targets = list(chosen)
        if same_title:
            titles = {self.rows[i].title_key for i in chosen if self.rows[i].title_key}
            targets += [i for i, r in enumerate(self.rows)
                        if i not in chosen and r.editable and not r.decided
                        and r.title_key in titles]
        for i in targets:
            row = self.rows[i]
            row.proposal = row.proposal.decide(action, client, party_kind, channel)
            row.accepted = action is not Action.SKIP
            row.decided = row.decided or i in chosen
        for i in chosen:
            self.rows[i].remember = remember
        return sorted(targets)

    def set_accepted(self, index: int, accepted: bool) -> bool:
        """Tick or untick a row for saving; a skip or an old import cannot be ticked."""
        row = self.rows[index]
        if accepted and (not row.editable or row.proposal.action is Action.SKIP):
            return False
        if accepted and not row.proposal.confirmed:
            p = row.proposal
            row.proposal = p.decide(p.action, p.client, p.party_kind, p.channel)
        row.accepted = accepted
        return True

    # -- saving --------------------------------------------------------------------------
    def entries(self) -> list[WorkEntry]:
        """One work entry per accepted row (each calendar occurrence at most once)."""
        out: list[WorkEntry] = []
        keys: set[str] = set()
        for row in self.rows:
            if not row.accepted or row.already or row.proposal.key in keys:
                continue
            entry = row.proposal.entry()
            if entry is not None:
                keys.add(row.proposal.key)
                out.append(entry)
        return out

    def learned_rules(self) -> tuple[MatchRule, ...] | None:
        """The rules with the remembered decisions added; ``None`` if nothing to remember."""
        remembered = [r for r in self.rows if r.remember and r.editable]
        if not remembered:
            return None
        rules = self.rules
        for row in remembered:
            rules = learn(rules, row.proposal)
        return rules

    def records(self) -> list[Record]:
        """Everything to save in one write: the entries and, if changed, the rules."""
        records: list[Record] = list(self.entries())
        rules = self.learned_rules()
        if rules is not None:
            from counsel.timekeeping.rule_store import rules_records

            records += rules_records(rules, self.rules)
        return records


def imported_sources(vault: Vault) -> set[str]:
    """The dedup keys of every saved calendar import (one query, no records rebuilt)."""
    return vault.work_sources("ics:")


def save_review(vault: Vault, records: Sequence[Record]) -> int:
    """Save the review's records, dropping entries whose event is already in the vault.

    Meant to run as one storage write (the UI's write pool is serialised), so the check
    and the save see the same vault.  Returns the number of work entries saved.
    """
    existing = imported_sources(vault)
    keep = [r for r in records if not (isinstance(r, WorkEntry) and r.source in existing)]
    if keep:
        vault.save_many(keep)
    return sum(1 for r in keep if isinstance(r, WorkEntry))
