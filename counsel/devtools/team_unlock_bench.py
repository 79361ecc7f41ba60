"""What this computer's team copies add to an unlock (issue 15).

    python -m counsel.devtools team-unlock-bench [--teams 2] [--runs 3]

A personal vault (default Argon2id parameters) and ``teams`` empty team copies made the
way an install from before kept-copy keys made them (``Vault.adopt``, nothing kept in the
personal vault).  Each run: ``Vault.unlock`` of the personal vault, then
``VaultSet.open``.  Run 0 is an old install's first unlock (one derivation per copy; the
copies' keys are kept from then on, counsel.teams.copykeys); later runs open the copies
with the kept keys.  The same steps as the earlier ad-hoc measurement in docs/teams.md.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

PASS = "measure passphrase 123"


def main(argv: Sequence[str] | None = None) -> int:
    from counsel.teams.membership import team_path
    from counsel.teams.vaultset import VaultSet
    from counsel.vault import keys
    from counsel.vault.service import Vault

    parser = argparse.ArgumentParser(prog="python -m counsel.devtools team-unlock-bench")
    parser.add_argument("--teams", type=int, default=2)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as d:
        path = Path(d) / "p.vault"
        v, _code = Vault.create(path, PASS)
        for i in range(args.teams):
            Vault.adopt(team_path(v, f"{i:032x}"), f"{i:032x}", keys.new_key(), PASS).lock()
        v.lock()
        for n in range(args.runs):
            t0 = time.perf_counter()
            v = Vault.unlock(path, PASS)
            t1 = time.perf_counter()
            vs = VaultSet.open(v, PASS)
            t2 = time.perf_counter()
            print(f"run {n}: personal unlock {1000 * (t1 - t0):.0f} ms; "
                  f"+ {len(vs.copies)} team copies {1000 * (t2 - t1):.0f} ms")
            vs.lock()
            v.lock()
    return 0
