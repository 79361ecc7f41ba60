"""Working-set parts decrypted straight into memory SQLite then owns (no copy at load).

``sqlite3.Connection.deserialize`` copies the buffer it is given into memory of SQLite's
own: while the unlock cache loads, the part being loaded is held twice, and the peak of a
cached unlock is the working set plus its last part (the large demo vault: +12 MB, and a
copy of all 230 MB).  Here a part's buffer is allocated with ``sqlite3_malloc64``, the
cache decrypts into it (counsel.vault.snapshot.read) and ``sqlite3_deserialize`` takes it
over as it is (SQLite frees it when the part is closed, as with Python's copy).

That needs the connection's ``sqlite3 *`` handle, which the ``sqlite3`` module does not
expose: it is the first field after the object header in CPython's connection object.  So
this is used only where that layout is known (CPython 3.11-3.13 with the GIL) and the
library loaded here is the one the module uses; anywhere else :func:`allocate` returns
None and the parts are loaded with ``deserialize`` as before.
"""

from __future__ import annotations

import ctypes
import sqlite3
import sys
import weakref
from typing import Any

#: sqlite3_deserialize flags: free the buffer with the part; let the part grow
_FREEONCLOSE = 1
_RESIZEABLE = 2
#: sqlite3_serialize flag: the database's own buffer, not a copy (NULL if it has none)
_NOCOPY = 1
#: CPython versions whose connection object starts with the handle (Modules/_sqlite)
_KNOWN = ((3, 11), (3, 12), (3, 13))


def _load_library() -> Any:
    if sys.implementation.name != "cpython" or sys.version_info[:2] not in _KNOWN \
            or not getattr(sys, "_is_gil_enabled", lambda: True)():
        return None
    try:
        import _sqlite3

        lib = ctypes.CDLL(_sqlite3.__file__)
        lib.sqlite3_libversion.restype = ctypes.c_char_p
        if lib.sqlite3_libversion().decode() != sqlite3.sqlite_version:
            return None  # (another copy of SQLite than the module's)
        lib.sqlite3_malloc64.restype = ctypes.c_void_p
        lib.sqlite3_malloc64.argtypes = [ctypes.c_uint64]
        lib.sqlite3_free.restype = None
        lib.sqlite3_free.argtypes = [ctypes.c_void_p]
        lib.sqlite3_deserialize.restype = ctypes.c_int
        lib.sqlite3_deserialize.argtypes = [ctypes.c_void_p, ctypes.c_char_p, ctypes.c_void_p,
                                            ctypes.c_int64, ctypes.c_int64, ctypes.c_uint]
        lib.sqlite3_serialize.restype = ctypes.c_void_p
        lib.sqlite3_serialize.argtypes = [ctypes.c_void_p, ctypes.c_char_p,
                                          ctypes.POINTER(ctypes.c_int64), ctypes.c_uint]
        lib.sqlite3_total_changes.restype = ctypes.c_int
        lib.sqlite3_total_changes.argtypes = [ctypes.c_void_p]
        lib.sqlite3_get_autocommit.restype = ctypes.c_int
        lib.sqlite3_get_autocommit.argtypes = [ctypes.c_void_p]
    except (OSError, AttributeError, ImportError):
        return None
    return lib


_LIB = _load_library()


class Part:
    """A buffer in SQLite's memory (``array``: a ctypes array over it), freed when this is
    dropped unless it was handed over."""

    def __init__(self, size: int) -> None:
        address = _LIB.sqlite3_malloc64(size)
        if not address:
            raise MemoryError
        self.array = (ctypes.c_ubyte * size).from_address(address)
        self._free = weakref.finalize(self, _LIB.sqlite3_free, address)

    def __len__(self) -> int:
        return len(self.array)


def available() -> bool:
    return _LIB is not None


def allocate(size: int) -> Part | None:
    """A writable buffer of ``size`` bytes in SQLite's memory, or None where parts cannot
    be handed over (see the module's notes)."""
    if _LIB is None or size <= 0:
        return None
    return Part(size)


def _handle(conn: sqlite3.Connection) -> int:
    handle = ctypes.c_void_p.from_address(id(conn) + object.__basicsize__).value
    # the same connection as SQLite sees it (a wrong address would not answer so)
    if not handle or _LIB.sqlite3_total_changes(handle) != conn.total_changes or \
            bool(_LIB.sqlite3_get_autocommit(handle)) == conn.in_transaction:
        raise sqlite3.DatabaseError("connection handle not found")
    return int(handle)


def hand_over(conn: sqlite3.Connection, name: str, part: Part) -> None:
    """Make ``part`` (filled) the database ``name`` of ``conn``, as
    ``conn.deserialize(part, name=name)`` would, without copying it.  SQLite owns it from
    here (also when this fails: it frees it then)."""
    if not part._free.alive:
        raise ValueError("part already handed over")
    handle = _handle(conn)  # (on failure the part is still ours, freed when dropped)
    address, size = ctypes.addressof(part.array), len(part.array)
    part._free.detach()
    del part.array  # (no use of the memory SQLite owns from here)
    rc = _LIB.sqlite3_deserialize(handle, name.encode(), address, size, size,
                                  _FREEONCLOSE | _RESIZEABLE)
    if rc != 0:
        raise sqlite3.DatabaseError(f"deserialize failed ({rc})")


def view_of(conn: sqlite3.Connection, name: str) -> Any | None:
    """The bytes of part ``name`` where SQLite holds them — what ``conn.serialize(name=
    name)`` returns, without the copy (sealing the unlock cache at lock held each part
    twice: the large demo vault's 'act' part, +25 MB at the peak of a first unlock).  A
    ctypes array, valid only while the part is neither changed nor closed: seal it, drop
    it, then detach the part.  None where this is unavailable (see the module's notes) or
    the part is not one buffer (an ordinary in-memory database): serialize it instead."""
    if _LIB is None or conn.in_transaction:
        return None
    try:
        handle = _handle(conn)
    except sqlite3.DatabaseError:
        return None
    size = ctypes.c_int64(0)
    address = _LIB.sqlite3_serialize(handle, name.encode(), ctypes.byref(size), _NOCOPY)
    if not address or size.value <= 0:
        return None
    return (ctypes.c_ubyte * size.value).from_address(address)
