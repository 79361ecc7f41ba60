"""A revision as stored and synced: a plaintext header plus an opaque envelope."""

from __future__ import annotations

import dataclasses
import json
import sqlite3
from collections.abc import Callable, Sequence


@dataclasses.dataclass(frozen=True)
class StoredRevision:
    """One revision as stored (and as synced): a header plus an opaque envelope.

    The server's ``counsel.server.model.Revision`` has the same header on purpose but is
    its own type (it adds the server's sequence number and the pushing device, and the
    server never imports the vault); see its docstring."""

    rev_id: str
    record_id: str
    parents: tuple[str, ...]
    kind: str
    key_id: str
    device_id: str
    envelope: bytes  # empty: the content was erased (the header stays for the chain)
    counter: int = 0  # this device's change number (0: written before chained history)
    prev: str = ""  # chain hash of the device's previous change (counsel.vault.history)


@dataclasses.dataclass(frozen=True)
class RevisionRow:
    revision: StoredRevision
    local_seq: int


Observer = Callable[
    [sqlite3.Connection, list[StoredRevision], list[tuple[str, str]], list[tuple[str, str]]], None
]

COLUMNS = "rev_id, record_id, parents, kind, key_id, device_id, envelope, counter, prev"
N = 9  # columns in _COLUMNS: the index of local_seq after them


def row_to_rev(row: Sequence[object]) -> StoredRevision:
    return StoredRevision(
        rev_id=str(row[0]),
        record_id=str(row[1]),
        parents=() if row[2] == "[]" else tuple(json.loads(str(row[2]))),
        kind=str(row[3]),
        key_id=str(row[4]),
        device_id=str(row[5]),
        envelope=bytes(row[6]),  # type: ignore[call-overload]
        counter=int(row[7]),  # type: ignore[call-overload]
        prev=str(row[8]),
    )
