"""The catalogue of measures, and reading plan content files (built-in and organisation).

Plan content is data, not code: TOML files holding ``[[template]]``, ``[[category]]`` and
``[[measure]]`` tables.  The built-ins are ``counsel/plans/data/*.toml``.  An organisation
adds or changes entries by putting more ``*.toml`` files in a folder passed as
``extra_dirs`` (the app passes ``<user config dir>/plans``, see :data:`OVERRIDE_SUBDIR`):

* an entry whose id is new adds a template, category or measure;
* an entry whose id exists changes only the fields it gives (a template's ``section``
  list, when given, replaces the whole list);
* files are read in order: built-ins, then each folder in turn, files sorted by name;
  a later file wins.

A file that cannot be read or holds a wrong entry raises :class:`ContentFileError`
naming the file and the entry; nothing is cached from it, so the built-ins keep working.
How an organisation's own entries are translated is described in ``templates.py``.
"""

from __future__ import annotations

import dataclasses
import re
import tomllib
from collections.abc import Iterable, Iterator
from functools import cache
from pathlib import Path
from typing import Any

from counsel.errors import KnownError
from counsel.i18n import N_
from counsel.i18n import gettext as _

BUILTIN_DIR = Path(__file__).parent / "data"
BUILTIN_FILES = ("templates.toml", "measures.toml")
#: Sub-folder of the user's config folder holding organisation content files.
OVERRIDE_SUBDIR = "plans"

_ID = re.compile(r"[a-z][a-z0-9_]{0,63}")
_SERVICE_CODE = re.compile(r"[0-9A-Za-z][0-9A-Za-z/ .-]{0,19}")
MAX_MSGID = 500

PathLike = str | Path


class ContentFileError(KnownError):
    """An organisation's template or measure file cannot be used."""

    help_text = N_(
        "Correct or remove the file named in the message. The built-in templates and "
        "measures still work."
    )

    def __init__(self, path: Path, reason: str) -> None:
        super().__init__(
            _("Plan content file {file} cannot be used: {reason}").format(
                file=str(path), reason=reason
            )
        )
        self.path = path
        self.reason = reason


@dataclasses.dataclass(frozen=True)
class MeasureType:
    """One kind of measure; ``title`` and ``description`` are msgids of domain "plans"."""

    code: str
    title: str
    description: str
    service_code: str | None
    category: str


@dataclasses.dataclass(frozen=True)
class Category:
    id: str
    title: str  # msgid of domain "plans"


# --- reading files -----------------------------------------------------------------------


def content_files(extra_dirs: Iterable[PathLike] = ()) -> list[Path]:
    """The content files in reading order; a folder that does not exist is skipped."""
    files = [BUILTIN_DIR / name for name in BUILTIN_FILES]
    for entry in extra_dirs:
        path = Path(entry).expanduser()
        if path.is_file():
            files.append(path)
        elif path.is_dir():
            files.extend(sorted(p for p in path.glob("*.toml") if p.is_file()))
    return files


@cache
def _read_builtin(path: Path) -> dict[str, Any]:
    return _read_uncached(path)


def read_file(path: Path) -> dict[str, Any]:
    """Parse one content file (built-ins are parsed once per process)."""
    if path.parent == BUILTIN_DIR:
        return _read_builtin(path)
    return _read_uncached(path)


def _read_uncached(path: Path) -> dict[str, Any]:
    try:
        with path.open("rb") as fp:
            data = tomllib.load(fp)
    except tomllib.TOMLDecodeError as exc:
        raise ContentFileError(path, _("not valid TOML ({detail})").format(detail=exc)) from exc
    except UnicodeDecodeError as exc:
        raise ContentFileError(path, _("not UTF-8 text")) from exc
    except OSError as exc:
        raise ContentFileError(path, exc.strerror or str(exc)) from exc
    unknown = set(data) - {"template", "category", "measure"}
    if unknown:
        raise ContentFileError(
            path, _("unknown table {name}").format(name=", ".join(sorted(unknown)))
        )
    return data


def entries(path: Path, data: dict[str, Any], table: str) -> Iterator[dict[str, Any]]:
    """The entries of ``[[table]]`` in ``data``, checked to be a list of tables."""
    items = data.get(table, [])
    if not isinstance(items, list) or not all(isinstance(i, dict) for i in items):
        raise ContentFileError(
            path, _("{table} must be written as [[{table}]]").format(table=table)
        )
    yield from items


def check_keys(path: Path, where: str, item: dict[str, Any], allowed: set[str]) -> None:
    unknown = set(item) - allowed
    if unknown:
        raise ContentFileError(
            path,
            _("{where}: unknown field {name}").format(where=where, name=", ".join(sorted(unknown))),
        )


def check_id(path: Path, where: str, value: object) -> str:
    if not isinstance(value, str) or not _ID.fullmatch(value):
        raise ContentFileError(
            path,
            _("{where}: the id must be lower-case letters, digits and _").format(where=where),
        )
    return value


def check_msgid(path: Path, where: str, field: str, value: object) -> str:
    if not isinstance(value, str) or not value.strip():
        raise ContentFileError(
            path, _("{where}: {field} is missing").format(where=where, field=field)
        )
    if len(value) > MAX_MSGID or "\n" in value:
        raise ContentFileError(
            path, _("{where}: {field} must be one line").format(where=where, field=field)
        )
    return value


def merged(path: Path, where: str, old: dict[str, Any] | None, new: dict[str, Any],
           required: Iterable[str]) -> dict[str, Any]:
    """``new`` laid over ``old``; a new entry must give every required field."""
    result = dict(old or {})
    result.update(new)
    missing = [f for f in required if f not in result]
    if missing:
        raise ContentFileError(
            path, _("{where}: {field} is missing").format(where=where, field=", ".join(missing))
        )
    return result


#: lang → msgid → text, gathered from ``translations`` tables of organisation entries
Translations = dict[str, dict[str, str]]


def collect_translations(path: Path, where: str, entry: dict[str, Any], fields: tuple[str, ...],
                         out: Translations | None) -> None:
    """Record ``[<entry>.translations.<lang>]`` tables: ``field = "text"`` per language."""
    table = entry.get("translations")
    if table is None or out is None:
        return
    if not isinstance(table, dict):
        raise ContentFileError(path, _("{where}: translations must be a table").format(where=where))
    from counsel.i18n import normalize

    for lang, texts in table.items():
        if not isinstance(texts, dict):
            raise ContentFileError(
                path,
                _("{where}: translations.{lang} must be a table").format(where=where, lang=lang),
            )
        for field, text in texts.items():
            if field not in fields:
                raise ContentFileError(
                    path, _("{where}: unknown field {name}").format(
                        where=where, name=f"translations.{lang}.{field}")
                )
            check_msgid(path, where, f"translations.{lang}.{field}", text)
            out.setdefault(normalize(lang), {})[entry[field]] = text


# --- the catalogue -------------------------------------------------------------------------

_MEASURE_FIELDS = {"code", "title", "description", "service_code", "category", "translations"}
_CATEGORY_FIELDS = {"id", "title", "translations"}


def _load(extra_dirs: Iterable[PathLike], translations: Translations | None = None,
          ) -> tuple[dict[str, Category], dict[str, MeasureType]]:
    categories: dict[str, dict[str, Any]] = {}
    measures: dict[str, dict[str, Any]] = {}
    origin: dict[str, Path] = {}
    for path in content_files(extra_dirs):
        data = read_file(path)
        for n, item in enumerate(entries(path, data, "category"), 1):
            where = _("category {n}").format(n=n)
            check_keys(path, where, item, _CATEGORY_FIELDS)
            cid = check_id(path, where, item.get("id"))
            where = _("category {id}").format(id=cid)
            entry = merged(path, where, categories.get(cid), item, ("title",))
            check_msgid(path, where, "title", entry["title"])
            collect_translations(path, where, item | {"title": entry["title"]}, ("title",),
                                 translations)
            categories[cid] = entry
        for n, item in enumerate(entries(path, data, "measure"), 1):
            where = _("measure {n}").format(n=n)
            check_keys(path, where, item, _MEASURE_FIELDS)
            code = check_id(path, where, item.get("code"))
            where = _("measure {id}").format(id=code)
            entry = merged(path, where, measures.get(code), item,
                           ("title", "description", "category"))
            check_msgid(path, where, "title", entry["title"])
            check_msgid(path, where, "description", entry["description"])
            check_id(path, where, entry["category"])
            service = entry.get("service_code")
            if service is not None and (
                not isinstance(service, str) or not _SERVICE_CODE.fullmatch(service)
            ):
                raise ContentFileError(
                    path, _("{where}: service_code is not a valid code").format(where=where)
                )
            collect_translations(path, where, item | {"title": entry["title"],
                                 "description": entry["description"]},
                                 ("title", "description"), translations)
            measures[code] = entry
            origin[code] = path
    for code, entry in measures.items():
        if entry["category"] not in categories:
            raise ContentFileError(
                origin[code],
                _("measure {id}: unknown category {category}").format(
                    id=code, category=entry["category"]
                ),
            )
    return (
        {cid: Category(cid, e["title"]) for cid, e in categories.items()},
        {
            code: MeasureType(code, e["title"], e["description"], e.get("service_code"),
                              e["category"])
            for code, e in measures.items()
        },
    )


def load_catalogue(extra_dirs: Iterable[PathLike] = ()) -> dict[str, MeasureType]:
    """Measure code → :class:`MeasureType`, built-ins plus the organisation's files."""
    return _load(extra_dirs)[1]


def catalogue_translations(extra_dirs: Iterable[PathLike]) -> Translations:
    """The organisation's inline translations of categories and measures."""
    out: Translations = {}
    _load(extra_dirs, out)
    return out


def load_categories(extra_dirs: Iterable[PathLike] = ()) -> dict[str, Category]:
    """Category id → :class:`Category` (in the order they were first defined)."""
    return _load(extra_dirs)[0]
