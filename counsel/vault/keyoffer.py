"""Judging a keyring another device (through the sync server) offers this one.

A device learns of a newer key generation from the keyring on the sync server.  The
server cannot make one: generation ``g + 1`` is accepted only when its endorsement opens
under this device's vault key ``g`` (``generations.endorse``) and the older endorsements
are this device's own.  It cannot roll one back either: an older generation than this
device has put on the server is reported.  A newer keyring opens only with the passphrase
it was made with (a rotation makes a new master key), so it is kept *pending* in the
vault file until the person types the new passphrase here (``keyring.unlock`` adopts it):
a copy of this file with the old passphrase never gets the new keys.
"""

from __future__ import annotations

import enum
import json
from typing import Any

from counsel.errors import VaultError
from counsel.vault import generations, keys
from counsel.vault.kdf import WeakKdf

PENDING = "keyring_pending"  # meta: a newer keyring, waiting for its passphrase


class Verdict(enum.Enum):
    SAME = "same"  # the server has this device's generation
    BEHIND = "behind"  # the server has an older generation (upload ours)
    NEWER = "newer"  # a newer generation made by a member: kept pending
    ADOPTED = "adopted"  # ... and it opens with this device's passphrase: taken at once
    FOREIGN = "foreign"  # not made by a holder of this vault's keys (injected, damaged)
    DIVERGED = "diverged"  # another device made the same generation with other keys


def judge(local: keys.Keyring, newest: bytes, offered: dict[str, Any]) -> Verdict:
    """What ``offered`` is to a device holding ``local`` and its newest vault key."""
    try:
        ring = keys.Keyring.from_json(offered)
    except (VaultError, WeakKdf):
        # damaged, or weaker key settings than allowed (kdf.WeakKdf): nothing a member
        # made; refused like a forgery, so the sync itself goes on
        return Verdict.FOREIGN
    if ring.vault_id != local.vault_id:
        return Verdict.FOREIGN
    gen = local.generation
    if ring.generation < gen:
        return Verdict.BEHIND
    if ring.endorsements[:gen] != local.endorsements:
        return Verdict.FOREIGN if ring.generation > gen else Verdict.DIVERGED
    if ring.generation == gen:
        return Verdict.SAME
    # the next generation must be endorsed by this device's newest key
    if not generations.endorsed_by(ring.vault_id, newest, gen + 1, ring.endorsements[gen]):
        return Verdict.FOREIGN
    return Verdict.NEWER


def pending(meta: dict[str, bytes]) -> keys.Keyring | None:
    raw = meta.get(PENDING)
    if not raw:
        return None
    try:
        return keys.Keyring.from_json(json.loads(raw))
    except (ValueError, VaultError):
        return None


def pending_meta(ring: keys.Keyring | None) -> dict[str, bytes]:
    return {PENDING: json.dumps(ring.to_json()).encode() if ring is not None else b""}
