"""Synthetic data for tests, benchmarks and translators' samples: one place, reproducible.

* :func:`caseload` — clients, work entries, encounters and plans with names in the clients'
  scripts (time reports, manager-export privacy scans).
* :func:`outlook_like_ics` — an Outlook-style calendar export of ``n`` events.
* :func:`sample_client`, :func:`sample_plan` — the three-page plan every renderer test prints.

The demo vault (:mod:`counsel.demo.caseload`) is the larger, vault-shaped sibling.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import random

from counsel.domain import (
    AgreedAction,
    Channel,
    Client,
    Encounter,
    InterpreterMode,
    Measure,
    MeasureStatus,
    PartyKind,
    PermitBasis,
    Place,
    Plan,
    PlanStatus,
    WorkEntry,
    WorkKind,
)
from counsel.domain.client import LanguageSkill
from counsel.domain.enums import CefrLevel, Literacy

_FIRST = ["Amina", "Hodan", "Fatima", "Omar", "Abdirahman", "Yonas", "Mariam", "Ahmad",
          "Zahra", "Olena", "Dmytro", "Saba", "Ali", "Leila", "Nasrin", "Mohammed",
          "أمينة", "محمد", "زهرا", "Ирина", "Олена", "ሳባ", "ዮናስ", "Ikram", "Shukri"]
_LAST = ["Yusuf", "Haji", "Ali", "Hassan", "Tesfay", "Kebede", "Rahimi", "Ahmadi",
         "Shevchenko", "Kovalenko", "Abdi", "Warsame", "Karimi", "حسینی", "Коваленко",
         "ገብረመድህን", "Mohamed", "Nur", "Osman", "Jama"]
_SITUATIONS = [
    "Lost his family, has worked through it with a psychologist.",
    "It turned out this week that she cannot read a clock.",
    "Worried about the housing allowance decision from Kela.",
    "Wants to work as a bus driver; needs a Finnish licence first.",
]
_MEASURES = ["integration_training", "work_trial", "job_coaching", "literacy_training",
             "pay_subsidy", "labour_market_training", "multi_agency_support"]


@dataclasses.dataclass(frozen=True)
class Caseload:
    clients: tuple[Client, ...]
    entries: tuple[WorkEntry, ...]
    encounters: tuple[Encounter, ...]
    plans: tuple[Plan, ...]


def caseload(*, clients: int = 300, entries: int = 5_000, seed: int = 7,
             first: dt.date = dt.date(2025, 1, 1), days: int = 540) -> Caseload:
    """A reproducible synthetic caseload with names in the clients' scripts."""
    rnd = random.Random(seed)
    cs: list[Client] = []
    for i in range(clients):
        birth = dt.date(1960, 1, 1) + dt.timedelta(days=rnd.randrange(40 * 365))
        permit = first + dt.timedelta(days=rnd.randrange(days))
        cs.append(Client(
            name=f"{rnd.choice(_FIRST)} {rnd.choice(_LAST)} {i}",
            preferred_name=rnd.choice(_FIRST) if i % 3 == 0 else "",
            birth_date=birth, permit_date=permit, permit_basis=rnd.choice(list(PermitBasis)),
            started=permit + dt.timedelta(days=rnd.randrange(30)),
            municipality="Tampere", phone=f"+358 40 {rnd.randrange(10**6, 10**7)}",
            notes=rnd.choice(_SITUATIONS) + f" (note {i})",
        ))
    es: list[WorkEntry] = []
    for _ in range(entries):
        c = rnd.choice(cs) if rnd.random() < 0.9 else None
        visible = rnd.random() < 0.5
        start = dt.time(rnd.randrange(7, 24), rnd.choice((0, 15, 30, 45)))
        es.append(WorkEntry(
            kind=WorkKind.VISIBLE if visible else WorkKind.BACKGROUND,
            date=first + dt.timedelta(days=rnd.randrange(days)),
            start=start if rnd.random() < 0.8 else None,
            minutes=rnd.choice((10, 15, 20, 30, 45, 60, 90, 120)),
            client=c.id if c else None,
            channel=Channel.MEETING if visible else rnd.choice(list(Channel)),
            party_kind=None if visible else rnd.choice(list(PartyKind)),
            what=f"Called about {rnd.choice(_SITUATIONS)[:40]}",
        ))
    encs: list[Encounter] = []
    for _ in range(max(1, entries // 4)):
        c = rnd.choice(cs)
        mode = rnd.choice(list(InterpreterMode))
        encs.append(Encounter(
            client=c.id, date=first + dt.timedelta(days=rnd.randrange(days)),
            minutes=rnd.choice((30, 45, 60)), place=rnd.choice(list(Place)),
            interpreter_mode=mode,
            interpreter_language="ar" if mode is not InterpreterMode.NONE else "",
            situation=rnd.choice(_SITUATIONS), next_step="Bring the papers next time",
            actions=(AgreedAction(what="Apply for the course", due=first),),
        ))
    plans: list[Plan] = []
    for c in cs:
        code = rnd.choice(_MEASURES)
        for k in range(rnd.choice((1, 1, 2, 3, 4))):
            plans.append(Plan(
                client=c.id, status=PlanStatus.AGREED,
                made=(c.started or first) + dt.timedelta(days=120 * k),
                goals="Work as a nurse", measures=(Measure(
                    code=code, note="Client's own wish",
                    status=rnd.choice((MeasureStatus.PLANNED, MeasureStatus.INTERRUPTED,
                                       MeasureStatus.CANCELLED, MeasureStatus.STARTED))),),
            ))
    return Caseload(tuple(cs), tuple(es), tuple(encs), tuple(plans))


def outlook_like_ics(n: int) -> bytes:
    """An Outlook-style export: Windows zone with VTIMEZONE, every 10th event weekly x10."""
    zone = ("BEGIN:VTIMEZONE\r\nTZID:FLE Standard Time\r\nBEGIN:STANDARD\r\n"
            "DTSTART:16011028T040000\r\nRRULE:FREQ=YEARLY;BYDAY=-1SU;BYMONTH=10\r\n"
            "TZOFFSETFROM:+0300\r\nTZOFFSETTO:+0200\r\nEND:STANDARD\r\nBEGIN:DAYLIGHT\r\n"
            "DTSTART:16010325T030000\r\nRRULE:FREQ=YEARLY;BYDAY=-1SU;BYMONTH=3\r\n"
            "TZOFFSETFROM:+0200\r\nTZOFFSETTO:+0300\r\nEND:DAYLIGHT\r\nEND:VTIMEZONE\r\n")
    events = []
    for i in range(n):
        d = dt.date(2026, 1, 1) + dt.timedelta(days=i % 300)
        rule = "RRULE:FREQ=WEEKLY;COUNT=10\r\n" if i % 10 == 0 else ""
        events.append(
            f"BEGIN:VEVENT\r\nUID:ev{i}@example.org\r\nSUMMARY:Appointment {i}\r\n"
            f'DTSTART;TZID="FLE Standard Time":{d:%Y%m%d}T090000\r\n'
            f'DTEND;TZID="FLE Standard Time":{d:%Y%m%d}T100000\r\n{rule}END:VEVENT\r\n')
    return ("BEGIN:VCALENDAR\r\nVERSION:2.0\r\n" + zone + "".join(events)
            + "END:VCALENDAR\r\n").encode()


_FI_SITUATION = (
    "Asuu puolisonsa ja kolmen lapsen kanssa vuokra-asunnossa Tampereella. Lapset ovat "
    "koulussa ja päiväkodissa. Arki sujuu, mutta asiointi virastoissa on vielä vaikeaa "
    "ilman tulkkia. Haluaa oppia suomea nopeasti, jotta voi auttaa lapsia läksyissä. "
)
_AR_GOALS = (
    "أريد أن أتعلم اللغة الفنلندية وأن أعمل معلمة للغة العربية مرة أخرى. "
    "درّست 12 سنة في حلب، وأريد أن يُعترف بشهادتي في فنلندا. "
)


def sample_client(lang: str = "ar") -> Client:
    names = {
        "ar": "ليلى حسن", "fa": "مریم احمدی", "fa_AF": "فرشته رحیمی", "ckb": "ئاراس کەریم",
        "ti": "ሙሉ ገብረሚካኤል", "so": "Hodan Cali", "ru": "Анна Петренко", "uk": "Олена Коваль",
    }
    return Client(
        id="c0ffee00c0ffee00c0ffee00c0ffee00",
        name=names.get(lang, "Laila Hassan"),
        languages=(
            LanguageSkill(lang if lang not in ("fi", "sv", "en", "et") else "ar", True),
            LanguageSkill("fi", False, CefrLevel.A1_2),
            LanguageSkill("en", False, CefrLevel.NOT_TESTED),
        ),
        literacy=Literacy.PARTIAL_LATIN,
        education="Opettajankoulutus, Aleppon yliopisto (2006)",
        work_history="Arabian kielen opettaja 12 vuotta; kaupan myyjä 2 vuotta",
        recognised_skills="Opettajan pätevyys (tunnustaminen vireillä)",
        phone="+358 40 123 4567",
    )


def sample_plan(lang: str = "ar", *, repeat: int = 3) -> Plan:
    """A plan of about three pages in the standard variant."""
    return Plan(
        id="feedface00feedface00feedface0000",
        client="c0ffee00c0ffee00c0ffee00c0ffee00",
        client_language=lang,
        made=dt.date(2026, 3, 2),
        review=dt.date(2026, 9, 1),
        valid_until=dt.date(2027, 3, 1),
        goals=_AR_GOALS * 2 if lang == "ar" else "Haluan oppia suomea ja päästä töihin.",
        sections=(
            ("situation", _FI_SITUATION * repeat),
            ("resources", "Vahva koulutustausta, motivoitunut, tukena puoliso ja naapurit. "
             * repeat),
            ("obstacles", "Suomen kielen taito A1.2; lastenhoito iltaisin; ei verkostoja. "
             * repeat),
        ),
        measures=(
            Measure("integration_training", MeasureStatus.STARTED, who="Laila, opettaja",
                    start=dt.date(2026, 4, 1), due=dt.date(2027, 3, 31),
                    provider="Tampereen aikuiskoulutuskeskus", note="Aamuryhmä (klo 8.30-12)."),
            Measure("prior_learning_recognition", who="Neuvoja", start=dt.date(2026, 4, 15),
                    provider="Opetushallitus"),
            Measure("work_trial", MeasureStatus.PLANNED, who="Laila ja työkokeilupaikka",
                    start=dt.date(2026, 10, 1), due=dt.date(2026, 12, 31),
                    provider="Koulu (avustava opettaja)"),
            Measure("third_sector", who="Laila", provider="Monikulttuurinen naisyhdistys"),
        ),
    )
