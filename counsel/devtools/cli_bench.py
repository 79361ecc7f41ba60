"""Command-line reports against a search of the same vault (QUALITY.md: ≤ 2×, both
including unlock).  Not part of the test suite.

    COUNSEL_PASSPHRASE=... python -m counsel.devtools cli-bench --vault PATH [--runs 3]

Each command runs as its own process (as a script would run it), interleaved with the
baseline so load drifts on a shared machine hit both alike; medians are compared.  The
peak memory of each command (the largest of its runs' ``ru_maxrss``, from ``wait4``) is
printed beside it; on Linux that includes the few MB of this process the child shared
between fork and exec.
"""

from __future__ import annotations

import argparse
import datetime as dt
import math
import os
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


def _once(cmd: list[str]) -> tuple[float, float]:
    """(seconds, peak MB) of one run; NaN for a command that failed (e.g. one this version
    does not have yet) or a peak this system cannot tell."""
    start = time.perf_counter()
    child = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    if hasattr(os, "wait4"):
        _pid, status, usage = os.wait4(child.pid, 0)
        child.returncode = os.waitstatus_to_exitcode(status)
        peak = usage.ru_maxrss / 1024  # KiB on Linux
    else:  # pragma: no cover - not on Linux
        child.wait()
        peak = math.nan
    if child.returncode:
        return math.nan, math.nan
    return time.perf_counter() - start, peak


def main(argv: Sequence[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m counsel.devtools cli-bench")
    p.add_argument("--vault", required=True)
    p.add_argument("--runs", type=int, default=3)
    args = p.parse_args(argv)
    cmds = commands(args.vault, dt.date.today())
    times: dict[str, list[float]] = {name: [] for name in cmds}
    peaks: dict[str, list[float]] = {name: [] for name in cmds}
    for _run in range(args.runs):
        for name, cmd in cmds.items():
            seconds, peak = _once(cmd)
            times[name].append(seconds)
            peaks[name].append(peak)
    base = statistics.median(times["counsel search amina (baseline)"])
    for name, values in times.items():
        m = statistics.median(values)
        print(f"{name:40s} median {m * 1000:7.0f} ms   ratio {m / base:5.2f}x   "
              f"peak {max((x for x in peaks[name] if x == x), default=math.nan):5.0f} MB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
