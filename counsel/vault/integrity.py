"""The vault's sealed record of its own history: local rollback shows as damage.

Someone with the vault file (not the passphrase) can still edit its plaintext bookkeeping:
point a record's head back at an older revision, delete the newest revision, relabel
revisions with an erased client's key id so they vanish.  Every envelope still opens, so
checking envelopes alone sees nothing.  So the vault keeps, sealed under the vault key
(``history.Sealer``) and rewritten in the same transaction as every write:

* ``tips``: each device's highest change number held here and its chain hash;
* ``heads``: an order-independent digest of the heads table (XOR of a hash per row) and
  the number of rows.

At unlock it compares them with the file: a tip that is missing or different means
revisions were deleted or replaced (rolled back); a digest that differs means heads were
moved (the records affected are found from the revision graph and repaired, and still
reported); a revision holding an envelope under an erased client's key was relabelled.
What is found is remembered in the ``damaged`` table until the person restores.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import json
import logging
import sqlite3

from counsel.errors import IntegrityError
from counsel.i18n import gettext as _
from counsel.vault import history
from counsel.vault.store import Store, StoredRevision

log = logging.getLogger("counsel.vault")

META = "integrity"
#: the damaged-table key of history damage that belongs to no one record
HISTORY = "history"


def _row_hash(record_id: str, rev_id: str) -> int:
    return int.from_bytes(hashlib.sha256(f"{record_id}\0{rev_id}".encode()).digest()[:16], "big")


@dataclasses.dataclass
class LocalState:
    tips: dict[str, tuple[int, str]]
    heads: int = 0
    count: int = 0

    def apply(self, vault_id: str, revs: list[StoredRevision], added: list[tuple[str, str]],
              removed: list[tuple[str, str]]) -> None:
        for rev in revs:
            if rev.counter > self.tips.get(rev.device_id, (0, ""))[0]:
                self.tips[rev.device_id] = (rev.counter, history.chain_hash(vault_id, rev))
        for row in added:
            self.heads ^= _row_hash(*row)
        for row in removed:
            self.heads ^= _row_hash(*row)
        self.count += len(added) - len(removed)

    def seal(self, sealer: history.Sealer) -> bytes:
        body = {"tips": {d: list(t) for d, t in sorted(self.tips.items())},
                "heads": f"{self.heads:032x}", "count": self.count}
        return sealer.seal("local-state", (), json.dumps(body).encode())

    @classmethod
    def open(cls, sealer: history.Sealer, sealed: bytes) -> LocalState:
        body = json.loads(sealer.open("local-state", (), sealed))
        return cls({str(d): (int(c), str(h)) for d, (c, h) in body["tips"].items()},
                   int(body["heads"], 16), int(body["count"]))

    @classmethod
    def of(cls, st: Store, vault_id: str) -> LocalState:
        """Computed from the file as it is (first use, or after a repair)."""
        state = cls({d: (r.counter, history.chain_hash(vault_id, r))
                     for d, r in st.chain_tips().items()})
        sha, digest, count = hashlib.sha256, 0, 0
        for (raw,) in st.heads_as_bytes():  # the same bytes _row_hash hashes, made by SQLite
            digest ^= int.from_bytes(sha(raw).digest()[:16], "big")
            count += 1
        state.heads, state.count = digest, count
        return state


class Keeper:
    """Keeps the sealed state current: hooked into the store as its write observer."""

    def __init__(self, st: Store, vault_id: str, sealer: history.Sealer) -> None:
        self.store, self.vault_id, self.sealer = st, vault_id, sealer
        sealed = st.meta().get(META)
        self.found: dict[str, str] = {}
        if sealed is None:
            self.state = LocalState.of(st, vault_id)  # first use: trust the file as it is
            st.set_meta({META: self.state.seal(sealer)})
        else:
            try:
                self.state = LocalState.open(sealer, sealed)
            except (IntegrityError, ValueError, KeyError):
                self.found[HISTORY] = _("The record of this vault's history is damaged.")
                self.state = LocalState.of(st, vault_id)
        st.observer = self.observe

    def observe(self, conn: sqlite3.Connection, revs: list[StoredRevision],
                added: list[tuple[str, str]], removed: list[tuple[str, str]]) -> None:
        before = dataclasses.replace(self.state, tips=dict(self.state.tips))
        self.state.apply(self.vault_id, revs, added, removed)
        try:
            self.store.set_meta({META: self.state.seal(self.sealer)}, conn)
        except BaseException:
            self.state = before
            raise

    def rolled_back(self) -> None:
        """The write transaction failed after ``observe``: reload from the file."""
        sealed = self.store.meta().get(META)
        if sealed is not None:
            self.state = LocalState.open(self.sealer, sealed)

    # -- checking ------------------------------------------------------------------------
    def verify(self, erased: set[str]) -> dict[str, str]:
        """What in the file does not match the sealed state: record id → reason.

        Heads that were moved are repaired from the revision graph (and still reported);
        the sealed state is then rewritten so the same damage is not re-found forever
        (it stays in the ``damaged`` table until the person restores)."""
        st = self.store
        found = dict(self.found)
        for device, (counter, digest) in sorted(self.state.tips.items()):
            rev = st.chain_entry(device, counter)
            if rev is None or history.chain_hash(self.vault_id, rev) != digest:
                found[f"{HISTORY}:{device[:8]}#{counter}"] = _(
                    "Change #{n} of device {device} is missing from this vault file or was "
                    "replaced (the file was rolled back or edited).").format(
                        n=counter, device=device[:8])
        for device, (count, top) in sorted(st.chain_counts().items()):
            if count != top:
                found[f"{HISTORY}:{device[:8]}"] = _(
                    "{n} changes of device {device} are missing from this vault file (the file "
                    "was rolled back or edited).").format(n=top - count, device=device[:8])
        for record, _rev in st.live_revisions_of_keys(erased):
            found[record] = _("Revisions of this record were relabelled with an erased "
                              "client's key (the file was edited).")
        now = LocalState.of(st, self.vault_id)
        if (now.heads, now.count) != (self.state.heads, self.state.count):
            leaves = st.true_leaves()
            shown: dict[str, set[str]] = {}
            for record, head in st.all_heads():
                shown.setdefault(record, set()).add(head)
            for record in set(leaves) | set(shown):
                want = leaves.get(record, set())
                if shown.get(record, set()) != want and record not in found:
                    found[record] = _("This record's current version was pointed back to an "
                                      "older one (the file was edited); repaired from its "
                                      "history.")
                    st.set_heads(record, sorted(want))
            if not any(k not in self.found for k in found):
                found[f"{HISTORY}:heads"] = _("The list of current versions was edited.")
        if found:
            log.error("vault integrity: %d problems found", len(found))
            st.mark_damaged(found, dt.datetime.now(dt.UTC).isoformat())
            self.state = LocalState.of(st, self.vault_id)
            st.set_meta({META: self.state.seal(self.sealer)})
            self.found = {}
        return found
