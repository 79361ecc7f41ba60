"""Search in what was written in encounters, with the matching words marked.

The vault's full-text index finds the encounters (any script, accents and Arabic
letter variants folded, see ``textnorm``); this module cuts the passage around the
first match out of the note and marks every matching word, in the original spelling.
Matching is on the same normalised text as the index: each character of the note is
normalised on its own, so a position in the normalised text maps back to the note.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import TYPE_CHECKING

from counsel.domain import Client, Encounter
from counsel.errors import RecordNotFound
from counsel.vault.textnorm import normalize, tokens

if TYPE_CHECKING:
    from counsel.vault.service import Vault

CONTEXT = 60  # characters of note shown before and after the first match


@dataclasses.dataclass(frozen=True)
class NoteHit:
    encounter_id: str
    client_id: str
    client_name: str
    date: dt.date
    parts: tuple[tuple[str, bool], ...]  # (text, is_match) in reading order


def _normalised_with_map(text: str) -> tuple[str, list[int]]:
    out: list[str] = []
    where: list[int] = []
    for i, ch in enumerate(text):
        n = normalize(ch)
        out.append(n)
        where.extend([i] * len(n))
    return "".join(out), where


def marked(text: str, query: str, context: int = CONTEXT) -> tuple[tuple[str, bool], ...]:
    """The passage of ``text`` around the first match of ``query``, split into
    (text, is_match) parts; every word starting with a query word is a match."""
    words = tokens(query)
    if not words or not text:
        return ((text[: 2 * context], False),) if text else ()
    norm, where = _normalised_with_map(text)
    spans: list[tuple[int, int]] = []
    i = 0
    while i < len(norm):
        if (i == 0 or not norm[i - 1].isalnum()) and norm[i].isalnum():
            j = i
            while j < len(norm) and norm[j].isalnum():
                j += 1
            if any(norm.startswith(w, i) for w in words):
                spans.append((where[i], where[j - 1] + 1))
            i = j
        else:
            i += 1
    if not spans:
        return ((text[: 2 * context], False),)
    start = max(0, spans[0][0] - context)
    end = min(len(text), spans[0][1] + context)
    if start:
        start = text.find(" ", start) + 1 or start
    parts: list[tuple[str, bool]] = [("…", False)] if start else []
    pos = start
    for a, b in spans:
        if a < start or b > end:
            continue
        parts += [(text[pos:a], False), (text[a:b], True)]
        pos = b
    parts.append((text[pos:end] + ("…" if end < len(text) else ""), False))
    return tuple((t.replace("\n", " "), m) for t, m in parts if t)


def search_notes(vault: Vault, query: str, limit: int = 50) -> list[NoteHit]:
    hits = [h for h in vault.search(query, limit=limit * 2) if h.kind == Encounter.KIND]
    out: list[NoteHit] = []
    names: dict[str, str] = {}
    for h in hits[:limit]:
        try:
            enc = vault.get_typed(Encounter, h.record_id)
        except RecordNotFound:
            continue
        if enc.client not in names:
            try:
                names[enc.client] = vault.get_typed(Client, enc.client).display_name
            except RecordNotFound:
                names[enc.client] = ""
        out.append(NoteHit(enc.id, enc.client, names[enc.client], enc.date,
                           marked(enc.text_for_search(), query)))
    return out
