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
import tempfile
import threading
from importlib import resources
from pathlib import Path

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
    import platformdirs

    return Path(platformdirs.user_cache_dir("counsel")) / "fonts"


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


def static_instance(family: str, weight: int) -> Path:
    """A static instance of a variable family, generated once and cached."""
    src = source_path(family)
    target = cache_dir() / f"{src.name.split('[')[0]}-w{weight}-{_digest(src)}.ttf"
    if target.is_file():
        return target
    from fontTools.ttLib import TTFont
    from fontTools.varLib import instancer

    font = TTFont(src)
    static = instancer.instantiateVariableFont(
        font, {"wght": weight, "wdth": 100}, updateFontNames=True
    )
    target.parent.mkdir(parents=True, exist_ok=True)
    # write-then-rename so a concurrent or interrupted render never reads half a font
    fd, tmp = tempfile.mkstemp(dir=target.parent, suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as fp:
            static.save(fp)
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return target


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
        from reportlab.pdfbase.ttfonts import TTFont

        ttf = TTFont(name, str(path))
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
