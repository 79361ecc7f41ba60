"""How strong a passphrase is, as feedback while the counsellor types one.

The estimate is zxcvbn's (pattern matching against word lists, years, dates, repeats,
sequences and keyboard runs, scored by the guesses an attacker needs), given Finnish
and Swedish names and everyday words as extra dictionary (``passphrase_words``), so a
name and a year rate weak and a phrase of several words rates well.  It never decides
alone: the vault only enforces a minimum length; this gives an honest hint and a
score 0-4.
"""

from __future__ import annotations

import dataclasses
import math
import unicodedata
from typing import Any

from counsel.app.passphrase_words import HINT_WORDS
from counsel.i18n import N_, gettext

MIN_LENGTH = 8
#: zxcvbn refuses longer input (its cost grows with the length); a longer one scores as its start
_MAX_CHECKED = 72
_LABELS = (N_("Very weak"), N_("Weak"), N_("Fair"), N_("Strong"), N_("Very strong"))


@dataclasses.dataclass(frozen=True)
class Strength:
    score: int  # 0 (very weak) .. 4 (very strong)
    bits: float  # log2 of the guesses needed
    acceptable: bool  # long enough for the vault
    hints: tuple[str, ...]  # untranslated (N_); translate on display

    @property
    def label(self) -> str:
        return gettext(_LABELS[self.score])


def _hints(text: str, result: dict[str, Any]) -> list[str]:
    hints: list[str] = []
    patterns = {m.get("pattern") for m in result.get("sequence", [])}
    dictionaries = {m.get("dictionary_name") for m in result.get("sequence", [])
                    if m.get("pattern") == "dictionary"}
    if "passwords" in dictionaries or "user_inputs" in dictionaries and len(text.split()) < 3:
        hints.append(N_("Avoid common passwords."))
    if patterns & {"repeat", "sequence"} or len(set(text.lower())) <= 3:
        hints.append(N_("Avoid repeating the same characters."))
    if len(text) < MIN_LENGTH:
        hints.append(N_("Use at least 8 characters."))
    if len(text.split()) < 3 and len(text) < 16:
        hints.append(N_("Several unrelated words are easy to remember and hard to guess."))
    return hints


def estimate(passphrase: str) -> Strength:
    text = unicodedata.normalize("NFC", passphrase)
    if not text:
        return Strength(0, 0.0, False, (N_("Type a passphrase of several words."),))
    from zxcvbn import zxcvbn  # word lists: loaded at the first keystroke, not at start

    result = zxcvbn(text[:_MAX_CHECKED], user_inputs=list(HINT_WORDS))
    # zxcvbn counts a space as an unknown character: "salasana salasana" would pass as
    # strong.  Without the spaces its repeat and word patterns show; take the weaker.
    joined = "".join(text.split())[:_MAX_CHECKED]
    if joined != text[:_MAX_CHECKED] and joined:
        squeezed = zxcvbn(joined, user_inputs=list(HINT_WORDS))
        if squeezed["guesses_log10"] < result["guesses_log10"]:
            result = squeezed
    score = int(result["score"])
    bits = round(float(result["guesses_log10"]) * math.log2(10), 1)
    acceptable = len(text) >= MIN_LENGTH
    if not acceptable:
        score = min(score, 1)
    return Strength(score, bits, acceptable, tuple(_hints(text, result)))
