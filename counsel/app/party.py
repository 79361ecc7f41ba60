"""Who the other party of a quick-logged piece of background work is — never a guess.

The quick log lets the counsellor type a few letters of a contact.  "Kela" may match
fifty Kela contacts; "kela tamp" may match none.  Picking one of the fifty, or saving
with no party at all, silently writes a wrong record.  So the typed text resolves to
exactly one of: nothing typed, one contact (an exact name, or the only contact whose
name holds every typed word), several contacts (ambiguous: the counsellor chooses),
or no contact (the text is kept with the entry, the party kind is derived from it
where a kind's name is one of its words, and the counsellor confirms).
"""

from __future__ import annotations

import dataclasses
import enum
from collections.abc import Iterable, Mapping

from counsel.domain import Contact, PartyKind
from counsel.vault.textnorm import normalize


class Match(enum.Enum):
    EMPTY = "empty"
    CONTACT = "contact"
    AMBIGUOUS = "ambiguous"
    UNKNOWN = "unknown"


@dataclasses.dataclass(frozen=True)
class PartyResolution:
    match: Match
    text: str
    contact: Contact | None = None
    candidates: int = 0  # how many contacts the text matched
    kind: PartyKind | None = None  # the contact's kind, or one derived from the text


def _words(text: str) -> list[str]:
    return normalize(text).split()


def kind_from_text(text: str, kind_labels: Mapping[PartyKind, Iterable[str]]) -> PartyKind | None:
    """The party kind whose name (in any of the given spellings) is a word of the text."""
    words = set(_words(text))
    for kind, labels in kind_labels.items():
        for label in labels:
            label_words = _words(label)
            if label_words and all(w in words for w in label_words):
                return kind
    return None


def resolve(text: str, contacts: Iterable[Contact],
            kind_labels: Mapping[PartyKind, Iterable[str]]) -> PartyResolution:
    typed = text.strip()
    if not typed:
        return PartyResolution(Match.EMPTY, "")
    wanted = normalize(typed)
    words = wanted.split()
    exact: list[Contact] = []
    partial: list[Contact] = []
    for c in contacts:
        names = (normalize(c.display_name), normalize(c.name))
        if wanted in names:
            exact.append(c)
        elif all(any(w in n for n in names) for w in words):
            partial.append(c)
    found = exact or partial
    if len(found) == 1:
        return PartyResolution(Match.CONTACT, typed, found[0], 1, found[0].party_kind)
    derived = kind_from_text(typed, kind_labels)
    if found:
        kinds = {c.party_kind for c in found}
        kind = next(iter(kinds)) if len(kinds) == 1 else derived
        return PartyResolution(Match.AMBIGUOUS, typed, None, len(found), kind)
    return PartyResolution(Match.UNKNOWN, typed, None, 0, derived)


def kind_labels() -> dict[PartyKind, tuple[str, ...]]:
    """Each kind's name in the interface language and in English (both are typed)."""
    from counsel.domain.enums import LABELS

    return {k: (k.label(), LABELS[PartyKind][k.value]) for k in PartyKind}


def what_with_party(what: str, resolution: PartyResolution) -> str:
    """The line saved for an entry whose party is no contact: the typed name is kept."""
    if resolution.match is Match.CONTACT or not resolution.text:
        return what
    return f"{resolution.text}: {what}" if what else resolution.text
