"""Sync as the desktop app drives it: set up, run, remember what moved, sign out (Qt-free).

The app's sync page calls these on a worker thread; each is a plain blocking function.
What the last sync moved (counts and a time, no content) is kept in the vault's local
``sync_state`` so the page can say it after a restart.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from typing import TYPE_CHECKING

from counsel.errors import KnownError, WrongPassphrase
from counsel.i18n import gettext as _
from counsel.i18n import ngettext
from counsel.sync import credentials, enrol
from counsel.sync.client import ProgressFn, SyncClient, SyncReport
from counsel.sync.transport import Transport, check_url

if TYPE_CHECKING:
    from counsel.vault.service import Vault

LAST_SYNC = "last_sync"


@dataclasses.dataclass(frozen=True)
class LastSync:
    at: dt.datetime  # aware, UTC
    pushed: int
    pulled: int
    merged: int
    restored: int
    conflicts: int
    resent: int = 0  # sent again because the server had lost them (restored from a backup)


def record(vault: Vault, report: SyncReport, at: dt.datetime | None = None) -> LastSync:
    at = at or dt.datetime.now(dt.UTC)
    last = LastSync(at, report.pushed, report.pulled, len(set(report.merged)),
                    len(set(report.restored)), report.conflicts, report.resent)
    body = {**dataclasses.asdict(last), "at": at.isoformat()}
    vault.sync_port.set_states({LAST_SYNC: json.dumps(body)})
    return last


def last_sync(vault: Vault) -> LastSync | None:
    raw = vault.sync_port.state(LAST_SYNC)
    if not raw:
        return None
    try:
        body = json.loads(raw)
        return LastSync(dt.datetime.fromisoformat(body["at"]), int(body["pushed"]),
                        int(body["pulled"]), int(body["merged"]), int(body["restored"]),
                        int(body["conflicts"]), int(body.get("resent", 0)))
    except (ValueError, KeyError, TypeError):
        return None


def unsynced_count(vault: Vault) -> int:
    """Local changes the server does not have yet (same count as ``SyncClient``)."""
    return vault.sync_port.unsynced_count()


def signed_in(vault: Vault) -> credentials.Credentials | None:
    return credentials.load(vault)


def check_passphrase(vault: Vault, passphrase: str) -> None:
    """Refuse a mistyped passphrase before it becomes this account's sign-in key."""
    from counsel.vault import keys

    ring = keys.Keyring.from_json(vault.export_keyring())
    keys.unlock_with_passphrase(ring, passphrase)  # raises WrongPassphrase


def set_up(vault: Vault, url: str, account: str, passphrase: str, *,
           enrol_secret: str | None = None) -> credentials.Credentials:
    """First computer (with the enrolment secret) or another one (signs in)."""
    url = check_url(url)  # plain http to another machine is refused before any network
    account = account.strip()
    if not account:
        raise KnownError(_("Give the account name your administrator created for you."))
    try:
        check_passphrase(vault, passphrase)
    except WrongPassphrase:
        raise WrongPassphrase(_("That is not this vault's passphrase.")) from None
    return enrol.connect(vault, url, account, passphrase,
                         enrol_secret=(enrol_secret or "").strip() or None)


def run_sync(vault: Vault, progress: ProgressFn | None = None) -> tuple[SyncReport, LastSync]:
    """One sync; a server that refuses this device raises ``revocation.Revoked`` with what
    the checked notice and the organisation policy decided (nothing deleted yet)."""
    from counsel.sync import revocation
    from counsel.sync.transport import DeviceRevoked

    client = SyncClient.from_vault(vault, progress=progress)
    try:
        report = client.sync()
    except DeviceRevoked as exc:
        raise revocation.Revoked(revocation.decide(vault, exc)) from None
    finally:
        client.close()
    return report, record(vault, report)


def check_server(vault: Vault) -> bool:
    """A cheap reachability probe (used while offline)."""
    creds = credentials.load(vault)
    if creds is None:
        return False
    with Transport(creds.url, creds.token, timeout=10.0) as transport:
        return transport.health()


def sign_out(vault: Vault) -> None:
    """Revoke this computer on the server if reachable, then forget the sign-in here.

    The caller shows the unsynced count and asks first; what is unsynced stays in the
    vault file (the outbox is kept) and goes out if this computer signs in again.
    """
    creds = credentials.load(vault)
    if creds is None:
        return
    try:
        with Transport(creds.url, creds.token, timeout=10.0) as transport:
            transport.revoke(creds.device_id)
    except KnownError:
        pass  # offline: the administrator can revoke the device on the server
    credentials.forget(vault)
    vault.sync_port.set_states({LAST_SYNC: ""})


# -- words for the screen ------------------------------------------------------------------
def moved_text(last: LastSync) -> str:
    parts = [ngettext("sent {n} change", "sent {n} changes", last.pushed).format(n=last.pushed),
             ngettext("received {n} change", "received {n} changes", last.pulled)
             .format(n=last.pulled)]
    if last.merged:
        parts.append(ngettext("merged {n} record automatically",
                              "merged {n} records automatically", last.merged)
                     .format(n=last.merged))
    if last.resent:
        parts.append(ngettext(
            "sent {n} change again: the server had lost it (restored from a backup?)",
            "sent {n} changes again: the server had lost them (restored from a backup?)",
            last.resent).format(n=last.resent))
    return ", ".join(parts)


def ago_text(at: dt.datetime, now: dt.datetime) -> str:
    seconds = max(0, int((now - at).total_seconds()))
    if seconds < 60:
        return _("just now")
    minutes = seconds // 60
    if minutes < 60:
        return ngettext("{n} minute ago", "{n} minutes ago", minutes).format(n=minutes)
    hours = minutes // 60
    if hours < 48:
        return ngettext("{n} hour ago", "{n} hours ago", hours).format(n=hours)
    days = hours // 24
    return ngettext("{n} day ago", "{n} days ago", days).format(n=days)


def retry_text(seconds: float) -> str:
    s = max(1, round(seconds))
    if s < 90:
        return ngettext("trying again in {n} second", "trying again in {n} seconds", s).format(n=s)
    m = round(s / 60)
    return ngettext("trying again in {n} minute", "trying again in {n} minutes", m).format(n=m)


def alarm_messages(vault: Vault) -> list[str]:
    """The remembered warnings about the sync server, each said once, oldest first: alarms
    are kept per device and change, and several (a refused change #3 and #4 of one device)
    read the same."""
    return list(dict.fromkeys(a.message for a in vault.trust.alarms()))


def warnings(vault: Vault) -> tuple[str, ...]:
    """What to tell the person about the sync server's misbehaviour and damage found in
    the vault file (issue 11): remembered until dismissed or restored."""
    from counsel.i18n import gettext as _
    from counsel.i18n import ngettext

    out = alarm_messages(vault)
    damaged = vault.damaged()
    if damaged:
        out.append(ngettext(
            "{n} record on this computer is damaged or was rolled back.",
            "{n} records on this computer are damaged or were rolled back.", len(damaged),
        ).format(n=len(damaged)) + " " + _(
            "Restore the vault file from a backup, or move it aside and join again from the "
            "sync server (counsel sync --server … --account …) to download a good copy."))
    return tuple(out)
