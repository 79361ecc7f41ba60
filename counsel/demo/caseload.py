"""Synthetic caseloads for demos and benchmarks (QUALITY.md "Caseload generator").

Names in the clients' own scripts, encounters with structured notes of realistic
length (0.5-4 KB, written in Finnish as counsellors write them), work entries split
visible / background, plans with measures, contacts.  Reproducible with a seed.
Nothing here is real data.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import random
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING

from counsel.domain import (
    AgreedAction,
    CefrLevel,
    Channel,
    Client,
    ClientType,
    Contact,
    Encounter,
    Given,
    InterpreterMode,
    LanguageSkill,
    Literacy,
    Measure,
    MeasureStatus,
    Obstacle,
    PartyKind,
    PermitBasis,
    Place,
    Plan,
    PlanStatus,
    Record,
    WorkEntry,
    WorkKind,
)

if TYPE_CHECKING:
    from counsel.vault.service import Vault


@dataclasses.dataclass(frozen=True)
class Size:
    clients: int
    encounters: int
    contacts: int


SIZES = {
    "tiny": Size(20, 200, 15),
    "small": Size(300, 5_000, 60),
    "large": Size(10_000, 100_000, 400),
}

# (language code, given names, family names) in the clients' own scripts
NAMES: list[tuple[str, list[str], list[str]]] = [
    (
        "ar",
        ["أحمد", "فاطمة", "محمد", "مريم", "يوسف", "ليلى", "عمر", "نور", "حسن", "زينب"],
        ["الحسن", "عبدالله", "الخطيب", "حداد", "السيد", "النجار", "المصري", "العلي"],
    ),
    (
        "so",
        ["Amina", "Abdi", "Hodan", "Mohamed", "Fartun", "Ayaan", "Hassan", "Sahra", "Ilhan"],
        ["Warsame", "Farah", "Jama", "Abdullahi", "Hirsi", "Osman", "Yusuf", "Aden"],
    ),
    (
        "fa_AF",
        ["احمد", "زهرا", "مریم", "علی", "فرشته", "نجیب", "شبنم", "حمید", "سمیرا"],
        ["حیدری", "رحیمی", "احمدی", "نوری", "کریمی", "صدیقی", "هاشمی"],
    ),
    (
        "fa",
        ["سارا", "رضا", "نگار", "مهدی", "پریسا", "امید", "لیلا"],
        ["محمدی", "حسینی", "رضایی", "موسوی", "جعفری"],
    ),
    (
        "ckb",
        ["ئاراس", "ژیان", "شیلان", "کاوە", "هێمن", "ڕێژنە", "دلێر"],
        ["عەبدوڵڵا", "ئەحمەد", "مەحموود", "ڕەشید", "کەریم"],
    ),
    (
        "ti",
        ["ሰላም", "ኣብርሃም", "ሚኪኤል", "ሳባ", "ዮናስ", "ሄለን", "ፍሉይ", "ሩታ"],
        ["ተስፋይ", "ገብረመድህን", "ሃይለ", "ወልደ", "በርሀ", "ኪዳነ"],
    ),
    (
        "uk",
        ["Олена", "Андрій", "Оксана", "Тарас", "Ірина", "Богдан", "Наталія", "Юлія"],
        ["Шевченко", "Коваленко", "Бондаренко", "Ткаченко", "Кравченко", "Мельник"],
    ),
    (
        "ru",
        ["Ольга", "Дмитрий", "Анна", "Сергей", "Татьяна", "Алексей"],
        ["Иванова", "Смирнов", "Кузнецова", "Попов", "Соколова"],
    ),
    ("et", ["Kadri", "Mart", "Liis", "Tõnu", "Piret"], ["Tamm", "Saar", "Sepp", "Mägi", "Kask"]),
    ("en", ["Grace", "Emmanuel", "Joy", "Samuel"], ["Okafor", "Mensah", "Nwosu", "Boateng"]),
]

MUNICIPALITIES = ["Helsinki", "Espoo", "Vantaa", "Tampere", "Turku", "Oulu", "Lahti", "Kuopio"]
EDUCATION = [
    "pätevä kielenopettaja",
    "sairaanhoitajan koulutus kotimaassa, ei tunnustettu",
    "peruskoulu 6 vuotta",
    "ei koulutausta",
    "insinööri (rakennus)",
    "lukio kesken",
    "kampaaja, oma yritys kotimaassa",
    "kirjanpitäjä",
    "maanviljelijä",
    "ompelija",
]
WORK = [
    "työskennellyt 10 vuotta opettajana",
    "ei työkokemusta",
    "kuljettaja 5 vuotta",
    "kaupan myyjä",
    "rakennustyöt",
    "kotiäiti 12 vuotta",
    "ravintola-alan työt",
    "sairaala-apulainen",
]

SITUATION = [
    "Asiakas kertoo omin sanoin, että haluaa oppia suomea nopeasti, "
    "jotta voisi auttaa lapsia koulutehtävissä.",
    "Asiakas on väsynyt, nukkuu huonosti. Kertoo huolesta sukulaisista kotimaassa.",
    "Asiakas kertoi, että hänen mielestään mikään ei etene ja odottaminen turhauttaa.",
    "Asiakas haluaa päästä töihin mahdollisimman pian, 'en halua olla tukien varassa'.",
    "Asiakas on menettänyt perheensä ja on käsitellyt asiaa psykologin kanssa.",
    "Tällä viikolla selvisi, ettei asiakas osaa lukea kelloa – ehkä yksi syy "
    "epäsäännölliseen osallistumiseen; ei myöskään tunne kuukausia eikä vuodenaikoja.",
    "Asiakas kertoo, että asunto on liian pieni ja meluisa opiskeluun.",
    "Asiakas kertoo olevansa innostunut kotoutumiskoulutuksesta ja opettajasta.",
]
RESOURCES = [
    "Vahva motivaatio, tukiverkosto seurakunnassa.",
    "Hyvä englannin kielen taito.",
    "Aiempi yrittäjyyskokemus ja asiakaspalvelutaidot.",
    "Sinnikkyys, huolehtii perheestä.",
    "Ajokortti kotimaasta, tekninen osaaminen.",
    "Sosiaalinen, luo helposti kontakteja.",
]
POSSIBILITIES = [
    "Työkokeilu hoiva-alalla keväällä.",
    "Omaehtoinen opiskelu aikuisten perusopetuksessa.",
    "Osaamiskeskuksen kautta tutkinnon tunnustaminen.",
    "Palkkatuettu työ tutun työnantajan kautta.",
    "Koulutuskokeilu ammattiopistossa.",
    "Starttiraha oman kampaamon perustamiseen.",
]
OBSTACLE_TEXT = [
    "Pelkää tukien menettämistä, jos ottaa vastaan osa-aikatyön.",
    "Lastenhoito järjestämättä iltapäivisin.",
    "Terveysongelmat: selkäkipu rajoittaa fyysistä työtä.",
    "Ei tunne suomalaista työnhakua; ei verkostoja.",
    "Kielitaito vielä A1-tasolla.",
]
ACTIONS = [
    "Hakee kotoutumiskoulutukseen",
    "Soittaa Kelaan asumistuesta",
    "Varaa ajan terveysasemalle",
    "Tuo todistukset kopioitavaksi",
    "Käy tutustumassa työkokeilupaikkaan",
    "Ilmoittautuu YKI-testiin",
]
FILLER = [
    "Keskusteltiin rauhassa, asiakas sai itse kertoa tilanteestaan ilman kiirettä.",
    "Tulkin avulla käytiin läpi seuraavat askeleet ja varmistettiin, että asiakas ymmärsi ne.",
    "Asiakas kysyi tarkentavia kysymyksiä koulutuksen aikataulusta ja matkakuluista.",
    "Sovittiin, että asiakas miettii vaihtoehtoja ja kertoo seuraavalla kerralla oman valintansa.",
    "Käytiin läpi kotoutumissuunnitelman tavoitteet ja päivitettiin ne asiakkaan toiveiden mukaan.",
    "Asiakkaan kokemustieto aiemmista palveluista auttoi välttämään turhan ohjauksen.",
]
CONTACT_ORGS = [
    (PartyKind.SOCIAL_WORKER, "Sosiaalitoimi"),
    (PartyKind.SCHOOL, "Koulu"),
    (PartyKind.HEALTH, "Terveysasema"),
    (PartyKind.KELA, "Kela"),
    (PartyKind.EMPLOYER, "Oy"),
    (PartyKind.TRAINING_PROVIDER, "Aikuisopisto"),
    (PartyKind.TE_SERVICES, "Työllisyyspalvelut"),
    (PartyKind.NGO, "Yhdistys ry"),
]
CONTACT_NAMES = [
    "Minna Virtanen",
    "Jari Korhonen",
    "Sari Nieminen",
    "Pekka Mäkinen",
    "Anne Hämäläinen",
    "Timo Laine",
    "Päivi Heikkinen",
    "Kari Koskinen",
    "Johanna Järvinen",
    "Mikko Lehtonen",
]
MEASURES = [
    "integration_training",
    "civic_orientation",
    "literacy_training",
    "self_motivated_studies",
    "basic_education_adults",
    "work_trial",
    "pay_subsidy",
    "job_search_coaching",
    "prior_learning_recognition",
    "competence_centre",
    "language_test",
    "social_health_services",
    "multi_agency_support",
]
BACKGROUND_WHAT = [
    "Puhelu sosiaalityöntekijälle",
    "Sähköposti koululle",
    "Selvitys Kelan etuudesta",
    "Soitto työnantajalle työkokeilusta",
    "Tulkkivaraus",
    "Lausunnon pyyntö",
    "Koulutuspaikan selvitys",
    "Verkostopalaveri",
]


def _note(rng: random.Random, bank: list[str], lo: int, hi: int) -> str:
    return " ".join(rng.choice(bank) for _ in range(rng.randint(lo, hi)))


def _client(rng: random.Random, today: dt.date) -> Client:
    lang, given, family = rng.choices(NAMES, weights=[18, 14, 12, 6, 6, 9, 14, 6, 3, 4])[0]
    name = f"{rng.choice(given)} {rng.choice(family)}"
    permit = today - dt.timedelta(days=rng.randint(10, 3 * 365))
    basis = rng.choice(list(PermitBasis))
    fi_level = rng.choice(
        [
            CefrLevel.NOT_TESTED,
            CefrLevel.BELOW_A1_1,
            CefrLevel.A1_1,
            CefrLevel.A1_2,
            CefrLevel.A1_3,
            CefrLevel.A2_1,
            CefrLevel.B1_1,
        ]
    )
    literacy = rng.choices(list(Literacy), weights=[15, 35, 23, 27])[0]
    needs_int = fi_level in (CefrLevel.NOT_TESTED, CefrLevel.BELOW_A1_1, CefrLevel.A1_1)
    birth = dt.date(rng.randint(1960, 2005), rng.randint(1, 12), rng.randint(1, 28))
    return Client(
        name=name,
        birth_date=birth,
        languages=(LanguageSkill(lang, True), LanguageSkill("fi", False, fi_level)),
        literacy=literacy,
        interpreter_needed=needs_int,
        interpreter_language=lang if needs_int else "",
        permit_date=permit,
        permit_basis=basis,
        municipality=rng.choice(MUNICIPALITIES),
        client_type=rng.choice([ClientType.EMPLOYMENT, ClientType.MUNICIPAL]),
        education=rng.choice(EDUCATION),
        work_history=rng.choice(WORK),
        phone=f"+358 40 {rng.randint(1000000, 9999999)}",
        started=permit + dt.timedelta(days=20),
        active=rng.random() > 0.1,
    )


def _encounter(rng: random.Random, client: Client, day: dt.date) -> Encounter:
    interpreted = client.interpreter_needed and rng.random() < 0.8
    mode = (
        rng.choice([InterpreterMode.IN_PERSON, InterpreterMode.PHONE, InterpreterMode.VIDEO])
        if interpreted
        else InterpreterMode.NONE
    )
    actions = tuple(
        AgreedAction(
            rng.choice(ACTIONS),
            who=rng.choice(["asiakas", "ohjaaja", "tulkki"]),
            due=day + dt.timedelta(days=rng.randint(3, 45)),
            client_step=rng.random() < 0.5,
        )
        for _ in range(rng.randint(0, 3))
    )
    return Encounter(
        client=client.id,
        date=day,
        start=dt.time(rng.randint(8, 15), rng.choice([0, 15, 30, 45])),
        minutes=rng.choice([15, 30, 45, 60, 90]),
        place=rng.choices(list(Place), weights=[60, 15, 15, 10])[0],
        interpreter_mode=mode,
        interpreter_language=client.interpreter_language if interpreted else "",
        given=tuple(sorted(set(rng.sample(list(Given), rng.randint(1, 3))))),
        situation=_note(rng, SITUATION, 1, 4) + " " + _note(rng, FILLER, 1, 8),
        resources=_note(rng, RESOURCES, 1, 3),
        possibilities=_note(rng, POSSIBILITIES, 1, 3),
        obstacles=tuple(rng.sample(list(Obstacle), rng.randint(0, 3))),
        obstacles_text=_note(rng, OBSTACLE_TEXT, 0, 3),
        actions=actions,
        next_step=rng.choice(ACTIONS) if rng.random() < 0.7 else "",
        notes=_note(rng, FILLER, 0, 12),
    )


def records(size: str = "small", seed: int = 1, today: dt.date | None = None) -> Iterator[Record]:
    """Yield the caseload's records in save order (clients before their records)."""
    spec = SIZES[size]
    rng = random.Random(seed)
    today = today or dt.date(2026, 11, 27)
    contacts = []
    for i in range(spec.contacts):
        kind, org = CONTACT_ORGS[i % len(CONTACT_ORGS)]
        contacts.append(
            Contact(
                name=rng.choice(CONTACT_NAMES),
                party_kind=kind,
                organisation=f"{rng.choice(MUNICIPALITIES)} {org}",
                phone=f"+358 9 {rng.randint(100000, 999999)}",
                email=f"yhteys{i}@example.fi",
            )
        )
    yield from contacts
    per_client = max(1, spec.encounters // spec.clients)
    extra = spec.encounters - per_client * spec.clients
    all_clients: list[Client] = []
    for n in range(spec.clients):
        client = _client(rng, today)
        all_clients.append(client)
        yield client
        count = per_client + (1 if n < extra else 0)
        assert client.started is not None
        span = max(1, (today - client.started).days)
        for _ in range(count):
            day = client.started + dt.timedelta(days=rng.randint(0, span))
            enc = _encounter(rng, client, day)
            yield enc
            yield WorkEntry(
                kind=WorkKind.VISIBLE,
                date=day,
                start=enc.start,
                minutes=enc.minutes,
                client=client.id,
                channel=Channel.MEETING,
                encounter=enc.id,
                what="Tapaaminen",
            )
            for _ in range(rng.choices([0, 1, 2], weights=[35, 45, 20])[0]):
                contact = rng.choice(contacts)
                yield WorkEntry(
                    kind=WorkKind.BACKGROUND,
                    date=day + dt.timedelta(days=rng.randint(0, 5)),
                    minutes=rng.choice([5, 10, 15, 20, 30, 45, 60]),
                    client=client.id,
                    contact=contact.id,
                    party_kind=contact.party_kind,
                    channel=rng.choice([Channel.PHONE, Channel.EMAIL, Channel.MEETING]),
                    what=rng.choice(BACKGROUND_WHAT),
                )
        if rng.random() < 0.7:
            made = client.started + dt.timedelta(days=rng.randint(10, 60))
            measures = tuple(
                Measure(
                    code,
                    status=rng.choice(list(MeasureStatus)),
                    who="asiakas",
                    start=made + dt.timedelta(days=rng.randint(0, 30)),
                    due=made + dt.timedelta(days=rng.randint(60, 300)),
                )
                for code in rng.sample(MEASURES, rng.randint(1, 4))
            )
            mt = client.mother_tongue or "en"
            yield Plan(
                client=client.id,
                client_language=mt,
                made=made,
                status=rng.choice([PlanStatus.DRAFT, PlanStatus.AGREED]),
                valid_until=made + dt.timedelta(days=365),
                review=made + dt.timedelta(days=182),
                goals=_note(rng, POSSIBILITIES, 1, 2),
                measures=measures,
                sections=(("background", client.education),),
            )
    # the employer network and competence profiles, from their own random generator
    from counsel.demo import employers

    yield from employers.records(size, seed, all_clients, MUNICIPALITIES, today)


def generate(
    vault: Vault,
    size: str = "small",
    seed: int = 1,
    *,
    batch: int = 2000,
    progress: Callable[[int], None] | None = None,
) -> int:
    """Save a caseload into ``vault``; returns how many records were saved."""
    buf: list[Record] = []
    total = 0
    for record in records(size, seed):
        buf.append(record)
        if len(buf) >= batch:
            vault.save_many(buf)
            total += len(buf)
            buf = []
            if progress:
                progress(total)
    if buf:
        vault.save_many(buf)
        total += len(buf)
    return total
