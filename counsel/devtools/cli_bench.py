"""Command-line reports against a search of the same vault (QUALITY.md: ≤ 2×, both
including unlock).  Not part of the test suite.

    COUNSEL_PASSPHRASE=... python -m counsel.devtools cli-bench --vault PATH [--runs 3]

Each command runs as its own process (as a script would run it), interleaved with the
baseline so load drifts on a shared machine hit both alike; medians are compared.
"""

from __future__ import annotations

import argparse
import datetime as dt
import statistics
import subprocess
import sys
import time
from collections.abc import Sequence


def commands(vault: str, today: dt.date) -> dict[str, list[str]]:
    year_ago = (today - dt.timedelta(days=365)).isoformat()
    base = [sys.executable, "-m", "counsel.cli.main", "--vault", vault]
    return {
        "counsel search amina (baseline)": [*base, "search", "amina"],
        "counsel report time (1 year)": [*base, "report", "time", "--from", year_ago,
                                         "--to", today.isoformat()],
        "counsel report indicators (1 year)": [*base, "report", "indicators", "--from",
                                               year_ago, "--to", today.isoformat()],
        "counsel today": [*base, "today"],
    }


def _once(cmd: list[str]) -> float:
    start = time.perf_counter()
    done = subprocess.run(cmd, check=False, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    if done.returncode:  # e.g. a command this version does not have yet
        return float("nan")
    return time.perf_counter() - start


def main(argv: Sequence[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m counsel.devtools cli-bench")
    p.add_argument("--vault", required=True)
    p.add_argument("--runs", type=int, default=3)
    args = p.parse_args(argv)
    cmds = commands(args.vault, dt.date.today())
    times: dict[str, list[float]] = {name: [] for name in cmds}
    for _run in range(args.runs):
        for name, cmd in cmds.items():
            times[name].append(_once(cmd))
    base = statistics.median(times["counsel search amina (baseline)"])
    for name, values in times.items():
        m = statistics.median(values)
        print(f"{name:40s} median {m * 1000:7.0f} ms   ratio {m / base:5.2f}x")
    return 0


if __name__ == "__main__":
    sys.exit(main())
