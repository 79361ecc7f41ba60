"""Benchmarks, from a source checkout (QUALITY.md)::

    python -m counsel.devtools bench [--size tiny|small|large] [--seed N] [--fast-kdf]
    python -m counsel.devtools time-bench [N]
    python -m counsel.devtools ics-bench [NAME ...]
    python -m counsel.devtools plans-bench
    python -m counsel.devtools sync-bench [--records N] [--db URL] [--clients N]
    python -m counsel.devtools cli-bench --vault PATH [--runs N]
    python -m counsel.devtools match-bench [--clients N] [--roles M]
    python -m counsel.devtools server-load [--vaults N] [--devices N] [--rounds N] ...
    python -m counsel.devtools migration-bench [--revisions N] [--backend postgresql|sqlite]
    python -m counsel.devtools rotation-bench [--clients N] [--per-client N]
    python -m counsel.devtools backup-bench [--size small|large] [--vault PATH] [--edits N]
    python -m counsel.devtools trust-cost --before PATH [--records N] [--saves N] [--rounds N]
    python -m counsel.devtools audit-bench [--entries N] [--clients N]
    python -m counsel.devtools team-rotation-bench [--clients N] [--per-client N]
    python -m counsel.devtools team-unlock-bench [--teams N] [--runs N]
    python -m counsel.devtools team-time-bench [--records N] [--runs N]
    python -m counsel.devtools unlock-memory --vault PATH [--cold]

Not part of the installed package: the product never imports this package.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m counsel.devtools")
    sub = parser.add_subparsers(dest="command", required=True)
    b = sub.add_parser("bench", help="vault speed against plaintext SQLite")
    b.add_argument("--size", choices=["tiny", "small", "large"], default="small")
    b.add_argument("--seed", type=int, default=1)
    b.add_argument("--fast-kdf", action="store_true", help="cheap key derivation")
    t = sub.add_parser("time-bench", help="time reports and calendar import")
    t.add_argument("n", nargs="?", type=int, default=100_000)
    i = sub.add_parser("ics-bench", help="calendar import of hostile files and 5,000 events")
    i.add_argument("names", nargs="*", metavar="NAME")
    sub.add_parser("plans-bench", help="plan rendering, bilingual vs Finnish only")
    s = sub.add_parser("sync-bench", help="sync speed against a loopback server")
    s.add_argument("--records", type=int, default=10_000)
    s.add_argument("--db", metavar="URL", help="PostgreSQL URL (default: a throwaway cluster)")
    s.add_argument("--clients", type=int, default=4)
    c = sub.add_parser("cli-bench", help="reports and today against a search of a vault")
    c.add_argument("--vault", required=True)
    c.add_argument("--runs", type=int, default=3)
    m = sub.add_parser("match-bench", help="matching open roles against clients")
    m.add_argument("--clients", type=int, default=10_000)
    m.add_argument("--roles", type=int, default=200)
    if argv is None:
        argv = sys.argv[1:]
    if argv and argv[0] in ("server-load", "migration-bench", "rotation-bench",
                            "backup-bench", "trust-cost", "audit-bench",
                            "team-rotation-bench", "team-unlock-bench", "team-time-bench",
                            "unlock-memory"):
        if argv[0] == "unlock-memory":
            from counsel.devtools import unlock_memory

            return unlock_memory.main(argv[1:])
        if argv[0] == "team-time-bench":
            from counsel.devtools import team_time_bench

            return team_time_bench.main(argv[1:])
        if argv[0] == "team-unlock-bench":
            from counsel.devtools import team_unlock_bench

            return team_unlock_bench.main(argv[1:])
        if argv[0] == "team-rotation-bench":
            from counsel.devtools import team_rotation_bench

            return team_rotation_bench.main(argv[1:])
        if argv[0] == "audit-bench":
            from counsel.devtools import audit_bench

            return audit_bench.main(argv[1:])
        if argv[0] == "backup-bench":
            from counsel.devtools import backup_bench

            return backup_bench.main(argv[1:])
        if argv[0] == "trust-cost":
            from counsel.devtools import trust_cost

            return trust_cost.main(argv[1:])
        if argv[0] == "rotation-bench":  # their own options
            from counsel.devtools import rotation_bench

            return rotation_bench.main(argv[1:])
        if argv[0] == "server-load":
            from counsel.devtools import server_load

            return server_load.main(argv[1:])
        from counsel.devtools import migration_bench

        return migration_bench.main(argv[1:])
    sub.add_parser("server-load", help="sync server under many devices (PostgreSQL)")
    sub.add_parser("migration-bench", help="schema migration time on a large database")
    sub.add_parser("rotation-bench", help="what a key rotation costs (10k records)")
    sub.add_parser("backup-bench", help="backup and restore time and size")
    sub.add_parser("trust-cost", help="sync trust's cost against the code before it")
    sub.add_parser("audit-bench", help="what a long audit trail costs (100k entries)")
    sub.add_parser("team-rotation-bench", help="what removing a team member costs (10k)")
    sub.add_parser("team-unlock-bench", help="what team copies add to an unlock")
    sub.add_parser("team-time-bench", help="one member's own time in a team copy")
    args = parser.parse_args(argv)
    if args.command == "bench":
        from counsel.devtools import bench

        print(bench.run(args.size, args.seed, fast_kdf=args.fast_kdf))
    elif args.command == "time-bench":
        from counsel.devtools import timekeeping_bench

        return timekeeping_bench.main([str(args.n)])
    elif args.command == "ics-bench":
        from counsel.devtools import ics_hostile

        return ics_hostile.main(args.names)
    elif args.command == "plans-bench":
        from counsel.devtools import plans_bench

        plans_bench.main()
    elif args.command == "cli-bench":
        from counsel.devtools import cli_bench

        return cli_bench.main(["--vault", args.vault, "--runs", str(args.runs)])
    elif args.command == "match-bench":
        from counsel.devtools import path_bench

        print(path_bench.run(args.clients, args.roles))
    else:
        from counsel.devtools import sync_bench

        print(sync_bench.run(records=args.records, db_url=args.db, clients=args.clients))
    return 0


if __name__ == "__main__":
    sys.exit(main())
