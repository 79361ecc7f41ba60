"""Text in the interface language for the counsellor's own printouts (time report, plan
review sheet): the plans' layout with the interface language's direction.

reportlab's own Paragraph neither falls back to another font nor reorders: an Arabic
interface printed every Arabic word as nothing.  These paragraphs take the plans' font
chain (Arabic, Ethiopic …), HarfBuzz shaping and bidi.
"""

from __future__ import annotations

from typing import Any


class InterfaceText:
    """Paragraphs in the interface language through the plans' layout: font fallback
    (Arabic, Ethiopic …), HarfBuzz shaping and bidi, right-to-left where the language
    is.  reportlab's own Paragraph has neither: an Arabic report printed nothing."""

    def __init__(self) -> None:
        from counsel.i18n import current_language, is_rtl
        from counsel.plans.fonts import font_set

        self.rtl = is_rtl(current_language())
        self.fonts = font_set()

    def style(self, size: float, *, bold: bool = False, leading: float = 0.0,
              align: str = "start", grey: bool = False, typed: bool = False,
              space_before: float = 0.0, space_after: float = 0.0) -> Any:
        from counsel.plans.textlayout import TextStyle

        return TextStyle(fonts=self.fonts.bold if bold else self.fonts.regular, size=size,
                         leading=leading or size * 1.3, align=align,  # type: ignore[arg-type]
                         color=(0.33, 0.33, 0.33) if grey else (0.0, 0.0, 0.0),
                         rtl=None if typed else self.rtl, default_rtl=self.rtl,
                         space_before=space_before, space_after=space_after)

    def para(self, text: str, style: Any) -> Any:
        from counsel.plans.textlayout import make_paragraph

        return make_paragraph(text, style)
