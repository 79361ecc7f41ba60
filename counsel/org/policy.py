"""The organisation's policy as this vault holds it: sealed, synced, verified once.

The policy travels as a small JSON file from the organisation (or from the sync server,
which only relays it).  The counsellor imports it once, comparing the recovery key's
fingerprint with the one the organisation printed; from then on it is a ``Setting`` record
in the vault — encrypted under the vault key and synced to the account's other devices —
so the sync server can neither forge nor change it.  Two things depend on it:

* ``recovery_public``: the organisation recovery key master keys are escrowed to.  A
  server that later offers another key is caught by the pinned fingerprint.
* ``wipe_on_revoke``: what a device does when an *authenticated* revocation reaches it —
  ``never``, ``if_synced`` (refuse while local changes are unsynced) or ``always``.

It may also carry the organisation's **retention schedules** (``retention``: kind of
record → years kept after the client relationship ends; counsel.records.retention): the
kinds it names follow it and cannot be changed in the vault.
"""

from __future__ import annotations

import base64
import binascii
import dataclasses
from typing import TYPE_CHECKING, Any

from counsel import versioned
from counsel.errors import KnownError
from counsel.i18n import N_
from counsel.i18n import gettext as _
from counsel.org.recovery_key import fingerprint

if TYPE_CHECKING:
    from counsel.vault.service import Vault

SETTING = "org.policy"
WIPE_CHOICES = ("never", "if_synced", "always")
MAX_YEARS = 100  # a retention schedule's upper bound


class PolicyError(KnownError):
    help_text = N_("Ask your organisation for its policy file and the recovery key "
                   "fingerprint printed with it. Nothing was changed.")


@dataclasses.dataclass(frozen=True)
class OrgPolicy:
    org_id: str
    name: str
    recovery_public: bytes | None  # raw X25519 public key; None: no organisation recovery
    wipe_on_revoke: str = "never"
    retention: tuple[tuple[str, int], ...] = ()  # (kind, years), sorted

    @property
    def fingerprint(self) -> str | None:
        return fingerprint(self.recovery_public) if self.recovery_public else None

    def to_json(self) -> dict[str, Any]:
        return {"format": 1, "org_id": self.org_id, "name": self.name,
                "recovery_public": (base64.b64encode(self.recovery_public).decode()
                                    if self.recovery_public else None),
                "wipe_on_revoke": self.wipe_on_revoke,
                **({"retention": dict(self.retention)} if self.retention else {})}

    @classmethod
    def from_json(cls, data: object) -> OrgPolicy:
        """From the policy file's text or the vault setting's value (parsed JSON)."""
        bad = PolicyError(_("The organisation policy is not readable."))
        data = versioned.read(data, 1, lambda: bad)
        org_id, name, wipe = data.get("org_id"), data.get("name", ""), data.get(
            "wipe_on_revoke", "never")
        public = data.get("recovery_public")
        if (not isinstance(org_id, str) or not org_id or len(org_id) > 100
                or not isinstance(name, str) or wipe not in WIPE_CHOICES
                or not (public is None or isinstance(public, str))):
            raise bad
        raw = None
        if public is not None:
            try:
                raw = base64.b64decode(public, validate=True)
            except (binascii.Error, ValueError):
                raise bad from None
            if len(raw) != 32:
                raise bad
        retention = data.get("retention") or {}
        if not isinstance(retention, dict) or not all(
                isinstance(k, str) and 0 < len(k) <= 40 and isinstance(v, int)
                and not isinstance(v, bool) and 0 <= v <= MAX_YEARS
                for k, v in retention.items()):
            raise bad
        return cls(org_id, name, raw, wipe, tuple(sorted(retention.items())))

    @classmethod
    def from_text(cls, text: str) -> OrgPolicy:
        return cls.from_json(text)


def _same(a: str, b: str) -> bool:
    def norm(s: str) -> str:
        return "".join(ch for ch in s.upper() if ch.isalnum()).translate(
            str.maketrans("018", "OIB"))
    return norm(a) == norm(b)


def pin(vault: Vault, policy: OrgPolicy, confirmed_fingerprint: str | None) -> None:
    """Keep ``policy`` in the vault once the person confirmed its recovery key fingerprint
    (as printed by the organisation).  Replacing a pinned recovery key needs the same."""
    if policy.recovery_public is not None and (
            confirmed_fingerprint is None or not _same(confirmed_fingerprint,
                                                       policy.fingerprint or "")):
        raise PolicyError(_("The recovery key fingerprint does not match the one you were "
                            "given. Do not use this policy; tell your organisation."))
    vault.settings.set(SETTING, policy.to_json())


def pinned(vault: Vault) -> OrgPolicy | None:
    data = vault.settings.get(SETTING)
    return None if data is None else OrgPolicy.from_json(data)


def check_offered(vault: Vault, offered: OrgPolicy) -> None:
    """Refuse a policy (from the sync server) whose recovery key is not the pinned one."""
    held = pinned(vault)
    if held is None or held.recovery_public == offered.recovery_public:
        return
    raise PolicyError(
        _("The sync server offers a different organisation recovery key (fingerprint "
          "{offered}) than the one you verified ({held}). Nothing was escrowed to it.")
        .format(offered=offered.fingerprint or "-", held=held.fingerprint or "-"),
        help_text=N_("Tell your IT support: the sync server may be compromised."))
