"""Proposals for imported calendar events, and the rules the counsellor confirmed.

Each event becomes a :class:`Proposal`: a visible appointment with a client,
background work, or skipped.  Nothing is saved here: the counsellor reviews the batch
(changing any proposal with :meth:`Proposal.decide`), the caller turns the accepted
ones into work entries with :func:`accepted_entries` and saves them.

Rules are remembered decisions ("events called 'Amina weekly' are appointments with
this client").  They are a plain frozen list the caller persists (encrypted, in the
vault settings) through :func:`rules_to_json` / :func:`rules_from_json`.  The most
specific matching rule wins (an exact match before a substring match, then the longer
pattern, then the earlier rule).  Without a rule, a client's name in the event title
is only a *suggestion* (``confirmed`` is false) so the UI can ask once and learn a rule.
"""

from __future__ import annotations

import dataclasses
import json
import re
import unicodedata
from collections.abc import Iterable, Sequence
from enum import StrEnum
from typing import Any

from counsel.domain import Channel, Client, PartyKind, WorkEntry, WorkKind, new_id
from counsel.domain.base import require_id, require_text
from counsel.errors import ValidationError
from counsel.i18n import gettext as _
from counsel.timekeeping.ics_import import CalendarEvent

RULES_VERSION = 1


class Action(StrEnum):
    VISIBLE = "visible"
    BACKGROUND = "background"
    SKIP = "skip"


class MatchField(StrEnum):
    SUMMARY = "summary"
    LOCATION = "location"
    ATTENDEE = "attendee"
    ANY = "any"


@dataclasses.dataclass(frozen=True, kw_only=True)
class MatchRule:
    pattern: str
    action: Action
    field: MatchField = MatchField.SUMMARY
    exact: bool = False  # whole-field match instead of "contains"
    client: str | None = None
    party_kind: PartyKind | None = None
    channel: Channel | None = None
    id: str = dataclasses.field(default_factory=new_id)

    def __post_init__(self) -> None:
        require_id("id", self.id)
        require_text("pattern", self.pattern, required=True, single_line=True, max_len=200)
        require_id("client", self.client, optional=True)
        if not isinstance(self.action, Action) or not isinstance(self.field, MatchField):
            raise ValidationError("action", _("has an unknown value"))
        if self.party_kind is not None and not isinstance(self.party_kind, PartyKind):
            raise ValidationError("party_kind", _("has an unknown value"))
        if self.channel is not None and not isinstance(self.channel, Channel):
            raise ValidationError("channel", _("has an unknown value"))

    def matches(self, event: CalendarEvent) -> bool:
        want = normalise(self.pattern)
        for value in _fields(event, self.field):
            got = normalise(value)
            if (got == want) if self.exact else (want in got):
                return True
        return False


def normalise(text: str) -> str:
    return " ".join(unicodedata.normalize("NFKC", text).casefold().split())


def _fields(event: CalendarEvent, field: MatchField) -> list[str]:
    if field is MatchField.SUMMARY:
        return [event.summary]
    if field is MatchField.LOCATION:
        return [event.location]
    if field is MatchField.ATTENDEE:
        return list(event.attendees)
    return [event.summary, event.location, *event.attendees]


def best_rule(rules: Sequence[MatchRule], event: CalendarEvent) -> MatchRule | None:
    hits = [(i, r) for i, r in enumerate(rules) if r.matches(event)]
    if not hits:
        return None
    return min(hits, key=lambda h: (not h[1].exact, -len(h[1].pattern), h[0]))[1]


def rules_to_json(rules: Iterable[MatchRule]) -> str:
    items = [
        {k: (v.value if isinstance(v, StrEnum) else v)
         for k, v in dataclasses.asdict(r).items()}
        for r in rules
    ]
    return json.dumps({"version": RULES_VERSION, "rules": items}, ensure_ascii=False)


def rules_from_json(text: str) -> tuple[MatchRule, ...]:
    """The rules saved by :func:`rules_to_json`; a damaged value raises ValidationError."""
    try:
        data: Any = json.loads(text)
        items = data["rules"]
        return tuple(
            MatchRule(
                id=d["id"], pattern=d["pattern"], action=Action(d["action"]),
                field=MatchField(d.get("field", "summary")), exact=bool(d.get("exact", False)),
                client=d.get("client"),
                party_kind=PartyKind(d["party_kind"]) if d.get("party_kind") else None,
                channel=Channel(d["channel"]) if d.get("channel") else None,
            )
            for d in items
        )
    except ValidationError:
        raise
    except (ValueError, KeyError, TypeError) as exc:
        raise ValidationError("rules", _("has a damaged value")) from exc


@dataclasses.dataclass(frozen=True)
class Proposal:
    event: CalendarEvent
    action: Action
    client: str | None = None
    party_kind: PartyKind | None = None
    channel: Channel = Channel.MEETING
    rule: str | None = None  # id of the rule that decided it
    confirmed: bool = True  # False: a guess the counsellor should confirm
    reason: str = ""  # translated, shown in the review list

    @property
    def key(self) -> str:
        return self.event.key

    def decide(self, action: Action, client: str | None = None,
               party_kind: PartyKind | None = None, channel: Channel | None = None) -> Proposal:
        """The counsellor's decision for this event (replaces the proposal)."""
        if action is not Action.SKIP and self.event.minutes < 1:
            raise ValidationError("minutes", _("the event has no duration to record"))
        return dataclasses.replace(
            self, action=action, client=client, party_kind=party_kind,
            channel=channel or self.channel, confirmed=True, reason=_("Your decision"))

    def entry(self) -> WorkEntry | None:
        if self.action is Action.SKIP:
            return None
        ev = self.event
        return WorkEntry(
            kind=WorkKind.VISIBLE if self.action is Action.VISIBLE else WorkKind.BACKGROUND,
            date=ev.day, start=ev.start, minutes=ev.minutes, client=self.client,
            party_kind=self.party_kind, channel=self.channel, what=ev.summary[:200],
            source=ev.key,
        )

    def line(self) -> str:
        """One line for a dry run: date, time, length, decision, title."""
        ev = self.event
        when = f"{ev.day.isoformat()} {ev.start.strftime('%H:%M') if ev.start else '--:--'}"
        who = f" client={self.client}" if self.client else ""
        guess = "?" if not self.confirmed else ""
        return (f"{when} {ev.minutes:>4}min {self.action.value}{guess}{who} "
                f"{ev.summary!r} [{self.reason}] {ev.key}")


_VIDEO = re.compile(r"teams|zoom|meet\.google|webex|whereby|video", re.I)
_PHONE = re.compile(r"phone|puhelin|puh\.|telefon|soitto", re.I)
_CANCELLED = re.compile(r"^\s*(cancel+ed|peruttu|peruutettu|inställt|abgesagt)\s*:", re.I)


def guess_channel(event: CalendarEvent) -> Channel:
    text = f"{event.location} {event.summary}"
    if _VIDEO.search(text):
        return Channel.VIDEO
    if _PHONE.search(text):
        return Channel.PHONE
    return Channel.MEETING


def _name_hits(clients: Sequence[Client], event: CalendarEvent) -> list[str]:
    words = set(re.findall(r"\w+", normalise(event.summary)))
    hits = []
    for c in clients:
        for name in (c.name, c.preferred_name):
            tokens = re.findall(r"\w+", normalise(name))
            if tokens and all(t in words for t in tokens):
                hits.append(c.id)
                break
    return hits


def propose(events: Iterable[CalendarEvent], rules: Sequence[MatchRule] = (),
            clients: Sequence[Client] = (), existing_sources: Iterable[str] = ()) -> list[Proposal]:
    """A proposal for every event; duplicates of earlier imports are skipped."""
    seen = set(existing_sources)
    out: list[Proposal] = []
    for ev in events:
        channel = guess_channel(ev)
        if ev.key in seen:
            out.append(Proposal(ev, Action.SKIP, reason=_("Already imported")))
            continue
        seen.add(ev.key)
        if ev.cancelled or _CANCELLED.match(ev.summary):
            out.append(Proposal(ev, Action.SKIP, reason=_("Cancelled")))
            continue
        if ev.all_day:
            out.append(Proposal(ev, Action.SKIP, reason=_("All-day event")))
            continue
        if ev.minutes < 1:
            out.append(Proposal(ev, Action.SKIP, reason=_("No duration")))
            continue
        if ev.minutes > 24 * 60:
            out.append(Proposal(ev, Action.SKIP, reason=_("Longer than a day")))
            continue
        rule = best_rule(rules, ev)
        if rule is not None:
            out.append(Proposal(ev, rule.action, client=rule.client, party_kind=rule.party_kind,
                                channel=rule.channel or channel, rule=rule.id,
                                reason=_("Rule: {pattern}").format(pattern=rule.pattern)))
            continue
        hits = _name_hits(clients, ev)
        if len(hits) == 1:
            out.append(Proposal(ev, Action.VISIBLE, client=hits[0], channel=channel,
                                confirmed=False, reason=_("Client's name in the title")))
        else:
            out.append(Proposal(ev, Action.SKIP, channel=channel, confirmed=False,
                                reason=_("No rule matches")))
    return out


def learn(rules: Sequence[MatchRule], proposal: Proposal) -> tuple[MatchRule, ...]:
    """Remember a confirmed decision as an exact-title rule (replacing one for that title)."""
    title = proposal.event.summary.strip()
    if not title:
        return tuple(rules)
    new = MatchRule(pattern=title, action=proposal.action, exact=True, client=proposal.client,
                    party_kind=proposal.party_kind, channel=proposal.channel)
    kept = [r for r in rules if not (r.exact and r.field is MatchField.SUMMARY
                                     and normalise(r.pattern) == normalise(title))]
    return (new, *kept)


def accepted_entries(proposals: Iterable[Proposal]) -> list[WorkEntry]:
    """Work entries for the reviewed proposals (skips left out, each key at most once)."""
    out: list[WorkEntry] = []
    keys: set[str] = set()
    for p in proposals:
        entry = p.entry()
        if entry is not None and p.key not in keys:
            keys.add(p.key)
            out.append(entry)
    return out
