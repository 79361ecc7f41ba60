"""Where things live. Resolved at call time (never at import), overridable.

Order: ``COUNSEL_HOME`` (tests, scripts) → portable mode (a file named
``counsel-portable`` next to the program: data lives in ``data/`` beside it, e.g. on
an encrypted USB stick) → the platform's user folders (platformdirs).
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from counsel import APP_NAME

PORTABLE_MARKER = "counsel-portable"


def program_dir() -> Path:
    if getattr(sys, "frozen", False):
        return Path(sys.executable).resolve().parent
    return Path(sys.argv[0]).resolve().parent if sys.argv and sys.argv[0] else Path.cwd()


def portable_root() -> Path | None:
    root = program_dir()
    return root / "data" if (root / PORTABLE_MARKER).exists() else None


def _base(kind: str) -> Path:
    home = os.environ.get("COUNSEL_HOME")
    if home:
        return Path(home).expanduser() / kind
    portable = portable_root()
    if portable is not None:
        return portable / kind
    import platformdirs

    getter = {
        "data": platformdirs.user_data_dir,
        "config": platformdirs.user_config_dir,
        "cache": platformdirs.user_cache_dir,
        "log": platformdirs.user_log_dir,
    }[kind]
    return Path(getter(APP_NAME, appauthor=False))


def data_dir() -> Path:
    return _base("data")


def config_dir() -> Path:
    return _base("config")


def cache_dir() -> Path:
    return _base("cache")


def log_dir() -> Path:
    return _base("log")


def default_vault_path() -> Path:
    return data_dir() / "counsel.vault"
