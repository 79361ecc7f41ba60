"""Translations, locales and text direction.

Explicit wrappers in the style of Picard: import ``gettext as _`` (and ``N_``,
``ngettext``, ``pgettext``) where they are used; nothing is put into builtins.

Two gettext domains: ``counsel`` (the counsellor's interface, messages, errors) and
``plans`` (texts printed for clients: plan sections, measures, appointment cards).
Catalogs live in ``locales/<lang>/LC_MESSAGES/<domain>.po``; installed builds ship
compiled ``.mo`` files in ``counsel/locale``.  In a source checkout without compiled
files the ``.po`` is compiled in memory on first use, so a fresh clone just works.
"""

from __future__ import annotations

import gettext as _gettext
import io
import threading
from collections.abc import Iterable
from pathlib import Path

DOMAINS = ("counsel", "plans")

#: The languages the counsellor's interface offers (others may be partial).
UI_LANGUAGES = ("fi", "sv", "en", "ar")
#: The languages plans and appointment cards are printed in (DOMAIN.md).
CLIENT_LANGUAGES = ("fi", "sv", "en", "ar", "so", "fa", "fa_AF", "ckb", "ru", "uk", "ti", "et")
RTL_LANGUAGES = frozenset({"ar", "fa", "fa_AF", "ckb", "ps", "ur", "he"})

_PACKAGE_LOCALE = Path(__file__).parent.parent / "locale"
_SOURCE_LOCALES = Path(__file__).parents[2] / "locales"

_lock = threading.Lock()
_cache: dict[tuple[str, str], _gettext.NullTranslations] = {}
_current = {"lang": "en"}


def N_(message: str) -> str:  # noqa: N802 - the conventional name
    """Mark a string for extraction without translating it (module-level constants)."""
    return message


def normalize(lang: str) -> str:
    """``fa-AF``/``fa_af`` → ``fa_AF``; ``prs`` (ISO 639-3 Dari) → ``fa_AF``."""
    lang = lang.strip().replace("-", "_")
    if lang.lower() == "prs":
        return "fa_AF"
    if "_" in lang:
        base, region = lang.split("_", 1)
        return f"{base.lower()}_{region.upper()}"
    return lang.lower()


def babel_locale(lang: str) -> str:
    """The Babel/CLDR locale id for one of our language codes."""
    lang = normalize(lang)
    return {"ckb": "ckb", "ti": "ti", "so": "so"}.get(lang, lang)


def is_rtl(lang: str) -> bool:
    return normalize(lang) in RTL_LANGUAGES or normalize(lang).split("_")[0] in RTL_LANGUAGES


def _find_catalog(lang: str, domain: str) -> _gettext.NullTranslations | None:
    mo = _PACKAGE_LOCALE / lang / "LC_MESSAGES" / f"{domain}.mo"
    po = _SOURCE_LOCALES / lang / "LC_MESSAGES" / f"{domain}.po"
    # in a source checkout a .po edited after the last compile wins over the stale .mo
    if mo.is_file() and not (po.is_file() and po.stat().st_mtime > mo.stat().st_mtime):
        with mo.open("rb") as fp:
            return _gettext.GNUTranslations(fp)
    if po.is_file():
        return _gettext.GNUTranslations(io.BytesIO(compile_po(po.read_bytes(), lang)))
    return None


def compile_po(po_bytes: bytes, lang: str) -> bytes:
    """Compile a .po file's bytes to .mo bytes (fuzzy entries are left out)."""
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    catalog = read_po(io.BytesIO(po_bytes), locale=babel_locale(lang).split("_")[0])
    # An untranslated plural entry would be written with the English forms at the wrong
    # plural indices (Arabic's n=1 is index 1: "1 seconds"). Leave it out: gettext then
    # falls back to the source, with the source's own plural rule.
    for message in list(catalog):
        if message.id and isinstance(message.string, (tuple, list)) and not all(message.string):
            catalog.delete(message.id, context=message.context)
    out = io.BytesIO()
    write_mo(out, catalog, use_fuzzy=False)
    return out.getvalue()


def translations(lang: str, domain: str = "counsel") -> _gettext.NullTranslations:
    """The catalog for ``lang`` in ``domain`` (a NullTranslations when there is none).

    ``fa_AF`` falls back to ``fa`` for strings Dari does not override.
    """
    lang = normalize(lang)
    key = (lang, domain)
    with _lock:
        cached = _cache.get(key)
        if cached is not None:
            return cached
        chain: list[_gettext.NullTranslations] = []
        for candidate in _fallbacks(lang):
            cat = _find_catalog(candidate, domain)
            if cat is not None:
                chain.append(cat)
        result: _gettext.NullTranslations = chain[0] if chain else _gettext.NullTranslations()
        for extra in chain[1:]:
            result.add_fallback(extra)
        _cache[key] = result
        return result


def _fallbacks(lang: str) -> Iterable[str]:
    yield lang
    if "_" in lang:
        yield lang.split("_")[0]


def register_catalog(lang: str, domain: str, catalog: _gettext.NullTranslations) -> None:
    """Use ``catalog`` for ``lang`` in ``domain`` (the pseudo-locale, tests)."""
    with _lock:
        _cache[(normalize(lang), domain)] = catalog


def has_catalog(lang: str, domain: str = "counsel") -> bool:
    lang = normalize(lang)
    return any(_find_catalog(c, domain) is not None for c in _fallbacks(lang))


def set_language(lang: str) -> None:
    """Set the interface language of this process (the counsellor's UI)."""
    _current["lang"] = normalize(lang)


def current_language() -> str:
    return _current["lang"]


PSEUDO = "pseudo"


def real_language(lang: str | None = None) -> str:
    """``lang`` (default: the interface language) for what has no pseudo-locale — date and
    number formats, Qt's own strings, the plans catalog: the pseudo-locale reads as English."""
    lang = current_language() if lang is None else lang
    return "en" if lang == PSEUDO else lang


def format_locale() -> str:
    """The Babel locale that dates and numbers are formatted in for the interface."""
    return babel_locale(real_language())


def gettext(message: str) -> str:
    return translations(_current["lang"]).gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    return translations(_current["lang"]).ngettext(singular, plural, n)


def pgettext(context: str, message: str) -> str:
    return translations(_current["lang"]).pgettext(context, message)


_ = gettext


def clear_cache() -> None:
    """Forget loaded catalogs (tests, or after a translator edits a .po file)."""
    with _lock:
        _cache.clear()
