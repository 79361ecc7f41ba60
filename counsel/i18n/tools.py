"""Catalog maintenance: extract → ``.pot``, update ``.po``, compile ``.mo``, check.

Run from a source checkout::

    python -m counsel.i18n.tools extract   # regenerate locales/<domain>.pot
    python -m counsel.i18n.tools update    # merge the .pot into each locales/<lang>/*/<domain>.po
    python -m counsel.i18n.tools compile   # .po → counsel/locale/<lang>/LC_MESSAGES/<domain>.mo
    python -m counsel.i18n.tools check     # exit 1 when a committed .pot is out of date

``--domain counsel|plans`` limits a command to one domain (default: both).

Which strings belong to which domain:

* ``plans`` (printed for clients): strings marked with ``N_()`` in ``counsel/plans/*.py``
  and the titles, help texts and descriptions in ``counsel/plans/data/*.toml``.  Not
  client texts: ``help_text = N_(...)`` of a ``KnownError``, and whole modules that talk
  to the counsellor: :data:`COUNSELLOR_MODULES` (``cli.py``, ``editing.py``) or any
  module with the comment ``# i18n-domain: counsel`` in its first 40 lines.
* ``counsel`` (the counsellor's interface): ``_()``, ``gettext()``, ``ngettext()``,
  ``pgettext()`` and ``N_()`` everywhere else in ``counsel/`` and ``ui/``, plus ``_()``
  and ``help_text = N_(...)`` inside ``counsel/plans/``.

Babel drops header fields it does not know when it reads a catalog; the review-status
fields (``X-Review-Status`` etc., see ``counsel.plans.templates``) are kept here by a
catalog subclass, on update and in compiled files.
"""

from __future__ import annotations

import argparse
import io
import sys
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any

from babel.messages.catalog import Catalog

ROOT = Path(__file__).resolve().parents[2]
DOMAINS = ("counsel", "plans")
_ALL_KEYWORDS: dict[str, Any] = {
    "_": None, "gettext": None, "N_": None, "ngettext": (1, 2), "pgettext": ((1, "c"), 2),
}
_DATA_FIELDS = {"template": ("title",), "section": ("title", "help"), "category": ("title",),
                "measure": ("title", "description")}


class _HeaderCatalog(Catalog):
    """A Babel catalog that keeps the ``X-`` header fields Babel would drop."""

    extra_headers: list[tuple[str, str]]

    @property
    def mime_headers(self) -> list[tuple[str, str]]:
        # Babel ends "Generated-By" with a newline, which would end the header block
        # before the extra fields when the file is read back.
        known = [(k, v.rstrip("\n")) for k, v in self._get_mime_headers()]
        names = {k.lower() for k, _ in known}
        extra = getattr(self, "extra_headers", [])
        return known + [(k, v) for k, v in extra if k.lower() not in names]

    @mime_headers.setter
    def mime_headers(self, value: Iterable[tuple[str, str]]) -> None:
        items = list(value)
        self._set_mime_headers(items)
        self.extra_headers = [(k, v) for k, v in items if k.lower().startswith("x-")
                              and k.lower() != "x-generator"]


def read_catalog(path: Path, lang: str | None = None) -> Catalog:
    """Read a .po/.pot file, keeping its ``X-`` header fields."""
    from babel.messages.pofile import PoFileParser

    from counsel.i18n import babel_locale

    locale = babel_locale(lang) if lang else None
    catalog = _HeaderCatalog(locale=locale, domain=path.stem)
    parser = PoFileParser(catalog, ignore_obsolete=False)
    with path.open("rb") as fp:
        parser.parse(fp)
    return catalog


def write_catalog(path: Path, catalog: Catalog, *, template: bool = False) -> bool:
    """Write a catalog; returns False (and leaves the file alone) when only dates changed."""
    from babel.messages.pofile import write_po

    buf = io.BytesIO()
    write_po(buf, catalog, width=100, include_lineno=False, omit_header=False,
             ignore_obsolete=template)
    new = buf.getvalue()
    if path.is_file() and _strip_dates(path.read_bytes()) == _strip_dates(new):
        return False
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(new)
    return True


def _strip_dates(text: bytes) -> bytes:
    return b"\n".join(
        line for line in text.splitlines()
        if not line.startswith((b'"POT-Creation-Date:', b'"PO-Revision-Date:', b'"Generated-By:'))
    )


# --- extraction ----------------------------------------------------------------------------


#: modules of counsel/plans that talk to the counsellor, not to the client
COUNSELLOR_MODULES = frozenset({"cli.py", "editing.py"})
#: a comment that moves any other module of counsel/plans to the counsellor's domain
COUNSELLOR_MARKER = "i18n-domain: counsel"


def _is_plans_module(rel: Path, root: Path | None = None) -> bool:
    if rel.parts[:2] != ("counsel", "plans") or rel.suffix != ".py":
        return False
    if rel.name in COUNSELLOR_MODULES:
        return False
    if root is not None:
        head = (root / rel).read_text(encoding="utf-8").splitlines()[:40]
        if any(COUNSELLOR_MARKER in line for line in head):
            return False
    return True


def _python_files(root: Path) -> Iterator[Path]:
    for top in ("counsel", "ui"):
        base = root / top
        if base.is_dir():
            yield from sorted(p for p in base.rglob("*.py") if "__pycache__" not in p.parts)


def _python_messages(root: Path, domain: str) -> Iterator[tuple[str, Any, str | None, list[str]]]:
    from babel.messages.extract import extract_from_file

    def run(path: Path, keywords: dict[str, Any]) -> Iterator[tuple[int, Any, Any, Any]]:
        yield from extract_from_file(
            "python", str(path), keywords=keywords, comment_tags=("Translators:",),
            strip_comment_tags=True,
        )

    only_n = {"N_": None}
    without_n = {k: v for k, v in _ALL_KEYWORDS.items() if k != "N_"}
    for path in _python_files(root):
        rel = path.relative_to(root)
        found: list[tuple[int, Any, Any, Any]] = []
        if not _is_plans_module(rel, root):
            if domain == "counsel":
                found = list(run(path, _ALL_KEYWORDS))
        else:
            lines = path.read_text(encoding="utf-8").splitlines()
            marked = [m for m in run(path, only_n)
                      if _is_help_text(lines, m[0]) == (domain == "counsel")]
            found = marked + (list(run(path, without_n)) if domain == "counsel" else [])
            found.sort(key=lambda m: m[0])
        for _lineno, message, comments, context in found:
            yield rel.as_posix(), message, context, list(comments)


def _is_help_text(lines: list[str], lineno: int) -> bool:
    """An ``N_`` that sets a ``help_text`` marks a KnownError's help: counsellor-facing."""
    # Babel reports the line of the string, which may sit below the ``N_(``.
    for index in range(min(lineno, len(lines)) - 1, max(lineno - 5, 0) - 1, -1):
        if "N_(" in lines[index]:
            return "help_text" in lines[index]
    return False


def data_messages(files: Iterable[Path], root: Path | None = None,
                  ) -> Iterator[tuple[str, str, None, list[str]]]:
    """msgids of plan content files, with a comment naming the entry for translators."""
    import tomllib

    for path in files:
        with path.open("rb") as fp:
            data = tomllib.load(fp)
        name = path.relative_to(root).as_posix() if root else path.name
        for table in ("template", "category", "measure"):
            for item in data.get(table, []):
                ident = item.get("id") or item.get("code")
                for field in _DATA_FIELDS[table]:
                    if isinstance(item.get(field), str):
                        yield name, item[field], None, [f"{table} {ident}: {field}"]
                for section in item.get("section", []) if table == "template" else []:
                    for field in _DATA_FIELDS["section"]:
                        if isinstance(section.get(field), str):
                            yield name, section[field], None, [
                                f"template {ident}, section {section.get('id')}: {field}"
                            ]


def extract(domain: str, root: Path = ROOT, data_dirs: Sequence[Path] = ()) -> Catalog:
    """All msgids of ``domain`` in the tree at ``root`` (plus organisation ``data_dirs``,
    which replace the built-in data when given)."""
    catalog = Catalog(project="Counsel", domain=domain, charset="utf-8", fuzzy=False,
                      msgid_bugs_address="", copyright_holder="Counsel developers")
    messages: list[tuple[str, Any, str | None, list[str]]] = []
    if domain == "plans":
        if data_dirs:
            files = [p for d in data_dirs for p in sorted(Path(d).glob("*.toml"))]
            messages.extend(data_messages(files))
        else:
            files = sorted((root / "counsel" / "plans" / "data").glob("*.toml"))
            messages.extend(data_messages(files, root))
    if not data_dirs:
        messages.extend(_python_messages(root, domain))
    for location, message, context, comments in messages:
        if not message or (isinstance(message, tuple) and not message[0]):
            continue
        existing = catalog.get(message if isinstance(message, str) else message[0], context)
        if existing is not None:
            if (location, 0) not in existing.locations:
                existing.locations.append((location, 0))
            for comment in comments:
                if comment not in existing.auto_comments:
                    existing.auto_comments.append(comment)
            continue
        catalog.add(message, None, locations=[(location, 0)], auto_comments=comments,
                    context=context)
    return catalog


def pot_path(domain: str, root: Path = ROOT) -> Path:
    return root / "locales" / f"{domain}.pot"


def po_paths(domain: str, root: Path = ROOT) -> dict[str, Path]:
    base = root / "locales"
    if not base.is_dir():
        return {}
    return {
        p.parent.parent.name: p
        for p in sorted(base.glob(f"*/LC_MESSAGES/{domain}.po"))
    }


def write_pot(domain: str, root: Path = ROOT) -> bool:
    """Regenerate ``locales/<domain>.pot``; True when it changed."""
    return write_catalog(pot_path(domain, root), extract(domain, root), template=True)


# --- update, compile, check ----------------------------------------------------------------


def update(domain: str, root: Path = ROOT) -> list[str]:
    """Merge the .pot into each language's .po (new msgids empty, removed ones obsolete)."""
    from babel.messages.pofile import read_po

    with pot_path(domain, root).open("rb") as fp:
        template = read_po(fp)
    changed = []
    for lang, path in po_paths(domain, root).items():
        catalog = read_catalog(path, lang)
        catalog.update(template, no_fuzzy_matching=False, update_header_comment=False)
        if write_catalog(path, catalog):
            changed.append(lang)
    return changed


def compile_catalog(path: Path, lang: str) -> bytes:
    """.po → .mo bytes, fuzzy entries left out, review-status header fields kept."""
    from babel.messages.mofile import write_mo

    catalog = read_catalog(path, lang)
    out = io.BytesIO()
    write_mo(out, catalog, use_fuzzy=False)
    return out.getvalue()


def compile_all(domain: str, root: Path = ROOT, out_dir: Path | None = None) -> list[Path]:
    out_dir = out_dir or root / "counsel" / "locale"
    written = []
    for lang, path in po_paths(domain, root).items():
        target = out_dir / lang / "LC_MESSAGES" / f"{domain}.mo"
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(compile_catalog(path, lang))
        written.append(target)
    return written


def _keys(catalog: Catalog) -> set[tuple[str, str | None]]:
    return {(m.id if isinstance(m.id, str) else m.id[0], m.context) for m in catalog if m.id}


def check(domain: str, root: Path = ROOT) -> list[str]:
    """Problems with the committed .pot of ``domain`` (empty: up to date)."""
    from babel.messages.pofile import read_po

    pot = pot_path(domain, root)
    if not pot.is_file():
        return [f"{pot.relative_to(root)} is missing: run `python -m counsel.i18n.tools extract`"]
    with pot.open("rb") as fp:
        committed = _keys(read_po(fp))
    current = _keys(extract(domain, root))
    problems = [f"{pot.relative_to(root)}: new msgid not extracted: {m!r}"
                for m, _ in sorted(current - committed, key=str)]
    problems += [f"{pot.relative_to(root)}: msgid no longer in the code: {m!r}"
                 for m, _ in sorted(committed - current, key=str)]
    return problems


def coverage(domain: str, root: Path = ROOT) -> dict[str, tuple[int, int]]:
    """lang → (translated, total) for each catalog of ``domain`` (fuzzy counts as missing)."""
    result = {}
    for lang, path in po_paths(domain, root).items():
        messages = [m for m in read_catalog(path, lang) if m.id]
        done = sum(1 for m in messages if m.string and not m.fuzzy
                   and (not isinstance(m.string, tuple) or all(m.string)))
        result[lang] = (done, len(messages))
    return result


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m counsel.i18n.tools",
                                     description="Maintain the gettext catalogs.")
    parser.add_argument("command", choices=("extract", "update", "compile", "check"))
    parser.add_argument("--domain", choices=DOMAINS, action="append",
                        help="limit to one domain (repeatable; default: all)")
    parser.add_argument("--root", type=Path, default=ROOT, help="source tree (default: this one)")
    parser.add_argument("--data", type=Path, action="append", default=[],
                        help="extract: an organisation's content folder instead of the code")
    parser.add_argument("--output", type=Path, help="extract: write the .pot here")
    args = parser.parse_args(argv)
    domains = args.domain or list(DOMAINS)
    status = 0
    for domain in domains:
        if args.command == "extract":
            if args.data and domain != "plans":
                continue
            if args.data or args.output:
                target = args.output or pot_path(domain, args.root)
                changed = write_catalog(target, extract(domain, args.root, args.data),
                                        template=True)
            else:
                target = pot_path(domain, args.root)
                changed = write_pot(domain, args.root)
            print(f"{target}: {'written' if changed else 'unchanged'}")
        elif args.command == "update":
            for lang in update(domain, args.root):
                print(f"{domain}: updated {lang}")
        elif args.command == "compile":
            for path in compile_all(domain, args.root):
                print(path)
        else:
            problems = check(domain, args.root)
            for problem in problems:
                print(problem, file=sys.stderr)
            for lang, (done, total) in coverage(domain, args.root).items():
                print(f"{domain} {lang}: {done}/{total} translated")
            status = status or (1 if problems else 0)
    return status


if __name__ == "__main__":
    sys.exit(main())
