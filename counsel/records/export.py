"""The client's copy of their records (subject access, GDPR Art. 15): collected once,
written as a readable PDF in the client's language (:mod:`counsel.records.export_pdf`) and
as machine-readable JSON (schema below; docs/records-management.md).

JSON schema ``counsel.subject-access/1`` (keys stable, sorted; dates and times ISO 8601)::

    {"schema": "counsel.subject-access/1",
     "exported_at": "2026-12-02T21:00:00+00:00",      # UTC
     "client_id": "…", "language": "ar",              # the PDF's language
     "records": [                                     # every record sealed under the
       {"record_id": "…", "kind": "encounter",        #   client's key, deleted ones too
        "current": {…fields…} | null,                 # null: deleted
        "versions": [                                 # oldest first; the last is current
          {"version": 1, "revision": "…", "device": "…", "deleted": false,
           "damaged": null | "reason", "data": {…fields…} | null}]}]}

Fields are the records' own (``counsel.domain``; enums by their stable English value).
Nothing is written but the two files the person asked for, each whole or not at all.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

from counsel.domain import Client, Record
from counsel.domain.codec import to_dict
from counsel.errors import KnownError, RecordNotFound
from counsel.i18n import gettext as _

if TYPE_CHECKING:
    from counsel.vault.service import Vault

SCHEMA = "counsel.subject-access/1"


@dataclasses.dataclass(frozen=True)
class Version:
    n: int
    rev_id: str
    device_id: str
    deleted: bool
    record: Record | None
    damaged: str | None = None


@dataclasses.dataclass(frozen=True)
class RecordCopy:
    record_id: str
    kind: str
    current: Record | None  # None: deleted (its versions are still shown)
    versions: tuple[Version, ...]


@dataclasses.dataclass(frozen=True)
class SubjectAccess:
    client: Client
    language: str
    exported_at: dt.datetime
    records: tuple[RecordCopy, ...]

    def of_kind(self, *kinds: str) -> list[RecordCopy]:
        return [r for r in self.records if r.kind in kinds]


class NoSuchClient(KnownError):
    pass


def collect(vault: Vault, client_id: str, language: str | None = None,
            now: dt.datetime | None = None) -> SubjectAccess:
    """Everything about one client: every record sealed under their key with every
    version.  ``language``: the PDF's (default: the client's own, see
    ``counsel.plans.editing.default_client_language``)."""
    from counsel.plans.editing import default_client_language

    try:
        history = vault.client_history(client_id)
        client = vault.get_typed(Client, client_id)
    except RecordNotFound as exc:
        raise NoSuchClient(_("There is no client with the id {id}.").format(id=client_id),
                           help_text=_("Copy the id from the client card or from "
                                       "`counsel search`.")) from exc
    copies = []
    for record_id, revisions in history.items():
        versions = tuple(Version(n, r.rev_id, r.device_id, r.deleted, r.record, r.damaged)
                         for n, r in enumerate(revisions, 1))
        kind = next((v.record.KIND for v in versions if v.record is not None), "")
        current = vault.get(record_id) if vault.exists(record_id) else None
        copies.append(RecordCopy(record_id, kind or "unknown", current, versions))
    return SubjectAccess(client, language or default_client_language(client),
                         now or dt.datetime.now(dt.UTC), tuple(copies))


def _data(record: Record | None) -> dict[str, Any] | None:
    return None if record is None else to_dict(record)


def to_json(access: SubjectAccess) -> bytes:
    doc = {
        "schema": SCHEMA,
        "exported_at": access.exported_at.astimezone(dt.UTC).isoformat(timespec="seconds"),
        "client_id": access.client.id,
        "language": access.language,
        "records": [
            {"record_id": r.record_id, "kind": r.kind, "current": _data(r.current),
             "versions": [{"version": v.n, "revision": v.rev_id, "device": v.device_id,
                           "deleted": v.deleted, "damaged": v.damaged,
                           "data": _data(v.record)} for v in r.versions]}
            for r in access.records
        ],
    }
    return json.dumps(doc, ensure_ascii=False, indent=2, sort_keys=True).encode("utf-8")


def file_stem(access: SubjectAccess) -> str:
    """``client-<id>-<date>``: no name in the file name (it may be seen in a folder)."""
    return f"client-{access.client.id}-{access.exported_at.date().isoformat()}"


def write_export(vault: Vault, client_id: str, out_dir: str | Path, *,
                 language: str | None = None, counsellor_lang: str = "en",
                 organisation: str = "") -> tuple[Path, Path]:
    """Write ``<stem>.pdf`` and ``<stem>.json`` into ``out_dir`` (both or neither)."""
    from counsel.atomicfile import write_atomic
    from counsel.records.export_pdf import render_export

    folder = Path(out_dir).expanduser()
    if not folder.is_dir():
        raise KnownError(_("The folder {folder} does not exist.").format(folder=str(folder)),
                         help_text=_("Create the folder or choose another one."))
    access = collect(vault, client_id, language)
    pdf = render_export(access, counsellor_lang=counsellor_lang, organisation=organisation)
    data = to_json(access)
    json_path = folder / f"{file_stem(access)}.json"
    pdf_path = folder / f"{file_stem(access)}.pdf"
    write_atomic(json_path, data)
    try:
        write_atomic(pdf_path, pdf)
    except BaseException:
        json_path.unlink(missing_ok=True)
        raise
    record_export(vault, client_id, (pdf_path, json_path))
    return pdf_path, json_path


def record_export(vault: Vault, client_id: str, files: tuple[Path, ...]) -> None:
    """The export in the audit trail: the client's id and the file kinds, no content and
    no folder (a path can name the client)."""
    vault.audit.record("export", client_id=client_id, record_kind="client",
                       detail="subject-access: " + "+".join(p.suffix[1:] for p in files))
