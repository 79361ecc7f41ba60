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
from devicemachine import FIELDS, PASS, RECORDS, HonestDevices
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, rule
from soak import soak
from synchelp import CuttingProxy, LiveServer

from counsel.errors import OfflineError
from counsel.server.storage_sql import SqlStorage
from counsel.sync import enrol, faults
from counsel.sync.transport import SyncError
from counsel.vault.kdf import KdfParams
from counsel.vault.service import Vault

_names = itertools.count()


def make_machine(srv: LiveServer) -> type[RuleBasedStateMachine]:
    class ThreeDevices(HonestDevices):
        """The honest devices' rules (tests/support/devicemachine.py), plus every device
        editing one record offline and connections cut mid-request."""

        def __init__(self) -> None:
            super().__init__()
            n = next(_names)
            self.dir = Path(tempfile.mkdtemp(prefix="counsel-stateful-"))
            paths = [self.dir / f"d{i}.vault" for i in range(3)]
            d0, _ = Vault.create(paths[0], PASS, kdf=KdfParams.fast_for_tests())
            maria, jonas = f"maria{n}", f"jonas{n}"
            enrol.connect(d0, srv.url, maria, PASS,
                          enrol_secret=srv.storage.create_account(maria))
            jonas_secret = srv.storage.create_account(jonas)
            srv.storage.grant(d0.vault_id, jonas)
            d1 = enrol.join(paths[1], srv.url, maria, PASS)
            d2 = enrol.join(paths[2], srv.url, jonas, PASS, enrol_secret=jonas_secret)
            self.devices = [d0, d1, d2]
            self.server_url = srv.url
            self.start_tracking()

        def teardown(self) -> None:
            faults.HOOKS.clear()
            for v in self.devices:
                v.lock()
            shutil.rmtree(self.dir, ignore_errors=True)

        @rule(rec=st.sampled_from(RECORDS),
              fields=st.lists(st.sampled_from(FIELDS), min_size=3, max_size=3),
              where=st.integers(0, 3))
        def edit_offline_everywhere(self, rec: str, fields: list[str], where: int) -> None:
            """Every device edits the same record before anyone syncs."""
            for d, field in enumerate(fields):
                self.edit(d, rec, field, where)

        @rule(d=st.integers(0, 2), offset=st.integers(0, 6000),
              direction=st.sampled_from(["up", "down"]))
        def sync_cut(self, d: int, offset: int, direction: str) -> None:
            proxy = CuttingProxy(srv.port, offset, direction)
            client = self._client(self.devices[d], proxy.url)
            try:
                client.sync()
            except (OfflineError, SyncError):
                pass
            finally:
                client.close()
                proxy.close()

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
