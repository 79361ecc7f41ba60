"""Logging: named loggers per area, and a filter that keeps client data out.

Log messages name record ids and error types, never field values.  As a second line
of defence the handler drops any record whose arguments are not plain ids/numbers
when it comes from the vault, and every message is capped in length.
"""

from __future__ import annotations

import logging
import logging.handlers
import re
from pathlib import Path

_SAFE = re.compile(r"^[\w .:/,()\-\[\]=%'\"#<>@]*$")


class NoPayloadFilter(logging.Filter):
    """Cap message size; scrub arguments that look like free text (not ids/numbers)."""

    def filter(self, record: logging.LogRecord) -> bool:
        if record.args:
            args = record.args if isinstance(record.args, tuple) else (record.args,)
            record.args = tuple(
                a
                if isinstance(a, (int, float))
                or (isinstance(a, str) and len(a) <= 80 and a.isascii() and _SAFE.match(a))
                else "<redacted>"
                for a in args
            )
        msg = record.getMessage()
        if len(msg) > 500:
            record.msg, record.args = msg[:500] + "…", ()
        return True


def setup_cli(level: int = logging.WARNING) -> None:
    handler = logging.StreamHandler()
    handler.addFilter(NoPayloadFilter())
    handler.setFormatter(logging.Formatter("%(levelname)s %(name)s: %(message)s"))
    root = logging.getLogger("counsel")
    if not root.handlers:
        root.addHandler(handler)
    root.setLevel(level)


def setup_app(log_dir: Path, level: int = logging.INFO) -> Path:
    """Rotating log file for the desktop app; returns its path."""
    log_dir.mkdir(parents=True, exist_ok=True)
    path = log_dir / "counsel.log"
    handler = logging.handlers.RotatingFileHandler(
        path, maxBytes=1_000_000, backupCount=3, encoding="utf-8"
    )
    handler.addFilter(NoPayloadFilter())
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root = logging.getLogger("counsel")
    root.addHandler(handler)
    root.setLevel(level)
    return path
