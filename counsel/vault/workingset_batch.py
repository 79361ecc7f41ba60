"""A batch of working-set rows (counsel.vault.workingset): the rows of many records,
built here and inserted table by table with ``executemany``."""

from __future__ import annotations

import json
from typing import Any

from counsel.domain import Client, Contact, Encounter, Plan, Record, Reminder, WorkEntry
from counsel.domain.codec import to_dict
from counsel.vault import textnorm
from counsel.vault.rows import actions_json, index_text, iso

#: Kinds whose full JSON is kept in memory (short records).  Encounters are not (their
#: bodies are decrypted on demand); work entries are rebuilt from the ``work`` columns.
# audit entries, consents and disclosures are read whole in lists (counsel.records)
KEEP_JSON = {Client.KIND, Contact.KIND, Plan.KIND, Reminder.KIND, "setting", "audit", "consent",
             "disclosure", "client_setting"}


#: not a table: the rowids of a batch's encounters whose note text is indexed later
#: (:attr:`WorkingSet.unindexed`)
UNINDEXED = "unindexed"


class Batch:
    """The working-set rows of many records, inserted table by table with ``executemany``
    (:meth:`WorkingSet.insert`): one save is a batch of one, a rebuild batches thousands."""

    def __init__(self, *, defer_bodies: bool = False) -> None:
        #: encounters' note text left out of the index for a later pass (a rebuild: the
        #: client list is ready sooner); their rowids go to ``unindexed``
        self.defer_bodies = defer_bodies
        self.clear()

    def clear(self) -> None:
        self.unindexed: list[tuple[int]] = []
        self.records: list[tuple[Any, ...]] = []
        self.clients: list[tuple[Any, ...]] = []
        self.encounters: list[tuple[Any, ...]] = []
        self.actions: list[tuple[Any, ...]] = []
        self.work: list[tuple[Any, ...]] = []
        self.fts_clients: list[tuple[Any, ...]] = []
        self.fts_all: list[tuple[Any, ...]] = []

    def __len__(self) -> int:
        return len(self.records)

    def tables(self) -> list[tuple[str, list[tuple[Any, ...]]]]:
        return [("records", self.records), ("clients", self.clients),
                ("encounters", self.encounters), ("actions", self.actions),
                ("work", self.work), ("fts_clients", self.fts_clients),
                ("fts_all", self.fts_all), (UNINDEXED, self.unindexed)]

    def add_record(self, rowid: int, record_id: str, kind: str, rev_id: str, record: Record,
                   *, conflict: bool = False, data_json: str | None = None) -> None:
        """The rows of a decoded record (every kind)."""
        data = None
        if kind in KEEP_JSON:
            data = (
                data_json
                if data_json is not None
                else json.dumps(to_dict(record), ensure_ascii=False)
            )
        self.records.append(
            (rowid, record_id, kind, rev_id, record.client_id, int(conflict), data))
        title, body = index_text(record)
        if title or body:
            (self.fts_clients if isinstance(record, Client) else self.fts_all).append(
                (rowid, title, body))
        if isinstance(record, Client):
            self.clients.append((
                rowid,
                record.name,
                record.preferred_name,
                textnorm.normalize(record.name),
                iso(record.birth_date),
                record.mother_tongue,
                " ".join(x.code for x in record.languages),
                record.municipality,
                record.client_type.value,
                int(record.interpreter_needed),
                record.interpreter_language,
                int(record.active),
                iso(record.permit_date),
                record.permit_basis.value if record.permit_basis else None,
                iso(record.started),
                record.literacy.value if record.literacy else None,
                iso(record.ended),
            ))
        elif isinstance(record, Encounter):
            self.encounters.append((
                rowid,
                record.client,
                iso(record.date),
                iso(record.start),
                record.minutes,
                record.place.value,
                record.interpreter_mode.value,
                record.interpreter_language,
                ",".join(g.value for g in record.given),
                ",".join(o.value for o in record.obstacles),
                actions_json(record.actions) if record.actions else None,
                record.author,
            ))
            self.actions.extend(
                (rowid, i, record.client, a.due.isoformat())
                for i, a in enumerate(record.actions) if a.due is not None and not a.done)
        elif isinstance(record, WorkEntry):
            self.work.append((
                rowid,
                record.client,
                iso(record.date),
                iso(record.start),
                record.minutes,
                record.kind.value,
                record.channel.value,
                record.party_kind.value if record.party_kind else None,
                record.contact,
                record.encounter,
                record.source,
                record.what,
                record.author,
            ))
