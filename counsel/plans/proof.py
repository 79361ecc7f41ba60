"""The translator's proof: every plan string, English source beside the translation.

A translator (or the reviewer who signs off a catalog) checks the printed result, not
the .po file: the proof draws each entry with the same fonts and text layout as the
plans, so broken joining, wrong direction or missing glyphs show up here first.  A
missing translation is printed as a red "missing" note, a fuzzy one is flagged.

``render_proof(lang, po_bytes=None) -> bytes``: without ``po_bytes`` the catalog in use
(``locales/<lang>/LC_MESSAGES/plans.po``, or the ``.pot`` when there is none).
"""

from __future__ import annotations

import dataclasses
import io
import re
from pathlib import Path
from typing import Any

from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Spacer

from counsel.errors import KnownError
from counsel.i18n import gettext as _
from counsel.plans import textlayout as tl
from counsel.plans.printing import Lang, Styles, build_pdf, check_language, styled

ROOT = Path(__file__).resolve().parent.parent.parent / "locales"
MARGIN = 16 * mm


class ProofError(KnownError):
    def help(self) -> str:
        return _("Check that the file is a gettext catalog (.po) and try again.")


@dataclasses.dataclass(frozen=True)
class Entry:
    msgid: str
    msgstr: str
    fuzzy: bool
    comment: str  # the extracted comment: where the string is used


def read_entries(po_bytes: bytes, lang: str) -> tuple[list[Entry], dict[str, str]]:
    """Entries and header fields of a .po/.pot file."""
    from babel.messages.pofile import read_po

    try:
        catalog = read_po(io.BytesIO(po_bytes), locale=None)
    except Exception as exc:  # babel raises assorted errors on damaged input
        raise ProofError(_("The catalog cannot be read ({detail}).").format(
            detail=type(exc).__name__)) from exc
    entries = []
    for msg in catalog:
        if not msg.id or isinstance(msg.id, tuple):
            continue
        text = msg.string if isinstance(msg.string, str) else ""
        entries.append(Entry(str(msg.id), text, msg.fuzzy, " ".join(msg.auto_comments)))
    from counsel.plans.templates import catalog_headers

    return entries, catalog_headers(po_bytes.decode("utf-8", "replace"))


_PLACEHOLDER = re.compile(r"\{([^{}]*)\}")


def placeholders(text: str) -> list[str]:
    """The ``{name}`` fields of a message, sorted (a translation may reorder them)."""
    return sorted(_PLACEHOLDER.findall(text))


def catalog_bytes(lang: str) -> tuple[bytes, str]:
    """The catalog file used for ``lang`` and its name (the .pot if it has none yet)."""
    po = ROOT / lang / "LC_MESSAGES" / "plans.po"
    if not po.is_file():
        po = ROOT / "plans.pot"
    if not po.is_file():
        raise ProofError(_("No plan catalog was found in {folder}.").format(folder=ROOT))
    return po.read_bytes(), str(po)


class _Pair(Flowable):  # type: ignore[misc]
    """One entry: source (left) and translation (right), each laid out in its column."""

    def __init__(self, left: tuple[str, tl.TextStyle], right: tuple[str, tl.TextStyle],
                 note: tuple[str, tl.TextStyle]) -> None:
        super().__init__()
        self.cells = [left, right]
        self.note = note
        self.laid: list[list[tl.Line]] = []

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        self.width = avail_width
        self.col = (avail_width - 6 * mm) / 2
        self.laid = [tl.layout(t, s, self.col) for t, s in self.cells]
        rows = max(len(lines) * s.line_height for lines, (_t, s) in zip(self.laid, self.cells,
                                                                          strict=True))
        self.height = rows + self.note[1].line_height + 2 * mm
        return self.width, self.height

    def draw(self) -> None:
        y = self.height - self.note[1].line_height
        for line in tl.layout(self.note[0], self.note[1], self.width)[:1]:
            tl.draw_line(self.canv, line, self.note[1], 0, y + 2, self.width)
        for col, (lines, (_text, style)) in enumerate(zip(self.laid, self.cells, strict=True)):
            x = col * (self.col + 6 * mm)
            yy = y
            for line in lines:
                yy -= style.line_height
                tl.draw_line(self.canv, line, style, x, yy + (style.line_height - style.size) / 2,
                             self.col)
        self.canv.setStrokeColorRGB(0.8, 0.8, 0.8)
        self.canv.setLineWidth(0.3)
        self.canv.line(0, 1, self.width, 1)


def render_proof(lang: str, po_bytes: bytes | None = None, *, source_name: str = "") -> bytes:
    code = check_language(lang)
    if po_bytes is None:
        po_bytes, source_name = catalog_bytes(code)
    entries, headers = read_entries(po_bytes, code)
    styles = Styles.build("standard")
    target = Lang(code, lambda s: s)
    en = Lang("en", lambda s: s)
    body = styles.body
    grey = styles.small.replace(color=(0.45, 0.45, 0.45))
    red = body.replace(color=(0.75, 0.05, 0.05))
    missing = sum(1 for e in entries if not e.msgstr)
    fuzzy = sum(1 for e in entries if e.fuzzy)
    story: list[Any] = [
        tl.make_paragraph(_("Translator's proof: {language} ({code})").format(
            language=en.language_name(code), code=code), styles.title),
        tl.make_paragraph(
            _("{file} · {n} strings, {missing} missing, {fuzzy} fuzzy · review status: "
              "{status} {reviewer}").format(
                file=source_name, n=len(entries), missing=missing, fuzzy=fuzzy,
                status=headers.get("x-review-status", "draft"),
                reviewer=headers.get("x-reviewed-by", "")),
            grey),
        Spacer(1, 4 * mm),
    ]
    for n, e in enumerate(entries, 1):
        note = f"#{n}" + (f"  {e.comment}" if e.comment else "") + ("  [fuzzy]" if e.fuzzy else "")
        bad = e.msgstr and placeholders(e.msgstr) != placeholders(e.msgid)
        if bad:
            note += "  " + _("[placeholders differ: the English text will be printed]")
        if e.msgstr:
            right = (e.msgstr, styled(red if bad else body, target, typed=False))
        else:
            right = (_("— missing: the English text will be printed —"), red)
        story.append(_Pair((e.msgid, body), right, (note, grey)))

    def decorate(canvas: Any, page: int, pages: int) -> None:
        canvas.setFont(styles.fonts.regular.primary.name, 8)
        canvas.setFillColorRGB(0.4, 0.4, 0.4)
        canvas.drawRightString(A4[0] - MARGIN, MARGIN / 2, f"{page} / {pages}")

    return build_pdf(story, decorate, lang=code, title=f"Translator's proof {code}",
                     font=styles.fonts.regular.primary.name, margin=MARGIN)
