"""``counsel`` — headless commands for scripts, support and benchmarks.

Each area adds its own subcommands through a ``register(subparsers)`` function in its
``cli`` module (``counsel.timekeeping.cli``, ``counsel.plans.cli``, ``counsel.sync.cli``),
imported lazily so ``counsel --help`` stays fast.  A handler is ``fn(args, ctx) -> int``;
``ctx.open_vault()`` unlocks the vault named by ``--vault`` (passphrase from
``COUNSEL_PASSPHRASE`` or a prompt).  Errors go to stderr with a non-zero exit.
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys
from collections.abc import Callable, Sequence
from typing import Any

from counsel import __version__
from counsel.cli.context import Context
from counsel.errors import KnownError
from counsel.i18n import gettext as _

AREA_MODULES = (
    "counsel.timekeeping.cli", "counsel.plans.cli", "counsel.sync.cli", "counsel.path.cli",
    "counsel.app.cli", "counsel.records.rights_cli", "counsel.records.audit_cli",
    "counsel.records.backup_cli", "counsel.org.cli", "counsel.sync.devices_cli",
    "counsel.teams.cli",
)

Handler = Callable[[argparse.Namespace, Context], int]


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="counsel", description=_("Counsel: encrypted records for integration counselling.")
    )
    parser.add_argument("--version", action="version", version=f"counsel {__version__}")
    parser.add_argument("--vault", metavar="PATH", help=_("vault file (default: your data folder)"))
    parser.add_argument("--lang", metavar="LANG", help=_("language of messages (fi, sv, en)"))
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    from counsel.cli import core as core_cli

    core_cli.register(sub)
    for name in AREA_MODULES:
        try:
            module = importlib.import_module(name)
        except ModuleNotFoundError as exc:
            if exc.name == name:
                continue
            raise
        module.register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    from counsel import logs

    logs.setup_cli()
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.lang:
        from counsel.i18n import CLIENT_LANGUAGES, PSEUDO, UI_LANGUAGES, normalize, set_language

        if normalize(args.lang) not in {*UI_LANGUAGES, *CLIENT_LANGUAGES, PSEUDO}:
            # (it crashed later, formatting the first date, with a traceback)
            parser.error(_("unknown language {lang}: use one of {choices}").format(
                lang=args.lang, choices=", ".join(UI_LANGUAGES)))
        set_language(args.lang)
    handler: Any = getattr(args, "handler", None)
    if handler is None:
        parser.print_help()
        return 2
    ctx = Context(args)
    try:
        code = int(handler(args, ctx) or 0)
        sys.stdout.flush()  # a closed pipe shows here, inside the handling below
        return code
    except KnownError as exc:
        print(_("Error: {message}").format(message=exc.message), file=sys.stderr)
        print(exc.help(), file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        # the reader went away (`counsel search … | head`): stop quietly, as Unix tools do;
        # stdout is pointed at devnull so the interpreter's final flush cannot fail again
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 141
    finally:
        ctx.close()


if __name__ == "__main__":
    sys.exit(main())
