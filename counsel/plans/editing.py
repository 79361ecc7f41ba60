"""What the plan editor needs besides the widgets: defaults, drafts, exports (Qt-free).

* :func:`default_dates` — the sensible defaults of DOMAIN.md: a first plan ends after one
  year, a review every six months; :func:`deadline_notes` says when a plan leaves them.
* :func:`state_from_plan` / :func:`plan_from_state` — the editor's JSON-able form, which is
  also what the encrypted draft (``<client id>:plan:<plan id>``) holds.  A draft keeps
  whatever was typed, valid or not; only building the :class:`Plan` validates.
* :func:`render_variant` — one PDF of a plan: standard, large print, or an appointment
  card (A6/A4) for the next meeting.
* :func:`default_filename` (no personal data in it), :func:`write_atomic` (temp file in
  the same folder, then rename) and :func:`record_print` (a :class:`PrintRecord` per export).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import threading
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from counsel.atomicfile import SaveFailed
from counsel.atomicfile import write_atomic as write_atomic  # part of this API
from counsel.domain.client import Client
from counsel.domain.enums import MeasureStatus, PlanStatus
from counsel.domain.plan import Measure, Plan, PrintRecord
from counsel.errors import KnownError, ValidationError
from counsel.i18n import CLIENT_LANGUAGES, N_, UI_LANGUAGES, display, normalize
from counsel.i18n import gettext as _
from counsel.plans.catalogue import MeasureType

#: print variants offered in the editor; a card's size is part of its variant name
VARIANTS = ("standard", "large_print", "card_A6", "card_A4")
FIRST_PLAN_MONTHS = 12
REVIEW_MONTHS = 6
PERMIT_YEARS = 3
# reportlab keeps module-level state (fonts, shaping cache cleared after each render);
# a preview and an export may be asked for at once on the reader pool: one at a time
_render_lock = threading.Lock()


def draft_id_for(client_id: str, plan_id: str) -> str:
    return f"{client_id}:plan:{plan_id}"


def parse_draft_id(draft_id: str) -> tuple[str, str] | None:
    """``(client id, plan id)`` of a plan draft id, else None."""
    client_id, sep, plan_id = draft_id.partition(":plan:")
    return (client_id, plan_id) if sep and client_id and plan_id else None


# --- dates ----------------------------------------------------------------------------------


def add_months(day: dt.date, months: int) -> dt.date:
    """``day`` moved by whole months; the 31st becomes the month's last day."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    month += 1
    for d in (day.day, 30, 29, 28):
        try:
            return dt.date(year, month, d)
        except ValueError:
            continue
    raise AssertionError("unreachable: every month has 28 days")


def default_dates(made: dt.date) -> tuple[dt.date, dt.date]:
    """``(valid_until, review)``: one year, and a review after six months."""
    return add_months(made, FIRST_PLAN_MONTHS), add_months(made, REVIEW_MONTHS)


def deadline_notes(plan: Plan, client: Client | None, *, first_plan: bool) -> list[str]:
    """Translated notes where the plan leaves the deadline rules (not errors: the
    counsellor may have reasons; the organisation's register is the authority)."""
    notes: list[str] = []
    if first_plan and plan.valid_until and plan.valid_until > add_months(plan.made,
                                                                         FIRST_PLAN_MONTHS):
        notes.append(_("A first integration plan lasts at most one year."))
    if plan.review is None:
        notes.append(_("No review date: a plan is reviewed at least every six months."))
    elif plan.review > add_months(plan.made, REVIEW_MONTHS):
        notes.append(_("The review is more than six months away: a plan is reviewed at "
                       "least every six months."))
    if client is not None and client.permit_date is not None and \
            plan.made > add_months(client.permit_date, 12 * PERMIT_YEARS):
        notes.append(_("The plan is made more than three years after the first residence "
                       "permit."))
    return notes


# --- languages ------------------------------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class EditorContext:
    """What the editor reads from the vault besides the plan (read off the UI thread)."""

    client: Client | None  # None: the client is no longer in the vault
    first_plan: bool  # the client has no other plan (a first plan's default dates)
    #: the counsellor's stored print details (``PrintDetails.SETTINGS_KEY``), when read
    print_settings: Any = None
    settings_read: bool = False
    #: :func:`language_choices`, read ahead (it opens every language's catalog)
    languages: tuple[tuple[str, str], ...] = ()


def read_context(vault: Any, client_id: str, plan_id: str, *,
                 personal: Any = None) -> EditorContext:
    """``personal``: the vault whose settings hold the counsellor's print details (read
    too when given)."""
    from counsel.errors import RecordNotFound

    settings = (personal.settings.get(PrintDetails.SETTINGS_KEY) if personal is not None
                else None)
    try:
        client: Client | None = vault.get_typed(Client, client_id)
    except RecordNotFound:
        client = None
    try:
        plans: list[Plan] = vault.of_client(Plan, client_id)
    except KnownError:
        plans = []
    return EditorContext(client, not any(p.id != plan_id for p in plans), settings,
                         settings_read=personal is not None,
                         languages=tuple(language_choices()))


def default_client_language(client: Client | None) -> str:
    """The mother tongue when plans are printed in it, else another language the client
    knows that plans are printed in, else English."""
    if client is None:
        return "en"
    codes = [s.code for s in client.languages if s.mother_tongue]
    codes += [s.code for s in client.languages if not s.mother_tongue]
    for code in codes:
        norm = normalize(code)
        if norm in CLIENT_LANGUAGES:
            return norm
    return "en"


def print_language(ui_language: str) -> str:
    """The counsellor's language on printouts: the interface language where plans can be
    printed in it (pseudo-localisation and the like print English)."""
    code = normalize(ui_language) if ui_language else "en"
    return code if code in CLIENT_LANGUAGES + UI_LANGUAGES else "en"


REVIEW_LABELS = {"draft": N_("draft translation"), "reviewed": N_("reviewed translation")}


def language_choices() -> list[tuple[str, str]]:
    """``(code, "draft" | "reviewed")`` for every language plans are printed in."""
    from counsel.plans.templates import review_status

    return [(code, review_status(code).status) for code in CLIENT_LANGUAGES]


# --- measures -------------------------------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class MeasureOption:
    """A catalogue measure as the counsellor sees it (texts in the counsellor's language)."""

    code: str
    title: str
    description: str
    category: str
    service_code: str | None


def measure_options(catalogue: Mapping[str, MeasureType], categories: Mapping[str, Any],
                    counsellor_lang: str) -> list[MeasureOption]:
    """Catalogue order grouped by category; titles and plain-language descriptions in the
    counsellor's language (domain "plans", which the counsellor reads like the client)."""
    from counsel.plans.templates import plan_gettext

    t = plan_gettext(print_language(counsellor_lang))
    order = {cid: n for n, cid in enumerate(categories)}
    items = sorted(catalogue.values(), key=lambda m: order.get(m.category, len(order)))
    return [MeasureOption(m.code, t(m.title), t(m.description),
                          t(categories[m.category].title) if m.category in categories else "",
                          m.service_code) for m in items]


# --- editor state ↔ plan --------------------------------------------------------------------

MEASURE_FIELDS = ("code", "status", "who", "start", "due", "provider", "note")


def _iso(value: dt.date | None) -> str:
    return value.isoformat() if value is not None else ""


def new_state(client: Client, plan_id: str, *, today: dt.date, template: str = "integration_plan",
              ) -> dict[str, Any]:
    valid_until, review = default_dates(today)
    return {
        "id": plan_id, "client": client.id, "template": template,
        "client_language": default_client_language(client), "status": PlanStatus.DRAFT.value,
        "made": today.isoformat(), "valid_until": valid_until.isoformat(),
        "review": review.isoformat(), "goals": "", "sections": {}, "measures": [],
    }


def state_from_plan(plan: Plan) -> dict[str, Any]:
    return {
        "id": plan.id, "client": plan.client, "template": plan.template,
        "client_language": plan.client_language, "status": plan.status.value,
        "made": plan.made.isoformat(), "valid_until": _iso(plan.valid_until),
        "review": _iso(plan.review), "goals": plan.goals, "sections": dict(plan.sections),
        "measures": [{"code": m.code, "status": m.status.value, "who": m.who,
                      "start": _iso(m.start), "due": _iso(m.due), "provider": m.provider,
                      "note": m.note} for m in plan.measures],
    }


def _date(field: str, text: object, *, required: bool = False) -> dt.date | None:
    try:
        value = display.parse_date(str(text or ""))
    except ValueError:
        raise ValidationError(field, _("must be a date, e.g. 2026-03-31")) from None
    if value is None and required:
        raise ValidationError(field, _("is required"))
    return value


def plan_from_state(state: Mapping[str, Any], *,
                    printed: Sequence[PrintRecord] = ()) -> Plan:
    """The :class:`Plan` the editor shows; raises ``ValidationError`` (a KnownError) naming
    the field in the counsellor's words.  Empty section texts and measures without a code
    are dropped; ``printed`` carries over the stored plan's print history."""
    measures = []
    for n, m in enumerate(state.get("measures", ()), 1):
        code = str(m.get("code", "")).strip()
        if not code:
            continue
        where = _("Measure {n}").format(n=n)
        try:
            mstatus = MeasureStatus(m.get("status") or MeasureStatus.PLANNED.value)
        except ValueError:
            raise ValidationError(where, _("unknown status")) from None
        try:
            measures.append(Measure(
                code=code, status=mstatus, who=str(m.get("who", "")).strip(),
                start=_date(f"{where}: " + _("start"), m.get("start")),
                due=_date(f"{where}: " + _("due"), m.get("due")),
                provider=str(m.get("provider", "")).strip(), note=str(m.get("note", ""))))
        except ValidationError as exc:
            if exc.field.startswith(where):
                raise
            raise ValidationError(where, exc.reason) from None
    sections = tuple((k, str(v)) for k, v in dict(state.get("sections") or {}).items()
                     if str(v).strip())
    try:
        status = PlanStatus(state.get("status") or PlanStatus.DRAFT.value)
    except ValueError:
        raise ValidationError(_("Status"), _("unknown status")) from None
    made = _date(_("Made on"), state.get("made"), required=True)
    assert made is not None
    return Plan(
        id=str(state["id"]), client=str(state["client"]),
        template=str(state.get("template") or "integration_plan"),
        client_language=normalize(str(state.get("client_language") or "en")),
        status=status, made=made,
        valid_until=_date(_("Valid until"), state.get("valid_until")),
        review=_date(_("Next review"), state.get("review")),
        sections=sections, goals=str(state.get("goals", "")), measures=tuple(measures),
        printed=tuple(printed),
    )


# --- printing and saving --------------------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class PrintDetails:
    """The counsellor's own details for printouts (kept in the vault's settings) and the
    appointment a card is printed for."""

    counsellor_name: str = ""
    organisation: str = ""
    phone: str = ""
    place: str = ""
    card_when: dt.datetime | None = None
    card_minutes: int = 45
    card_interpreter: bool | None = None  # None: booked when the client needs one

    SETTINGS_KEY = "plans.print_details"

    def to_settings(self) -> dict[str, str]:
        return {"counsellor_name": self.counsellor_name, "organisation": self.organisation,
                "phone": self.phone, "place": self.place}

    @classmethod
    def from_settings(cls, data: object) -> PrintDetails:
        if not isinstance(data, dict):
            return cls()
        def text(key: str) -> str:
            return str(data.get(key, ""))

        return cls(counsellor_name=text("counsellor_name"), organisation=text("organisation"),
                   phone=text("phone"), place=text("place"))


def record_variant(variant: str) -> str:
    """The variant as a :class:`PrintRecord` names it ("card" for both card sizes)."""
    return "card" if variant.startswith("card") else variant


def render_variant(plan: Plan, client: Client, variant: str, *, counsellor_lang: str,
                   details: PrintDetails | None = None,
                   extra_dirs: Sequence[str | Path] = ()) -> bytes:
    """One printout of ``plan`` as PDF bytes (runs reportlab: call it off the UI thread)."""
    if variant not in VARIANTS:
        raise ValueError(f"unknown variant {variant!r}")
    with _render_lock:
        return _render(plan, client, variant, print_language(counsellor_lang),
                       details or PrintDetails(), extra_dirs)


def _render(plan: Plan, client: Client, variant: str, counsellor_lang: str, details: PrintDetails,
            extra_dirs: Sequence[str | Path]) -> bytes:
    if variant.startswith("card_"):
        from counsel.plans.render_card import Appointment, render_card

        when = details.card_when or dt.datetime.combine(plan.review or dt.date.today(),
                                                        dt.time(9, 0))
        booked = client.interpreter_needed if details.card_interpreter is None \
            else details.card_interpreter
        interpreter = (client.interpreter_language or plan.client_language) if booked else ""
        appointment = Appointment(
            when=when, place=details.place, counsellor_name=details.counsellor_name,
            counsellor_phone=details.phone, minutes=details.card_minutes,
            interpreter_language=interpreter, client_name=client.display_name)
        return render_card(appointment, client_lang=plan.client_language,
                           counsellor_lang=counsellor_lang,
                           size=variant.removeprefix("card_"),
                           organisation=details.organisation)
    from counsel.plans.render_plan import render_plan
    from counsel.plans.templates import load_catalogue, load_templates

    templates = load_templates(extra_dirs)
    if plan.template not in templates:
        raise KnownError(_("The plan template “{id}” is not installed.").format(id=plan.template))
    return render_plan(plan, client, templates[plan.template], load_catalogue(extra_dirs),
                       counsellor_lang=counsellor_lang, variant=variant,
                       counsellor_name=details.counsellor_name,
                       organisation=details.organisation)


def default_filename(template: str, variant: str, language: str, day: dt.date) -> str:
    """``integration-plan-2026-11-28-ar.pdf``: what, when and the language — never a name,
    a client id or anything else personal (file names end up in recent-file lists,
    backups and mail attachments)."""
    what = "appointment-card" if variant.startswith("card") else template.replace("_", "-")
    extra = {"large_print": "-large-print", "card_A6": "-a6", "card_A4": "-a4"}.get(variant, "")
    lang = normalize(language).replace("_", "-")
    return f"{what}{extra}-{day.isoformat()}-{lang}.pdf"


# One implementation of "whole file or nothing" for every export (counsel.atomicfile).
ExportFailed = SaveFailed


def record_print(plan: Plan, pdf: bytes, *, language: str, variant: str,
                 at: dt.datetime | None = None) -> Plan:
    """``plan`` with one more :class:`PrintRecord` (saved, it becomes a new revision)."""
    record = PrintRecord(at=at or dt.datetime.now(dt.UTC).replace(microsecond=0),
                         language=normalize(language), variant=record_variant(variant),
                         sha256=hashlib.sha256(pdf).hexdigest())
    return plan.replace(printed=(*plan.printed, record))  # type: ignore[no-any-return]
