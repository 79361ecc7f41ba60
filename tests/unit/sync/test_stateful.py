"""Hypothesis state machine: three devices on one vault against a real server.

``COUNSEL_SOAK=N`` runs N examples instead of CI's 12.

Two devices of one counsellor and one of a colleague create, edit and delete records
offline, sync partly, lose the connection mid-request, crash between protocol steps
and restart.  After everyone syncs to a fixpoint:

* every device holds the same revisions, the same heads and the same content;
* every value ever written is in the head, in an open conflict, or in a revision a
  person later built on (an edit or a resolution naming it) — automatic merges never
  drop a value.
"""

from __future__ import annotations

import itertools
import shutil
import tempfile
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, event, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, rule
from soak import soak
from synchelp import CuttingProxy, LiveServer

from counsel.domain import Contact
from counsel.errors import OfflineError
from counsel.server.storage_sql import SqlStorage
from counsel.sync import conflicts, credentials, enrol, faults
from counsel.sync.client import SyncClient
from counsel.sync.transport import SyncError, Transport
from counsel.vault.kdf import KdfParams
from counsel.vault.service import Vault

PASS = "correct horse battery"
RECORDS = [f"contact{i:04d}" for i in range(4)]
FIELDS = ["name", "phone", "notes"]
_names = itertools.count()


class Crash(Exception):
    """Stands in for kill -9 inside the process: the open transaction is rolled back."""


def make_machine(srv: LiveServer) -> type[RuleBasedStateMachine]:
    class ThreeDevices(RuleBasedStateMachine):
        def __init__(self) -> None:
            super().__init__()
            n = next(_names)
            self.dir = Path(tempfile.mkdtemp(prefix="counsel-stateful-"))
            self.paths = [self.dir / f"d{i}.vault" for i in range(3)]
            d0, _ = Vault.create(self.paths[0], PASS, kdf=KdfParams.fast_for_tests())
            maria, jonas = f"maria{n}", f"jonas{n}"
            enrol.connect(d0, srv.url, maria, PASS,
                          enrol_secret=srv.storage.create_account(maria))
            jonas_secret = srv.storage.create_account(jonas)
            srv.storage.grant(d0.vault_id, jonas)
            d1 = enrol.join(self.paths[1], srv.url, maria, PASS)
            d2 = enrol.join(self.paths[2], srv.url, jonas, PASS, enrol_secret=jonas_secret)
            self.devices = [d0, d1, d2]
            self.created: set[str] = set()
            self.counter = itertools.count()
            # (device, record, field, value, rev_id) for every value a person typed
            self.writes: list[tuple[int, str, str, str, str]] = []
            self.user_revs: set[str] = set()

        def teardown(self) -> None:
            faults.HOOKS.clear()
            for v in self.devices:
                v.lock()
            shutil.rmtree(self.dir, ignore_errors=True)

        def _client(self, d: int, url: str | None = None) -> SyncClient:
            creds = credentials.load(self.devices[d])
            assert creds is not None
            return SyncClient(self.devices[d], Transport(url or creds.url, creds.token),
                              push_batch=3, pull_page=4)

        def _value(self) -> str:
            return f"v{next(self.counter)}"

        # -- edits ------------------------------------------------------------------
        @initialize()
        def shared_start(self) -> None:
            """Most records exist everywhere before the offline work starts."""
            for rec in RECORDS[:-1]:
                self.create(0, rec)
            self.sync_everyone()

        @rule(d=st.integers(0, 2), rec=st.sampled_from(RECORDS))
        def create(self, d: int, rec: str) -> None:
            if rec in self.created:
                return
            self.created.add(rec)
            name, line = self._value(), self._value()
            saved = self.devices[d].save(Contact(id=rec, name=name, notes=f"{line}\n"))
            self.user_revs.add(saved.rev_id)
            self.writes += [(d, rec, "name", name, saved.rev_id),
                            (d, rec, "notes", line, saved.rev_id)]

        @rule(d=st.integers(0, 2), rec=st.sampled_from(RECORDS),
              field=st.sampled_from(FIELDS), where=st.integers(0, 3))
        def edit(self, d: int, rec: str, field: str, where: int) -> None:
            v = self.devices[d]
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
            self.user_revs.add(saved.rev_id)
            self.writes.append((d, rec, field, value, saved.rev_id))

        @rule(rec=st.sampled_from(RECORDS),
              fields=st.lists(st.sampled_from(FIELDS), min_size=3, max_size=3),
              where=st.integers(0, 3))
        def edit_offline_everywhere(self, rec: str, fields: list[str], where: int) -> None:
            """Every device edits the same record before anyone syncs."""
            for d, field in enumerate(fields):
                self.edit(d, rec, field, where)

        @rule()
        def sync_everyone(self) -> None:
            for d in range(3):
                self.sync_partly(d, "sync")

        @rule(d=st.integers(0, 2), rec=st.sampled_from(RECORDS))
        def delete(self, d: int, rec: str) -> None:
            if self.devices[d].exists(rec):
                self.user_revs.add(self.devices[d].delete(rec).rev_id)

        @rule(d=st.integers(0, 2))
        def resolve_one(self, d: int) -> None:
            found = conflicts.open_conflicts(self.devices[d])
            if found:
                c = found[0]
                saved = conflicts.resolve(self.devices[d], c, {f.name: f.ours for f in c.fields})
                self.user_revs.add(saved.rev_id)

        # -- syncing ------------------------------------------------------------------
        @rule(d=st.integers(0, 2), step=st.sampled_from(["push", "pull", "sync"]))
        def sync_partly(self, d: int, step: str) -> None:
            client = self._client(d)
            try:
                getattr(client, step)()
            finally:
                client.close()

        @rule(d=st.integers(0, 2), offset=st.integers(0, 6000),
              direction=st.sampled_from(["up", "down"]))
        def sync_cut(self, d: int, offset: int, direction: str) -> None:
            proxy = CuttingProxy(srv.port, offset, direction)
            client = self._client(d, proxy.url)
            try:
                client.sync()
            except (OfflineError, SyncError):
                pass
            finally:
                client.close()
                proxy.close()

        @rule(d=st.integers(0, 2), point=st.sampled_from(faults.POINTS))
        def crash_mid_sync(self, d: int, point: str) -> None:
            def boom() -> None:
                faults.HOOKS.pop(point, None)
                raise Crash(point)

            faults.HOOKS[point] = boom
            client = self._client(d)
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
            self.devices[d].lock()
            self.devices[d] = Vault.unlock(self.paths[d], PASS)

        # -- the end state ------------------------------------------------------------
        def _fixpoint(self) -> None:
            for _ in range(8):
                moved = 0
                for d in range(3):
                    client = self._client(d)
                    try:
                        r = client.sync()
                    finally:
                        client.close()
                    moved += r.pushed + r.pulled + len(r.merged)
                    if r.merged:
                        event("automatic merge")
                    if r.conflicts:
                        event("open conflict")
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
            # an honest server, cuts and crashes: nothing may look like an attack
            for v in self.devices:
                assert v.trust.alarms() == [], v.trust.alarms()
                assert v.damaged() == {}, v.damaged()
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
                """A person later saved on top of a revision that still showed the value."""
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

    return ThreeDevices


@pytest.mark.postgres
def test_three_devices_converge(pg_url: str, server_log: Any) -> None:
    from counsel.server.storage import open_storage

    storage: SqlStorage = open_storage(pg_url, migrate=True)
    srv = LiveServer(storage).start()
    try:
        machine = make_machine(srv)

        class Checked(machine):  # type: ignore[valid-type,misc]
            def teardown(self) -> None:
                try:
                    self.check_converged()
                finally:
                    super().teardown()

        from hypothesis.stateful import run_state_machine_as_test

        run_state_machine_as_test(Checked, settings=settings(
            max_examples=soak(12), stateful_step_count=25, deadline=None,
            suppress_health_check=list(HealthCheck)))
    finally:
        srv.stop()
        storage.close()
