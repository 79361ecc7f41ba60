"""``counsel`` — headless commands for scripts, support and benchmarks.

Each area adds its own subcommands through a ``register(subparsers)`` function in its
``cli`` module (``counsel.timekeeping.cli``, ``counsel.plans.cli``, ``counsel.sync.cli``),
imported lazily so ``counsel --help`` stays fast.  A handler is ``fn(args, ctx) -> int``;
``ctx.open_vault()`` unlocks the vault named by ``--vault`` (passphrase from
``COUNSEL_PASSPHRASE`` or a prompt).  Errors go to stderr with a non-zero exit.
"""

from __future__ import annotations

import argparse
import getpass
import importlib
import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from counsel import __version__
from counsel.errors import KnownError
from counsel.i18n import gettext as _

if TYPE_CHECKING:
    from counsel.vault.service import Vault

AREA_MODULES = ("counsel.timekeeping.cli", "counsel.plans.cli", "counsel.sync.cli")

Handler = Callable[[argparse.Namespace, "Context"], int]


class Context:
    """What a command handler needs: the vault path and a way to unlock it."""

    def __init__(self, args: argparse.Namespace) -> None:
        self.args = args
        self._vault: Vault | None = None

    @property
    def vault_path(self) -> Path:
        if self.args.vault:
            return Path(self.args.vault).expanduser()
        from counsel.paths import default_vault_path

        return default_vault_path()

    def passphrase(self, prompt: str | None = None, *, confirm: bool = False) -> str:
        env = os.environ.get("COUNSEL_PASSPHRASE")
        if env is not None:
            return env
        first = getpass.getpass(prompt or _("Passphrase: "))
        if confirm and getpass.getpass(_("Repeat the passphrase: ")) != first:
            raise KnownError(_("The passphrases do not match."))
        return first

    def open_vault(self) -> Vault:
        if self._vault is None:
            from counsel.vault.service import Vault

            self._vault = Vault.unlock(self.vault_path, self.passphrase())
        return self._vault

    def close(self) -> None:
        if self._vault is not None:
            self._vault.lock()
            self._vault = None


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="counsel", description=_("Counsel: encrypted records for integration counselling.")
    )
    parser.add_argument("--version", action="version", version=f"counsel {__version__}")
    parser.add_argument("--vault", metavar="PATH", help=_("vault file (default: your data folder)"))
    parser.add_argument("--lang", metavar="LANG", help=_("language of messages (fi, sv, en)"))
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    from counsel import core_cli

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
        from counsel.i18n import set_language

        set_language(args.lang)
    handler: Any = getattr(args, "handler", None)
    if handler is None:
        parser.print_help()
        return 2
    ctx = Context(args)
    try:
        return int(handler(args, ctx) or 0)
    except KnownError as exc:
        print(_("Error: {message}").format(message=exc.message), file=sys.stderr)
        print(exc.help(), file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130
    finally:
        ctx.close()


if __name__ == "__main__":
    sys.exit(main())
