"""Pseudo-localisation: long, accented and mirrored strings to find clipped layouts.

``--lang pseudo`` runs the interface with every message passed through
:func:`pseudo`: ASCII letters become accented look-alikes (still readable), the text
grows by about 40 % (German and Finnish run long) and is wrapped in brackets so a cut
end is visible.  The app also mirrors the layout in this mode, like an RTL language.
Placeholders (``{name}``, ``%s``, ``%(n)d``) and ``&`` mnemonics stay intact.
"""

from __future__ import annotations

import gettext as _gettext
import re

_ACCENTED = str.maketrans(
    "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ",
    "àƀçđéƒĝĥîĵķĺɱñöþǫŕšţûṽŵẋýžÀßÇĐÉƑĜĤÎĴĶĹṀÑÖÞǪŔŠŢÛṼŴẊÝŽ",
)
_PLACEHOLDER = re.compile(r"(\{[^{}]*\}|%\([a-z_]+\)[sdif]|%[sdif]|<[^>]+>|&&|&)")
PADDING = "·~"
GROWTH = 0.4


def pseudo(message: str) -> str:
    if not message:
        return message
    parts = _PLACEHOLDER.split(message)
    out = []
    for i, part in enumerate(parts):
        out.append(part if i % 2 else part.translate(_ACCENTED))
    text = "".join(out)
    letters = sum(1 for c in message if c.isalpha())
    pad = max(1, round(letters * GROWTH))
    extra = (PADDING * pad)[:pad]
    return f"[{text}{extra}]"


class PseudoTranslations(_gettext.NullTranslations):
    """A catalog that pseudo-localises every message (install via counsel.i18n)."""

    def gettext(self, message: str) -> str:
        return pseudo(message)

    def ngettext(self, msgid1: str, msgid2: str, n: int) -> str:
        return pseudo(msgid1 if n == 1 else msgid2)

    def pgettext(self, context: str, message: str) -> str:
        return pseudo(message)

    def npgettext(self, context: str, msgid1: str, msgid2: str, n: int) -> str:
        return pseudo(msgid1 if n == 1 else msgid2)


def install(lang: str = "pseudo", domain: str = "counsel") -> None:
    """Make ``counsel.i18n`` answer ``lang`` with pseudo-localised text (until
    ``counsel.i18n.clear_cache``)."""
    from counsel import i18n

    i18n.register_catalog(lang, domain, PseudoTranslations())
