"""``counsel plans ...``: print plans and cards, translator's proofs.

    counsel plans proof --lang ar [--po FILE.po] --out proof.pdf
    counsel plans render --plan ID | --client ID [--lang ar] [--variant large_print] --out F
    counsel plans card --encounter ID [--lang ar] [--size A4] --out card.pdf
    counsel plans sample --lang ar [--variant large_print] --out sample.pdf   (no vault)

The PDF files are exports the counsellor asked for; nothing else is written to disk.
The organisation's own templates, measures and translations are read from
``<config folder>/plans`` when it exists (see ``counsel.plans.templates``).
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import sys
from pathlib import Path
from typing import Any

from counsel.domain.enums import PartyKind
from counsel.errors import KnownError
from counsel.i18n import current_language
from counsel.i18n import gettext as _


def _write(path: str, data: bytes) -> None:
    from counsel.atomicfile import write_atomic

    if path == "-":
        sys.stdout.buffer.write(data)
        return
    write_atomic(Path(path).expanduser(), data)  # a KnownError with what to do on failure
    print(_("Wrote {file} ({size} kB)").format(file=path, size=len(data) // 1024 + 1))


def _counsellor_lang(args: argparse.Namespace) -> str:
    return str(args.counsellor_lang or current_language())


def _content_dirs() -> list[Path]:
    """The organisation's plan content folder (``<config>/plans``), when there is one."""
    from counsel.paths import config_dir
    from counsel.plans.catalogue import OVERRIDE_SUBDIR

    folder = config_dir() / OVERRIDE_SUBDIR
    return [folder] if folder.is_dir() else []


def cmd_proof(args: argparse.Namespace, ctx: Any) -> int:
    from counsel.plans.proof import render_proof

    po_bytes = None
    if args.po:
        try:
            po_bytes = Path(args.po).expanduser().read_bytes()
        except OSError as exc:
            raise KnownError(_("Cannot read {file}: {reason}").format(
                file=args.po, reason=exc.strerror or exc)) from exc
    _write(args.out, render_proof(args.client_lang, po_bytes, source_name=args.po or ""))
    return 0


def cmd_render(args: argparse.Namespace, ctx: Any) -> int:
    from counsel.domain.client import Client
    from counsel.domain.plan import Plan, PrintRecord
    from counsel.plans.render_plan import render_plan
    from counsel.plans.templates import load_catalogue, load_templates

    vault = ctx.open_vault()
    if args.plan:
        plan = vault.get_typed(Plan, args.plan)
    else:
        plans = sorted(vault.of_client(Plan, args.client), key=lambda p: p.made)
        if not plans:
            raise KnownError(_("The client has no plan yet."))
        plan = plans[-1]
    client = vault.get_typed(Client, plan.client)
    party = PartyKind(args.party) if getattr(args, "party", None) else None
    if party is not None:  # refused before anything is written
        from counsel.records import disclosure

        disclosure.check(vault, plan.client, party, "plan")
    dirs = _content_dirs()
    templates = load_templates(dirs)
    if plan.template not in templates:
        raise KnownError(_("The plan template “{id}” is not installed.").format(id=plan.template))
    lang = args.client_lang or plan.client_language
    pdf = render_plan(plan, client, templates[plan.template], load_catalogue(dirs),
                      counsellor_lang=_counsellor_lang(args), client_lang=lang,
                      variant=args.variant, counsellor_name=args.counsellor or "",
                      organisation=args.organisation or "", content_dirs=dirs)
    _write(args.out, pdf)
    vault.audit.record("export", client_id=plan.client, record_id=plan.id,
                       record_kind=plan.KIND, detail=f"pdf {args.variant} {lang}")
    if party is not None:
        disclosure.share(vault, plan.client, party, "plan", recipient=args.recipient,
                         record_id=plan.id)
    record = PrintRecord(at=dt.datetime.now(dt.UTC).replace(microsecond=0), language=lang,
                         variant=args.variant, sha256=hashlib.sha256(pdf).hexdigest())
    vault.save(plan.replace(printed=(*plan.printed, record)))
    return 0


def cmd_card(args: argparse.Namespace, ctx: Any) -> int:
    from counsel.domain.client import Client
    from counsel.domain.encounter import Encounter
    from counsel.plans.render_card import Appointment, render_card

    vault = ctx.open_vault()
    enc = vault.get_typed(Encounter, args.encounter)
    client = vault.get_typed(Client, enc.client)
    if enc.start is None:
        raise KnownError(_("The appointment has no start time; add one and print again."))
    appointment = Appointment(
        when=dt.datetime.combine(enc.date, enc.start), place=args.place or enc.place.label(),
        counsellor_name=args.counsellor or "", counsellor_phone=args.phone or "",
        minutes=enc.minutes, interpreter_language=enc.interpreter_language if enc.interpreted
        else "", client_name=client.display_name)
    lang = args.client_lang or client.mother_tongue or "en"
    _write(args.out, render_card(appointment, client_lang=lang,
                                 counsellor_lang=_counsellor_lang(args), size=args.size,
                                 organisation=args.organisation or "",
                                 content_dirs=_content_dirs()))
    vault.audit.record("export", client_id=enc.client, record_id=enc.id,
                       record_kind=enc.KIND, detail=f"pdf appointment card {lang}")
    return 0


def cmd_sample(args: argparse.Namespace, ctx: Any) -> int:
    from counsel.demo.synthetic import sample_client, sample_plan
    from counsel.plans.printing import check_language
    from counsel.plans.render_plan import render_plan
    from counsel.plans.templates import load_catalogue, load_templates

    lang = check_language(args.client_lang)
    dirs = _content_dirs()
    pdf = render_plan(sample_plan(lang), sample_client(lang),
                      load_templates(dirs)["integration_plan"], load_catalogue(dirs),
                      counsellor_lang=_counsellor_lang(args), client_lang=lang,
                      variant=args.variant, organisation=args.organisation or "",
                      content_dirs=dirs)
    _write(args.out, pdf)
    return 0


def cmd_export(args: argparse.Namespace, ctx: Any) -> int:
    """Structured export for the registers (ICDS / employment services): measure codes,
    ISO dates; free text only when asked for. Counsel is not the register."""
    import json

    from counsel.plans.export import plans_to_csv, plans_to_json
    from counsel.plans.templates import load_catalogue

    vault = ctx.open_vault()
    from counsel.domain import Plan

    plans = [p for p in vault.all(Plan) if args.client is None or p.client == args.client]
    catalogue = load_catalogue(_content_dirs())
    if args.format == "csv":
        data = plans_to_csv(plans, catalogue).encode("utf-8")
    else:
        doc = plans_to_json(plans, catalogue, include_text=args.include_text)
        data = (json.dumps(doc, ensure_ascii=False, indent=2) + "\n").encode("utf-8")
    _write(args.out, data)
    vault.audit.record("export", client_id=args.client, record_kind=Plan.KIND,
                       detail=f"{args.format} plans ({len(plans)})")
    return 0



def register(subparsers: Any) -> None:
    p = subparsers.add_parser("plans", help=_("print plans and appointment cards"))
    sub = p.add_subparsers(dest="plans_command", metavar="COMMAND", required=True)

    def common(q: argparse.ArgumentParser) -> None:
        q.add_argument("--out", required=True, metavar="FILE.pdf", help=_("PDF file to write"))
        q.add_argument("--counsellor-lang", metavar="LANG",
                       help=_("your language, printed under the client's"))
        q.add_argument("--organisation", metavar="TEXT", help=_("printed in the header"))

    q = sub.add_parser("proof", help=_("translator's proof of the plan texts of a language"))
    # dest differs from the global --lang (the counsellor's message language)
    q.add_argument("--lang", dest="client_lang", required=True, metavar="LANG")
    q.add_argument("--po", metavar="FILE.po", help=_("render this catalog file instead"))
    q.add_argument("--out", required=True, metavar="FILE.pdf")
    q.set_defaults(handler=cmd_proof)

    q = sub.add_parser("render", help=_("print a plan from the vault"))
    which = q.add_mutually_exclusive_group(required=True)
    which.add_argument("--plan", metavar="ID")
    which.add_argument("--client", metavar="ID", help=_("the client's latest plan"))
    q.add_argument("--lang", dest="client_lang", metavar="LANG",
                   help=_("client's language (default: the plan's)"))
    q.add_argument("--variant", choices=("standard", "large_print"), default="standard")
    q.add_argument("--counsellor", metavar="NAME")
    q.add_argument("--to", dest="party", metavar="PARTY",
                   choices=[p.value for p in PartyKind],
                   help=_("the plan goes to this party (employment_services, kela, …): "
                          "their consent is checked first and the disclosure logged"))
    q.add_argument("--recipient", metavar="NAME", default="",
                   help=_("the organisation it goes to (with --to)"))
    common(q)
    q.set_defaults(handler=cmd_render)

    q = sub.add_parser("card", help=_("print an appointment card for an encounter"))
    q.add_argument("--encounter", required=True, metavar="ID")
    q.add_argument("--lang", dest="client_lang", metavar="LANG",
                   help=_("client's language (default: mother tongue)"))
    q.add_argument("--size", choices=("A6", "A4"), default="A6")
    q.add_argument("--place", metavar="TEXT", help=_("address or room"))
    q.add_argument("--counsellor", metavar="NAME")
    q.add_argument("--phone", metavar="NUMBER")
    common(q)
    q.set_defaults(handler=cmd_card)

    q = sub.add_parser("sample", help=_("print the built-in sample plan (no vault needed)"))
    q.add_argument("--lang", dest="client_lang", required=True, metavar="LANG")
    q.add_argument("--variant", choices=("standard", "large_print"), default="standard")
    common(q)
    q.set_defaults(handler=cmd_sample)

    q = sub.add_parser("export", help=_("export plans as JSON or CSV (measure codes, ISO dates)"))
    q.add_argument("--format", choices=("json", "csv"), default="json")
    q.add_argument("--client", metavar="ID", help=_("only this client's plans"))
    q.add_argument("--include-text", action="store_true",
                   help=_("include the counsellor's free text (JSON only)"))
    q.add_argument("--out", required=True, metavar="FILE", help=_("output file, or - for stdout"))
    q.set_defaults(handler=cmd_export)

