"""``counsel client export CLIENT_ID --out DIR`` (the client's copy of their records) and
``counsel retention due [--format csv]`` (what the retention schedules say is due)."""

from __future__ import annotations

import argparse
from typing import Any

from counsel.i18n import current_language
from counsel.i18n import gettext as _


def _subcommands(parser: argparse.ArgumentParser) -> Any:
    for action in parser._actions:  # argparse keeps a parser's subcommands only here
        if isinstance(action, argparse._SubParsersAction):
            return action
    return parser.add_subparsers(dest="client_command", metavar="COMMAND", required=True)


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    client = sub.choices.get("client") or sub.add_parser("client", help=_("one client's path"))
    e = _subcommands(client).add_parser(
        "export", help=_("give the client their data: a PDF in their language and JSON"))
    e.add_argument("client_id", metavar="CLIENT_ID")
    e.add_argument("--out", required=True, metavar="DIR",
                   help=_("the folder to write the two files into"))
    e.add_argument("--lang", dest="client_lang", metavar="LANG",
                   help=_("the client’s language (default: their mother tongue where possible)"))
    e.set_defaults(handler=cmd_export)


def cmd_export(args: argparse.Namespace, ctx: Any) -> int:
    from counsel.plans.editing import print_language
    from counsel.records.export import write_export

    vault = ctx.open_vault()
    pdf, data = write_export(vault, args.client_id, args.out, language=args.client_lang,
                             counsellor_lang=print_language(current_language()))
    print(_("Wrote {file}").format(file=str(pdf)))
    print(_("Wrote {file}").format(file=str(data)))
    return 0
