"""The vault's sealed record of its own history: local rollback shows as damage.

Someone with the vault file (not the passphrase) can still edit its plaintext bookkeeping:
point a record's head back at an older revision, delete the newest revision, relabel
revisions with an erased client's key id so they vanish.  Every envelope still opens, so
checking envelopes alone sees nothing.  So the vault keeps, sealed under the vault key
(``history.Sealer``) and rewritten in the same transaction as every write:

* ``tips``: each device's highest change number held here and its chain hash;
* ``heads``: an order-independent digest of the heads table (XOR of a keyed hash per row:
  BLAKE2b under a subkey of the vault key, so someone without the keys cannot compute row
  hashes and pick a set of heads to move whose changes cancel out — with an unkeyed hash
  that is linear algebra over GF(2)) and the number of rows.

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
from collections.abc import Iterable

from counsel.errors import IntegrityError
from counsel.i18n import gettext as _
from counsel.vault import headscheck, history
from counsel.vault.store import Store, StoredRevision

log = logging.getLogger("counsel.vault")

META = "integrity"
#: the damaged-table key of history damage that belongs to no one record
HISTORY = "history"


#: the sealed state's format: 1 hashed heads rows with plain SHA-256 (an attacker with
#: the file could compute them), 2 with BLAKE2b keyed under the vault key
FORMAT = 2
#: the subkey of the vault key the row hashes are keyed with
KEY_PURPOSE = "heads digest v2"


def _row_hash(key: bytes | None, raw: bytes) -> int:
    if key is None:  # format 1, only to verify a state sealed before format 2
        return int.from_bytes(hashlib.sha256(raw).digest()[:16], "big")
    return int.from_bytes(hashlib.blake2b(raw, key=key, digest_size=16).digest(), "big")


def heads_digest(key: bytes | None, rows: Iterable[tuple[bytes]]) -> tuple[int, int]:
    """(XOR of the row hashes, number of rows)."""
    return headscheck.fold(_plain_all(rows) if key is None else headscheck.keyed_all(key, rows))


def _plain_all(rows: Iterable[tuple[bytes]]) -> bytes:
    return b"".join([hashlib.sha256(raw).digest()[:16] for (raw,) in rows])


def _file_digest(st: Store, key: bytes | None) -> tuple[int, int]:
    """The digest of the file's whole heads table (keyed: read in chunks)."""
    return heads_digest(None, st.heads_as_bytes()) if key is None else st.heads_digest(key)


@dataclasses.dataclass
class LocalState:
    tips: dict[str, tuple[int, str]]
    heads: int = 0
    count: int = 0
    #: the row-hash key (None: a format-1 state, verified once and sealed again as format 2)
    key: bytes | None = dataclasses.field(default=None, repr=False)

    def apply(self, vault_id: str, revs: list[StoredRevision], added: list[tuple[str, str]],
              removed: list[tuple[str, str]]) -> None:
        newest: dict[str, StoredRevision] = {}  # per device: only its newest link is kept
        for rev in revs:
            if rev.counter > self.tips.get(rev.device_id, (0, ""))[0] and (
                    (seen := newest.get(rev.device_id)) is None or rev.counter > seen.counter):
                newest[rev.device_id] = rev
        for device, rev in newest.items():
            self.tips[device] = (rev.counter, history.chain_hash(vault_id, rev))
        for record, rev_id in (*added, *removed):
            self.heads ^= _row_hash(self.key, f"{record}\0{rev_id}".encode())
        self.count += len(added) - len(removed)

    def seal(self, sealer: history.Sealer) -> bytes:
        body = {"tips": {d: list(t) for d, t in sorted(self.tips.items())},
                "heads": f"{self.heads:032x}", "count": self.count}
        if self.key is not None:
            body["format"] = FORMAT
        return sealer.seal("local-state", (), json.dumps(body).encode())

    @classmethod
    def open(cls, sealer: history.Sealer, sealed: bytes, key: bytes) -> LocalState:
        body = json.loads(sealer.open("local-state", (), sealed))
        return cls({str(d): (int(c), str(h)) for d, (c, h) in body["tips"].items()},
                   int(body["heads"], 16), int(body["count"]),
                   key if body.get("format") == FORMAT else None)

    @classmethod
    def of(cls, st: Store, vault_id: str, key: bytes | None) -> LocalState:
        """Computed from the file as it is (first use, or after a repair)."""
        state = cls({d: (r.counter, history.chain_hash(vault_id, r))
                     for d, r in st.chain_tips().items()}, key=key)
        # the same bytes _row_hash hashes, made by SQLite
        state.heads, state.count = _file_digest(st, key)
        return state


class Keeper:
    """Keeps the sealed state current: hooked into the store as its write observer."""

    def __init__(self, st: Store, vault_id: str, sealer: history.Sealer, key: bytes) -> None:
        self.store, self.vault_id, self.sealer, self.key = st, vault_id, sealer, key
        sealed = st.meta().get(META)
        self.found: dict[str, str] = {}
        if sealed is None:
            self.state = LocalState.of(st, vault_id, key)  # first use: trust the file as it is
            st.set_meta({META: self.state.seal(sealer)})
        else:
            try:
                self.state = LocalState.open(sealer, sealed, key)
            except (IntegrityError, ValueError, KeyError):
                self.found[HISTORY] = _("The record of this vault's history is damaged.")
                self.state = LocalState.of(st, vault_id, key)
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
            self.state = LocalState.open(self.sealer, sealed, self.key)

    # -- checking ------------------------------------------------------------------------
    def start_heads_check(self) -> headscheck.Pending | None:
        """Start computing the file's heads digest on another core (a large vault; see
        :mod:`counsel.vault.headscheck`); hand the result to :meth:`verify`."""
        return headscheck.start(self.store.path, self.state.key, self.state.count)

    def verify(self, erased: set[str],
               pending: headscheck.Pending | None = None) -> dict[str, str]:
        """What in the file does not match the sealed state: record id → reason.

        Heads that were moved are repaired from the revision graph (and still reported);
        the sealed state is then rewritten so the same damage is not re-found forever
        (it stays in the ``damaged`` table until the person restores)."""
        try:
            return self._verify(erased, pending)
        except BaseException:
            if pending is not None:
                pending.cancel()
            raise

    def _verify(self, erased: set[str], pending: headscheck.Pending | None) -> dict[str, str]:
        st = self.store
        found = dict(self.found)
        for device, (counter, digest) in sorted(self.state.tips.items()):
            rev = st.chain_entry(device, counter)
            if rev is None or history.chain_hash(self.vault_id, rev) != digest:
                found[f"{HISTORY}:{device[:8]}#{counter}"] = _(
                    "Change #{n} of device {device} is missing from this vault file or was "
                    "replaced (the file was rolled back or edited).").format(
                        n=counter, device=device[:8])
        # this process's half of the heads digest first, while the helper does the other
        mine = st.heads_digest(self.state.key, pending.split) \
            if pending is not None and self.state.key is not None else None
        facts = pending.result() if pending is not None else None
        chains = facts.chains if facts is not None else st.chain_counts()
        for device, (count, top) in sorted(chains.items()):
            if count != top:
                found[f"{HISTORY}:{device[:8]}"] = _(
                    "{n} changes of device {device} are missing from this vault file (the file "
                    "was rolled back or edited).").format(n=top - count, device=device[:8])
        for record, _rev in st.live_revisions_of_keys(erased):
            found[record] = _("Revisions of this record were relabelled with an erased "
                              "client's key (the file was edited).")
        # only the heads are compared here (the tips were checked above, one by one)
        if facts is None or mine is None or pending is None or facts.split != pending.split:
            heads = _file_digest(st, self.state.key)
        else:  # the helper hashed the rows below the split, this process the rest
            heads = (facts.heads[0] ^ mine[0], facts.heads[1] + mine[1])
        if heads != (self.state.heads, self.state.count):
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
            self.state = LocalState.of(st, self.vault_id, self.key)
            st.set_meta({META: self.state.seal(self.sealer)})
            self.found = {}
        elif self.state.key is None:  # a format-1 state, checked: sealed again as format 2
            self.state = LocalState.of(st, self.vault_id, self.key)
            st.set_meta({META: self.state.seal(self.sealer)})
        return found
