"""The desktop app's device preferences: a plain JSON file in the config folder.

The interface language is needed to draw the unlock screen, so it cannot be inside the
encrypted vault.  How a table is sorted (a column's untranslated title and the direction)
is a view of this computer's screen, not something to sync.  Neither says anything about
clients; everything else is a vault setting.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from counsel.atomicfile import atomic_writer
from counsel.i18n import PSEUDO, UI_LANGUAGES, normalize

FILE_NAME = "ui.json"
CHOICES = (*UI_LANGUAGES, PSEUDO)
#: longest table or column name kept (they are the program's own names)
_NAME_MAX = 60


def prefs_path(config_dir: Path) -> Path:
    return config_dir / FILE_NAME


def _load(config_dir: Path) -> dict[str, Any]:
    try:
        data = json.loads(prefs_path(config_dir).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def _save(config_dir: Path, data: dict[str, Any]) -> None:
    config_dir.mkdir(parents=True, exist_ok=True)
    with atomic_writer(prefs_path(config_dir)) as fp:
        fp.write(json.dumps(data, sort_keys=True).encode("utf-8"))


def load_language(config_dir: Path) -> str | None:
    lang = _load(config_dir).get("language")
    return normalize(lang) if isinstance(lang, str) and normalize(lang) in CHOICES else None


def save_language(config_dir: Path, lang: str) -> None:
    lang = normalize(lang)
    if lang not in CHOICES:
        raise ValueError(lang)
    _save(config_dir, {**_load(config_dir), "language": lang})


def load_sort(config_dir: Path, table: str) -> tuple[str, bool] | None:
    """How ``table`` was last sorted: (column title, descending), or None (as listed)."""
    sorts = _load(config_dir).get("sort")
    entry = sorts.get(table) if isinstance(sorts, dict) else None
    if (isinstance(entry, list) and len(entry) == 2 and isinstance(entry[0], str)
            and 0 < len(entry[0]) <= _NAME_MAX and isinstance(entry[1], bool)):
        return entry[0], entry[1]
    return None


def save_sort(config_dir: Path, table: str, column: str | None, descending: bool) -> None:
    """Remember how ``table`` is sorted (``column`` None: as listed)."""
    if not 0 < len(table) <= _NAME_MAX or (column is not None
                                            and not 0 < len(column) <= _NAME_MAX):
        raise ValueError(table)
    data = _load(config_dir)
    held = data.get("sort")
    sorts = {k: v for k, v in held.items() if k != table} if isinstance(held, dict) else {}
    if column is not None:
        sorts[table] = [column, descending]
    _save(config_dir, {**data, "sort": sorts})
