"""Authenticated history: what keeps a server (or someone with the vault file) from
rolling back, re-parenting, dropping, withholding or replaying changes unnoticed.

Three pieces, all sealed under the vault's keys through a :class:`Sealer` (today the
vault key; a team vault will plug in member signatures without changing the callers):

* **Chained revisions** (envelope format 2).  Every revision a device writes carries a
  per-device ``counter`` (1, 2, 3, ...) and ``prev``, the chain hash of that device's
  previous revision.  The envelope's associated data binds the whole header — record,
  revision, kind, key id, device, counter, prev and the sorted parent ids — so changing
  any of it (re-parenting, relabelling the key, renumbering) fails authentication.  The
  chain hash of a revision is a hash of that same header, so one authenticated revision
  vouches for every earlier revision of its device, even ones whose content was erased
  (erasure blanks an envelope but keeps its header).
* **Checkpoints.**  After each sync a device publishes what it has seen: per device,
  the highest counter and its chain hash.  Another device that lacks a change a
  checkpoint names has been withheld from; one that holds a *different* change under
  the same number has been forked apart (fork consistency, as in SUNDR: a server can
  hide changes only by keeping devices apart forever, and it shows the next time they
  exchange a checkpoint).  Each checkpoint has its own number, so an old one replayed
  is noticed.
* **Erasure records.**  An erasure is a sealed statement "erase key K", made by a
  device holding the vault key.  A server's plain flag is not enough: devices ignore
  (and report) erasures they cannot authenticate.

Revisions written before format 2 (``counter == 0``) keep their format-1 envelopes and
are read as before; they are not chained.  Nothing here touches storage: the vault and
the sync client call these functions with what they hold.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import os
from collections.abc import Callable, Iterable, Mapping
from typing import Any, Protocol

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from counsel.errors import IntegrityError
from counsel.i18n import gettext as _
from counsel.vault import envelope, keys

#: envelope version byte of chained revisions (format 1 = the unchained original); a
#: revision sealed under a later key generation has ``envelope.GENERATIONAL`` (3) instead
#: and is chained too
CHAINED = 2


def is_chained(env: bytes) -> bool:
    return env[:1] in (bytes([CHAINED]), bytes([envelope.GENERATIONAL]))


class Header(Protocol):
    """The plaintext header of a revision (``StoredRevision`` has these fields)."""

    @property
    def rev_id(self) -> str: ...
    @property
    def record_id(self) -> str: ...
    @property
    def parents(self) -> tuple[str, ...]: ...
    @property
    def kind(self) -> str: ...
    @property
    def key_id(self) -> str: ...
    @property
    def device_id(self) -> str: ...
    @property
    def counter(self) -> int: ...
    @property
    def prev(self) -> str: ...


def record_aad(vault_id: str, rev: Header) -> bytes:
    """Associated data of a chained revision: its whole header, parents sorted."""
    parents = sorted(rev.parents)
    return envelope.aad(
        "record2", vault_id, rev.record_id, rev.rev_id, rev.kind, rev.key_id,
        rev.device_id, str(rev.counter), rev.prev, str(len(parents)), *parents,
    )


def chain_hash(vault_id: str, rev: Header) -> str:
    """The link the device's next revision names as ``prev``."""
    return chain_link(record_aad(vault_id, rev))


def chain_link(aad: bytes) -> str:
    """:func:`chain_hash` of a revision whose :func:`record_aad` is ``aad`` (a new revision's
    associated data is made once, for sealing it and for the link the next one names)."""
    return hashlib.sha256(b"counsel chain v1|" + aad).hexdigest()


# -- sealing ------------------------------------------------------------------------------
class Sealer(Protocol):
    """Seals and opens small statements (checkpoints, erasures, local state) so that only
    holders of the vault's keys can make them.  ``signer`` names who sealed."""

    @property
    def signer(self) -> str: ...

    def seal(self, purpose: str, context: tuple[str, ...], payload: bytes) -> bytes: ...

    def open(self, purpose: str, context: tuple[str, ...], sealed: bytes) -> bytes:
        """The payload; ``IntegrityError`` if it was not sealed for this purpose/context."""
        ...


class VaultKeySealer:
    """AES-256-GCM under a subkey of the vault key: any device of the vault can seal, no
    one else (the server included) can seal or alter."""

    def __init__(self, vault_id: str, vault_key: bytes, signer: str) -> None:
        self._aead = AESGCM(keys.subkey(vault_key, "history v1"))
        self._vault_id = vault_id
        self._signer = signer

    @property
    def signer(self) -> str:
        return self._signer

    def _aad(self, purpose: str, context: tuple[str, ...]) -> bytes:
        return envelope.aad("sealed", self._vault_id, purpose, *context)

    def seal(self, purpose: str, context: tuple[str, ...], payload: bytes) -> bytes:
        nonce = os.urandom(12)
        return bytes([1]) + nonce + self._aead.encrypt(nonce, payload,
                                                       self._aad(purpose, context))

    def open(self, purpose: str, context: tuple[str, ...], sealed: bytes) -> bytes:
        if len(sealed) < 29 or sealed[0] != 1:
            raise IntegrityError(_("A sealed statement is damaged or forged."))
        try:
            return self._aead.decrypt(sealed[1:13], sealed[13:], self._aad(purpose, context))
        except InvalidTag:
            raise IntegrityError(_("A sealed statement is damaged or forged.")) from None


# -- checkpoints -------------------------------------------------------------------------
@dataclasses.dataclass(frozen=True)
class Checkpoint:
    """What ``device`` had seen when it sealed checkpoint number ``number``."""

    device: str
    number: int
    seen: dict[str, tuple[int, str]]  # device → (highest counter, its chain hash)
    erased: tuple[str, ...] = ()  # key ids whose erasure it holds

    def seal(self, sealer: Sealer) -> bytes:
        body = {"device": self.device, "number": self.number,
                "seen": {d: [c, h] for d, (c, h) in sorted(self.seen.items())},
                "erased": sorted(self.erased)}
        return sealer.seal("checkpoint", (self.device,), json.dumps(body).encode())

    @classmethod
    def open(cls, sealer: Sealer, device: str, sealed: bytes) -> Checkpoint:
        raw = sealer.open("checkpoint", (device,), sealed)
        try:
            body = json.loads(raw)
            return cls(device=str(body["device"]), number=int(body["number"]),
                       seen={str(d): (int(c), str(h)) for d, (c, h) in body["seen"].items()},
                       erased=tuple(str(k) for k in body.get("erased", ())))
        except (KeyError, TypeError, ValueError) as exc:
            raise IntegrityError(_("A sealed statement is damaged or forged.")) from exc


# -- erasure records ---------------------------------------------------------------------
#: format byte of an erasure record sealed under key generation ≥ 1 (followed by the
#: generation, 4 bytes big-endian, then the sealed statement); a generation-0 record is the
#: sealed statement itself (format byte 1)
ERASURE_GEN = 2


def seal_erasure(sealer: Sealer, key_id: str, at: str, generation: int = 0) -> bytes:
    """An erasure record; ``sealer`` must be the one of vault key ``generation`` (the
    newest this device holds): a rotation takes the power to erase from old copies."""
    body = json.dumps({"key_id": key_id, "by": sealer.signer, "at": at}).encode()
    if generation == 0:
        return sealer.seal("erasure", (key_id,), body)
    return (bytes([ERASURE_GEN]) + generation.to_bytes(4, "big")
            + sealer.seal("erasure", (key_id, str(generation)), body))


def erasure_generation(sealed: bytes | None) -> int:
    """The key generation an erasure record claims to be sealed under (0: none given)."""
    if sealed and sealed[0] == ERASURE_GEN and len(sealed) >= 5:
        return int.from_bytes(sealed[1:5], "big")
    return 0


def erasure_is_authentic(sealer: Sealer, key_id: str, sealed: bytes | None,
                         generation: int = 0) -> bool:
    """Whether ``sealed`` erases ``key_id`` under vault key ``generation`` (``sealer`` is
    that key's).  A record of another generation is not: whoever still holds an older
    generation (an old copy and its old passphrase) cannot erase after a rotation."""
    if not sealed or key_id == keys.VAULT_KEY_ID or erasure_generation(sealed) != generation:
        return False
    context = (key_id,) if generation == 0 else (key_id, str(generation))
    try:
        body = json.loads(sealer.open("erasure", context,
                                      sealed if generation == 0 else sealed[5:]))
    except (IntegrityError, ValueError):
        return False
    return isinstance(body, dict) and body.get("key_id") == key_id


# -- what a device notices ---------------------------------------------------------------
@dataclasses.dataclass(frozen=True)
class Alarm:
    """Something the server (or someone with the file) did that a device noticed."""

    code: str  # gap, fork, reparented, withheld, replayed, erasure, blanked, rollback, ...
    message: str
    device: str = ""
    counter: int = 0

    def to_json(self) -> dict[str, Any]:
        return dataclasses.asdict(self)

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Alarm:
        return cls(str(data["code"]), str(data["message"]), str(data.get("device", "")),
                   int(data.get("counter", 0)))


def _short(device: str) -> str:
    return device[:8]


def gap_alarm(device: str, counter: int) -> Alarm:
    return Alarm("gap", _(
        "The sync server left out change #{n} of device {device} (dropped, reordered or "
        "withheld). Your data on this computer is kept.").format(
            n=counter, device=_short(device)), device, counter)


def fork_alarm(device: str, counter: int) -> Alarm:
    return Alarm("fork", _(
        "Two different versions of change #{n} of device {device} exist: the sync server "
        "has shown devices different histories (a fork), or a vault file was restored "
        "from an old copy.").format(n=counter, device=_short(device)), device, counter)


def reparented_alarm(device: str, counter: int) -> Alarm:
    return Alarm("reparented", _(
        "A change from device {device} arrived altered (its place in the history was "
        "changed): it was refused.").format(device=_short(device)), device, counter)


def reordered_alarm(device: str, counter: int) -> Alarm:
    return Alarm("reordered", _(
        "Change #{n} of device {device} arrived after later ones (the sync server reordered "
        "or held it back).").format(n=counter, device=_short(device)), device, counter)


def lost_alarm(device: str, count: int) -> Alarm:
    return Alarm("lost", _(
        "The sync server no longer had some of this computer's changes (lost or dropped): "
        "{n} were sent again.").format(n=count), device, 0)


def rolled_back_alarm(count: int) -> Alarm:
    return Alarm("rollback", _(
        "The sync server went back to an older state (restored from a backup, or it "
        "rewrote its history): this computer sent its {n} changes again.").format(n=count),
        "", count)


def withheld_alarm(device: str, counter: int, by: str) -> Alarm:
    return Alarm("withheld", _(
        "Device {by} has seen change #{n} of device {device}, but the sync server has not "
        "given it to this computer (withheld or lost).").format(
            by=_short(by), n=counter, device=_short(device)), device, counter)


def withheld_parent_alarm(device: str, counter: int) -> Alarm:
    return Alarm("withheld", _(
        "The sync server no longer had change #{n} of device {device}, which this "
        "computer's changes build on (withheld or lost): it was sent again.").format(
            n=counter, device=_short(device)), device, counter)


def replayed_alarm(device: str, number: int) -> Alarm:
    return Alarm("replayed", _(
        "The sync server sent an old checkpoint of device {device} again (a replay)."
    ).format(device=_short(device)), device, number)


def erasure_alarm(key_id: str) -> Alarm:
    return Alarm("erasure", _(
        "The sync server asked to erase a client without a valid erasure record from one "
        "of your devices: ignored, nothing was erased."), key_id, 0)


def blanked_alarm(device: str, counter: int) -> Alarm:
    return Alarm("blanked", _(
        "The sync server removed the content of a change whose client was never erased: "
        "the copy on this computer is kept."), device, counter)


# -- checking a run of incoming chained revisions ---------------------------------------
Lookup = Callable[[str, int], "tuple[str, str] | None"]  # (device, n) → (rev_id, chain hash)


def verify_links(vault_id: str, incoming: Iterable[Header], known: Lookup) -> list[Alarm]:
    """Check incoming chained revisions against each other and what is stored already.

    ``known(device, counter)`` gives the stored revision id and chain hash, if any.  The
    incoming revisions' own envelopes must already be authenticated by the caller (that
    is what makes ``counter`` and ``prev`` trustworthy).  Returns the alarms; the caller
    decides what to store (no change is ever thrown away because of an alarm).
    """
    alarms: list[Alarm] = []
    batch: dict[tuple[str, int], tuple[str, str]] = {}
    revs = [r for r in incoming if r.counter > 0]
    for r in revs:
        batch[(r.device_id, r.counter)] = (r.rev_id, chain_hash(vault_id, r))

    def lookup(device: str, n: int) -> tuple[str, str] | None:
        return batch.get((device, n)) or known(device, n)

    for r in sorted(revs, key=lambda r: (r.device_id, r.counter)):
        stored = known(r.device_id, r.counter)
        if stored is not None and stored[0] != r.rev_id:
            alarms.append(fork_alarm(r.device_id, r.counter))
            continue
        if r.counter == 1:
            if r.prev:
                alarms.append(fork_alarm(r.device_id, r.counter))
            continue
        before = lookup(r.device_id, r.counter - 1)
        if before is None:
            alarms.append(gap_alarm(r.device_id, r.counter - 1))
        elif before[1] != r.prev:
            alarms.append(fork_alarm(r.device_id, r.counter - 1))
    return alarms


def compare_checkpoint(ckpt: Checkpoint, me: str, known: Lookup,
                       newest: Callable[[str], int]) -> list[Alarm]:
    """What another device's checkpoint says about this device's view of the history."""
    alarms: list[Alarm] = []
    for device, (counter, digest) in sorted(ckpt.seen.items()):
        if counter <= 0:
            continue
        have = known(device, counter)
        if have is None:
            if device == me and counter > newest(me):
                alarms.append(fork_alarm(device, counter))
            else:
                alarms.append(withheld_alarm(device, counter, ckpt.device))
        elif have[1] != digest:
            alarms.append(fork_alarm(device, counter))
    return alarms
