"""Work-arounds for defects in the Qt binding, applied once in ``main()``.

PySide6 6.12.0 on Python 3.11 drops a reference to ``None`` each time a null
QVariant crosses into or out of Python (a model's ``data()`` returning None, an
item's empty ``data()``, ``Signal(object)`` carrying None).  After a few thousand
such calls ``None`` is "deallocated" and the process aborts.  Python 3.12+ makes None
immortal, so only 3.11 is hurt; 6.11.3 does not have the defect.  We probe for it and,
when present, give None a very large reference count — what 3.12 does by design.

The same binding drops a reference to ``True``/``False`` each time one is emitted
from Python through a ``Signal(bool, ...)`` (or inside a tuple through
``Signal(object)``): every background ``Op`` did, until its outcome became an object;
after a few thousand, "deallocating True or False".  Guarded the same way.
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


def bool_refcount_defect() -> bool:
    from PySide6.QtCore import QObject, Signal

    class _Probe(QObject):
        said = Signal(bool)

    probe = _Probe()
    before = sys.getrefcount(True)
    for _i in range(PROBE_CALLS):
        probe.said.emit(True)
    return sys.getrefcount(True) <= before - PROBE_CALLS // 2


def guard_none_refcount() -> bool:
    """Apply the work-arounds if this binding has the defects; returns whether it did."""
    global _applied
    if _applied or sys.version_info >= (3, 12):
        return _applied
    import ctypes

    if none_refcount_defect():
        ctypes.c_ssize_t.from_address(id(None)).value += 1 << 40
        _applied = True
    if bool_refcount_defect():
        for flag in (True, False):
            ctypes.c_ssize_t.from_address(id(flag)).value += 1 << 40
        _applied = True
    return _applied
