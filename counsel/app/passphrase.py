"""How strong a passphrase is, as feedback while the counsellor types one.

A deliberately simple estimate (no word lists shipped): character-class entropy,
discounted for repeats, sequences and keyboard runs.  It never decides alone: the
vault only enforces a minimum length; this gives an honest hint and a score 0-4.
"""

from __future__ import annotations

import dataclasses
import math
import unicodedata

from counsel.i18n import N_, gettext

MIN_LENGTH = 8
_LABELS = (N_("Very weak"), N_("Weak"), N_("Fair"), N_("Strong"), N_("Very strong"))
_SEQUENCES = ("abcdefghijklmnopqrstuvwxyz", "0123456789", "qwertyuiop", "asdfghjkl",
              "zxcvbnm", "qwertzuiop", "azertyuiop")
_COMMON = frozenset({"password", "salasana", "lösenord", "passord", "qwerty", "letmein",
                     "welcome", "admin", "counsel", "iloveyou", "monkey", "dragon"})


@dataclasses.dataclass(frozen=True)
class Strength:
    score: int  # 0 (very weak) .. 4 (very strong)
    bits: float
    acceptable: bool  # long enough for the vault
    hints: tuple[str, ...]  # untranslated (N_); translate on display

    @property
    def label(self) -> str:
        return gettext(_LABELS[self.score])


def _pool(text: str) -> int:
    pool = 0
    if any(c.islower() and c.isascii() for c in text):
        pool += 26
    if any(c.isupper() and c.isascii() for c in text):
        pool += 26
    if any(c.isdigit() for c in text):
        pool += 10
    if any(c == " " for c in text):
        pool += 1
    if any(not c.isalnum() and c.isascii() and c != " " for c in text):
        pool += 32
    if any(not c.isascii() for c in text):
        pool += 100  # letters beyond ASCII (ä, ö, Arabic …) widen the alphabet
    return max(pool, 1)


def _effective_length(text: str) -> float:
    """Length after discounting repeated characters and runs of a sequence."""
    low = text.lower()
    length = 0.0
    for i, ch in enumerate(low):
        if i and ch == low[i - 1]:
            length += 0.25
        elif i and any(low[i - 1:i + 1] in seq or low[i - 1:i + 1] in seq[::-1]
                       for seq in _SEQUENCES):
            length += 0.35
        else:
            length += 1.0
    return length


def estimate(passphrase: str) -> Strength:
    text = unicodedata.normalize("NFC", passphrase)
    hints: list[str] = []
    if not text:
        return Strength(0, 0.0, False, (N_("Type a passphrase of several words."),))
    bits = _effective_length(text) * math.log2(_pool(text))
    words = [w for w in text.replace("-", " ").split() if w]
    if text.lower().strip() in _COMMON or any(w.lower() in _COMMON for w in words):
        bits = min(bits, 10.0)
        hints.append(N_("Avoid common passwords."))
    if len(set(text.lower())) <= 3:
        bits = min(bits, 12.0)
        hints.append(N_("Avoid repeating the same characters."))
    acceptable = len(text) >= MIN_LENGTH
    if not acceptable:
        hints.append(N_("Use at least 8 characters."))
    if len(words) < 3 and len(text) < 16:
        hints.append(N_("Several unrelated words are easy to remember and hard to guess."))
    score = 0 if bits < 28 else 1 if bits < 40 else 2 if bits < 60 else 3 if bits < 80 else 4
    if not acceptable:
        score = min(score, 1)
    return Strength(score, round(bits, 1), acceptable, tuple(hints))
