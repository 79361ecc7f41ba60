"""What sync leaves for a person to look at, in words a counsellor reads (Qt-free).

* Open conflicts (``counsel.sync.conflicts``) described for a list: record kind,
  client, the fields in conflict, with every value formatted for the screen and
  traced back to the device(s) that wrote it.
* Records that came back because an edit on one device beat a delete on another
  (the merge restores them automatically — an edit is never lost).  They stay listed
  until the person keeps them or deletes them again; "kept" is remembered locally by
  the head revision id, so the same record coming back again later is shown again.

Choosing is the person's job: nothing here picks a side.  ``combine_texts`` only
proposes a starting text for the "combined" editor, holding every line of every side.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import enum
import json
import types
import typing
from typing import TYPE_CHECKING, Any

from counsel.domain import RECORD_TYPES, Client
from counsel.errors import IntegrityError, RecordNotFound, ValidationError
from counsel.i18n import N_
from counsel.i18n import gettext as _
from counsel.sync import conflicts
from counsel.sync.conflicts import Conflict
from counsel.sync.merge import MISSING, FieldConflict

if TYPE_CHECKING:
    from counsel.vault.service import Vault
    from counsel.vault.views import Saved

#: local (never synced) list of restored head revisions the person chose to keep
RESTORED_SEEN = "restored_seen"

KIND_LABELS = {
    "client": N_("Client"),
    "encounter": N_("Encounter"),
    "work": N_("Work entry"),
    "contact": N_("Contact"),
    "plan": N_("Plan"),
    "reminder": N_("Reminder"),
    "setting": N_("Setting"),
}

FIELD_LABELS = {
    "name": N_("Name"),
    "preferred_name": N_("Preferred name"),
    "birth_date": N_("Date of birth"),
    "languages": N_("Languages"),
    "literacy": N_("Literacy"),
    "interpreter_needed": N_("Needs an interpreter"),
    "interpreter_language": N_("Interpreter language"),
    "interpreter_mode": N_("Interpreter"),
    "permit_date": N_("Residence permit date"),
    "permit_basis": N_("Permit basis"),
    "municipality": N_("Municipality"),
    "client_type": N_("Client type"),
    "education": N_("Education"),
    "work_history": N_("Work history"),
    "recognised_skills": N_("Recognised skills"),
    "phone": N_("Phone"),
    "email": N_("Email"),
    "notes": N_("Notes"),
    "active": N_("Active client"),
    "started": N_("Client since"),
    "ended": N_("Client until"),
    "client": N_("Client"),
    "date": N_("Date"),
    "start": N_("Start"),
    "minutes": N_("Minutes"),
    "place": N_("Place"),
    "others_present": N_("Others present"),
    "given": N_("What was given"),
    "situation": N_("The client's situation"),
    "resources": N_("Resources"),
    "possibilities": N_("Possibilities"),
    "obstacles": N_("Obstacles to progress"),
    "obstacles_text": N_("Obstacles in detail"),
    "experiential": N_("Their own experience"),
    "actions": N_("Agreed actions"),
    "next_step": N_("Client's next step"),
    "kind": N_("Kind"),
    "contact": N_("Other party"),
    "party_kind": N_("Party kind"),
    "channel": N_("Channel"),
    "what": N_("What"),
    "organisation": N_("Organisation"),
    "role": N_("Role"),
    "template": N_("Template"),
    "client_language": N_("Client's language"),
    "status": N_("Status"),
    "made": N_("Made"),
    "valid_until": N_("Valid until"),
    "review": N_("Review"),
    "sections": N_("Sections"),
    "goals": N_("Goals"),
    "measures": N_("Measures"),
    "printed": N_("Printed"),
    "due": N_("Due"),
    "text": N_("Text"),
    "done": N_("Done"),
    "value_json": N_("Value"),
}


#: free-text fields that hold several lines (the others are single-line in the domain)
MULTILINE = frozenset({
    "notes", "education", "work_history", "recognised_skills", "situation", "resources",
    "possibilities", "obstacles_text", "experiential", "next_step", "goals", "text"})


def kind_label(kind: str) -> str:
    text = KIND_LABELS.get(kind)
    return _(text) if text else kind


def field_label(name: str) -> str:
    text = FIELD_LABELS.get(name)
    return _(text) if text else name.replace("_", " ")


def _field_type(kind: str, name: str) -> Any:
    cls = RECORD_TYPES.get(kind)
    if cls is None:
        return None
    return typing.get_type_hints(cls).get(name)


def _strip_optional(tp: Any) -> Any:
    if isinstance(tp, types.UnionType) or typing.get_origin(tp) is typing.Union:
        args = [a for a in typing.get_args(tp) if a is not type(None)]
        return args[0] if len(args) == 1 else tp
    return tp


def is_text_field(kind: str, name: str) -> bool:
    """A free-text field: the person may write a combined text instead of picking a side.
    (A setting's value is JSON, not prose: only one side can be picked.)"""
    return kind != "setting" and _strip_optional(_field_type(kind, name)) is str


def format_value(kind: str, name: str, value: Any) -> str:
    """A stored (JSON-form) value as the counsellor reads it."""
    if value is MISSING or value is None or value == "" or value == []:
        return _("(empty)")
    tp = _strip_optional(_field_type(kind, name))
    return _format(tp, value)


def _format(tp: Any, value: Any) -> str:
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    if isinstance(tp, type) and issubclass(tp, enum.Enum) and isinstance(value, str):
        try:
            member = tp(value)
        except ValueError:
            return value
        label = getattr(member, "label", None)
        return str(label()) if callable(label) else value
    if tp is dt.date and isinstance(value, str):
        from counsel.i18n import display

        try:
            return display.date(dt.date.fromisoformat(value), "medium")
        except ValueError:
            return value
    if isinstance(value, list):
        inner = _strip_optional(typing.get_args(tp)[0]) if typing.get_args(tp) else None
        parts = [_format(inner, v) for v in value]
        sep = ", " if all("\n" not in p and len(p) < 40 for p in parts) else "\n"
        return sep.join(parts)
    if isinstance(value, dict):
        hints = typing.get_type_hints(tp) if dataclasses.is_dataclass(tp) else {}
        shown = [_format(_strip_optional(hints.get(k)), v) for k, v in value.items()
                 if v not in (None, "", [], False)]
        return " · ".join(shown)
    return str(value)


def _same(a: Any, b: Any) -> bool:
    if a is MISSING or b is MISSING:
        return a is b
    return json.dumps(a, sort_keys=True) == json.dumps(b, sort_keys=True)


def combine_texts(values: typing.Sequence[Any], *, multiline: bool = True) -> str:
    """A starting point for a combined text: the first version, then every line of the
    others that it does not have yet, in their order (nothing typed is dropped).
    A single-line field gets the distinct versions joined with " / "."""
    texts = [v for v in values if isinstance(v, str)]
    if not texts:
        return ""
    if not multiline:
        return " / ".join(dict.fromkeys(t.strip() for t in texts if t.strip()))
    out = texts[0].splitlines()
    seen = set(out)
    for text in texts[1:]:
        for line in text.splitlines():
            if line not in seen:
                out.append(line)
                seen.add(line)
    ends = any(t.endswith("\n") for t in texts) or (len(out) > 1 and out[-1] == "")
    return "\n".join(out) + ("\n" if ends else "")


@dataclasses.dataclass(frozen=True)
class Version:
    """One side of a field in conflict: the value and who wrote it."""

    value: Any
    text: str  # formatted for the screen
    this_device: bool  # written on this computer (else: on another device)


@dataclasses.dataclass(frozen=True)
class FieldView:
    name: str
    label: str
    base_text: str
    versions: tuple[Version, ...]
    text_field: bool  # a combined text may be written
    multiline: bool  # ... over several lines

    @property
    def values(self) -> tuple[Any, ...]:
        return tuple(v.value for v in self.versions)

    def proposal(self) -> str:
        """A combined text to start from: this computer's version first."""
        mine_first = sorted(self.versions, key=lambda v: not v.this_device)
        return combine_texts([v.value for v in mine_first], multiline=self.multiline)


@dataclasses.dataclass(frozen=True)
class ConflictView:
    conflict: Conflict
    kind_label: str
    client_name: str
    title: str  # what the record is (a name, a date, a text) — for the list
    fields: tuple[FieldView, ...]
    deleted_on_a_device: bool  # one leaf deleted the record, others edited it

    @property
    def record_id(self) -> str:
        return self.conflict.record_id

    @property
    def field_labels(self) -> str:
        return ", ".join(f.label for f in self.fields)


def _client_of(kind: str, record_id: str, data: dict[str, Any] | None) -> str | None:
    if kind == Client.KIND:
        return record_id
    value = (data or {}).get("client")
    return value if isinstance(value, str) else None


def client_name(vault: Vault, client_id: str | None) -> str:
    if not client_id:
        return ""
    try:
        return vault.get_typed(Client, client_id).display_name
    except (RecordNotFound, ValidationError, IntegrityError):
        return ""


def _title(kind: str, data: dict[str, Any] | None) -> str:
    data = data or {}
    for key in ("name", "text", "what", "key"):
        value = data.get(key)
        if isinstance(value, str) and value.strip():
            return value.splitlines()[0][:80]
    for key in ("date", "made", "due"):
        if isinstance(data.get(key), str):
            return format_value(kind, key, data[key])
    return ""


def _field_view(vault: Vault, c: Conflict, f: FieldConflict) -> FieldView:
    versions = []
    for value in f.values:
        writers = [leaf for leaf in c.leaves
                   if leaf.data is not None and _same(leaf.data.get(f.name, MISSING), value)]
        mine = any(leaf.device_id == vault.device_id for leaf in writers)
        versions.append(Version(value, format_value(c.kind, f.name, value), mine))
    text = is_text_field(c.kind, f.name)
    multiline = text and (f.name in MULTILINE or any(
        isinstance(v, str) and "\n" in v.strip() for v in (f.base, *f.values)))
    return FieldView(f.name, field_label(f.name), format_value(c.kind, f.name, f.base),
                     tuple(versions), text, multiline)


def describe(vault: Vault, c: Conflict) -> ConflictView:
    live = [leaf.data for leaf in c.leaves if leaf.data is not None]
    data = live[0] if live else c.base
    return ConflictView(
        conflict=c, kind_label=kind_label(c.kind),
        client_name=client_name(vault, _client_of(c.kind, c.record_id, data)),
        title="" if c.kind == Client.KIND else _title(c.kind, data),
        fields=tuple(_field_view(vault, c, f) for f in c.fields),
        deleted_on_a_device=any(leaf.data is None for leaf in c.leaves))


def open_conflicts(vault: Vault) -> list[ConflictView]:
    return [describe(vault, c) for c in conflicts.open_conflicts(vault)]


def _audited(vault: Vault, view: ConflictView, saved: Saved, detail: str) -> Saved:
    """The person's choice is an edit: an audit entry (the merge itself is not one)."""
    c = view.conflict
    live = [leaf.data for leaf in c.leaves if leaf.data is not None]
    vault.audit.record("edit", client_id=_client_of(c.kind, c.record_id,
                                                    live[0] if live else c.base),
                       record_id=c.record_id, record_kind=c.kind, detail=detail)
    return saved


def resolve(vault: Vault, view: ConflictView, choices: dict[str, Any]) -> Saved:
    """Save the person's choice per field as a resolution naming the leaves they saw."""
    return _audited(vault, view, conflicts.resolve(vault, view.conflict, choices),
                    "conflict resolved")


def delete_for_good(vault: Vault, view: ConflictView) -> Saved:
    """Resolve a delete-vs-edit conflict by deleting: a resolution with no content."""
    return _audited(vault, view, vault.save_resolution(
        view.record_id, view.conflict.kind, None, list(view.conflict.leaf_ids)),
        "deleted (conflict)")


# -- records that came back --------------------------------------------------------------
@dataclasses.dataclass(frozen=True)
class RestoredView:
    record_id: str
    rev_id: str  # the head that restored it
    kind: str
    kind_label: str
    client_name: str
    title: str
    fields: tuple[tuple[str, str], ...]  # (label, value) of every non-empty field


def _seen(vault: Vault) -> set[str]:
    try:
        return set(json.loads(vault.sync_port.state(RESTORED_SEEN) or "[]"))
    except ValueError:
        return set()


def restored_records(vault: Vault) -> list[RestoredView]:
    """Records brought back by an edit that beat a delete, not yet kept or deleted again."""
    rows = vault.sync_port.merge_heads()
    seen = _seen(vault)
    out = []
    for record_id, rev_id, kind in rows:
        if rev_id in seen or not conflicts.was_restored(vault, record_id):
            continue
        try:
            record = vault.get(record_id)
        except (RecordNotFound, ValidationError, IntegrityError):
            continue
        from counsel.domain.codec import to_dict

        data = to_dict(record)
        shown = tuple((field_label(k), format_value(kind, k, v)) for k, v in data.items()
                      if k not in ("id", "client") and v not in (None, "", [], False))
        out.append(RestoredView(record_id, rev_id, kind, kind_label(kind),
                                client_name(vault, _client_of(kind, record_id, data)),
                                "" if kind == Client.KIND else _title(kind, data), shown))
    return out


def keep_restored(vault: Vault, view: RestoredView) -> None:
    """The person saw the record came back and keeps it: stop listing it."""
    seen = _seen(vault) | {view.rev_id}
    vault.sync_port.set_states({RESTORED_SEEN: json.dumps(sorted(seen))})


def delete_restored(vault: Vault, view: RestoredView) -> Saved:
    """Delete a record that came back, explicitly (a new tombstone revision)."""
    saved = vault.delete(view.record_id, audited=True)
    keep_restored(vault, view)
    return saved
