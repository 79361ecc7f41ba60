"""The storage floor: revisions written into a fresh vault file with no protocol, no
history check and no working set — what the sync and trust benchmarks compare against."""

from __future__ import annotations

import time
from collections.abc import Sequence
from pathlib import Path

from counsel.vault.revision import StoredRevision
from counsel.vault.store import Store


def bulk_load_seconds(path: Path, revisions: Sequence[StoredRevision]) -> float:
    """Seconds to insert ``revisions`` as they are into a new file at ``path``."""
    store = Store.open(path, create=True)
    try:
        t0 = time.perf_counter()
        store.insert_revisions(list(revisions), outbox=False)
        return time.perf_counter() - t0
    finally:
        store.close()
