"""The vaults behind one unlocked session: the personal vault and this computer's copies
of the teams it belongs to, and where each client's records live.

A team client's records are read from and written to the team's copy (sealed under the
team's newest key version, synced by the team sync), never the personal vault.  The set
remembers which team each client it has shown belongs to: if that copy stops opening
(a substitute's end passed, the member was removed), a write for that client is refused
with a clear error instead of falling back to the personal vault.  Drafts stay in the
personal vault (local, encrypted, never synced), so what was typed survives a team copy
that cannot open.  Supervisors have no copy: their set holds the personal vault only.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar, cast

from counsel.errors import KnownError, VaultLocked, WrongPassphrase
from counsel.i18n import N_
from counsel.i18n import gettext as _
from counsel.teams.grants import GrantExpired
from counsel.teams.membership import NAME_STATE

if TYPE_CHECKING:
    from counsel.domain import Record
    from counsel.vault.service import Vault
    from counsel.vault.views import ClientSummary

MINE, ALL = "mine", ""  # scopes of the client list (else a team id)
_T = TypeVar("_T")
_S = TypeVar("_S")


class TeamUnavailable(KnownError):
    help_text = N_("Your text is kept as an encrypted draft on this computer. Open the Team "
                   "page to see this team's state, or ask a team member.")


@dataclasses.dataclass(frozen=True)
class TeamCopy:
    team_id: str
    name: str
    vault: Vault


@dataclasses.dataclass(frozen=True)
class Listed:
    """A row of the client list and the team it belongs to (None: the personal vault)."""

    client: ClientSummary
    team_id: str | None
    team_name: str = ""


def remember_name(copy: Vault, name: str) -> None:
    """Keep the team's name in its copy (shown beside its clients, offline too)."""
    if name and copy.sync_port.state(NAME_STATE) != name:
        copy.sync_port.set_states({NAME_STATE: name})


def copy_name(copy: Vault) -> str:
    return copy.sync_port.state(NAME_STATE) or _("team {id}").format(id=copy.vault_id[:8])


def copy_paths(personal: Vault) -> list[Path]:
    from counsel.teams.membership import team_path

    try:
        folder = team_path(personal, "x").parent
    except KnownError:
        return []
    return sorted(folder.glob("*.vault")) if folder.is_dir() else []


class VaultSet:
    """The session's vaults.  The team sync (a worker thread) may close a copy while the
    views read: they iterate over a snapshot (``list(copies.values())``) and a closed
    copy's reads fail like a locked vault's; :meth:`read_each` leaves such a copy out, as
    if it had closed just before the read began."""

    def __init__(self, personal: Vault, copies: Sequence[TeamCopy] = (),
                 problems: Sequence[str] = ()) -> None:
        self.personal = personal
        self.copies: dict[str, TeamCopy] = {c.team_id: c for c in copies}
        self.problems = list(problems)  # sentences: copies that did not open, and why
        self._homes: dict[str, str] = {}  # client id → team id, for every team client seen
        self._gone: dict[str, str] = {}  # team id → why its copy is no longer open

    @classmethod
    def open(cls, personal: Vault, passphrase: str,
             now: dt.datetime | None = None) -> VaultSet:
        """The personal vault and every team copy on this computer that still opens
        (with their keys kept in the personal vault, else the passphrase: copykeys)."""
        from counsel.teams.copykeys import forget, open_copy
        from counsel.teams.membership import check_expiry

        copies, problems = [], []
        for path in copy_paths(personal):
            try:
                team = open_copy(personal, path, passphrase)
            except WrongPassphrase:
                problems.append(_("A team's copy on this computer did not open with your "
                                  "passphrase; its clients are not shown."))
                continue
            except KnownError as exc:
                problems.append(_("A team's copy on this computer could not be opened: "
                                  "{reason}").format(reason=exc.message))
                continue
            name = copy_name(team)
            try:
                check_expiry(team, now)
            except GrantExpired:  # the copy is deleted: its kept key goes too
                forget(personal, path.stem)
                problems.append(expired_words(name))
                continue
            copies.append(TeamCopy(team.vault_id, name, team))
        return cls(personal, copies, problems)

    # -- where a client lives ---------------------------------------------------------
    def team_of(self, client_id: str) -> str | None:
        """The team holding ``client_id`` (None: the personal vault, or nobody)."""
        if client_id in self._homes:
            return self._homes[client_id]
        for c in list(self.copies.values()):
            if not c.vault.locked and c.vault.exists(client_id):
                self._homes[client_id] = c.team_id
                return c.team_id
        return None

    def vault_for(self, client_id: str | None, now: dt.datetime | None = None) -> Vault:
        """The vault that holds ``client_id``'s records (the personal vault for records
        without a client and for clients of nobody's team yet).  A team client whose copy
        no longer opens raises :class:`TeamUnavailable`: never the personal vault."""
        if not client_id:
            return self.personal
        team_id = self.team_of(client_id)
        if team_id is None:
            return self.personal
        copy = self.copies.get(team_id)
        if copy is None:
            raise TeamUnavailable(self._gone.get(team_id) or _(
                "This client belongs to a team whose copy is not open on this computer."))
        self._check(copy, now)
        return copy.vault

    def _check(self, copy: TeamCopy, now: dt.datetime | None) -> None:
        from counsel.teams.copykeys import forget
        from counsel.teams.membership import check_expiry

        try:
            check_expiry(copy.vault, now)
        except GrantExpired:
            forget(self.personal, copy.team_id)
            self.drop(copy.team_id, expired_words(copy.name))
            self.problems.append(expired_words(copy.name))
            raise TeamUnavailable(expired_words(copy.name)) from None

    def vault_of(self, record: Record) -> Vault:
        from counsel.domain import Client

        client = record.id if isinstance(record, Client) else getattr(record, "client", None)
        return self.vault_for(client)

    def shared_with(self, client_id: str) -> TeamCopy | None:
        team_id = self.team_of(client_id)
        return self.copies.get(team_id) if team_id else None

    def moved_home(self, client_id: str) -> None:
        """``client_id`` was moved out of its team into the personal vault."""
        self._homes.pop(client_id, None)

    def add(self, copy: Vault) -> TeamCopy:
        """A copy opened during the session (joined, or opened to share a client)."""
        found = TeamCopy(copy.vault_id, copy_name(copy), copy)
        old = self.copies.get(found.team_id)
        if old is not None and old.vault is not copy and not old.vault.locked:
            old.vault.lock()
        self.copies[found.team_id] = found
        self._gone.pop(found.team_id, None)
        return found

    def drop(self, team_id: str, why: str) -> None:
        """Close a copy that must not be used any more (expired, removed)."""
        copy = self.copies.pop(team_id, None)
        self._gone[team_id] = why
        if copy is not None and not copy.vault.locked:
            copy.vault.lock()

    def lock(self) -> None:
        for c in list(self.copies.values()):
            if not c.vault.locked:
                c.vault.lock()

    # -- reading across the set --------------------------------------------------------
    def scopes(self) -> list[tuple[str, str]]:
        """The list's scopes: (label, key) — all, mine, then each team."""
        return [(_("Mine and my teams'"), ALL), (_("Mine only"), MINE)] + [
            (_("Team {team}").format(team=c.name), c.team_id)
            for c in sorted(list(self.copies.values()), key=lambda c: c.name.casefold())]

    def _open_copies(self) -> list[TeamCopy]:
        return [c for c in list(self.copies.values()) if not c.vault.locked]

    def read_copies(self, read: Callable[[Vault], _T]) -> list[_T]:
        """``read`` of each open team copy (:meth:`read_each`)."""
        return self.read_each([c.vault for c in self._open_copies()], read)

    def read_each(self, sources: Iterable[_S], read: Callable[[_S], _T],
                  vault: Callable[[_S], Vault] | None = None) -> list[_T]:
        """``read`` of each source, in order (``vault``: the vault a source reads; the
        sources are vaults themselves if None).  A team copy that closed while it was read
        (an ended access, a removal seen by the team sync on another thread) is left out;
        the personal vault locked, or a copy failing for any other reason, raises."""
        out = []
        for source in sources:
            try:
                out.append(read(source))
            except VaultLocked:
                v = vault(source) if vault is not None else cast("Vault", source)
                if v is self.personal or not v.locked:
                    raise
        return out

    def clients(self, query: str = "", scope: str = ALL, **filters: Any) -> list[Listed]:
        """The client list across the set, each row with its team (search included)."""
        from counsel.vault.textnorm import normalize

        parts: list[list[Listed]] = []
        if scope in (ALL, MINE):
            parts.append([Listed(c, None) for c in self.personal.clients(query, **filters)])
        wanted = [c for c in self._open_copies() if scope in (ALL, c.team_id)]
        for copy, rows in self.read_each(
                wanted, lambda c: (c, c.vault.clients(query, **filters)), _vault):
            self._homes.update((c.id, copy.team_id) for c in rows)
            parts.append([Listed(c, copy.team_id, copy.name) for c in rows])
        filled = [p for p in parts if p]
        if len(filled) <= 1:
            return filled[0] if filled else []  # one vault: its own order, untouched
        out = [r for p in filled for r in p]
        out.sort(key=lambda r: (normalize(r.client.name), r.client.id))
        return out

    def client_names(self, ids: Iterable[str], *, display: bool = True) -> dict[str, str]:
        wanted = list(ids)
        names = {k: v for k, v in self.personal.client_names(wanted, display=display).items()
                 if v}

        def read(copy: TeamCopy) -> None:
            if rest := [i for i in wanted if i not in names]:
                names.update({k: v for k, v in copy.vault.client_names(
                    rest, display=display).items() if v})

        self.read_each(self._open_copies(), read, _vault)
        return names

    def today_summary(self, day: dt.date,
                      should_stop: Callable[[], bool] | None = None) -> Any:
        """The Today page's groups over every vault of the set (team clients included)."""
        from counsel.app import today_query

        parts = self.read_each(
            [self.personal, *(c.vault for c in self._open_copies())],
            lambda v: today_query.summary(v, day, should_stop=should_stop))
        return merge_summaries(parts, today_query.SHOWN_PER_GROUP)


def _vault(copy: TeamCopy) -> Vault:
    return copy.vault



def merge_summaries(parts: Sequence[Any], limit: int) -> Any:
    """Today summaries of several vaults as one: each group re-sorted and cut to
    ``limit``, totals added, clients with something due joined."""
    from counsel.app.today_query import TodaySummary
    from counsel.vault.agenda import BUCKETS

    if len(parts) == 1:
        return parts[0]
    day = parts[0].day
    shown = []
    for group in BUCKETS:
        items = [i for p in parts for i in p.shown if i.bucket(day) == group]
        items.sort(key=lambda i: (i.due, i.kind.value, i.text))
        shown += items[:limit]
    totals = {g: sum(p.totals.get(g, 0) for p in parts) for g in BUCKETS}
    due = frozenset().union(*(p.due_clients for p in parts))
    return TodaySummary(day, tuple(shown), totals, due)


def expired_words(team: str) -> str:
    return _("Your access to {team} has ended: its clients are no longer shown on this "
             "computer.").format(team=f"\u2068{team}\u2069")


def removed_words(team: str) -> str:
    return _("You are no longer a member of {team}: its clients are no longer shown on "
             "this computer.").format(team=f"\u2068{team}\u2069")


@dataclasses.dataclass(frozen=True)
class TeamSyncReport:
    changed: bool  # something arrived or left: the client views refresh
    problems: list[str]
    removed: list[str] = dataclasses.field(default_factory=list)  # team ids that left
    set_aside: list[Path] = dataclasses.field(default_factory=list)  # *.vault.removed kept
    notes: list[str] = dataclasses.field(default_factory=list)  # e.g. a substitute rotated out


def sync_teams(vs: VaultSet, now: dt.datetime | None = None,
               transport: Any = None) -> TeamSyncReport:
    """The team sync of every open copy: newer key versions taken in, expired substitutes
    rotated out, records pushed and pulled.  A team the server no longer lists for this
    account (removed) is closed and its copy deleted from this computer, so its clients
    leave the list; an expired copy likewise (``check_expiry``)."""
    from counsel.errors import OfflineError
    from counsel.sync.client import SyncClient
    from counsel.teams import membership

    if not vs.copies:
        return TeamSyncReport(False, [])
    s = membership.session(vs.personal, transport)
    changed, problems = False, []
    removed: list[str] = []
    aside: list[Path] = []
    notes: list[str] = []
    try:
        listed = {str(t["team_id"]): str(t.get("name") or "") for t in s.remote.teams()}
        for team_id, copy in list(vs.copies.items()):
            if team_id not in listed:
                kept = remove_copy(vs, copy, removed_words(copy.name))
                removed.append(team_id)
                if kept is not None:
                    aside.append(kept)
                problems.append(removed_words(copy.name))
                vs.problems.append(removed_words(copy.name))
                changed = True
                continue
            if listed[team_id] and listed[team_id] != copy.name:
                remember_name(copy.vault, listed[team_id])
                vs.copies[team_id] = copy = dataclasses.replace(copy, name=listed[team_id])
                changed = True
            try:
                membership.refresh(s, copy.vault, now)
                rotated = membership.rotate_out_expired(s, copy.vault, now)
                if rotated is not None:
                    notes.append(_("{team}: a substitute's access has ended; new writes use "
                                   "key version {n}.").format(
                                       team=f"\u2068{copy.name}\u2069", n=rotated))
                client = SyncClient.from_vault(copy.vault)
                try:
                    report = client.sync()
                finally:
                    client.close()
                changed = changed or bool(report.pulled or report.merged)
            except GrantExpired:
                vs.drop(team_id, expired_words(copy.name))
                problems.append(expired_words(copy.name))
                vs.problems.append(expired_words(copy.name))
                changed = True
            except OfflineError:
                raise
            except KnownError as exc:
                problems.append(_("{team}: {reason}").format(
                    team=f"\u2068{copy.name}\u2069", reason=exc.message))
    finally:
        s.close()
    return TeamSyncReport(changed, problems, removed, aside, notes)


def remove_copy(vs: VaultSet, copy: TeamCopy, why: str) -> Path | None:
    """A removed member's copy leaves: deleted, or — holding writes the server never
    took — set aside as ``<team>.vault.removed`` (still encrypted; never opened again by
    the app), so nothing typed is destroyed by a removal.  Returns the set-aside file
    (None: nothing was unsent, the copy is deleted).  The app's sync and
    ``counsel team sync`` both come here (through :func:`sync_teams`)."""
    from counsel.teams.copykeys import forget
    from counsel.teams.membership import drop_copy

    forget(vs.personal, copy.team_id)
    path = Path(copy.vault.path) if copy.vault.path else None
    unsynced = copy.vault.sync_port.unsynced_count() if not copy.vault.locked else 0
    vs.drop(copy.team_id, why)
    if path is None:
        return None
    kept = None
    if unsynced:
        for p in (path, Path(f"{path}-wal"), Path(f"{path}-shm")):
            if p.exists():
                p.replace(p.with_name(p.name.replace(".vault", ".vault.removed", 1)))
        kept = path.with_name(path.name + ".removed")
    drop_copy(path)
    return kept
