"""Text normalisation for search: the same function for indexing and for queries.

Decomposes (NFKD) and drops combining marks and format characters, so "tyonhaku"
finds "työnhaku", Arabic vowel marks and tatweel do not matter, and a Persian word
typed with or without a zero-width non-joiner is the same word.  Arabic-script letter
variants that differ between Arabic and Persian keyboards are folded together.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

_FOLD = str.maketrans({
    "\u064a": "\u06cc",  # Arabic yeh → Farsi yeh
    "\u0649": "\u06cc",  # alef maksura → Farsi yeh
    "\u0643": "\u06a9",  # Arabic kaf → keheh
    "\u0629": "\u0647",  # teh marbuta → heh
    "\u06c0": "\u0647",  # heh with yeh above → heh
    "\u0623": "\u0627", "\u0625": "\u0627", "\u0622": "\u0627", "\u0671": "\u0627",  # alefs
    "\u0640": None,  # tatweel
})
_DROP = {"Mn", "Me", "Cf"}
_TOKEN = re.compile(r"\w+", re.UNICODE)


@lru_cache(maxsize=4096)
def _fold_char(ch: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKD", ch)
                   if unicodedata.category(c) not in _DROP)


def normalize(text: str) -> str:
    if text.isascii():
        return text.casefold()
    return "".join(_fold_char(ch) for ch in text).translate(_FOLD).casefold()


def tokens(text: str) -> list[str]:
    return _TOKEN.findall(normalize(text))


def fts_query(text: str) -> str | None:
    """A safe FTS5 MATCH expression: every token must match as a prefix."""
    toks = tokens(text)[:12]
    if not toks:
        return None
    return " AND ".join(f'"{t}"*' for t in toks)
