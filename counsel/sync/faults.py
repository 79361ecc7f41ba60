"""Named points in the sync protocol where tests inject a crash.

``COUNSEL_SYNC_FAULT=<name>`` makes the process kill itself with SIGKILL at that point
(used by the kill -9 tests, which run sync in a subprocess); in-process tests can set a
callable in ``HOOKS``.  Both cost one dict lookup when unused.
"""

from __future__ import annotations

import os
import signal
from collections.abc import Callable

#: "after_ack": the server acknowledged a push, the outbox is not cleared yet.
#: "after_store": pulled revisions are written, the cursor not yet (same transaction).
POINTS = ("after_ack", "after_store")
#: "move_after_copy": a client moved (counsel.teams.move) is saved in the destination, not
#: yet erased in the source.  Not in POINTS: the sync state machine does not move clients.

HOOKS: dict[str, Callable[[], None]] = {}


def point(name: str) -> None:
    hook = HOOKS.get(name)
    if hook is not None:
        hook()
    if os.environ.get("COUNSEL_SYNC_FAULT") == name:
        os.kill(os.getpid(), signal.SIGKILL)
