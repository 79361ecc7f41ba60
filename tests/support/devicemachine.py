"""The honest devices' rules shared by the two sync state machines
(tests/unit/sync/test_stateful.py: three devices of one vault; tests/unit/teams/
test_team_stateful.py: three copies of a team vault whose membership changes).

:class:`HonestDevices` is a Hypothesis state machine over ``self.devices`` (three unlocked
vaults syncing with one server): people create, edit and delete records offline, resolve
conflicts, sync partly, crash mid-sync and restart.  A subclass sets ``self.devices`` and
``self.server_url`` in its ``__init__`` (after :meth:`start_tracking`), and adds its own
rules; the hooks say what differs (which copy writes, what is noted of a saved revision,
what comes before a sync).  :meth:`check_converged` is the end state every machine needs:
after a fixpoint every device holds the same revisions, heads, content and conflicts, no
alarm and no damage, and every value anyone typed is in a head, in an open conflict, or in
a revision a person later built on.
"""

from __future__ import annotations

import itertools
from typing import Any

from hypothesis import event
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, rule

from counsel.domain import Contact
from counsel.sync import conflicts, credentials, faults
from counsel.sync.client import SyncClient
from counsel.sync.transport import Transport
from counsel.vault.service import Vault

PASS = "correct horse battery"
RECORDS = [f"contact{i:04d}" for i in range(4)]
FIELDS = ["name", "phone", "notes"]


class Crash(Exception):
    """Stands in for kill -9 inside the process: the open transaction is rolled back."""


class HonestDevices(RuleBasedStateMachine):
    devices: list[Vault]
    server_url: str

    def start_tracking(self) -> None:
        self.created: set[str] = set()
        self.counter = itertools.count()
        # (device, record, field, value, rev_id) for every value a person typed
        self.writes: list[tuple[int, str, str, str, str]] = []
        self.user_revs: set[str] = set()

    # -- hooks ------------------------------------------------------------------------
    def _copy(self, d: int) -> Vault:
        """The copy person ``d`` writes in."""
        return self.devices[d]

    def _saved(self, d: int, rev_id: str) -> None:
        """A revision a person saved (edits, deletions and resolutions alike)."""
        self.user_revs.add(rev_id)

    def _before_fixpoint(self) -> None:
        """What every device does once before the final syncs."""

    def _client(self, v: Vault, url: str | None = None) -> SyncClient:
        creds = credentials.load(v)
        assert creds is not None
        return SyncClient(v, Transport(url or creds.url, creds.token), push_batch=3,
                          pull_page=4)

    def _value(self) -> str:
        return f"v{next(self.counter)}"

    # -- edits ------------------------------------------------------------------------
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

    # -- syncing ------------------------------------------------------------------------
    @rule(d=st.integers(0, 2), step=st.sampled_from(["push", "pull", "sync"]))
    def sync_partly(self, d: int, step: str) -> None:
        client = self._client(self.devices[d])
        try:
            getattr(client, step)()
        finally:
            client.close()

    @rule()
    def sync_everyone(self) -> None:
        for d in range(3):
            self.sync_partly(d, "sync")

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

    # -- the end state --------------------------------------------------------------------
    def _fixpoint(self) -> None:
        self._before_fixpoint()
        for _ in range(8):
            moved = 0
            for v in self.devices:
                client = self._client(v)
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
            with Transport(self.server_url) as t:
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
