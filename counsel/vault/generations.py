"""Key generations: what makes a rotation cut off an old copy of the vault.

A vault's keys come in generations 0, 1, 2, …  Rotating (``passwd``, ``recover``, a new
recovery code, ``counsel keys rotate``) makes a new master key (UMK) and a new vault key;
new writes are sealed under the newest generation, older generations stay readable
because their vault keys are kept wrapped under the newest one.  Someone holding an old
copy of the vault and its old passphrase (or old recovery code) has the old keys only:
the new vault key is wrapped under the new master key, which opens only with the new
passphrase or the current recovery code.

* **Record keys.**  Generation 0 keeps the original keys (a client's random key, the vault
  key for records of no client).  A later generation ``g`` derives the key of a record
  from the client's key *and* vault key ``g`` (HKDF), so rotating costs nothing per
  client, and erasing a client (deleting its key) still erases every generation.
* **Recovery code.**  The code derives an X25519 key pair; the keyring keeps the public
  half, and each rotation wraps the new master key to it (ephemeral X25519 + HKDF +
  AES-GCM).  So a passphrase change keeps the printed code working without the device
  ever holding anything that opens the new master key from an old copy.  Keyrings made
  before generations (format 1) wrapped the master key under a key derived from the code;
  they get a new code at their first rotation.
* **Endorsements.**  Generation ``g``'s vault key is endorsed by generation ``g - 1``: a
  MAC-like sealed digest under a subkey of the previous vault key.  A device (or a team
  member) that holds ``g - 1`` accepts a new generation only with its endorsement, so a
  server cannot inject a vault key of its own.
"""

from __future__ import annotations

import base64
import hashlib
import hmac

from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey, X25519PublicKey
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from counsel.errors import IntegrityError, WrongRecoveryCode
from counsel.i18n import gettext as _
from counsel.vault import envelope

VAULT_KEY_ID = "vault"
_RAW = serialization.Encoding.Raw


def _hkdf(ikm: bytes, salt: bytes, info: bytes) -> bytes:
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=salt, info=info).derive(ikm)


# -- record keys -------------------------------------------------------------------------
def record_key(vault_id: str, key_id: str, generation: int, base: bytes,
               vault_key: bytes) -> bytes:
    """The key that seals records of ``key_id`` in ``generation``.  ``base``: the client's
    key (or, for ``key_id == "vault"``, vault key 0); ``vault_key``: vault key
    ``generation``."""
    if generation == 0:
        return base
    info = f"counsel record key v1|{vault_id}|{generation}|{key_id}".encode()
    return _hkdf(base, vault_key, info)


# -- the recovery code's key pair ---------------------------------------------------------
def _recovery_private(raw_code: bytes, vault_id: str) -> X25519PrivateKey:
    seed = _hkdf(raw_code, vault_id.encode(), b"counsel recovery x25519 v1")
    return X25519PrivateKey.from_private_bytes(seed)


def recovery_public(raw_code: bytes, vault_id: str) -> bytes:
    return _recovery_private(raw_code, vault_id).public_key().public_bytes(
        _RAW, serialization.PublicFormat.Raw)


def _box_key(shared: bytes, eph: bytes, public: bytes) -> bytes:
    return _hkdf(shared, eph + public, b"counsel recovery wrap v1")


def wrap_to_recovery(vault_id: str, public: bytes, umk: bytes) -> bytes:
    """``umk`` sealed so that only the recovery code opens it: ephemeral public key (32)
    followed by an envelope."""
    eph = X25519PrivateKey.generate()
    eph_pub = eph.public_key().public_bytes(_RAW, serialization.PublicFormat.Raw)
    key = _box_key(eph.exchange(X25519PublicKey.from_public_bytes(public)), eph_pub, public)
    return eph_pub + envelope.seal(key, umk, envelope.key_aad(vault_id, "umk", "recovery-x25519"))


def unwrap_by_recovery(vault_id: str, raw_code: bytes, public: bytes, wrapped: bytes) -> bytes:
    private = _recovery_private(raw_code, vault_id)
    mine = private.public_key().public_bytes(_RAW, serialization.PublicFormat.Raw)
    if not hmac.compare_digest(mine, public) or len(wrapped) < 32 + envelope.OVERHEAD:
        raise WrongRecoveryCode(_("The recovery code is not correct."))
    eph_pub, body = wrapped[:32], wrapped[32:]
    key = _box_key(private.exchange(X25519PublicKey.from_public_bytes(eph_pub)), eph_pub, public)
    try:
        return envelope.open_(key, body, envelope.key_aad(vault_id, "umk", "recovery-x25519"))
    except IntegrityError:
        raise WrongRecoveryCode(_("The recovery code is not correct.")) from None


def raw_code(normalized: str) -> bytes:
    return base64.b32decode(normalized)


# -- vault keys of each generation -------------------------------------------------------
def current_aad(vault_id: str, generation: int) -> bytes:
    """Associated data of the newest vault key, wrapped under the master key."""
    label = VAULT_KEY_ID if generation == 0 else f"{VAULT_KEY_ID}/{generation}"
    return envelope.key_aad(vault_id, "vault-key", label)


def older_aad(vault_id: str, generation: int, under: int) -> bytes:
    """Associated data of vault key ``generation`` kept under vault key ``under``."""
    return envelope.key_aad(vault_id, f"vault-key-under/{under}", str(generation))


def endorse(vault_id: str, previous: bytes, new: bytes, generation: int) -> bytes:
    """Generation ``generation``'s vault key vouched for by the one before it."""
    return envelope.seal(_endorsing_key(previous), _digest(new),
                         envelope.aad("rotation", vault_id, str(generation)))


def endorsed(vault_id: str, previous: bytes, new: bytes, generation: int,
             endorsement: bytes) -> bool:
    try:
        digest = envelope.open_(_endorsing_key(previous), endorsement,
                                envelope.aad("rotation", vault_id, str(generation)))
    except IntegrityError:
        return False
    return hmac.compare_digest(digest, _digest(new))


def endorsed_by(vault_id: str, previous: bytes, generation: int, endorsement: bytes) -> bool:
    """Whether ``endorsement`` was made by a holder of ``previous`` (the vault key of
    ``generation - 1``), before the new key itself is known."""
    try:
        envelope.open_(_endorsing_key(previous), endorsement,
                       envelope.aad("rotation", vault_id, str(generation)))
    except IntegrityError:
        return False
    return True


def _endorsing_key(key: bytes) -> bytes:
    return hmac.new(key, b"counsel subkey v1|rotation v1", hashlib.sha256).digest()


def _digest(key: bytes) -> bytes:
    return hashlib.sha256(b"counsel vault key digest v1|" + key).digest()
