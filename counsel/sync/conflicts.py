"""Conflicts: records with more than one leaf, merged automatically when clean.

A record with several leaves (heads) is merged per field against the common ancestor
(``counsel.sync.merge``).  A clean merge is saved at once as a resolution revision
whose parents are the leaves and whose id is derived from the parents and the merged
content — every device computes the same revision, so the merge is pushed once and
never ping-pongs.  Otherwise the record has an open ``Conflict``: the UI shows the
fields side by side and ``resolve`` writes the person's choice as a resolution naming
exactly the leaves they saw; a leaf that arrives meanwhile stays live.
"""

from __future__ import annotations

import dataclasses
import logging
from typing import TYPE_CHECKING, Any

from counsel.domain import RECORD_TYPES
from counsel.domain.codec import from_dict, to_dict
from counsel.errors import IntegrityError, RecordNotFound, ValidationError
from counsel.i18n import gettext as _
from counsel.sync.merge import MISSING, FieldConflict, MergeResult, merge_records, merge_rev_id
from counsel.vault.revision import StoredRevision

if TYPE_CHECKING:
    from counsel.vault.service import Vault
    from counsel.vault.views import Saved

log = logging.getLogger("counsel.sync")

__all__ = ["Conflict", "FieldConflict", "Leaf", "MergeReport", "auto_merge", "open_conflicts",
           "resolve", "was_restored"]


@dataclasses.dataclass(frozen=True)
class Leaf:
    rev_id: str
    device_id: str
    data: dict[str, Any] | None  # None: this leaf deleted the record


@dataclasses.dataclass(frozen=True)
class Conflict:
    """An open conflict: the UI shows ``fields`` side by side (base, ours, theirs)."""

    record_id: str
    kind: str
    base: dict[str, Any] | None
    leaves: tuple[Leaf, ...]
    fields: tuple[FieldConflict, ...]
    merged: dict[str, Any] | None  # every field that merged cleanly (a proposal)

    @property
    def leaf_ids(self) -> tuple[str, ...]:
        return tuple(leaf.rev_id for leaf in self.leaves)


@dataclasses.dataclass(frozen=True)
class MergeReport:
    merged: tuple[str, ...]  # record ids merged automatically
    restored: tuple[str, ...]  # record ids brought back because an edit beat a delete
    open: tuple[Conflict, ...]
    damaged: tuple[str, ...]


def conflicted_records(vault: Vault) -> list[str]:
    return vault.sync_port.conflicted_records()


def _ancestors(graph: dict[str, tuple[str, ...]], start: str) -> set[str]:
    seen, todo = set(), [start]
    while todo:
        rev = todo.pop()
        if rev in seen or rev not in graph:
            continue
        seen.add(rev)
        todo.extend(graph[rev])
    return seen


def common_base(vault: Vault, record_id: str, leaf_ids: list[str]) -> StoredRevision | None:
    """The nearest common ancestor of the leaves (deterministic on a criss-cross)."""
    rows = vault.sync_port.revisions_of(record_id)
    graph = {r.revision.rev_id: r.revision.parents for r in rows}
    common: set[str] | None = None
    for leaf in leaf_ids:
        anc = _ancestors(graph, leaf)
        common = anc if common is None else common & anc
    if not common:
        return None
    # Drop every common ancestor that is an ancestor of another one.
    below: set[str] = set()
    for rev in common:
        below |= _ancestors(graph, rev) - {rev}
    best = sorted(common - below)
    return vault.sync_port.revision(best[0]) if best else None


def analyse(vault: Vault, record_id: str) -> tuple[Conflict, MergeResult] | None:
    heads = vault.sync_port.heads(record_id)  # sorted by rev id: the same order everywhere
    if len(heads) < 2:
        return None
    leaves = tuple(Leaf(h.rev_id, h.device_id, vault.sync_port.open(h)) for h in heads)
    base_rev = common_base(vault, record_id, [h.rev_id for h in heads])
    base = vault.sync_port.open(base_rev) if base_rev is not None else None
    result = merge_records(base, [leaf.data for leaf in leaves])
    if result.merged is not None and result.clean:
        result = _validate(heads[0].kind, base, leaves, result)
    conflict = Conflict(record_id=record_id, kind=heads[0].kind, base=base, leaves=leaves,
                        fields=result.conflicts, merged=result.merged)
    return conflict, result


def _validate(kind: str, base: dict[str, Any] | None, leaves: tuple[Leaf, ...],
              result: MergeResult) -> MergeResult:
    """A merge of valid records can still break a rule between fields: make that a conflict."""
    cls = RECORD_TYPES.get(kind)
    if cls is None or result.merged is None:
        return result
    try:
        from_dict(cls, result.merged)
    except ValidationError as exc:
        name = exc.field.split(".")[0]
        values = [leaf.data.get(name) for leaf in leaves if leaf.data is not None]
        merged = {k: v for k, v in result.merged.items() if k != name}
        field = FieldConflict(name, (base or {}).get(name), values[0], tuple(values[1:]))
        return MergeResult(merged, (field,), result.restored)
    return result


def auto_merge(vault: Vault) -> MergeReport:
    merged, restored, open_, damaged = [], [], [], []
    for record_id in conflicted_records(vault):
        try:
            found = analyse(vault, record_id)
        except (IntegrityError, RecordNotFound, ValidationError) as exc:
            log.error("cannot merge record %s: %s", record_id, type(exc).__name__)
            damaged.append(record_id)
            continue
        if found is None:
            continue
        conflict, result = found
        if not result.clean:
            open_.append(conflict)
            continue
        parents = list(conflict.leaf_ids)
        record = None
        if result.merged is not None:
            record = from_dict(RECORD_TYPES[conflict.kind], result.merged)
        content = to_dict(record) if record is not None else None
        vault.save_resolution(record_id, conflict.kind, record, parents,
                              rev_id=merge_rev_id(record_id, conflict.kind, parents, content))
        merged.append(record_id)
        if result.restored:
            restored.append(record_id)
    return MergeReport(tuple(merged), tuple(restored), tuple(open_), tuple(damaged))


def open_conflicts(vault: Vault) -> list[Conflict]:
    out = []
    for record_id in conflicted_records(vault):
        try:
            found = analyse(vault, record_id)
        except (IntegrityError, RecordNotFound, ValidationError):
            continue
        if found is not None and not found[1].clean:
            out.append(found[0])
    return out


def resolve(vault: Vault, conflict: Conflict, choices: dict[str, Any]) -> Saved:
    """Save the person's choice for every conflicting field; parents = the leaves shown."""
    missing = [f.name for f in conflict.fields if f.name not in choices]
    if missing:
        raise ValidationError(missing[0], _("needs a choice before the conflict is resolved"))
    data = {**(conflict.merged or {}), **choices}
    data = {k: v for k, v in data.items() if v is not MISSING}
    record = from_dict(RECORD_TYPES[conflict.kind], data)
    return vault.save_resolution(conflict.record_id, conflict.kind, record,
                                 list(conflict.leaf_ids))


def was_restored(vault: Vault, record_id: str) -> bool:
    """True when the current head came back because an edit beat a delete (show a flag)."""
    heads = vault.sync_port.heads(record_id)
    if len(heads) != 1 or len(heads[0].parents) < 2:
        return False
    try:
        if vault.sync_port.open(heads[0]) is None:
            return False
        for parent_id in heads[0].parents:
            parent = vault.sync_port.revision(parent_id)
            if parent is not None and vault.sync_port.open(parent) is None:
                return True
    except (IntegrityError, RecordNotFound):
        return False
    return False
