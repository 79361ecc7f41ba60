"""Benchmark of matching: ``python -m counsel.devtools match-bench [--clients N] [--roles M]``.

Builds N synthetic clients with competence profiles (the demo generator, about 60 %
consenting) and M open roles (default 10,000 × 200, issue 17), then times: building the
index from decoded records, and matching every role (first pass: columns cold; second
pass: the columns of languages, cards, occupations and places cached).  Goal: ≤ 100 ms
per role.  Prints milliseconds; nothing is asserted (QUALITY.md: speed is measured here,
not in tests).
"""

from __future__ import annotations

import datetime as dt
import random
import statistics
import time

from counsel.domain import Client, CompetenceProfile, LanguageSkill, Role
from counsel.domain.enums import CefrLevel

TODAY = dt.date(2026, 11, 27)


def data(clients: int, roles: int, seed: int = 1
         ) -> tuple[list[Client], list[CompetenceProfile], list[Role]]:
    from counsel.demo import employers
    from counsel.demo.caseload import MUNICIPALITIES

    rng = random.Random(seed)
    people = []
    for i in range(clients):
        level = rng.choice([CefrLevel.A1_1, CefrLevel.A1_3, CefrLevel.A2_1, CefrLevel.B1_1])
        people.append(Client(
            name=f"Client {i}", municipality=rng.choice(MUNICIPALITIES),
            languages=(LanguageSkill("ar", True), LanguageSkill("fi", False, level)),
            started=TODAY - dt.timedelta(days=rng.randint(30, 1500))))
    profiles = [employers.profile(rng, c, TODAY) for c in people]
    open_roles: list[Role] = []
    while len(open_roles) < roles:
        open_roles += [r for r in employers.employers(rng, 50, MUNICIPALITIES, TODAY)
                       if isinstance(r, Role)]
    return people, profiles, open_roles[:roles]


def run(clients: int = 10_000, roles: int = 200) -> str:
    from counsel.path.matching import MatchIndex

    people, profiles, open_roles = data(clients, roles)
    t = time.perf_counter()
    index = MatchIndex.build(people, profiles, TODAY)
    build_ms = (time.perf_counter() - t) * 1000
    lines = [f"clients {clients}, consenting {len(index)}, open roles {len(open_roles)}",
             f"index build: {build_ms:.0f} ms"]
    for label in ("first pass (cold columns)", "second pass (cached columns)"):
        times = []
        listed = 0
        for role in open_roles:
            t = time.perf_counter()
            listed += len(index.match_role(role, limit=20))
            times.append((time.perf_counter() - t) * 1000)
        times.sort()
        lines.append(
            f"{label}: per role mean {statistics.mean(times):.1f} ms, median "
            f"{statistics.median(times):.1f} ms, p95 {times[int(len(times) * 0.95) - 1]:.1f} ms, "
            f"max {times[-1]:.1f} ms; total {sum(times) / 1000:.2f} s; {listed} matches listed")
    t = time.perf_counter()
    some = [c.id for c in people[:200]]
    for cid in some:
        index.roles_for(cid, open_roles)
    lines.append(f"roles for a client (200 roles): "
                 f"{(time.perf_counter() - t) * 1000 / len(some):.2f} ms per client")
    return "\n".join(lines)
