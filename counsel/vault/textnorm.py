"""Text normalisation for search: the same function for indexing and for queries.

Decomposes (NFKD) and drops combining marks and format characters, so "tyonhaku"
finds "työnhaku", Arabic vowel marks and tatweel do not matter, and a Persian word
typed with or without a zero-width non-joiner is the same word.  Arabic-script letter
variants that differ between Arabic and Persian keyboards are folded together.

Names are also written in other scripts and spelled many ways: أحمد is "Ahmad",
"Ahmed" or "Ahmet" on papers, محمد is "Mohammed" or "Muhammad".  For names the index
holds (:func:`name_terms`) the Latin transliteration (anyascii) and a phonetic key —
the consonant skeleton with the letters that Arabic-script names are transliterated
with interchangeably merged (d/t, q/k, g/j, p/b, v/f, Somali x for ḥ), vowels, hamza
and ayn dropped, doubled letters collapsed.  A query matches a word or its key
(:func:`fts_query`), so "ahmad" finds أحمد, احمد and Ahmet alike.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from anyascii import anyascii

_FOLD = str.maketrans(
    {
        "\u064a": "\u06cc",  # Arabic yeh → Farsi yeh
        "\u0649": "\u06cc",  # alef maksura → Farsi yeh
        "\u0643": "\u06a9",  # Arabic kaf → keheh
        "\u0629": "\u0647",  # teh marbuta → heh
        "\u06c0": "\u0647",  # heh with yeh above → heh
        "\u0623": "\u0627",
        "\u0625": "\u0627",
        "\u0622": "\u0627",
        "\u0671": "\u0627",  # alefs
        "\u0640": None,  # tatweel
    }
)
_TOKEN = re.compile(r"\w+", re.UNICODE)


_ARABIC = re.compile("[\u0600-\u06ff]")


# Combining marks and format characters of the scripts our clients write (Latin,
# Cyrillic, Arabic script, Ethiopic, Hebrew) plus the generic combining blocks and
# the zero-width/bidi format characters.  A small class keeps the regex fast.
_DROP_RE = re.compile(
    "[\u0300-\u036f\u0483-\u0489\u0591-\u05c7\u0610-\u061a\u061c\u064b-\u065f\u0670"
    "\u06d6-\u06dc\u06df-\u06e4\u06e7\u06e8\u06ea-\u06ed\u135d-\u135f\u1ab0-\u1aff"
    "\u1dc0-\u1dff\u200b-\u200f\u202a-\u202e\u2060-\u2064\u20d0-\u20ff\ufe20-\ufe2f"
    "\ufeff]+"
)


def _normalize_full(text: str) -> str:
    folded = _DROP_RE.sub("", unicodedata.normalize("NFKD", text))
    if _ARABIC.search(folded):
        folded = folded.translate(_FOLD)
    return folded.casefold()


def _latin1_table() -> tuple[bytes, bytes]:
    """For Latin-1 text: a byte table giving each character's normalised form where that
    is one Latin-1 character (ä → a, Ö → o, ´ → space), and the bytes that are not
    (ß → ss, ½ → 1⁄2, µ → μ).  Decomposing a Latin-1 character only adds combining marks
    that are dropped, and casefolding works character by character, so for text of the
    table's characters normalising each character alone gives the same result."""
    table, special = bytearray(range(256)), bytearray()
    for b in range(256):
        out = _normalize_full(chr(b))
        if len(out) == 1 and ord(out) < 256:
            table[b] = ord(out)
        else:
            special.append(b)
    return bytes(table), bytes(special)


_LATIN1, _LATIN1_SPECIAL = _latin1_table()


def normalize(text: str) -> str:
    if text.isascii():
        return text.casefold()
    try:
        raw = text.encode("latin-1")
    except UnicodeEncodeError:
        return _normalize_full(text)
    # Finnish and Swedish notes: a byte table instead of NFKD, a regex and casefold (~15×
    # faster on a note; a working-set rebuild normalises every note of the vault)
    if len(raw.translate(None, _LATIN1_SPECIAL)) != len(raw):
        return _normalize_full(text)
    return raw.translate(_LATIN1).decode("latin-1")


def tokens(text: str) -> list[str]:
    return _TOKEN.findall(normalize(text))


#: phonetic keys are indexed as words with this prefix (no real word starts so)
KEY_PREFIX = "qz"
_MERGE = str.maketrans({"d": "t", "q": "k", "g": "j", "p": "b", "v": "f", "x": "h",
                        "z": "s", "c": "k"})
_VOWELS = re.compile(r"[aeiouyw'`\W\d_]+")
_REPEAT = re.compile(r"(.)\1+")


@lru_cache(maxsize=4096)
def phonetic_key(word: str) -> str:
    """The consonant skeleton of a name (any script): Ahmad, Ahmed, Ahmet, أحمد → "hmt"."""
    latin = anyascii(word).lower()
    skeleton = _VOWELS.sub("", latin.translate(_MERGE))
    return _REPEAT.sub(r"\1", skeleton)


def name_terms(name: str) -> str:
    """Extra index words for a name: transliterations and phonetic keys."""
    terms: list[str] = []
    for tok in tokens(name):
        latin = tokens(anyascii(tok))
        terms.extend(t for t in latin if t != tok)
        key = phonetic_key(tok)
        if len(key) >= 2:
            terms.append(KEY_PREFIX + key)
    return " ".join(dict.fromkeys(terms))


def fts_query(text: str) -> str | None:
    """A safe FTS5 MATCH expression: every token must match as a prefix — the word
    itself or, for names, its phonetic key (see :func:`name_terms`)."""
    toks = tokens(text)[:12]
    if not toks:
        return None
    parts = []
    for t in toks:
        key = phonetic_key(t)
        if len(key) >= 2 and not t.isdigit():
            parts.append(f'("{t}"* OR "{KEY_PREFIX}{key}"*)')
        else:
            parts.append(f'"{t}"*')
    return " AND ".join(parts)
