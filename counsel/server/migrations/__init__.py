"""The server's schema migrations, in order.  Forward only; never edit a released one.

To add one: write ``mNNNN_what.py`` with ``NAME`` and ``up(db, dialect)`` and append it
to ``MIGRATIONS`` below (docs/server-ops.md, "How to add a migration").
"""

from __future__ import annotations

from collections.abc import Callable
from types import ModuleType

from counsel.server.migrations import (
    m0001_initial,
    m0002_activity,
    m0003_history,
    m0004_teams,
    m0005_devices_org,
)
from counsel.server.storage_sql import Db

MIGRATIONS: tuple[ModuleType, ...] = (
    m0001_initial,
    m0002_activity,
    m0003_history,
    m0004_teams,
    m0005_devices_org,
)

#: the schema version this code needs
LATEST = len(MIGRATIONS)


def step(version: int) -> tuple[str, Callable[[Db, str], None]]:
    """Name and ``up`` function of migration ``version`` (1-based)."""
    module = MIGRATIONS[version - 1]
    return str(module.NAME), module.up
