"""Files written whole or not at all: a temporary file beside the target, flushed to disk,
renamed over it, and the rename made durable.  On any failure the old file is untouched
and no temporary file is left behind.

Used for every file Counsel writes outside the vault: exports the person asked for (plan
PDFs, reports) and the encrypted unlock cache.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

from counsel.errors import KnownError
from counsel.i18n import N_
from counsel.i18n import gettext as _


class SaveFailed(KnownError):
    help_text = N_(
        "Choose another folder or free some disk space, then save again. "
        "Nothing in your vault was affected."
    )


@contextlib.contextmanager
def atomic_writer(path: str | Path) -> Iterator[BinaryIO]:
    """Yield a binary file; on a clean exit it replaces ``path`` atomically.

    OS errors become :class:`SaveFailed` with the reason; the target is left as it was.
    """
    target = Path(path).expanduser()
    tmp: str | None = None
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".part", dir=target.parent)
        with os.fdopen(fd, "wb") as fp:
            yield fp
            fp.flush()
            os.fsync(fp.fileno())
        os.replace(tmp, target)
        tmp = None
        if hasattr(os, "O_DIRECTORY"):  # make the rename itself durable (POSIX)
            dfd = os.open(target.parent, os.O_RDONLY | os.O_DIRECTORY)
            try:
                os.fsync(dfd)
            finally:
                os.close(dfd)
    except OSError as exc:
        raise SaveFailed(
            _("Cannot save {file}: {reason}").format(file=str(target), reason=exc.strerror or exc)
        ) from exc
    finally:
        if tmp is not None:
            with contextlib.suppress(OSError):
                os.unlink(tmp)


def write_atomic(path: str | Path, data: bytes) -> Path:
    with atomic_writer(path) as fp:
        fp.write(data)
    return Path(path).expanduser()
