"""Versioned JSON documents: a JSON object whose ``"format"`` says how to read the rest.

The backup file's manifest (counsel.records.backup_format), the organisation policy
(counsel.org.policy) and the organisation escrow record (counsel.org.recovery) are such
documents, kept sealed (in the backup, in a vault setting, in the vault file and on the
server).  :func:`dump` writes one; :func:`read` is the one reader: JSON text (or what
``json.loads`` made of it) of the expected format, else the caller's own error.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any


def dump(fmt: int, fields: dict[str, Any]) -> bytes:
    """``fields`` as a document of format ``fmt`` (UTF-8 JSON)."""
    return json.dumps({"format": fmt, **fields}).encode()


def read(raw: bytes | bytearray | str | object, fmt: int,
         fail: Callable[[], Exception]) -> dict[str, Any]:
    """The document in ``raw`` (JSON text, or an already parsed value) if it is a JSON
    object of format ``fmt``; ``fail()`` is raised when it is not JSON, not an object, or
    of another format (a newer program's, or none)."""
    data = raw
    if isinstance(raw, bytes | bytearray | str):
        try:
            data = json.loads(raw)
        except ValueError:
            raise fail() from None
    if not isinstance(data, dict) or data.get("format") != fmt:
        raise fail()
    return data
