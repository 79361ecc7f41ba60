"""``counsel-server``: run the sync service and manage it.

    counsel-server [--config FILE] [--db URL] migrate [--status]
    counsel-server ... serve [--host 127.0.0.1] [--port 8443]
    counsel-server ... backup FILE                   # SQLite online backup / pg_dump -Fc
    counsel-server ... add-account NAME              # prints a one-time enrolment secret
    counsel-server ... enrol-secret NAME             # a new one-time secret for NAME
    counsel-server ... grant VAULT NAME              # let another account use a vault
    counsel-server ... accounts | devices [NAME] | vaults [NAME]   [--json]
    counsel-server ... revoke-device [NAME] DEVICE   # id, unique id prefix or device name
    counsel-server ... remove-account NAME (--erase | --hand-over-to OTHER)

Settings: defaults < config file (TOML) < ``COUNSEL_SERVER_*`` environment < options
(``counsel.server.config``).  The default database is a SQLite file in the user data
folder.  Serve plain HTTP on loopback only, behind a TLS reverse proxy (docs/sync.md,
docs/server-ops.md).  Every command but ``migrate`` refuses a database whose schema is
not this release's.
"""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from counsel.server.config import ServerConfig
    from counsel.server.storage_sql import SqlStorage


def default_db() -> str:
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
    parser.add_argument("--config", metavar="FILE", help="TOML settings file "
                        "(default: $COUNSEL_SERVER_CONFIG, else none)")
    parser.add_argument("--db", metavar="URL", help="postgresql://... or a SQLite file path")
    sub = parser.add_subparsers(dest="command", required=True)
    mig = sub.add_parser("migrate", help="apply the schema migrations this release needs")
    mig.add_argument("--status", action="store_true", help="only show the versions")
    serve = sub.add_parser("serve", help="run the HTTP service")
    serve.add_argument("--host")
    serve.add_argument("--port", type=int)
    sub.add_parser("backup", help="consistent copy of a running server's database"
                   ).add_argument("file")
    sub.add_parser("add-account", help="create an account").add_argument("name")
    sub.add_parser("enrol-secret", help="issue a new enrolment secret").add_argument("name")
    grant = sub.add_parser("grant", help="let an account use a vault")
    grant.add_argument("vault_id")
    grant.add_argument("name")
    for name, what in (("accounts", None), ("devices", "only this account's"),
                       ("vaults", "only vaults this account may use")):
        lister = sub.add_parser(name, help=f"list {name} with sizes and last activity")
        if what:
            lister.add_argument("name", nargs="?", help=what)
        lister.add_argument("--json", action="store_true", help="machine-readable output")
    revoke = sub.add_parser("revoke-device", help="revoke one device's token")
    revoke.add_argument("selector", nargs="+", metavar="[NAME] DEVICE",
                        help="device id, unique id prefix or device name")
    remove = sub.add_parser("remove-account", help="delete an account and its devices")
    remove.add_argument("name")
    how = remove.add_mutually_exclusive_group()
    how.add_argument("--erase", action="store_true", help="erase the data of its own vaults")
    how.add_argument("--hand-over-to", metavar="ACCOUNT", help="give its vaults to ACCOUNT")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    from counsel.server import admin, config, migrate
    from counsel.server.model import StorageError
    from counsel.server.storage import open_storage

    setup_logging()
    try:
        cfg = config.load(args.config, db=args.db, host=getattr(args, "host", None),
                          port=getattr(args, "port", None))
    except config.ConfigError as exc:
        print(f"error: {exc.message}", file=sys.stderr)
        return 2
    try:
        storage = open_storage(cfg.db or default_db(), pool_size=cfg.pool_size)
    except Exception as exc:  # noqa: BLE001 - unreachable database: say so, no traceback
        print(f"error: cannot open the database: {exc}", file=sys.stderr)
        return 1
    try:
        if args.command == "migrate":
            return _migrate(storage, status_only=args.status)
        migrate.check(storage)
        if args.command == "serve":
            _serve(storage, cfg)
        elif args.command == "backup":
            from counsel.server import backup

            print(backup.backup(storage, args.file))
        else:
            from counsel.server import cli_admin

            return cli_admin.run(storage, args)
    except (StorageError, migrate.SchemaError, admin.AdminError) as exc:
        print(f"error: {exc.message}", file=sys.stderr)
        return 1
    finally:
        storage.close()
    return 0


def _serve(storage: SqlStorage, cfg: ServerConfig) -> None:
    import uvicorn

    from counsel.server.app import create_app

    app = create_app(storage, metrics=cfg.metrics, metrics_allow=cfg.metrics_allow)
    uvicorn.run(app, host=cfg.host, port=cfg.port, access_log=False, log_level="warning",
                proxy_headers=True, timeout_keep_alive=30)


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
