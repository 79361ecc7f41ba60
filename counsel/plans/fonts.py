"""Fonts for printed plans and cards, from the PyPI font packages only.

No system font is ever used, so a fresh machine prints every client language the same
way.  The Noto families ship as variable fonts; reportlab can only draw the default
instance of those, so static instances (Regular = wght 400, Bold = wght 700, both at
wdth 100) are made with fontTools' instancer on first use and cached in the user's
cache folder, keyed by the source font's hash.  Making the Regular instance too (not
only Bold) is deliberate: the static file is a third of the size, which makes
reportlab's parsing and embedding faster on every render.

Sources and licences (all SIL OFL 1.1, see docs/fonts.md):

* Noto Sans (``fontpkg-noto-sans``): Latin, Cyrillic, Greek.
* Noto Sans Arabic (``fontpkg-noto-sans-arabic``): Arabic, Persian, Dari, Sorani.
* Noto Sans Ethiopic (``justmytype-intl-africa``): Tigrinya.
* Atkinson Hyperlegible (``fontpkg-atkinson-hyperlegible``): Latin in large print.

reportlab has no font fallback, so a :class:`FontChain` lists faces in preference
order and the text layout picks, per character, the first face whose cmap covers it.
"""

from __future__ import annotations

import dataclasses
import hashlib
import os
import sys
import tempfile
import threading
from importlib import resources
from pathlib import Path
from typing import Any

#: Families by key: (package, folder inside the package, file-name prefix, variable?)
_SOURCES: dict[str, tuple[str, str, str, bool]] = {
    "noto_sans": ("fontpkg_noto_sans", "files", "NotoSans[", True),
    "noto_arabic": ("fontpkg_noto_sans_arabic", "files", "NotoSansArabic[", True),
    "noto_ethiopic": (
        "justmytype_intl_africa", "fonts/ofl/notosansethiopic", "NotoSansEthiopic[", True,
    ),
    "atkinson": ("fontpkg_atkinson_hyperlegible", "files", "AtkinsonHyperlegible-", False),
}

#: reportlab font names: Counsel-<family>[-Bold]
_WEIGHTS = {"regular": 400, "bold": 700}

VARIANTS = ("standard", "large_print")

_CHAINS = {
    "standard": ("noto_sans", "noto_arabic", "noto_ethiopic"),
    # Atkinson Hyperlegible covers Latin only; Cyrillic, Arabic and Ethiopic fall back.
    "large_print": ("atkinson", "noto_sans", "noto_arabic", "noto_ethiopic"),
}

_lock = threading.RLock()
_registered: dict[str, FontFace] = {}
_cache_dir_override: list[Path] = []


class FontMissing(RuntimeError):
    """A font package is not installed (a broken installation, not a user error)."""


@dataclasses.dataclass(frozen=True, eq=False)
class FontFace:
    """One registered reportlab TTFont and the code points it covers."""

    name: str  # the reportlab font name
    family: str
    bold: bool
    path: Path
    cmap: frozenset[int]

    def covers(self, codepoint: int) -> bool:
        return codepoint in self.cmap


@dataclasses.dataclass(frozen=True)
class FontChain:
    """Faces in preference order; the first one covering a character draws it."""

    faces: tuple[FontFace, ...]

    def first_covering(self, codepoint: int) -> FontFace | None:
        for face in self.faces:
            if codepoint in face.cmap:
                return face
        return None

    @property
    def primary(self) -> FontFace:
        return self.faces[0]


@dataclasses.dataclass(frozen=True)
class FontSet:
    regular: FontChain
    bold: FontChain

    def chain(self, bold: bool = False) -> FontChain:
        return self.bold if bold else self.regular


def set_cache_dir(path: Path | None) -> None:
    """Use ``path`` for generated font instances (tests, portable mode)."""
    with _lock:
        _cache_dir_override[:] = [path] if path is not None else []


def cache_dir() -> Path:
    if _cache_dir_override:
        return _cache_dir_override[0]
    env = os.environ.get("COUNSEL_FONT_CACHE")
    if env:
        return Path(env)
    from counsel.paths import cache_dir as counsel_cache  # COUNSEL_HOME, portable mode

    return counsel_cache() / "fonts"


def writable_cache_dir() -> Path:
    """The cache folder, or a folder in the system's temp dir when it cannot be made
    (read-only home, a file in the way): fonts are not personal data, and printing must
    not fail for want of a cache."""
    preferred = cache_dir()
    try:
        preferred.mkdir(parents=True, exist_ok=True)
        probe = preferred / ".write-test"
        probe.write_bytes(b"")
        probe.unlink()
        return preferred
    except OSError:
        fallback = Path(tempfile.gettempdir()) / "counsel-fonts"
        fallback.mkdir(parents=True, exist_ok=True)
        return fallback


def source_path(family: str, bold: bool = False) -> Path:
    """The font file inside the installed package (static files: Regular/Bold)."""
    package, folder, prefix, variable = _SOURCES[family]
    try:
        root = Path(str(resources.files(package))) / folder
    except ModuleNotFoundError as exc:
        raise FontMissing(f"font package {package} is not installed") from exc
    if not variable:
        prefix += "Bold" if bold else "Regular"
    matches = sorted(
        p for p in root.iterdir() if p.name.startswith(prefix) and p.suffix == ".ttf"
    )
    if not matches:
        raise FontMissing(f"no {prefix}*.ttf in {root}")
    return matches[0]


def _digest(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as fp:
        for block in iter(lambda: fp.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()[:16]


def install_dir() -> Path:
    """Instances made when Counsel is installed from source (``packaging/bootstrap.sh``
    runs ``python -m counsel.plans.fonts``): beside the installed packages, shared by
    every user of that installation."""
    return Path(sys.prefix) / "share" / "counsel" / "fonts"


def prebuilt_dirs() -> list[Path]:
    """Read-only folders of instances made at build or install time (a packaged app ships
    them, a source install makes them in :func:`install_dir`), so the first print does
    not spend ~20 s making them."""
    base = getattr(sys, "_MEIPASS", None)
    return ([Path(base) / "counsel_fonts"] if base else []) + [install_dir()]


def build_all(folder: Path) -> list[Path]:
    """Make every static instance the print variants use in ``folder`` (install and
    build time); instances already there are kept."""
    folder.mkdir(parents=True, exist_ok=True)
    made = []
    for family, (_pkg, _dir, _prefix, variable) in _SOURCES.items():
        if not variable:
            continue
        for weight in _WEIGHTS.values():
            src, name = _instance_name(family, weight)
            target = folder / name
            if not target.is_file():
                _make_instance(src, weight, target)
            target.chmod(0o644)  # shared by every user of the installation (not personal)
            made.append(target)
    return made


def _instance_name(family: str, weight: int) -> tuple[Path, str]:
    src = source_path(family)
    return src, f"{src.name.split('[')[0]}-w{weight}-{_digest(src)}.ttf"


def _make_instance(src: Path, weight: int, target: Path) -> None:
    from fontTools.ttLib import TTFont
    from fontTools.varLib import instancer

    font = TTFont(src)
    static = instancer.instantiateVariableFont(
        font, {"wght": weight, "wdth": 100}, updateFontNames=True
    )
    # write-then-rename so a concurrent or interrupted render never reads half a font
    fd, tmp = tempfile.mkstemp(dir=target.parent, suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as fp:
            static.save(fp)
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def static_instance(family: str, weight: int) -> Path:
    """A static instance of a variable family, generated once and cached."""
    src, name = _instance_name(family, weight)
    for folder in prebuilt_dirs():
        if (folder / name).is_file():
            return folder / name
    target = writable_cache_dir() / name
    if not target.is_file():
        _make_instance(src, weight, target)
    return target


def to_unicode_cmap(fontname: str, subset: list[int], text_of: dict[int, str]) -> str:
    """A ToUnicode CMap in which the private codes of shaped glyphs (see
    ``layout_shape.shape``) map to the text they stand for, possibly none, and Arabic
    presentation forms to the plain letters, so copying text out of the PDF gives real
    letters (lam-alef gives the two letters)."""
    import unicodedata

    def target(code: int) -> str:
        text = text_of.get(code)
        if text is None:
            ch = chr(code)
            text = unicodedata.normalize("NFKC", ch) if 0xFB50 <= code <= 0xFEFF else ch
        return text.encode("utf-16-be").hex().upper()


    return "\n".join([
        "/CIDInit /ProcSet findresource begin", "12 dict begin", "begincmap",
        "/CIDSystemInfo", f"<< /Registry ({fontname})", f"/Ordering ({fontname})",
        "/Supplement 0", ">> def", f"/CMapName /{fontname} def", "/CMapType 2 def",
        "1 begincodespacerange", f"<00> <{len(subset) - 1:02X}>", "endcodespacerange",
        f"{len(subset)} beginbfchar",
        *(f"<{i:02X}> <{target(v)}>" for i, v in enumerate(subset)),
        "endbfchar", "endcmap", "CMapName currentdict /CMap defineresource pop", "end", "end",
    ])


_TTFONT_CLASS: list[type] = []


def _selectable_ttfont_class() -> type:
    """reportlab's TTFont, with ToUnicode maps that know what shaped glyphs stand for."""
    if _TTFONT_CLASS:
        return _TTFONT_CLASS[0]
    from reportlab.pdfbase.ttfonts import SUBSETN, TTFont

    class SelectableTTFont(TTFont):  # type: ignore[misc]
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            #: private code → the text its glyph stands for (layout_shape fills it)
            self.pua_text: dict[int, str] = {}

        def addObjects(self, doc: Any) -> None:  # noqa: N802 - reportlab's name
            state = self.state.get(doc)
            subsets = [list(s) for s in state.subsets] if state is not None else []
            super().addObjects(doc)
            # rewrite the ToUnicode streams reportlab just made, before they are written
            for n, subset in enumerate(subsets):
                base = b"".join((SUBSETN(n), b"+", self.face.name, self.face.subfontNameX))
                base_name = base.decode("pdfdoc")
                stream = doc.idToObject.get("toUnicodeCMap:" + base_name)
                if stream is not None:
                    stream.content = to_unicode_cmap(base_name, subset, self.pua_text)

    _TTFONT_CLASS.append(SelectableTTFont)
    return SelectableTTFont


def face(family: str, bold: bool = False) -> FontFace:
    """Register (once per process) and return one face."""
    name = f"Counsel-{family}" + ("-Bold" if bold else "")
    with _lock:
        existing = _registered.get(name)
        if existing is not None:
            return existing
        variable = _SOURCES[family][3]
        path = (
            static_instance(family, _WEIGHTS["bold" if bold else "regular"])
            if variable
            else source_path(family, bold)
        )
        from reportlab.pdfbase import pdfmetrics

        ttf = _selectable_ttfont_class()(name, str(path))
        pdfmetrics.registerFont(ttf)
        result = FontFace(
            name=name, family=family, bold=bold, path=path,
            cmap=frozenset(ttf.face.charToGlyph),
        )
        _registered[name] = result
        return result


def font_set(variant: str = "standard") -> FontSet:
    """The fallback chains for a print variant (``standard`` or ``large_print``)."""
    if variant not in _CHAINS:
        raise ValueError(f"unknown print variant {variant!r}")
    families = _CHAINS[variant]
    return FontSet(
        regular=FontChain(tuple(face(f) for f in families)),
        bold=FontChain(tuple(face(f, bold=True) for f in families)),
    )


def main(argv: list[str] | None = None) -> int:
    """``python -m counsel.plans.fonts [FOLDER]``: make the instances at install time."""
    args = sys.argv[1:] if argv is None else argv
    folder = Path(args[0]) if args else install_dir()
    try:
        paths = build_all(folder)
    except OSError as exc:  # a read-only installation: the first print makes them instead
        print(f"font instances not made in {folder}: {exc}", file=sys.stderr)
        return 1
    for path in paths:
        print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
