"""Each device's audit entries as a hash chain, and its verification.

Entry *n* of a device carries ``counter = n`` and ``prev`` = the hash of entry *n − 1*
(``""`` for the first).  The hash covers every field of the entry, its id included.  So:

- a removed entry leaves a gap in the counters (and the next ``prev`` names a hash nobody has);
- an edited entry no longer hashes to what the next entry's ``prev`` says; an edited newest
  entry is a second revision of an append-only record (``revised``);
- reordered entries must change their counters, which changes their hashes;
- an inserted entry repeats a counter or breaks a link.

Entries arrive from other devices through sync in their devices' order; a device whose
newest entries have not arrived yet shows a shorter chain, not a broken one.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
from collections.abc import Iterable, Set
from typing import Any

from counsel.domain.audit import AuditEntry
from counsel.domain.codec import to_dict
from counsel.i18n import N_, gettext


def entry_hash(entry: AuditEntry) -> str:
    data: dict[str, Any] = to_dict(entry)
    canonical = json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(b"counsel audit entry|" + canonical.encode()).hexdigest()


REASONS = {
    "missing": N_("entries are missing before this one"),
    "edited": N_("an entry was changed"),
    "duplicate": N_("two entries claim the same place"),
    "link": N_("this entry does not follow the one before it"),
    "removed": N_("an entry was deleted"),
}


@dataclasses.dataclass(frozen=True)
class Break:
    device: str
    counter: int
    reason: str  # a key of REASONS
    entry_id: str = ""

    def text(self) -> str:
        return gettext(REASONS[self.reason])


@dataclasses.dataclass(frozen=True)
class ChainState:
    entries: int
    devices: int
    breaks: tuple[Break, ...]

    @property
    def intact(self) -> bool:
        return not self.breaks


def verify(entries: Iterable[AuditEntry], revised: Set[str] = frozenset()) -> ChainState:
    """Check every device's chain; ``revised`` = ids of entries stored with more than one
    revision (an append-only entry is never saved twice)."""
    by_device: dict[str, list[AuditEntry]] = {}
    count = 0
    for e in entries:
        by_device.setdefault(e.device, []).append(e)
        count += 1
    present = {e.id for chain in by_device.values() for e in chain}
    breaks = [Break("", 0, "removed", rid) for rid in sorted(revised - present)]
    for device, chain in sorted(by_device.items()):
        chain.sort(key=lambda e: (e.counter, e.id))
        expected, prev_hash = 1, ""
        for e in chain:
            if e.id in revised:
                breaks.append(Break(device, e.counter, "edited", e.id))
            if e.counter < expected:
                breaks.append(Break(device, e.counter, "duplicate", e.id))
                continue
            if e.counter > expected:
                breaks.append(Break(device, e.counter, "missing", e.id))
            elif e.prev != prev_hash:
                breaks.append(Break(device, e.counter, "link", e.id))
            expected, prev_hash = e.counter + 1, entry_hash(e)
    return ChainState(count, len(by_device), tuple(breaks))
