"""Logging: named loggers per area, and a filter that keeps client data out.

Log messages name record ids and error types, never field values.  As a second line
of defence the handler drops any record whose arguments are not plain ids/numbers
when it comes from the vault, and every message is capped in length.

The desktop app opens its log file after the unlock window is painted (cold start,
issue 13: ``logging.handlers`` alone is ~7 ms of a ~130 ms budget): until then
:func:`hold` keeps what is logged in memory, and :func:`setup_app` writes it first.
"""

from __future__ import annotations

import logging
import re
from pathlib import Path

#: an argument written as is: ASCII ids, numbers, type names, paths — no spaces (free text
#: such as a name, "Amina Yusuf", has them)
_SAFE = re.compile(r"^[\w.:/,()\-\[\]=%'\"#<>@]*$")


#: longest message written (a ``Scrubbed`` report may be longer: a traceback's frames)
LIMIT, SCRUBBED_LIMIT = 500, 4000


class Scrubbed(str):
    """Text built to hold no values at all — only names of types, files, functions and
    line numbers (``crash_report``): the filter lets it through whole.  The first line of
    defence is ``tests/test_architecture.py::log_arguments``: a log call's arguments must
    be numbers, ids, type names, lengths or ``Scrubbed``."""


class NoPayloadFilter(logging.Filter):
    """Cap message size; scrub arguments that look like free text (not ids/numbers)."""

    def filter(self, record: logging.LogRecord) -> bool:
        limit = LIMIT
        if record.args:
            args = record.args if isinstance(record.args, tuple) else (record.args,)
            if any(isinstance(a, Scrubbed) for a in args):
                limit = SCRUBBED_LIMIT
            record.args = tuple(
                a
                if isinstance(a, (int, float, Scrubbed))
                or (isinstance(a, str) and len(a) <= 80 and a.isascii() and _SAFE.match(a))
                else "<redacted>"
                for a in args
            )
        msg = record.getMessage()
        if len(msg) > limit:
            record.msg, record.args = msg[:limit] + "…", ()
        return True


def setup_cli(level: int = logging.WARNING) -> None:
    handler = logging.StreamHandler()
    handler.addFilter(NoPayloadFilter())
    handler.setFormatter(logging.Formatter("%(levelname)s %(name)s: %(message)s"))
    root = logging.getLogger("counsel")
    if not root.handlers:
        root.addHandler(handler)
    root.setLevel(level)


class _Held(logging.Handler):
    """Keeps records (at most ``limit``, the oldest dropped) until the file is opened."""

    def __init__(self, limit: int = 1000) -> None:
        super().__init__()
        self.limit = limit
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        if len(self.records) >= self.limit:
            del self.records[0]
        self.records.append(record)


def hold(level: int = logging.INFO) -> None:
    """Keep the app's log records in memory until :func:`setup_app` opens the file."""
    root = logging.getLogger("counsel")
    if not any(isinstance(h, _Held) for h in root.handlers):
        root.addHandler(_Held())
    root.setLevel(level)


def release(log_dir: Path, level: int = logging.INFO) -> None:
    """Open the log file if records are still held (the app ends before its first paint:
    what it logged is not lost); nothing if :func:`setup_app` already ran."""
    if any(isinstance(h, _Held) for h in logging.getLogger("counsel").handlers):
        setup_app(log_dir, level)


def setup_app(log_dir: Path, level: int = logging.INFO) -> Path:
    """Rotating log file for the desktop app; returns its path.  What :func:`hold` kept
    is written to it first (filtered like everything else)."""
    import logging.handlers

    log_dir.mkdir(parents=True, exist_ok=True)
    path = log_dir / "counsel.log"
    handler = logging.handlers.RotatingFileHandler(
        path, maxBytes=1_000_000, backupCount=3, encoding="utf-8"
    )
    handler.addFilter(NoPayloadFilter())
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root = logging.getLogger("counsel")
    held = [h for h in root.handlers if isinstance(h, _Held)]
    root.addHandler(handler)
    root.setLevel(level)
    for h in held:
        root.removeHandler(h)
        for record in h.records:
            if record.levelno >= level:
                handler.handle(record)
    return path
