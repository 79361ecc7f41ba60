"""Hypothesis state machine: the three-device machine (tests/unit/sync/test_stateful.py) on a
TEAM vault whose membership changes while everyone works.

Maria, Jonas and Sanna each hold a copy of one team vault.  They create, edit and delete
records offline, sync partly, crash mid-sync and restart, while a fourth colleague, Pekka,
is invited (member or substitute), writes, and is removed again — each removal rotates the
team key on the remover's copy; the others take the new key version when they next refresh
(``counsel team sync`` does that before every sync), or not yet.  ``COUNSEL_SOAK=N`` runs N
examples instead of CI's 6.

After everyone refreshes and syncs to a fixpoint:

* every copy holds the same revisions, heads, content and conflicts, with no alarm, no
  damage and nothing waiting for keys;
* every value anyone typed (Pekka's too, while he was a member) is in a head, in an open
  conflict, or in a revision a person later built on;
* Pekka, once removed and handed every revision on the server, opens none that was sealed
  under a key version made at or after his last removal.
"""

from __future__ import annotations

import itertools
import shutil
import tempfile
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, event, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, rule, run_state_machine_as_test
from soak import soak
from synchelp import LiveServer

from counsel.domain import Contact
from counsel.sync import conflicts, credentials, enrol, faults
from counsel.sync.client import SyncClient
from counsel.sync.transport import Transport
from counsel.teams import grants, membership
from counsel.teams.membership import Session
from counsel.vault.kdf import KdfParams
from counsel.vault.service import Vault

PASS = "correct horse battery"
FAST = KdfParams.fast_for_tests()
RECORDS = [f"contact{i:04d}" for i in range(4)]
FIELDS = ["name", "phone", "notes"]
PEKKA = 3  # index of Pekka's copy in the writes
_names = itertools.count()


class Crash(Exception):
    """Stands in for kill -9 inside the process: the open transaction is rolled back."""


def make_machine(srv: LiveServer) -> type[RuleBasedStateMachine]:
    class TeamDevices(RuleBasedStateMachine):
        def __init__(self) -> None:
            super().__init__()
            n = next(_names)
            self.dir = Path(tempfile.mkdtemp(prefix="counsel-team-stateful-"))
            self.sessions: list[Session] = []
            for who in ("maria", "jonas", "sanna", "pekka"):
                account = f"{who}{n}"
                v, _ = Vault.create(self.dir / who / "personal.vault", PASS, kdf=FAST)
                enrol.connect(v, srv.url, account, PASS,
                              enrol_secret=srv.storage.create_account(account))
                s = membership.session(v)
                membership.ensure_identity(s)
                self.sessions.append(s)
            maria = self.sessions[0]
            team = membership.create_team(maria, "North", PASS, kdf=FAST)
            self.team_id = team.vault_id
            self.devices = [team]
            for s in self.sessions[1:3]:
                membership.invite(maria, team, s.account, unverified_ok=True)
                copy = membership.join_team(s, self.team_id, PASS, kdf=FAST)
                assert copy is not None
                self.devices.append(copy)
            self.pekka: Vault | None = None
            self.pekka_in = False
            self.pekka_held = 0  # the newest key version Pekka ever held
            self.cut = -1  # versions above this were made after his last removal
            self.created: set[str] = set()
            self.counter = itertools.count()
            # (device, record, field, value, rev_id) for every value a person typed
            self.writes: list[tuple[int, str, str, str, str]] = []
            self.user_revs: set[str] = set()
            self.sealed_at: dict[str, int] = {}  # rev_id → key version it was written under

        def teardown(self) -> None:
            faults.HOOKS.clear()
            for v in [*self.devices, *([self.pekka] if self.pekka else [])]:
                v.lock()
            for s in self.sessions:
                s.close()
                s.personal.lock()
            shutil.rmtree(self.dir, ignore_errors=True)

        def _client(self, v: Vault) -> SyncClient:
            creds = credentials.load(v)
            assert creds is not None
            return SyncClient(v, Transport(creds.url, creds.token), push_batch=3, pull_page=4)

        def _value(self) -> str:
            return f"v{next(self.counter)}"

        def _copy(self, d: int) -> Vault:
            if d == PEKKA:
                assert self.pekka is not None
                return self.pekka
            return self.devices[d]

        def _saved(self, d: int, rev_id: str) -> None:
            self.user_revs.add(rev_id)
            self.sealed_at[rev_id] = membership.team_generation(self._copy(d))

        # -- edits ------------------------------------------------------------------
        @initialize()
        def shared_start(self) -> None:
            for rec in RECORDS[:-1]:
                self.create(0, rec)
            self.sync_everyone()

        @rule(d=st.integers(0, 2), rec=st.sampled_from(RECORDS))
        def create(self, d: int, rec: str) -> None:
            if rec in self.created:
                return
            self.created.add(rec)
            name, line = self._value(), self._value()
            saved = self._copy(d).save(Contact(id=rec, name=name, notes=f"{line}\n"))
            self._saved(d, saved.rev_id)
            self.writes += [(d, rec, "name", name, saved.rev_id),
                            (d, rec, "notes", line, saved.rev_id)]

        @rule(d=st.integers(0, 2), rec=st.sampled_from(RECORDS),
              field=st.sampled_from(FIELDS), where=st.integers(0, 3))
        def edit(self, d: int, rec: str, field: str, where: int) -> None:
            v = self._copy(d)
            if not v.exists(rec):
                return
            current: Any = v.get(rec)
            value = self._value()
            if field == "notes":
                lines = current.notes.splitlines(keepends=True)
                lines.insert(min(where, len(lines)), f"{value}\n")
                saved = v.save(current.replace(notes="".join(lines)))
            else:
                saved = v.save(current.replace(**{field: value}))
            self._saved(d, saved.rev_id)
            self.writes.append((d, rec, field, value, saved.rev_id))

        @rule(d=st.integers(0, 2), rec=st.sampled_from(RECORDS))
        def delete(self, d: int, rec: str) -> None:
            if self.devices[d].exists(rec):
                self._saved(d, self.devices[d].delete(rec).rev_id)

        @rule(d=st.integers(0, 2))
        def resolve_one(self, d: int) -> None:
            found = conflicts.open_conflicts(self.devices[d])
            if found:
                c = found[0]
                saved = conflicts.resolve(self.devices[d], c, {f.name: f.ours for f in c.fields})
                self._saved(d, saved.rev_id)

        # -- syncing ------------------------------------------------------------------
        @rule(d=st.integers(0, 2), step=st.sampled_from(["push", "pull", "sync"]),
              refresh_first=st.booleans())
        def sync_partly(self, d: int, step: str, refresh_first: bool = True) -> None:
            if refresh_first:
                self.refresh(d)
            client = self._client(self.devices[d])
            try:
                getattr(client, step)()
            finally:
                client.close()

        @rule()
        def sync_everyone(self) -> None:
            for d in range(3):
                self.sync_partly(d, "sync")

        @rule(d=st.integers(0, 2))
        def refresh(self, d: int) -> None:
            """What ``counsel team sync`` does first: take newer key versions granted."""
            membership.refresh(self.sessions[d], self.devices[d])

        @rule(d=st.integers(0, 2), point=st.sampled_from(faults.POINTS))
        def crash_mid_sync(self, d: int, point: str) -> None:
            def boom() -> None:
                faults.HOOKS.pop(point, None)
                raise Crash(point)

            faults.HOOKS[point] = boom
            client = self._client(self.devices[d])
            try:
                client.sync()
            except Crash:
                pass
            finally:
                faults.HOOKS.clear()
                client.close()
            self.restart(d)

        @rule(d=st.integers(0, 2))
        def restart(self, d: int) -> None:
            path = self.devices[d].path
            self.devices[d].lock()
            self.devices[d] = Vault.unlock(path, PASS)

        # -- membership ---------------------------------------------------------------
        @rule(d=st.integers(0, 2), role=st.sampled_from([grants.MEMBER, grants.SUBSTITUTE]))
        def invite_pekka(self, d: int, role: str) -> None:
            if self.pekka_in:
                return
            until = "2999-01-01T00:00:00+00:00" if role == grants.SUBSTITUTE else ""
            membership.invite(self.sessions[d], self.devices[d], self.sessions[PEKKA].account,
                              role, until=until, unverified_ok=True)
            pekka = self.sessions[PEKKA]
            if self.pekka is None:
                self.pekka = membership.join_team(pekka, self.team_id, PASS, kdf=FAST)
            else:
                membership.refresh(pekka, self.pekka)
            assert self.pekka is not None
            self.pekka_in = True
            self.pekka_held = max(self.pekka_held, membership.team_generation(self.pekka))
            self._pekka_sync()
            event(f"pekka invited as {role}")

        def _pekka_sync(self) -> None:
            assert self.pekka is not None
            client = self._client(self.pekka)
            try:
                client.sync()
            finally:
                client.close()

        @rule(rec=st.sampled_from(RECORDS), field=st.sampled_from(FIELDS))
        def pekka_writes(self, rec: str, field: str) -> None:
            """Pekka edits (or creates) a record and syncs at once, while a member."""
            if not self.pekka_in:
                return
            if rec in self.created:
                self.edit(PEKKA, rec, field, 0)
            else:
                self.create(PEKKA, rec)
            self._pekka_sync()

        @rule(d=st.integers(0, 2))
        def remove_pekka(self, d: int) -> None:
            """Removal rotates the team key on the remover's copy and syncs it."""
            if not self.pekka_in:
                return
            version = membership.remove(self.sessions[d], self.devices[d],
                                        self.sessions[PEKKA].account)
            self.pekka_in = False
            self.cut = version - 1
            assert version > self.pekka_held
            self.sync_partly(d, "sync", refresh_first=False)
            event("pekka removed: key rotated")

        # -- the end state ------------------------------------------------------------
        def _fixpoint(self) -> None:
            for d in range(3):
                self.refresh(d)
            for _ in range(8):
                moved = 0
                for v in self.devices:
                    client = self._client(v)
                    try:
                        r = client.sync()
                    finally:
                        client.close()
                    moved += r.pushed + r.pulled + len(r.merged)
                if moved == 0:
                    return
            raise AssertionError("sync did not reach a fixpoint")

        def _state(self, v: Vault) -> dict[str, Any]:
            out: dict[str, Any] = {}
            for rec in sorted(self.created):
                heads = v.store.heads(rec)
                out[rec] = [(h.rev_id, v.sync_port.open(h)) for h in heads]
            return out

        def check_converged(self) -> None:
            self._fixpoint()
            gens = {membership.team_generation(v) for v in self.devices}
            assert len(gens) == 1, gens
            for v in self.devices:
                assert v.trust.alarms() == [], v.trust.alarms()
                assert v.damaged() == {}, v.damaged()
                assert v.pending_generation == 0
            revs = [{r.rev_id for r in v.store.all_revisions()} for v in self.devices]
            assert revs[0] == revs[1] == revs[2]
            states = [self._state(v) for v in self.devices]
            assert states[0] == states[1] == states[2]
            open_ = [conflicts.open_conflicts(v) for v in self.devices]
            assert open_[0] == open_[1] == open_[2]
            for v in self.devices:
                with Transport(srv.url) as t:
                    assert SyncClient(v, t).unsynced_count() == 0
            self._check_no_value_lost(self.devices[0], open_[0])
            self._check_pekka_reads_nothing_newer()

        def _check_pekka_reads_nothing_newer(self) -> None:
            """With the server's full cooperation (every revision, every wrapped key)."""
            if self.pekka is None or self.pekka_in or self.cut < 0:
                return  # (invited again, he holds every version up to the current one)
            creds = credentials.load(self.devices[0])
            assert creds is not None
            everything, cursor, more = [], 0, True
            with Transport(creds.url, creds.token) as t:
                while more:
                    page = t.pull(self.team_id, cursor, 200)
                    everything += page.revisions
                    cursor, more = page.next, page.more
            newer = [r for r in everything if self.sealed_at.get(r.rev_id, -1) > self.cut]
            older = [r for r in everything if r.device_id == self.pekka.device_id]
            for rev in newer:
                try:
                    opened = self.pekka.sync_port.open(rev)
                except Exception as exc:  # noqa: BLE001 - any refusal is what we want
                    event(f"pekka refused: {type(exc).__name__}")
                    continue
                raise AssertionError(f"removed member opened {rev.rev_id}: {opened}")
            for rev in older:  # control: what he wrote himself still opens for him
                self.pekka.sync_port.open(rev)
            if newer:
                event("written after removal")

        def _check_no_value_lost(self, v: Vault, open_: list[conflicts.Conflict]) -> None:
            revs = {r.rev_id: r for r in v.store.all_revisions()}
            children: dict[str, set[str]] = {}
            for r in revs.values():
                for p in r.parents:
                    children.setdefault(p, set()).add(r.rev_id)
            content: dict[str, dict[str, Any] | None] = {}

            def data(rev_id: str) -> dict[str, Any] | None:
                if rev_id not in content:
                    content[rev_id] = v.sync_port.open(revs[rev_id])
                return content[rev_id]

            def holds(d: dict[str, Any] | None, field: str, value: str) -> bool:
                text = "" if d is None else str(d.get(field, ""))
                return value in (text.splitlines() if field == "notes" else [text])

            def seen_and_replaced(rev: str, field: str, value: str) -> bool:
                todo, seen = list(children.get(rev, ())), set()
                while todo:
                    x = todo.pop()
                    if x in seen:
                        continue
                    seen.add(x)
                    if x in self.user_revs and any(
                            holds(data(p), field, value) for p in revs[x].parents):
                        return True
                    todo.extend(children.get(x, ()))
                return False

            by_record = {c.record_id: c for c in open_}
            for _d, rec, field, value, rev in self.writes:
                if seen_and_replaced(rev, field, value):
                    continue
                places = [data(h.rev_id) for h in v.store.heads(rec)]
                if rec in by_record:
                    places += [{field: x} for f in by_record[rec].fields if f.name == field
                               for x in f.values]
                assert any(holds(p, field, value) for p in places), (rec, field, value)

    return TeamDevices


def test_a_team_with_membership_changes_converges_and_loses_nothing(
        live_server: LiveServer) -> None:
    machine = make_machine(live_server)

    class Checked(machine):  # type: ignore[valid-type,misc]
        def teardown(self) -> None:
            try:
                self.check_converged()
            finally:
                super().teardown()

    run_state_machine_as_test(Checked, settings=settings(
        max_examples=soak(6), stateful_step_count=25, deadline=None,
        suppress_health_check=list(HealthCheck)))
