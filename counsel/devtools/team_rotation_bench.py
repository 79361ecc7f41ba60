"""What removing a member costs on a 10k-record team vault (issue 15).

    python -m counsel.devtools team-rotation-bench [--clients 1000] [--per-client 9]

Maria's team vault holds ``clients`` clients with ``per-client`` encounters each (10,000
records by default, from the demo caseload); Jonas and Sanna hold copies, Pekka is a
member too.  A loopback sync server (its own process, SQLite).  Measured, each against a
baseline from the same run because shared machines drift:

* ``membership.remove`` on Maria's copy (the server stops serving Pekka, the team key is
  rotated, the new key version is granted — sealed and signed — to the three who remain)
  vs  one save of one record;
* Maria's sync after it (100 edits under the new version)  vs  the same sync before;
* Jonas's ``membership.refresh`` (fetch the grants and identities, check the chain of
  signatures, open his grant, install the new version);
* Jonas's sync after it (pulls the 100 edits)  vs  his sync of 100 edits before.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from counsel.devtools.rotation_bench import (
    _edit,
    _records,
    _sync,
    _timed,
    baselines,
    bench_main,
    loopback,
    table,
)

PASS = "benchmark passphrase"


def run(clients: int = 1000, per_client: int = 9) -> str:
    from counsel.domain import Encounter
    from counsel.sync import enrol
    from counsel.teams import membership
    from counsel.vault.kdf import KdfParams
    from counsel.vault.service import Vault

    fast = KdfParams.fast_for_tests()
    rows: list[tuple[str, str, str]] = []
    people: dict[str, Any] = {}
    copies: list[Any] = []
    with loopback("counsel-team-rotation-bench-") as (work, storage, url):
        try:
            for name in ("maria", "jonas", "sanna", "pekka"):
                v, _ = Vault.create(work / name / "personal.vault", PASS, kdf=fast)
                enrol.connect(v, url, name, PASS, enrol_secret=storage.create_account(name))
                people[name] = membership.session(v)
                membership.ensure_identity(people[name])
            team = membership.create_team(people["maria"], "Bench", PASS, kdf=fast)
            copies.append(team)
            team.save_many(list(_records(clients, per_client)))
            n = team.count()
            _sync(team)
            for name in ("jonas", "sanna", "pekka"):
                membership.invite(people["maria"], team, name, unverified_ok=True)
            jonas = membership.join_team(people["jonas"], team.vault_id, PASS, kdf=fast)
            assert jonas is not None
            copies.append(jonas)
            _sync(jonas)
            encounters = [e.id for e in team.all(Encounter)[:100]]
            one, t_m0, t_j0 = baselines(team, jonas, encounters)

            t_rm, version = _timed(lambda: membership.remove(people["maria"], team, "pekka"))
            assert version == 1
            rows.append((f"remove + rotate + 3 grants, {n} records / {clients} clients",
                         f"{t_rm * 1000:.0f} ms",
                         f"{t_rm / one:.1f}× one save ({one * 1000:.1f} ms)"))
            _edit(team, encounters, "after")
            t_m1, _ = _timed(lambda: _sync(team))
            rows.append(("Maria: first sync after (100 edits under version 1)",
                         f"{t_m1 * 1000:.0f} ms",
                         f"{t_m1 / t_m0:.2f}× the same sync before ({t_m0 * 1000:.0f} ms)"))
            t_ref, got = _timed(lambda: membership.refresh(people["jonas"], jonas))
            assert got == 1
            rows.append(("Jonas: refresh (grants checked, version 1 installed)",
                         f"{t_ref * 1000:.0f} ms", f"{t_ref / t_j0:.2f}× a sync of 100 edits"))
            t_j1, report = _timed(lambda: _sync(jonas))
            assert not report.alarms
            assert getattr(jonas.get(encounters[0]), "situation", None) == "edited after"
            rows.append(("Jonas: first sync after (pulls the 100 edits)",
                         f"{t_j1 * 1000:.0f} ms",
                         f"{t_j1 / t_j0:.2f}× the same sync before ({t_j0 * 1000:.0f} ms)"))
        finally:
            for v in copies:
                v.lock()
            for s in people.values():
                s.close()
                s.personal.lock()
    return table(rows)


def main(argv: Sequence[str] | None = None) -> int:
    return bench_main("python -m counsel.devtools team-rotation-bench", run, argv)
