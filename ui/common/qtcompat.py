"""Work-arounds for defects in the Qt binding, applied once in ``main()``.

PySide6 6.12.0 on Python 3.11 drops a reference to ``None`` each time a null
QVariant crosses into or out of Python (a model's ``data()`` returning None, an
item's empty ``data()``, ``Signal(object)`` carrying None).  After a few thousand
such calls ``None`` is "deallocated" and the process aborts.  Python 3.12+ makes None
immortal, so only 3.11 is hurt; 6.11.3 does not have the defect.  We probe for it and,
when present, give None a very large reference count — what 3.12 does by design.
"""

from __future__ import annotations

import sys

_applied = False
PROBE_CALLS = 64


def none_refcount_defect() -> bool:
    from PySide6.QtGui import QStandardItem

    item = QStandardItem()
    before = sys.getrefcount(None)
    for _i in range(PROBE_CALLS):
        item.data(0x0100)
    return sys.getrefcount(None) <= before - PROBE_CALLS // 2


def guard_none_refcount() -> bool:
    """Apply the work-around if this binding has the defect; returns whether it did."""
    global _applied
    if _applied or sys.version_info >= (3, 12) or not none_refcount_defect():
        return _applied
    import ctypes

    ctypes.c_ssize_t.from_address(id(None)).value += 1 << 40
    _applied = True
    return True
