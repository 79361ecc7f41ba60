"""Reports as CSV: one uniform table, stable English column names, translated labels.

Columns: ``section, label, visible_minutes, background_minutes, internal_minutes,
total_minutes, value, share, note``.  Split rows fill the minute columns and ``share``
(the background share of the client work); the counsellor's report fills
``internal_minutes`` (team, training, admin) and its ``total_minutes`` counts all three,
as the Time page shows them; the manager report has client work only (internal empty).
Indicator rows fill ``value`` and ``share``.  A suppressed manager cell has
empty numbers and ``note`` = ``suppressed``.  Shares are decimals 0..1 with a dot.
A label that a spreadsheet would run as a formula is prefixed with an apostrophe.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable

from counsel.timekeeping.report_tables import Table, Value

COLUMNS = ("section", "label", "visible_minutes", "background_minutes", "internal_minutes",
           "total_minutes", "value", "share", "note")
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _safe(text: str) -> str:
    return "'" + text if text.startswith(_FORMULA_START) else text


def _num(v: Value) -> str:
    if v is None:
        return ""
    if isinstance(v, float):
        return f"{v:.4f}"
    return str(v)


def to_csv(tables: Iterable[Table]) -> str:
    out = io.StringIO()
    w = csv.writer(out, lineterminator="\r\n")
    w.writerow(COLUMNS)
    for t in tables:
        for row in t.rows:
            label = _safe(str(row[0] or ""))
            note = "suppressed" if row[1] is None else ""
            if len(row) == 6:  # label, visible, background, internal, total, share
                w.writerow([t.key, label, _num(row[1]), _num(row[2]), _num(row[3]),
                            _num(row[4]), "", _num(row[5]), note])
            elif len(row) == 5:  # label, visible, background, total, share (manager)
                w.writerow([t.key, label, _num(row[1]), _num(row[2]), "", _num(row[3]), "",
                            _num(row[4]), note])
            else:  # label, value, share
                w.writerow([t.key, label, "", "", "", "", _num(row[1]), _num(row[2]), note])
    return out.getvalue()
