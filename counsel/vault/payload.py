"""A record's bytes inside its revision envelope, and the sealing of revisions.

``encode`` turns a record (or a deletion) into the payload; :class:`RevisionCipher` seals
it into an envelope bound to its record, revision and kind, and opens stored revisions
back into records.  Both directions go through :mod:`counsel.vault.envelope`.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from typing import Any

from counsel.domain import RECORD_TYPES, Record
from counsel.domain.codec import from_dict, to_dict
from counsel.errors import IntegrityError
from counsel.i18n import gettext as _
from counsel.vault import envelope, history
from counsel.vault.keyring import UnlockedKeys
from counsel.vault.store import StoredRevision

PAYLOAD_VERSION = 1


def encode(record: Record | None) -> bytes:
    """The payload of a revision: the record's fields, or a deletion marker (tombstone)."""
    body: dict[str, Any] = {"v": PAYLOAD_VERSION}
    if record is None:
        body["deleted"] = True
    else:
        body["data"] = to_dict(record)
    return json.dumps(body, ensure_ascii=False, separators=(",", ":")).encode()


def record_from(kind: str, data: dict[str, Any], record_id: str) -> Record:
    cls = RECORD_TYPES.get(kind)
    if cls is None:
        raise IntegrityError(_("A record has an unknown kind."), record_id=record_id)
    return from_dict(cls, data)


class RevisionCipher:
    """Seals new revisions and opens stored ones with the right client key.

    New revisions are chained (``history.CHAINED``: the whole header is the associated
    data); revisions written before chained history (format 1, no counter) still open."""

    def __init__(self, keys: UnlockedKeys) -> None:
        self._keys = keys
        self._vault_id = keys.vault_id
        #: the start of every chained revision's associated data (history.record_aad)
        self._chained_prefix = envelope.aad("record2", keys.vault_id)

    def seal(self, header: StoredRevision, payload: bytes,
             aad: bytes | None = None) -> bytes:
        """Under the newest key generation (``counsel.vault.generations``); ``aad``: the
        header's ``history.record_aad`` when the caller made it already."""
        gen = self._keys.generation
        return envelope.seal_gen(self._keys.cipher(header.key_id, generation=gen), payload,
                                 aad if aad is not None else
                                 history.record_aad(self._vault_id, header), gen,
                                 version=history.CHAINED)

    def open(self, rev: StoredRevision,
             arriving: dict[str, bytes] | None = None) -> dict[str, Any] | None:
        """A revision's record as a dict, or None for a tombstone.  ``arriving``: wrapped
        keys of the same sync page, not stored yet."""
        return self._open(rev.envelope, rev.record_id, rev.rev_id, rev.kind, rev.key_id,
                          rev.counter, lambda: history.record_aad(self._vault_id, rev),
                          (arriving or {}).get(rev.key_id))

    def open_row(self, row: Sequence[Any]) -> dict[str, Any] | None:
        """:meth:`open` of a revision row as stored (``revision.COLUMNS`` order) without
        making a :class:`StoredRevision` first (the rebuild's helpers open 300k of them).
        The associated data is ``history.record_aad``'s, its constant start made once
        (``tests/unit/vault/test_envelope.py`` ties the two together)."""
        rev_id, record_id, parents, kind, key_id, device_id, env, counter, prev = row[:9]

        def chained() -> bytes:
            ps = () if parents == "[]" else sorted(json.loads(parents))
            return envelope.aad_after(self._chained_prefix, record_id, rev_id, kind, key_id,
                                      device_id, str(counter), prev, str(len(ps)), *ps)

        return self._open(bytes(env), record_id, rev_id, kind, key_id, int(counter), chained,
                          None)

    def _open(self, env: bytes, record_id: str, rev_id: str, kind: str, key_id: str,
              counter: int, chained_aad: Callable[[], bytes],
              arriving: bytes | None) -> dict[str, Any] | None:
        gen = envelope.generation_of(env)
        if gen or (len(env) >= envelope.OVERHEAD and env[0] == history.CHAINED):
            aad, version = chained_aad(), history.CHAINED
        elif len(env) >= envelope.OVERHEAD and env[0] == envelope.VERSION and not counter:
            aad = envelope.record_aad(self._vault_id, record_id, rev_id, kind)
            version = envelope.VERSION
        else:
            raise IntegrityError(
                _("A record is damaged (unknown envelope format)."), record_id=record_id)
        cipher = self._keys.cipher(key_id, arriving, gen)
        raw = envelope.open_gen(cipher, env, aad, record_id=record_id, version=version)
        body = json.loads(raw)
        if body.get("deleted"):
            return None
        return body["data"]  # type: ignore[no-any-return]

    def decode(self, rev: StoredRevision) -> Record | None:
        """A revision's record, or None for a tombstone."""
        data = self.open(rev)
        return None if data is None else record_from(rev.kind, data, rev.record_id)
