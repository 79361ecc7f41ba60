"""Organisation recovery end to end: make the key, escrow a master key, recover a vault.

* ``create_key(out_dir, org_id, name, split)`` (offline, by the officers): the policy file
  to hand out (public key, fingerprint) and one text file per key part to print.
* ``escrow(vault, account)``: the vault's master key sealed to the pinned policy's key,
  bound to (organisation, account, vault, generation); kept in the vault file and
  returned for the sync server.
* ``recover(path, account, part_texts, new_passphrase)``: the officers' parts rebuild the
  private key, open the escrow and set a new passphrase.  One part alone, a tampered
  escrow or another account's escrow open nothing and change nothing.
"""

from __future__ import annotations

import base64
import binascii
import dataclasses
import json
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from counsel import versioned
from counsel.atomicfile import write_atomic
from counsel.i18n import gettext as _
from counsel.org import escrow as sealed_box
from counsel.org import recovery_key
from counsel.org.policy import OrgPolicy, PolicyError, pinned
from counsel.org.recovery_key import RecoveryKeyError

if TYPE_CHECKING:
    from counsel.vault.service import Vault

#: the slot's generation field (the master key changes at every key rotation, so the
#: escrow is made again after one: :func:`refresh_escrow`)
MASTER_GENERATION = 1
#: the escrow record (counsel.versioned): org, account, generation and the sealed box
ESCROW_FORMAT = 1
POLICY_FILE = "org-policy.json"


@dataclasses.dataclass(frozen=True)
class CreatedKey:
    policy: OrgPolicy
    policy_file: Path
    part_files: tuple[Path, ...]


def create_key(out_dir: Path, org_id: str, name: str, *, split: bool,
               wipe_on_revoke: str = "never",
               retention: dict[str, int] | None = None) -> CreatedKey:
    key = recovery_key.create()
    policy = OrgPolicy(org_id, name, key.public_raw, wipe_on_revoke,
                       tuple(sorted((retention or {}).items())))
    out_dir.mkdir(parents=True, exist_ok=True)
    policy_file = out_dir / POLICY_FILE
    write_atomic(policy_file, (json.dumps(policy.to_json(), indent=2) + "\n").encode())
    files = []
    for part in key.parts(split):
        path = out_dir / f"org-recovery-key-part-{part.part}-of-{part.parts}.txt"
        write_atomic(path, part_file_text(policy, part).encode())
        files.append(path)
    return CreatedKey(policy, policy_file, tuple(files))


def part_file_text(policy: OrgPolicy, part: recovery_key.KeyPart) -> str:
    """The text an officer prints and keeps offline (fixed labels: it is read back)."""
    assert policy.recovery_public is not None
    return "\n".join([
        f"Counsel organisation recovery key - part {part.part} of {part.parts}",
        f"Organisation: {policy.name}",
        f"Org id: {policy.org_id}",
        f"Public key: {base64.b64encode(policy.recovery_public).decode()}",
        f"Fingerprint: {policy.fingerprint}",
        f"Key: {part.text(policy.recovery_public)}",
        "",
    ])


@dataclasses.dataclass(frozen=True)
class ParsedPart:
    org_id: str
    public_raw: bytes
    part: recovery_key.KeyPart


def parse_part_file(text: str) -> ParsedPart:
    fields: dict[str, str] = {}
    for line in text.splitlines():
        label, sep, value = line.partition(":")
        if sep:
            fields[label.strip().lower()] = value.strip()
    bad = RecoveryKeyError(_("That file is not an organisation recovery key part."))
    if not {"org id", "public key", "key"} <= fields.keys():
        raise bad
    try:
        public = base64.b64decode(fields["public key"], validate=True)
    except (binascii.Error, ValueError):
        raise bad from None
    if len(public) != 32:
        raise bad
    return ParsedPart(fields["org id"], public, recovery_key.parse_part(fields["key"], public))


def escrow(vault: Vault, account: str) -> bytes:
    """Seal this vault's master key to the pinned organisation key; the escrow record
    (JSON bytes) is kept in the vault file and returned for the server."""
    policy = pinned(vault)
    if policy is None or policy.recovery_public is None:
        raise PolicyError(_("This vault has no organisation recovery policy."))
    public = policy.recovery_public
    slot = sealed_box.EscrowSlot(policy.org_id, account, vault.vault_id, MASTER_GENERATION)

    def seal(master: bytes) -> bytes:
        return versioned.dump(ESCROW_FORMAT, {
            "org_id": slot.org_id, "account": account, "generation": slot.generation,
            "sealed": base64.b64encode(sealed_box.seal(public, slot, master)).decode()})

    return vault.escrow_master(seal)


def refresh_escrow(vault: Vault) -> bool:
    """After a key rotation (a new master key): seal the new master key to the
    organisation again if this vault had an escrow, and send it to the sync server when
    signed in.  True if an escrow was made again."""
    stored = vault.escrow_record()
    if stored is None:
        return False
    try:
        account = str(versioned.read(stored, ESCROW_FORMAT, lambda: ValueError("escrow"))[
            "account"])
    except (ValueError, KeyError, TypeError):
        return False
    record = escrow(vault, account)
    from counsel.errors import KnownError, OfflineError
    from counsel.org import serverside

    try:
        serverside.upload_escrow(vault, record)
    except (OfflineError, KnownError):
        pass  # kept in the file; `counsel org escrow` sends it again
    return True


def recover(path: Path, account: str, part_texts: Sequence[str], new_passphrase: str) -> Vault:
    from counsel.vault.service import Vault

    parts = [parse_part_file(t) for t in part_texts]
    if not parts:
        raise RecoveryKeyError(_("Give the organisation recovery key (all of its parts)."))
    if len({(p.org_id, p.public_raw) for p in parts}) != 1:
        raise RecoveryKeyError(_("The key parts belong to different recovery keys."))
    org_id, public = parts[0].org_id, parts[0].public_raw
    private = recovery_key.join([p.part for p in parts], public)

    def open_master(stored: bytes) -> bytes:
        try:
            record = versioned.read(stored, ESCROW_FORMAT, lambda: ValueError("escrow"))
            sealed = base64.b64decode(record["sealed"], validate=True)
            generation = int(record["generation"])
        except (ValueError, KeyError, TypeError, binascii.Error):
            raise sealed_box.EscrowError(_("The escrowed key is damaged.")) from None
        vault_id = _vault_id(path)
        slot = sealed_box.EscrowSlot(org_id, account, vault_id, generation)
        return sealed_box.open_(private, slot, sealed)

    vault = Vault.recover_with_master(path, open_master, new_passphrase)
    refresh_escrow(vault)  # recovery rotated the keys: the old escrow opens nothing new
    return vault


def _vault_id(path: Path) -> str:
    from counsel.vault import keys, vaultfile

    return keys.Keyring.from_meta(vaultfile.read_meta_readonly(path)).vault_id
