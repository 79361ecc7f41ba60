"""An audit entry's ``detail`` as people read it, in the interface language.

The detail is stored as the code wrote it ("pdf large_print ar", "csv report by client",
"backup 3 to x.counsel-backup"): short English tokens that are part of the entry's hash, so
they stay as they are in the entry and in the DPO's CSV.  :func:`detail_text` turns the
known shapes into translated text for the Audit trail page and ``counsel audit``; a detail
of an unknown shape (an older or newer version's) is shown as stored.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from counsel.domain.audit import SCOPES
from counsel.domain.enums import PartyKind
from counsel.i18n import N_, display, ngettext
from counsel.i18n import gettext as _

#: What ``pdf <what> [lang]`` printed or exported.
PRINTED = {
    "standard": N_("plan"),
    "large_print": N_("plan in large print"),
    "card_A6": N_("plan card (A6)"),
    "card_A4": N_("plan card (A4)"),
    "appointment card": N_("appointment card"),
    "review sheet": N_("review sheet"),
    "timeline": N_("path to work timeline"),
}

#: Details that are a fixed phrase.
FIXED = {
    "deleted": N_("deleted"),
    "deleted (conflict)": N_("deleted when a conflict was resolved"),
    "conflict resolved": N_("conflict resolved"),
    "legal hold placed": N_("legal hold placed"),
    "legal hold released": N_("legal hold released"),
    "appointment card": N_("appointment card"),
}

_FORMATS = ("pdf", "csv", "json", "zip", "xlsx", "txt")


def _fmt(token: str) -> str:
    return token.upper()


def _language(code: str) -> str:
    return display.language(code) or code


def _printed(m: re.Match[str]) -> str:
    what = _(PRINTED[m["what"]])
    if m["lang"]:
        return _("{what} (PDF, {language})").format(what=what, language=_language(m["lang"]))
    return _("{what} (PDF)").format(what=what)


def _report(fmt_token: str, by: str | None, kind: str | None) -> str:
    """The UI's ``csv report by client`` and the CLI's ``csv time report by client``."""
    fmt = _fmt(fmt_token)
    if kind in ("manager", "indicators"):
        return _("time indicators ({format})").format(format=fmt)
    if by == "client":
        return _("time report by client ({format})").format(format=fmt)
    if by == "week":
        return _("time report by week ({format})").format(format=fmt)
    if by == "month":
        return _("time report by month ({format})").format(format=fmt)
    return _("time report ({format})").format(format=fmt)


def _counted(m: re.Match[str]) -> str:
    n, fmt = int(m["n"]), _fmt(m["fmt"])
    if m["what"] == "plans":
        return ngettext("{n} plan ({format})", "{n} plans ({format})", n).format(
            n=n, format=fmt)
    if m["what"] == "audit trail":
        return ngettext("audit trail, {n} entry ({format})", "audit trail, {n} entries "
                        "({format})", n).format(n=n, format=fmt)
    return ngettext("records due for review, {n} row ({format})",
                    "records due for review, {n} rows ({format})", n).format(n=n, format=fmt)


def _subject_access(m: re.Match[str]) -> str:
    files = " + ".join(_fmt(t) for t in m["files"].split("+") if t)
    return _("subject access request: {files}").format(files=files)


def _backup(m: re.Match[str]) -> str:
    return _("backup {n} written to {file}").format(n=m["n"], file=display.isolate(m["file"]))


def _shared(m: re.Match[str]) -> str:
    party, what = m["party"], m["what"]
    if party not in {p.value for p in PartyKind} or what not in SCOPES:
        raise KeyError(party)
    return _("{what} shared with: {party}").format(what=_(SCOPES[what]),
                                                    party=PartyKind(party).label())


def _schedules(m: re.Match[str]) -> str:
    from counsel.records.audit import kind_label

    parts = []
    for item in m["items"].split():
        kind, _sep, years = item.partition("=")
        if not years.isdigit():
            raise KeyError(item)
        parts.append(ngettext("{kind} {n} year", "{kind} {n} years", int(years)).format(
            kind=kind_label(kind), n=int(years)))
    return _("retention periods changed: {changes}").format(changes=display.join(parts))


def _retention(m: re.Match[str]) -> str:
    n = int(m["n"])
    return ngettext("{n} record past its retention period", "{n} records past their "
                    "retention period", n).format(n=n)


_PRINTED = "|".join(re.escape(k) for k in sorted(PRINTED, key=len, reverse=True))
_FMT = "|".join(_FORMATS)
PATTERNS: tuple[tuple[re.Pattern[str], Callable[[re.Match[str]], str]], ...] = (
    (re.compile(rf"pdf (?P<what>{_PRINTED})(?: (?P<lang>[a-z]{{2,3}}(?:[-_][A-Za-z]+)?))?"),
     _printed),
    (re.compile(rf"(?P<fmt>{_FMT}) (?:time report by (?P<by>week|month|client)"
                rf"|(?P<kind>report|manager|indicators)(?: by (?P<by2>client))?)"),
     lambda m: _report(m["fmt"], m["by"] or m["by2"], m["kind"])),
    (re.compile(rf"(?P<fmt>{_FMT}) (?P<what>plans|audit trail|retention due) \((?P<n>\d+)\)"),
     _counted),
    (re.compile(r"subject-access: (?P<files>[a-z+]*)"), _subject_access),
    (re.compile(r"backup (?P<n>\d+) to (?P<file>.+)"), _backup),
    (re.compile(r"schedules (?P<items>(?:\w+=\d+ ?)+)"), _schedules),
    (re.compile(r"retention: (?P<n>\d+)"), _retention),
    (re.compile(r"(?P<party>[a-z_]+) (?P<what>[a-z_]+)"), _shared),
)


def detail_text(detail: str) -> str:
    """``detail`` in the interface language; as stored when its shape is unknown."""
    if detail in FIXED:
        return _(FIXED[detail])
    for pattern, text in PATTERNS:
        m = pattern.fullmatch(detail)
        if m is not None:
            try:
                return text(m)
            except (KeyError, ValueError):
                return detail
    return detail
