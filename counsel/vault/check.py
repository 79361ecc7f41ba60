"""``counsel check``: open every stored envelope and report the damaged ones per record,
plus what SQLite's own integrity check finds wrong with the file."""

from __future__ import annotations

from counsel.vault import envelope, integrity
from counsel.vault.current import UNREADABLE
from counsel.vault.keyring import UnlockedKeys
from counsel.vault.payload import RevisionCipher
from counsel.vault.store import Store
from counsel.vault.views import CheckReport, Damaged


def check(st: Store, keys: UnlockedKeys, cipher: RevisionCipher,
          keeper: integrity.Keeper) -> CheckReport:
    """Verify every revision (skipping erased clients' ones) without stopping at the first."""
    damaged, count = [], 0
    erased = keys.erased()
    for rev in st.all_revisions():
        if rev.key_id in erased or not keys.knows(envelope.generation_of(rev.envelope)):
            continue  # erased, or sealed under newer keys this device adopts later
        count += 1
        try:
            cipher.decode(rev)
        except UNREADABLE as exc:
            damaged.append(Damaged(rev.record_id, rev.rev_id, rev.kind, str(exc)))
    keeper.verify(erased)  # the sealed history: moved heads, missing or relabelled changes
    damaged += [Damaged(r, "", "", why) for r, why in sorted(st.damaged_records().items())]
    return CheckReport(count, tuple(damaged), tuple(st.integrity_problems()))
