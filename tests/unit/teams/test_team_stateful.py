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

from devicemachine import FIELDS, PASS, RECORDS, HonestDevices
from hypothesis import HealthCheck, event, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, rule, run_state_machine_as_test
from soak import soak
from synchelp import LiveServer

from counsel.sync import credentials, enrol, faults
from counsel.sync.transport import Transport
from counsel.teams import grants, membership
from counsel.teams.membership import Session
from counsel.vault.kdf import KdfParams
from counsel.vault.service import Vault

FAST = KdfParams.fast_for_tests()
PEKKA = 3  # index of Pekka's copy in the writes
_names = itertools.count()


def make_machine(srv: LiveServer) -> type[RuleBasedStateMachine]:
    class TeamDevices(HonestDevices):
        """The honest devices' rules (tests/support/devicemachine.py) on team copies that
        refresh their key versions before syncing, plus Pekka joining, writing and being
        removed."""

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
            self.server_url = srv.url
            self.pekka: Vault | None = None
            self.pekka_in = False
            self.pekka_held = 0  # the newest key version Pekka ever held
            self.cut = -1  # versions above this were made after his last removal
            self.start_tracking()
            self.sealed_at: dict[str, int] = {}  # rev_id → key version it was written under

        def teardown(self) -> None:
            faults.HOOKS.clear()
            for v in [*self.devices, *([self.pekka] if self.pekka else [])]:
                v.lock()
            for s in self.sessions:
                s.close()
                s.personal.lock()
            shutil.rmtree(self.dir, ignore_errors=True)

        def _copy(self, d: int) -> Vault:
            if d == PEKKA:
                assert self.pekka is not None
                return self.pekka
            return self.devices[d]

        def _saved(self, d: int, rev_id: str) -> None:
            self.user_revs.add(rev_id)
            self.sealed_at[rev_id] = membership.team_generation(self._copy(d))

        def _before_fixpoint(self) -> None:
            for d in range(3):
                self.refresh(d)

        # -- syncing ------------------------------------------------------------------
        @rule(d=st.integers(0, 2), step=st.sampled_from(["push", "pull", "sync"]),
              refresh_first=st.booleans())
        def sync_partly(self, d: int, step: str, refresh_first: bool = True) -> None:
            if refresh_first:
                self.refresh(d)
            super().sync_partly(d, step)

        @rule(d=st.integers(0, 2))
        def refresh(self, d: int) -> None:
            """What ``counsel team sync`` does first: take newer key versions granted."""
            membership.refresh(self.sessions[d], self.devices[d])

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
        def check_converged(self) -> None:
            super().check_converged()
            gens = {membership.team_generation(v) for v in self.devices}
            assert len(gens) == 1, gens
            for v in self.devices:
                assert v.pending_generation == 0
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
