"""Three-way merge of record payloads (pure functions, no vault, no I/O).

Per field against the common ancestor: a field only one side changed takes that
change; a text field both sides changed is merged line by line (diff3); anything else
both sides changed differently is a ``FieldConflict`` — never last-writer-wins.  A
deleted leaf (``None``) loses against any edit: the record comes back, flagged.

The result depends only on the base and the *set* of leaves (callers pass leaves
sorted by revision id), so two devices merging the same leaves produce the same
content — and with ``merge_rev_id`` the same revision id, so pushes stay idempotent
and merges do not ping-pong.
"""

from __future__ import annotations

import dataclasses
import difflib
import hashlib
import json
from collections.abc import Sequence
from typing import Any

MISSING: Any = object()


@dataclasses.dataclass(frozen=True)
class FieldConflict:
    """One field both sides changed differently. ``theirs`` has one value per other leaf."""

    name: str
    base: Any
    ours: Any
    theirs: tuple[Any, ...]

    @property
    def values(self) -> tuple[Any, ...]:
        return (self.ours, *self.theirs)


@dataclasses.dataclass(frozen=True)
class MergeResult:
    merged: dict[str, Any] | None  # None: the record stays deleted
    conflicts: tuple[FieldConflict, ...]
    restored: bool  # a delete lost against an edit

    @property
    def clean(self) -> bool:
        return not self.conflicts


def _canon(value: Any) -> str:
    return json.dumps(value, sort_keys=True, ensure_ascii=False, separators=(",", ":"))


def merge3_text(base: str, ours: str, theirs: str) -> str | None:
    """Line-based three-way merge; None when both sides changed the same lines differently."""
    if ours == theirs or theirs == base:
        return ours
    if ours == base:
        return theirs
    o, a, b = (s.splitlines(keepends=True) for s in (base, ours, theirs))
    ma, mb = _matches(o, a), _matches(o, b)
    out: list[str] = []
    io = ia = ib = 0
    while True:
        sync = next((k for k in range(io, len(o))
                     if k in ma and k in mb and ma[k] >= ia and mb[k] >= ib), None)
        end_o = len(o) if sync is None else sync
        end_a = len(a) if sync is None else ma[sync]
        end_b = len(b) if sync is None else mb[sync]
        chunk_o, chunk_a, chunk_b = o[io:end_o], a[ia:end_a], b[ib:end_b]
        if chunk_a == chunk_o:
            out += chunk_b
        elif chunk_b == chunk_o or chunk_a == chunk_b:
            out += chunk_a
        else:
            return None
        if sync is None:
            break
        out.append(o[sync])
        io, ia, ib = sync + 1, ma[sync] + 1, mb[sync] + 1
    return "".join(out)


def _matches(base: list[str], other: list[str]) -> dict[int, int]:
    found: dict[int, int] = {}
    matcher = difflib.SequenceMatcher(None, base, other, autojunk=False)
    for block in matcher.get_matching_blocks():
        for k in range(block.size):
            found[block.a + k] = block.b + k
    return found


def merge_field(name: str, base: Any, values: Sequence[Any]) -> tuple[Any, FieldConflict | None]:
    """Merge one field's leaf values against its base value."""
    changed: dict[str, Any] = {}
    for v in values:
        # a field the base lacks (no common ancestor held here, e.g. one refused as
        # tampered) counts as changed on every side that has it
        if v is MISSING or (base is not MISSING and _canon(v) == _canon(base)):
            continue
        changed.setdefault(_canon(v), v)
    if not changed:
        return base, None
    if len(changed) == 1:
        return next(iter(changed.values())), None
    options = list(changed.values())
    if isinstance(base, str) and all(isinstance(v, str) for v in options):
        merged: str | None = options[0]
        for other in options[1:]:
            assert merged is not None
            merged = merge3_text(base, merged, other)
            if merged is None:
                break
        if merged is not None:
            return merged, None
    return MISSING, FieldConflict(name, None if base is MISSING else base, options[0],
                                  tuple(options[1:]))


def merge_records(base: dict[str, Any] | None,
                  leaves: Sequence[dict[str, Any] | None]) -> MergeResult:
    """Merge leaf payloads (None = deleted) against the common ancestor's payload."""
    live = [leaf for leaf in leaves if leaf is not None]
    if not live:
        return MergeResult(None, (), False)
    restored = len(live) < len(leaves)
    if len(live) == 1:
        return MergeResult(dict(live[0]), (), restored)
    ref = base or {}
    merged: dict[str, Any] = {}
    conflicts: list[FieldConflict] = []
    names = sorted({k for leaf in live for k in leaf} | set(ref))
    for name in names:
        value, conflict = merge_field(name, ref.get(name, MISSING),
                                      [leaf.get(name, MISSING) for leaf in live])
        if conflict is not None:
            conflicts.append(conflict)
        elif value is not MISSING:
            merged[name] = value
    return MergeResult(merged, tuple(conflicts), restored)


def merge_rev_id(record_id: str, kind: str, parents: Sequence[str],
                 merged: dict[str, Any] | None) -> str:
    """The same id on every device that merges the same leaves into the same content."""
    h = hashlib.sha256()
    h.update(b"counsel merge v1\0")
    h.update(_canon([record_id, kind, sorted(parents), merged]).encode())
    return h.hexdigest()[:32]
