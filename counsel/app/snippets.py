"""Reusable text snippets: the advice a counsellor writes again and again.

Kept in the vault's settings (encrypted, synced between the counsellor's devices),
one list per interface language, so a counsellor who works in Swedish has Swedish
snippets.  Until the counsellor saves their own, a few starter snippets in the
interface language are offered.  Snippets are text only: never client data by design
(a placeholder like "[date]" is filled in by hand).
"""

from __future__ import annotations

import dataclasses
from typing import TYPE_CHECKING, Any

from counsel.i18n import N_, current_language, gettext
from counsel.vault.textnorm import normalize

if TYPE_CHECKING:
    from counsel.vault.service import Vault

MAX_SNIPPETS = 200
MAX_TEXT = 4000

STARTERS = (
    (N_("Housing allowance"), N_("Advised to apply for general housing allowance from Kela "
                                 "online or at the Kela office; bring the rental agreement.")),
    (N_("Language course"), N_("Told about integration training (Finnish or Swedish) and how "
                               "to sign up; the course starts after the skills assessment.")),
    (N_("Interpreter"), N_("An interpreter is booked for the next appointment; the client "
                           "can ask for one at any authority free of charge.")),
)


@dataclasses.dataclass(frozen=True)
class Snippet:
    title: str
    text: str


def settings_key(lang: str | None = None) -> str:
    return f"snippets.{lang or current_language()}"


def starters() -> list[Snippet]:
    return [Snippet(gettext(t), gettext(x)) for t, x in STARTERS]


def load(vault: Vault, lang: str | None = None) -> list[Snippet]:
    raw: Any = vault.settings.get(settings_key(lang))
    if not isinstance(raw, list):
        return starters()
    out = []
    for item in raw[:MAX_SNIPPETS]:
        if isinstance(item, dict) and isinstance(item.get("title"), str) \
                and isinstance(item.get("text"), str):
            out.append(Snippet(item["title"], item["text"][:MAX_TEXT]))
    return out


def save(vault: Vault, snippets: list[Snippet], lang: str | None = None) -> None:
    vault.settings.set(settings_key(lang), [
        {"title": s.title.strip(), "text": s.text[:MAX_TEXT]}
        for s in snippets[:MAX_SNIPPETS] if s.title.strip() or s.text.strip()])


def matching(snippets: list[Snippet], query: str) -> list[Snippet]:
    """Snippets whose title or text holds every typed word (accents, case ignored)."""
    words = normalize(query).split()
    return [s for s in snippets
            if all(w in normalize(f"{s.title} {s.text}") for w in words)]
