"""One line about an encounter for the client's list, and what was agreed and is open.

The list showed "date · minutes · place": a counsellor looking for "when did we talk
about the housing allowance" had to open encounter after encounter.  The summary is
the first line the counsellor wrote (the client's situation, else the next step, else
the notes), cut at a word; the open agreed actions follow, each with its due date.
"""

from __future__ import annotations

from counsel.app.labels import isolate
from counsel.domain import Encounter
from counsel.i18n import display

MAX_SUMMARY = 90


def summary_line(enc: Encounter, limit: int = MAX_SUMMARY) -> str:
    """The first line written, cut at a word, as an isolate: in the Arabic interface a
    Finnish line keeps its own direction (its "…" at its end, not before it)."""
    for text in (enc.situation, enc.next_step, enc.resources, enc.notes):
        line = next((ln.strip() for ln in text.splitlines() if ln.strip()), "")
        if line:
            if len(line) <= limit:
                return isolate(line)
            cut = line[:limit].rsplit(" ", 1)[0] or line[:limit]
            return isolate(cut.rstrip(" ,.;:") + "…")
    return ""


def open_actions(enc: Encounter) -> list[str]:
    """The agreed actions not yet done: "what (who · due date)", each typed text and the
    date an isolate so they keep their order in either interface direction."""
    out = []
    for a in enc.actions:
        if a.done:
            continue
        extra = " · ".join(isolate(x) for x in (a.who, display.date(a.due) if a.due else "")
                           if x)
        out.append(f"{isolate(a.what)} ({extra})" if extra else isolate(a.what))
    return out
