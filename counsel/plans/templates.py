"""Plan templates, the catalogue of measures, and the texts printed for clients.

Templates (integration plan, assessment, review) and measures are data in
``counsel/plans/data/*.toml``; their titles and help texts are msgids of the gettext
domain ``plans``, translated with :func:`plan_gettext` into the client's language.

Organisation content without code
---------------------------------
Put ``*.toml`` files in the organisation folder (by default ``<user config dir>/plans``,
see :func:`default_extra_dirs`; the caller resolves it and passes it as ``extra_dirs``).
A worked example ships in ``data/examples/organisation.toml``.  The format is the built-in one
(see ``data/templates.toml`` and ``data/measures.toml``); merge rules are in
``catalogue.py``.  Example, a new measure and a changed code of a built-in one::

    [[measure]]
    code = "job_club"
    category = "work"
    title = "Job club"
    description = "We meet every week to look for jobs together."
      [measure.translations.fi]
      title = "Työnhakuklubi"
      description = "Tapaamme joka viikko ja etsimme töitä yhdessä."
      [measure.translations.ar]
      title = "نادي البحث عن عمل"

    [[measure]]
    code = "work_trial"
    service_code = "018"

Translations of an organisation's own texts go either inline, as above
(``[template.translations.<lang>]`` with ``title``; ``[template.section.translations.<lang>]``
with ``title``/``help``; ``[category.translations.<lang>]`` with ``title``), or in gettext
files named ``plans.<lang>.po`` in the same folder (``python -m counsel.i18n.tools extract
--domain plans --data FOLDER --output FOLDER/plans.pot`` makes the template for a
translator).  Both take precedence over the built-in catalogs, so an organisation can also
reword a built-in translation.  Pass the same ``extra_dirs`` to :func:`plan_gettext`.

Review status
-------------
Every catalog states in its header whether a qualified translator has checked it:
``X-Review-Status: draft|reviewed``, ``X-Reviewed-By:``, ``X-Review-Date: YYYY-MM-DD``.
The renderer prints a "draft translation" note for drafts.  English is the source
language (the msgids are the English text), so ``en`` is not a translation and is
reported as reviewed.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import gettext as _gettext
import re
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from counsel.i18n import gettext as _
from counsel.i18n import normalize, translations
from counsel.plans.catalogue import (
    OVERRIDE_SUBDIR,
    Category,
    ContentFileError,
    MeasureType,
    PathLike,
    Translations,
    catalogue_translations,
    check_id,
    check_keys,
    check_msgid,
    collect_translations,
    content_files,
    entries,
    load_catalogue,
    load_categories,
    merged,
    read_file,
)

__all__ = [
    "SECTION_KINDS", "Category", "ContentFileError", "MeasureType", "ReviewStatus", "Section",
    "Template", "default_extra_dirs", "load_catalogue", "load_categories", "load_templates",
    "organisation_translations", "plan_gettext", "review_status",
]

SECTION_KINDS = frozenset(
    {"text", "goals", "measures", "languages", "background", "signatures", "followup"}
)
SOURCE_LANGUAGE = "en"
#: languages the plan texts are written in, not translated into: never "unreviewed"
ORIGINAL_LANGUAGES = frozenset({SOURCE_LANGUAGE, "fi", "sv"})
_SOURCE_LOCALES = Path(__file__).parent.parent.parent / "locales"
_PACKAGE_LOCALE = Path(__file__).parent.parent / "locale"


@dataclasses.dataclass(frozen=True)
class Section:
    id: str
    title: str  # msgid of domain "plans"
    help: str  # msgid: one plain-language sentence for the client
    kind: str  # one of SECTION_KINDS


@dataclasses.dataclass(frozen=True)
class Template:
    id: str
    title: str  # msgid of domain "plans"
    sections: tuple[Section, ...]

    def section(self, section_id: str) -> Section | None:
        return next((s for s in self.sections if s.id == section_id), None)


@dataclasses.dataclass(frozen=True)
class ReviewStatus:
    lang: str
    status: str  # "draft" | "reviewed"
    reviewer: str
    date: dt.date | None


def default_extra_dirs() -> tuple[Path, ...]:
    """The organisation folder: ``counsel.paths.config_dir() / "plans"`` (it need not exist).

    Resolved when called, so ``COUNSEL_HOME`` and portable mode apply.
    """
    from counsel.paths import config_dir

    return (config_dir() / OVERRIDE_SUBDIR,)


# --- templates -----------------------------------------------------------------------------

_TEMPLATE_FIELDS = {"id", "title", "section", "translations"}
_SECTION_FIELDS = {"id", "title", "help", "kind", "translations"}


def _sections(path: Path, where: str, items: object,
              out: Translations | None) -> tuple[Section, ...]:
    if not isinstance(items, list) or not items or not all(isinstance(i, dict) for i in items):
        raise ContentFileError(
            path, _("{where}: sections must be written as [[template.section]]").format(where=where)
        )
    sections: list[Section] = []
    for n, item in enumerate(items, 1):
        swhere = _("{where}, section {n}").format(where=where, n=n)
        check_keys(path, swhere, item, _SECTION_FIELDS)
        sid = check_id(path, swhere, item.get("id"))
        swhere = _("{where}, section {id}").format(where=where, id=sid)
        if any(s.id == sid for s in sections):
            raise ContentFileError(path, _("{where}: the id is used twice").format(where=swhere))
        title = check_msgid(path, swhere, "title", item.get("title"))
        help_text = check_msgid(path, swhere, "help", item.get("help"))
        kind = item.get("kind", "text")
        if kind not in SECTION_KINDS:
            raise ContentFileError(
                path,
                _("{where}: kind must be one of {kinds}").format(
                    where=swhere, kinds=", ".join(sorted(SECTION_KINDS))
                ),
            )
        collect_translations(path, swhere, item, ("title", "help"), out)
        sections.append(Section(sid, title, help_text, kind))
    return tuple(sections)


def _load_templates(extra_dirs: Iterable[PathLike],
                    out: Translations | None = None) -> dict[str, Template]:
    raw: dict[str, dict[str, Any]] = {}
    for path in content_files(extra_dirs):
        data = read_file(path)
        for n, item in enumerate(entries(path, data, "template"), 1):
            where = _("template {n}").format(n=n)
            check_keys(path, where, item, _TEMPLATE_FIELDS)
            tid = check_id(path, where, item.get("id"))
            where = _("template {id}").format(id=tid)
            entry = merged(path, where, raw.get(tid), item, ("title", "section"))
            check_msgid(path, where, "title", entry["title"])
            if "section" in item:
                entry["sections"] = _sections(path, where, item["section"], out)
            collect_translations(path, where, item | {"title": entry["title"]}, ("title",), out)
            raw[tid] = entry
    return {tid: Template(tid, e["title"], e["sections"]) for tid, e in raw.items()}


def load_templates(extra_dirs: Iterable[PathLike] = ()) -> dict[str, Template]:
    """Template id → :class:`Template`, built-ins plus the organisation's files.

    Raises :class:`ContentFileError` (a ``KnownError``) naming a malformed file; calling
    again without that folder gives the built-ins.
    """
    return _load_templates(extra_dirs)


# --- translations --------------------------------------------------------------------------


def organisation_translations(extra_dirs: Iterable[PathLike]) -> Translations:
    """lang → msgid → text from the organisation's files (inline tables, then .po files)."""
    dirs = [Path(d).expanduser() for d in extra_dirs]
    if not dirs:
        return {}
    out: Translations = {}
    _load_templates(dirs, out)
    for lang, texts in catalogue_translations(dirs).items():
        out.setdefault(lang, {}).update(texts)
    for folder in dirs:
        if not folder.is_dir():
            continue
        for po in sorted(folder.glob("plans.*.po")):
            lang = normalize(po.name[len("plans."):-len(".po")])
            out.setdefault(lang, {}).update(_read_po_texts(po, lang))
    return out


def _read_po_texts(path: Path, lang: str) -> dict[str, str]:
    from babel.messages.pofile import read_po

    from counsel.i18n import babel_locale

    try:
        with path.open("rb") as fp:
            catalog = read_po(fp, locale=babel_locale(lang), abort_invalid=True)
    except Exception as exc:  # Babel raises assorted errors on a damaged file
        raise ContentFileError(path, _("not a valid gettext catalog ({detail})").format(
            detail=str(exc) or type(exc).__name__)) from exc
    return {
        m.id: m.string for m in catalog
        if isinstance(m.id, str) and m.id and isinstance(m.string, str) and m.string
        and not m.fuzzy
    }


def plan_gettext(lang: str, extra_dirs: Iterable[PathLike] = ()) -> Callable[[str], str]:
    """``gettext`` of domain "plans" in ``lang``; untranslated msgids come back unchanged.

    With ``extra_dirs``, the organisation's translations come first (``fa_AF`` falls back to
    ``fa`` in both).
    """
    lang = normalize(lang)
    builtin = translations(lang, "plans").gettext
    org = organisation_translations(extra_dirs)
    if not org:
        return builtin
    chain = [org.get(lang, {})] + ([org.get(lang.split("_")[0], {})] if "_" in lang else [])

    def gettext(message: str) -> str:
        for table in chain:
            if message in table:
                return table[message]
        return builtin(message)

    return gettext


# --- review status -------------------------------------------------------------------------

_QUOTED = re.compile(r'"((?:[^"\\]|\\.)*)"')


def catalog_headers(po_text: str) -> dict[str, str]:
    """The header fields of a .po file (names lower-cased), read without Babel so the
    ``X-`` fields Babel drops are kept."""
    parts: list[str] = []
    state = "before"
    for raw in po_text.splitlines():
        line = raw.strip()
        if state == "before":
            if line.startswith('msgid ""'):
                state = "msgid"
            continue
        if line.startswith("msgstr"):
            state = "msgstr"
            line = line.removeprefix("msgstr").strip()
        elif not line.startswith('"'):
            if state == "msgstr":
                break
            continue
        if state == "msgstr":
            parts.extend(_QUOTED.findall(line))
    text = "".join(parts).encode("utf-8").decode("unicode_escape").encode("latin-1")
    headers: dict[str, str] = {}
    for field in text.decode("utf-8").split("\n"):
        name, sep, value = field.partition(":")
        if sep and name.strip():
            headers[name.strip().lower()] = value.strip()
    return headers


def _headers_for(lang: str) -> dict[str, str] | None:
    # Same order as counsel.i18n: a compiled catalog wins over the source file.
    mo = _PACKAGE_LOCALE / lang / "LC_MESSAGES" / "plans.mo"
    if mo.is_file():
        with mo.open("rb") as fp:
            return {k.lower(): v for k, v in _gettext.GNUTranslations(fp).info().items()}
    po = _SOURCE_LOCALES / lang / "LC_MESSAGES" / "plans.po"
    if po.is_file():
        return catalog_headers(po.read_text(encoding="utf-8"))
    return None


def review_status(lang: str) -> ReviewStatus:
    """Whether the ``plans`` catalog of ``lang`` has been checked by a qualified translator.

    A language without a catalog, or with no status in its header, counts as a draft.
    """
    lang = normalize(lang)
    headers = _headers_for(lang)
    if headers is None and "_" in lang:
        headers = _headers_for(lang.split("_")[0])
    headers = headers or {}
    status = headers.get("x-review-status", "draft").lower()
    if lang in ORIGINAL_LANGUAGES:
        status = "reviewed"
    if status not in ("draft", "reviewed"):
        status = "draft"
    date: dt.date | None = None
    try:
        date = dt.date.fromisoformat(headers.get("x-review-date", ""))
    except ValueError:
        date = None
    return ReviewStatus(lang, status, headers.get("x-reviewed-by", ""), date)

