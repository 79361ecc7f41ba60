"""ISCO-08 occupation groups shipped as data (``data/isco08.csv``), with titles in
every interface language: Finnish, Swedish, English and Arabic (Arabic: working
translations, not yet checked by a qualified translator).  A language without titles
shows the English one."""

from __future__ import annotations

import csv
import functools
import io
from importlib import resources

from counsel.i18n import current_language

_TITLE_LANGS = ("fi", "sv", "en", "ar")


@functools.cache
def _table() -> dict[str, dict[str, str]]:
    text = resources.files("counsel.path").joinpath("data/isco08.csv").read_text("utf-8")
    lines = [ln for ln in text.splitlines() if ln and not ln.startswith("#")]
    rows = csv.DictReader(io.StringIO("\n".join(lines)))
    return {r["code"]: {k: r[k] for k in _TITLE_LANGS} for r in rows}


def codes() -> list[str]:
    """Every code in the list, groups before their members."""
    return sorted(_table(), key=lambda c: (c[0], len(c) > 1, c))


def unit_groups() -> list[str]:
    return [c for c in codes() if len(c) == 4]


def known(code: str) -> bool:
    return code in _table() or (len(code) == 4 and code.isdigit() and code[:2] in _table())


def title(code: str, lang: str | None = None) -> str:
    """The title of ``code`` (or of its nearest listed group) in ``lang``."""
    lang = (lang or current_language()).split("_")[0]
    key = lang if lang in _TITLE_LANGS else "en"
    table = _table()
    for prefix in (code, code[:3], code[:2], code[:1]):
        if prefix in table:
            text = table[prefix][key]
            return text if prefix == code else f"{code} ({text})"
    return code


def label(code: str, lang: str | None = None) -> str:
    return f"{code} {title(code, lang)}" if code else ""


def relation(have: str, want: str) -> str | None:
    """"exact" when the codes are the same unit, "related" when they share the sub-major
    group (first two digits), else None.  A group code matches any member of it."""
    if not have or not want:
        return None
    if have == want or (len(want) < 4 and have.startswith(want)):
        return "exact"
    if len(have) >= 2 and len(want) >= 2 and have[:2] == want[:2]:
        return "related"
    return None
