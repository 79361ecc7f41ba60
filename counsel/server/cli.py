"""``counsel-server``: run the sync service and manage accounts.

    counsel-server [--db URL] migrate [--status]    # bring the schema to this release's version
    counsel-server [--db URL] serve [--host 127.0.0.1] [--port 8443]
    counsel-server [--db URL] add-account NAME      # prints a one-time enrolment secret
    counsel-server [--db URL] enrol-secret NAME     # a new one-time secret for NAME
    counsel-server [--db URL] grant VAULT_ID NAME   # let another account use a vault
    counsel-server [--db URL] devices NAME | revoke-device NAME DEVICE_ID

``--db`` (or ``COUNSEL_SERVER_DB``) is ``postgresql://...`` or a SQLite path; the
default is a SQLite file in the user data folder.  Serve plain HTTP on loopback only
and put a TLS reverse proxy in front (docs/sync.md).
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from counsel.server.storage_sql import SqlStorage


def default_db() -> str:
    env = os.environ.get("COUNSEL_SERVER_DB")
    if env:
        return env
    import platformdirs

    folder = platformdirs.user_data_path("counsel-server", appauthor=False, ensure_exists=True)
    return str(folder / "server.sqlite3")


def setup_logging(level: int = logging.INFO) -> None:
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(message)s"))
    root = logging.getLogger("counsel.server")
    root.handlers[:] = [handler]
    root.setLevel(level)
    root.propagate = False


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="counsel-server",
                                     description="Counsel end-to-end-encrypted sync service")
    parser.add_argument("--db", metavar="URL", help="postgresql://... or a SQLite file path")
    sub = parser.add_subparsers(dest="command", required=True)
    mig = sub.add_parser("migrate", help="apply the schema migrations this release needs")
    mig.add_argument("--status", action="store_true", help="only show the versions")
    serve = sub.add_parser("serve", help="run the HTTP service")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8443)
    sub.add_parser("add-account", help="create an account").add_argument("name")
    sub.add_parser("enrol-secret", help="issue a new enrolment secret").add_argument("name")
    grant = sub.add_parser("grant", help="let an account use a vault")
    grant.add_argument("vault_id")
    grant.add_argument("name")
    sub.add_parser("devices", help="list an account's devices").add_argument("name")
    revoke = sub.add_parser("revoke-device", help="revoke one device's token")
    revoke.add_argument("name")
    revoke.add_argument("device_id")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    from counsel.server import migrate
    from counsel.server.model import StorageError
    from counsel.server.storage import open_storage

    setup_logging()
    storage = open_storage(args.db or default_db())
    try:
        if args.command == "migrate":
            return _migrate(storage, status_only=args.status)
        migrate.check(storage)
        if args.command == "serve":
            import uvicorn

            from counsel.server.app import create_app

            uvicorn.run(create_app(storage), host=args.host, port=args.port, access_log=False,
                        log_level="warning", proxy_headers=True, timeout_keep_alive=30)
        elif args.command == "add-account":
            secret = storage.create_account(args.name)
            print(f"Account {args.name} created. One-time enrolment secret (give it to the "
                  f"counsellor; it works once):\n{secret}")
        elif args.command == "enrol-secret":
            print(storage.new_enrol_secret(args.name))
        elif args.command == "grant":
            storage.grant(args.vault_id, args.name)
        elif args.command == "devices":
            print(json.dumps(storage.devices(args.name), indent=2))
        elif args.command == "revoke-device":
            if not storage.revoke_device(args.name, args.device_id):
                print("no such active device", file=sys.stderr)
                return 1
    except (StorageError, migrate.SchemaError) as exc:
        print(f"error: {exc.message}", file=sys.stderr)
        return 1
    finally:
        storage.close()
    return 0


def _migrate(storage: SqlStorage, *, status_only: bool) -> int:
    from counsel.server import migrate
    from counsel.server.migrations import LATEST

    before = migrate.current_version(storage)
    print(f"schema version {before}; this release needs {LATEST}")
    if status_only:
        return 0 if before == LATEST else 1

    def report(version: int, name: str, seconds: float) -> None:
        print(f"applied migration {version} ({name}) in {seconds:.1f} s", flush=True)

    migrate.migrate(storage, progress=report)
    print(f"schema version {migrate.current_version(storage)}: up to date")
    return 0


if __name__ == "__main__":
    sys.exit(main())
