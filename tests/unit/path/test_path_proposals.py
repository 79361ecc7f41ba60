"""A proposal is recorded (who, what was disclosed, when), is background work with the
employer, and discloses nothing without the client's consent."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest

from counsel.domain import Client, Employer, Proposal, Role, WorkEntry
from counsel.domain.competence import (
    Certificate,
    CertificateKind,
    CompetenceProfile,
    Disclosure,
    EvidenceSource,
    LanguageEvidence,
    ProposalConsent,
    SubSkill,
    WorkExperience,
)
from counsel.domain.enums import CefrLevel, PartyKind, WorkKind
from counsel.path.proposals import NoConsent, contacts_with, make_proposal, proposal_records
from counsel.timekeeping.split import pieces
from counsel.vault.kdf import KdfParams
from counsel.vault.service import Vault

AT = dt.datetime(2026, 6, 1, 10, 30)


@pytest.fixture
def vault(tmp_path: Path) -> Iterator[Vault]:
    v, _code = Vault.create(tmp_path / "p.vault", "abcdefghijkl", kdf=KdfParams.fast_for_tests())
    yield v
    v.lock()


def _setup(scope: tuple[Disclosure, ...] | None, withdrawn: dt.date | None = None
           ) -> tuple[Client, CompetenceProfile, Employer, Role]:
    client = Client(name="Zahra Ahmadi", phone="+358 40 7654321", municipality="Turku")
    consent = None if scope is None else ProposalConsent(dt.date(2026, 1, 1), scope,
                                                         withdrawn=withdrawn)
    profile = CompetenceProfile(
        client=client.id, consent=consent,
        languages=(LanguageEvidence("fi", SubSkill.SPEAKING, CefrLevel.A2_2,
                                    EvidenceSource.TEACHER, dt.date(2026, 3, 1)),),
        experience=(WorkExperience("5120", title="Kokki Kabulissa", years=6),),
        certificates=(Certificate(CertificateKind.HYGIENE_PASSPORT,
                                  valid_until=dt.date(2031, 1, 1)),))
    employer = Employer(name="Ravintola Aura", municipality="Turku")
    role = Role(employer=employer.id, title="Kokki", isco="5120")
    return client, profile, employer, role


def test_a_proposal_discloses_only_what_consent_covers_and_records_it(vault: Vault) -> None:
    client, profile, employer, role = _setup((Disclosure.LANGUAGES, Disclosure.EXPERIENCE))
    prop = make_proposal(client, profile, role, by="Liisa Ohjaaja", at=AT,
                         items=list(Disclosure))
    assert prop.disclosed == (Disclosure.LANGUAGES, Disclosure.EXPERIENCE)
    assert "Zahra" not in prop.summary and "7654321" not in prop.summary
    assert "Hygiene" not in prop.summary
    assert "Kokki Kabulissa" in prop.summary and "A2.2" in prop.summary
    vault.save_many([client, employer, role, *proposal_records(prop, employer, role)])
    [saved] = vault.of_client(Proposal, client.id)
    assert (saved.by, saved.at, saved.disclosed, saved.summary) == (
        "Liisa Ohjaaja", AT, prop.disclosed, prop.summary)
    [entry] = contacts_with(vault.all(WorkEntry), employer.id)
    assert entry.kind is WorkKind.BACKGROUND and entry.party_kind is PartyKind.EMPLOYER
    assert entry.client == client.id and entry.date == AT.date()
    [piece] = pieces(vault.all(WorkEntry))  # counted in the visible/background split
    assert (piece.kind, piece.party_kind, piece.minutes) == (
        WorkKind.BACKGROUND, PartyKind.EMPLOYER, 15)


@pytest.mark.parametrize("scope,withdrawn,items", [
    (None, None, list(Disclosure)),
    ((Disclosure.NAME,), dt.date(2026, 5, 1), list(Disclosure)),  # withdrawn before
    ((Disclosure.LANGUAGES,), None, [Disclosure.NAME, Disclosure.CONTACT]),  # not covered
])
def test_without_consent_nothing_is_disclosed_or_saved(
        vault: Vault, scope: tuple[Disclosure, ...] | None, withdrawn: dt.date | None,
        items: list[Disclosure]) -> None:
    client, profile, employer, role = _setup(scope, withdrawn)
    vault.save_many([client, profile, employer, role])
    with pytest.raises(NoConsent) as err:
        make_proposal(client, profile, role, by="Liisa", at=AT, items=items)
    assert "7654321" not in err.value.message and err.value.help()
    assert vault.of_client(Proposal, client.id) == []
    assert contacts_with(vault.all(WorkEntry), employer.id) == []


def test_a_profile_of_another_client_gives_no_consent() -> None:
    client, _profile, _employer, role = _setup(None)
    _other, other_profile, _e, _r = _setup(tuple(Disclosure))
    with pytest.raises(NoConsent):
        make_proposal(client, other_profile, role, by="Liisa", at=AT, items=list(Disclosure))


def test_the_summary_reads_right_in_a_right_to_left_interface() -> None:
    # an Arabic summary showed the phone as "7654321 40 358+" and split the dates
    from bidi import get_display

    from counsel.i18n import display, set_language
    from counsel.path.proposals import disclosure_summary

    def seen(text: str) -> str:
        return "".join(c for c in get_display(text, base_dir="R")
                       if c not in "\u2066\u2067\u2068\u2069\u200e\u200f")

    client, profile, _e, _r = _setup((Disclosure.NAME,))
    try:
        set_language("ar")
        lines = disclosure_summary(client, profile, list(Disclosure), dt.date(2026, 6, 1)
                                   ).splitlines()
        phone = next(ln for ln in lines if "358" in ln)
        assert "+358 40 7654321" in seen(phone), seen(phone)
        day = seen(display.date(dt.date(2026, 3, 1)))
        language = next(ln for ln in lines if "A2.2" in ln)
        assert day in seen(language), seen(language)
        until = next(ln for ln in lines if "2031" in ln)
        assert seen(display.date(dt.date(2031, 1, 1))) in seen(until), seen(until)
        assert "Kokki Kabulissa" in seen(next(ln for ln in lines if "Kokki" in ln))
    finally:
        set_language("en")
