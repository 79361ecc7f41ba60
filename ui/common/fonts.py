"""Make the fonts shipped with Counsel available to Qt for scripts the system may lack.

Ethiopic (Tigrinya names) and Arabic-script names must not show as empty boxes on a
fresh machine; the same PyPI font packages the plan PDFs use are registered as
application fonts, and Qt's font fallback picks them per character.
"""

from __future__ import annotations

import logging

log = logging.getLogger("counsel.ui.fonts")
FAMILIES = ("noto_ethiopic", "noto_arabic", "noto_sans")
_done: list[str] = []


def register_script_fonts() -> list[str]:
    if _done:
        return _done
    from PySide6.QtGui import QFontDatabase

    from counsel.plans.fonts import FontMissing, source_path

    for family in FAMILIES:
        try:
            path = source_path(family)
        except FontMissing:
            log.warning("font package for %s missing", family)
            continue
        if QFontDatabase.addApplicationFont(str(path)) >= 0:
            _done.append(family)
    return _done
