"""What counting one member's own time costs in a team copy.

``python -m counsel.devtools team-time-bench [--records N] [--runs N]``: a personal vault
and a team copy, each with N encounters and work entries over 300 clients in one year
(the team's written half by "maria", half by "jonas"); prints the best of ``runs`` for a
year's time report of the personal vault alone, of the team copy whole, of the team copy
filtered to maria (``author``), and of maria's whole session (``teamtime.time_report``).
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any


def _fill(vault: Any, n: int, base: dt.date, authors: Sequence[str]) -> None:
    from counsel.domain import Client, Encounter, WorkEntry, WorkKind
    from counsel.vault.authors import TEAM_ACCOUNT

    rng = random.Random(len(authors))
    clients = [Client(name=f"C{i}") for i in range(300)]
    vault.save_many(clients)
    for who in authors:
        if who:
            vault.sync_port.set_states({TEAM_ACCOUNT: who})
        recs: list[Any] = []
        for i in range(n // len(authors)):
            c = rng.choice(clients).id
            d = base + dt.timedelta(days=rng.randrange(360))
            recs.append(Encounter(client=c, date=d, minutes=45) if i % 2 else
                        WorkEntry(kind=WorkKind.BACKGROUND, date=d, minutes=30, client=c))
        for k in range(0, len(recs), 2000):
            vault.save_many(recs[k:k + 2000])


def _best(fn: Callable[[], object], runs: int) -> float:
    best = float("inf")
    for _ in range(runs):
        t = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - t)
    return best


def main(argv: Sequence[str] | None = None) -> int:
    from counsel.teams import teamtime
    from counsel.teams.vaultset import TeamCopy, VaultSet
    from counsel.timekeeping import report_query
    from counsel.timekeeping.split import Period
    from counsel.vault.authors import TEAM_ACCOUNT
    from counsel.vault.kdf import KdfParams
    from counsel.vault.service import Vault

    p = argparse.ArgumentParser(prog="python -m counsel.devtools team-time-bench")
    p.add_argument("--records", type=int, default=20_000)
    p.add_argument("--runs", type=int, default=5)
    args = p.parse_args(argv)
    base = dt.date(2026, 1, 1)
    first, last = base, base + dt.timedelta(days=364)
    fast = KdfParams.fast_for_tests()
    with tempfile.TemporaryDirectory() as tmp:
        personal = Vault.create(Path(tmp) / "p.vault", "x" * 12, kdf=fast)[0]
        team = Vault.create(Path(tmp) / "t.vault", "x" * 12, kdf=fast)[0]
        try:
            _fill(personal, args.records, base, [""])
            _fill(team, args.records, base, ["jonas", "maria"])
            team.sync_port.set_states({TEAM_ACCOUNT: "maria"})
            vs = VaultSet(personal, [TeamCopy(team.vault_id, "T", team)])
            rows = [
                ("personal vault alone", lambda: report_query.time_report(
                    personal, first, last, Period.MONTH)),
                ("team copy, everyone's", lambda: report_query.time_report(
                    team, first, last, Period.MONTH)),
                ("team copy, maria's only", lambda: report_query.report_from(
                    report_query.cells(team, first, last, Period.MONTH, author="maria"))),
                ("maria's session (personal + own team time)", lambda: teamtime.time_report(
                    vs, first, last, Period.MONTH)),
            ]
            print(f"a year's time report by month, {args.records:,} records per vault, "
                  f"best of {args.runs}:")
            for name, fn in rows:
                print(f"  {name:45} {_best(fn, args.runs) * 1000:7.1f} ms")
        finally:
            team.lock()
            personal.lock()
    return 0
