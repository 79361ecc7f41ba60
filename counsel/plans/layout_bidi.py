"""Bidi embedding levels (UAX #9) per character, and visual reordering of runs.

python-bidi 0.6 wraps the Rust ``unicode-bidi`` crate but only exposes the reordered
string; the resolved levels are available in its debug output (one level per UTF-8
byte), which is parsed here.  If that output ever changes shape this raises rather than
guessing (the pure-Python ``bidi.algorithm`` in the same package is not a fallback: it
lacks rule N0 and mis-resolves digits in Persian text).  The unit tests pin the parse.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

_LEVEL = re.compile(r"Level\(\s*(\d+),?\s*\)")


def levels(text: str, base_rtl: bool | None = None) -> tuple[int, list[int]]:
    """(paragraph level, level per character) for one paragraph (no newlines).

    ``base_rtl`` None: the paragraph direction comes from its first strong character
    (rule P2/P3), left-to-right when there is none.
    """
    if not text:
        return (1 if base_rtl else 0), []
    return _levels_rust(text, base_rtl)


def _levels_rust(text: str, base_rtl: bool | None) -> tuple[int, list[int]]:
    from bidi import get_display

    base_dir = None if base_rtl is None else ("R" if base_rtl else "L")
    debug = str(get_display(text, base_dir=base_dir, debug=True))
    head, sep, tail = debug.partition("paragraphs:")
    per_byte = [int(x) for x in _LEVEL.findall(head)]
    paragraph = _LEVEL.findall(tail)
    encoded_len = len(text.encode("utf-8"))
    if not sep or len(per_byte) != encoded_len or len(paragraph) != 1:
        raise RuntimeError("python-bidi debug output changed shape; update layout_bidi")
    out: list[int] = []
    offset = 0
    for ch in text:
        out.append(per_byte[offset])
        offset += len(ch.encode("utf-8"))
    return int(paragraph[0]), out


def visual_order(run_levels: Sequence[int]) -> list[int]:
    """Indices of runs in visual (left-to-right) order, by UAX #9 rule L2.

    From the highest level down to the lowest odd level, every maximal sequence of
    runs at that level or higher is reversed.
    """
    order = list(range(len(run_levels)))
    if not order:
        return order
    highest = max(run_levels)
    lowest_odd = min((lv for lv in run_levels if lv % 2), default=highest + 1)
    for level in range(highest, lowest_odd - 1, -1):
        i = 0
        while i < len(order):
            if run_levels[order[i]] >= level:
                j = i
                while j < len(order) and run_levels[order[j]] >= level:
                    j += 1
                order[i:j] = reversed(order[i:j])
                i = j
            else:
                i += 1
    return order
