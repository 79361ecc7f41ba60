"""``counsel match --role ID | --client ID`` and ``counsel client timeline ID --out F``.

``match`` prints the ranked list with the reasons and gaps of each line; only clients
who have consented to be proposed are ever listed.  ``client timeline`` writes the
client's printed path (a PDF the counsellor asked for; nothing else is written).
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from pathlib import Path
from typing import Any

from counsel.domain import PartyKind
from counsel.errors import KnownError
from counsel.i18n import current_language
from counsel.i18n import gettext as _


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser("match", help=_("clients for an open role, or roles for a client"))
    which = p.add_mutually_exclusive_group(required=True)
    which.add_argument("--role", metavar="ROLE_ID", help=_("rank the clients for this role"))
    which.add_argument("--client", metavar="CLIENT_ID",
                       help=_("rank the open roles for this client"))
    p.add_argument("--limit", type=int, default=20, metavar="N",
                   help=_("show at most N (default: 20)"))
    p.add_argument("--max-gaps", type=int, default=1, metavar="N",
                   help=_("list matches missing at most N hard requirements (default: 1)"))
    p.set_defaults(handler=cmd_match)

    client = sub.add_parser("client", help=_("one client's path"))
    csub = client.add_subparsers(dest="client_command", metavar="COMMAND", required=True)
    t = csub.add_parser("timeline", help=_("print the client's path as a PDF"))
    t.add_argument("client_id", metavar="CLIENT_ID")
    t.add_argument("--out", required=True, metavar="FILE.pdf",
                   help=_("where to write the PDF (- for standard output)"))
    t.add_argument("--lang", dest="client_lang", metavar="LANG",
                   help=_("the client’s language (default: their mother tongue where possible)"))
    t.add_argument("--variant", choices=["standard", "large_print"], default="standard")
    t.add_argument("--review", action="store_true",
                   help=_("the counsellor's sheet for the plan review meeting (in your "
                          "language: overdue, due, open obstacles, figures)"))
    t.add_argument("--to", dest="party", metavar="PARTY",
                   choices=[p.value for p in PartyKind],
                   help=_("the timeline goes to this party (employment_services, kela, …): "
                          "their consent is checked first and the disclosure logged"))
    t.add_argument("--recipient", metavar="NAME", default="",
                   help=_("the organisation it goes to (with --to)"))
    t.set_defaults(handler=cmd_timeline)

    path = sub.add_parser("path", help=_("the path to work across the caseload"))
    psub = path.add_subparsers(dest="path_command", metavar="COMMAND", required=True)
    i = psub.add_parser("indicators", help=_("aggregate indicators: no personal data"))
    i.add_argument("--min-clients", type=int, default=5, metavar="N",
                   help=_("hide figures about fewer than N (default: 5)"))
    i.set_defaults(handler=cmd_indicators)


def _print_match(title: str, m: Any) -> None:
    gaps = f"  [{m.hard_gaps}]" if m.hard_gaps else ""
    print(f"{title}{gaps}")
    for r in m.reasons:
        print(f"    + {r.text()}")
    for g in m.gaps:
        mark = "!" if g.hard else "-"
        print(f"    {mark} {g.text()}")


def cmd_match(args: argparse.Namespace, ctx: Any) -> int:
    from counsel.domain import Client, Employer, Role
    from counsel.errors import RecordNotFound
    from counsel.path.load import match_index, open_roles

    vault = ctx.open_vault()
    today = dt.date.today()
    index = match_index(vault, today)
    if args.role:
        try:
            role = vault.get_typed(Role, args.role)
        except RecordNotFound as exc:
            raise KnownError(_("There is no role with the id {id}.").format(id=args.role),
                             help_text=_("List roles on the Employers page.")) from exc
        matches = index.match_role(role, limit=args.limit, max_hard_gaps=args.max_gaps)
        print(_("{n} of {total} consenting clients for “{role}”").format(
            n=len(matches), total=len(index), role=role.title))
        for n, m in enumerate(matches, 1):
            _print_match(f"{n}. {m.name}  ({m.client_id})", m)
        return 0
    roles = open_roles(vault, today)
    try:
        vault.get_typed(Client, args.client)
    except RecordNotFound as exc:
        raise KnownError(
            _("There is no client with the id {id}.").format(id=args.client),
            help_text=_("Copy the id from the client card or from `counsel search`.")) from exc
    if index.candidate(args.client) is None:
        print(_("The client has not consented to be proposed to employers (or has no "
                "competence profile): no roles are listed."), file=sys.stderr)
        return 0
    names = {e.id: e.name for e in vault.all(Employer)}
    titles = {r.id: r for r in roles}
    for n, m in enumerate(index.roles_for(args.client, roles, limit=args.limit,
                                          max_hard_gaps=args.max_gaps), 1):
        role = titles[m.role_id]
        _print_match(f"{n}. {role.title}, {names.get(role.employer, '')}  ({role.id})", m)
    return 0


def cmd_timeline(args: argparse.Namespace, ctx: Any) -> int:
    from counsel.atomicfile import write_atomic
    from counsel.path.load import client_path
    from counsel.path.timeline_pdf import render_timeline
    from counsel.plans.editing import default_client_language, print_language

    vault = ctx.open_vault()
    path = client_path(vault, args.client_id)
    party = PartyKind(args.party) if getattr(args, "party", None) else None
    if party is not None:  # refused before anything is rendered or written
        if args.review:
            raise KnownError(_("The plan review sheet is your own: it is not given to a "
                               "party. Leave out --to."))
        from counsel.records import disclosure

        disclosure.check(vault, args.client_id, party, "timeline")
    if args.review:
        from counsel.path.review_pdf import review_pdf_for

        lang = current_language()
        data = review_pdf_for(path.client, path.facts, path.employer_names, dt.date.today())
    else:
        lang = args.client_lang or default_client_language(path.client)
        data = render_timeline(path.client, path.facts, client_lang=lang,
                               counsellor_lang=print_language(current_language()),
                               today=dt.date.today(), variant=args.variant)
    if args.out == "-":
        sys.stdout.buffer.write(data)
    else:
        write_atomic(Path(args.out).expanduser(), data)
        print(_("Wrote {file} ({size} kB)").format(file=args.out, size=len(data) // 1024 + 1))
    vault.audit.record("export", client_id=args.client_id, record_id=args.client_id,
                       record_kind="client",
                       detail=f"pdf {'review sheet' if args.review else 'timeline'} {lang}")
    if party is not None:
        disclosure.share(vault, args.client_id, party, "timeline", recipient=args.recipient,
                         record_id=args.client_id)
    return 0


def cmd_indicators(args: argparse.Namespace, ctx: Any) -> int:
    from counsel.domain import Client, Proposal
    from counsel.domain.competence import CompetenceProfile
    from counsel.path.indicators import compute

    vault = ctx.open_vault()
    ind = compute(vault.all(Client), vault.all(CompetenceProfile), vault.all(Proposal),
                  min_cell=max(1, args.min_clients))
    hidden = _("fewer than {n}").format(n=ind.min_cell)

    def show(value: object) -> str:
        return hidden if value is None else str(value)

    median = (hidden if ind.first_step_median_days is None
              else f"{ind.first_step_median_days:.0f}")
    rows = [
        (_("Clients"), str(ind.clients)),
        (_("Clients with a first job or studies after the permit"),
         show(ind.first_step_clients)),
        (_("Median days from residence permit to first job or studies"), median),
        (_("Work trials ended"), show(ind.trials_ended)),
        (_("Work trials followed by work within 180 days"), show(ind.trials_to_work)),
        (_("Proposals to employers"), show(ind.proposed)),
        (_("Interviews"), show(ind.interviews)),
        (_("Hires"), show(ind.hired)),
    ]
    for label, value in rows:
        print(f"{label}\t{value}")
    return 0
