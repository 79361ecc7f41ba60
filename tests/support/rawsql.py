"""Plain SQL on a vault file, as someone with the file and no keys would edit it (tests)."""

from __future__ import annotations

import sqlite3
from pathlib import Path


def sql(path: Path, statement: str, params: tuple[object, ...] = ()) -> list[tuple[object, ...]]:
    """Run one statement on the file directly and commit; its rows."""
    conn = sqlite3.connect(path)
    try:
        rows = conn.execute(statement, params).fetchall()
        conn.commit()
        return rows
    finally:
        conn.close()
