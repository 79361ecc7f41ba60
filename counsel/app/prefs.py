"""The desktop app's device preferences that must be known before unlocking.

Only the interface language lives here (a plain JSON file in the config folder): it
is needed to draw the unlock screen, so it cannot be inside the encrypted vault, and
it says nothing about clients.  Everything else is a vault setting.
"""

from __future__ import annotations

import json
from pathlib import Path

from counsel.atomicfile import atomic_writer
from counsel.i18n import PSEUDO, UI_LANGUAGES, normalize

FILE_NAME = "ui.json"
CHOICES = (*UI_LANGUAGES, PSEUDO)


def prefs_path(config_dir: Path) -> Path:
    return config_dir / FILE_NAME


def load_language(config_dir: Path) -> str | None:
    try:
        data = json.loads(prefs_path(config_dir).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    lang = data.get("language") if isinstance(data, dict) else None
    return normalize(lang) if isinstance(lang, str) and normalize(lang) in CHOICES else None


def save_language(config_dir: Path, lang: str) -> None:
    lang = normalize(lang)
    if lang not in CHOICES:
        raise ValueError(lang)
    config_dir.mkdir(parents=True, exist_ok=True)
    with atomic_writer(prefs_path(config_dir)) as fp:
        fp.write(json.dumps({"language": lang}).encode("utf-8"))
