"""Consent scope is checked before sharing; every disclosure is logged with an audit entry."""

from __future__ import annotations

import datetime as dt

import pytest

from counsel.domain import Client, Consent, DisclosureEntry, PartyKind
from counsel.domain.competence import CompetenceProfile, Disclosure, ProposalConsent, profile_id
from counsel.errors import ValidationError
from counsel.records import disclosure
from counsel.vault.service import Vault

DAY = dt.date(2026, 11, 2)
AT = dt.datetime(2026, 11, 2, 10, 0, tzinfo=dt.UTC)


def _client(vault: Vault) -> Client:
    c = Client(name="Consent Person")
    vault.save(c)
    return c


def test_nothing_is_shared_without_consent(vault: Vault) -> None:
    c = _client(vault)
    with pytest.raises(disclosure.NoConsent) as err:
        disclosure.share(vault, c.id, PartyKind.TE_SERVICES, "plan", at=AT)
    assert err.value.help()  # a translated help text says what to do
    assert vault.of_client(DisclosureEntry, c.id) == []
    assert [e for e in vault.audit.entries() if e.action == "share"] == []


def test_consent_scope_party_and_dates_are_checked(vault: Vault) -> None:
    c = _client(vault)
    consent = Consent(client=c.id, party=PartyKind.TE_SERVICES, scope=("plan",),
                      given=DAY - dt.timedelta(days=10))
    vault.save(consent)
    assert disclosure.check(vault, c.id, PartyKind.TE_SERVICES, "plan", DAY) == consent
    for party, what, day in ((PartyKind.KELA, "plan", DAY),  # another party
                             (PartyKind.TE_SERVICES, "profile", DAY),  # outside the scope
                             (PartyKind.TE_SERVICES, "plan", DAY - dt.timedelta(days=11))):
        with pytest.raises(disclosure.NoConsent):
            disclosure.check(vault, c.id, party, what, day)
    withdrawn = disclosure.withdraw(vault, consent, DAY)
    assert withdrawn.withdrawn == DAY
    with pytest.raises(disclosure.NoConsent):
        disclosure.check(vault, c.id, PartyKind.TE_SERVICES, "plan", DAY)


def test_a_disclosure_is_logged_with_its_basis_and_an_audit_entry(vault: Vault) -> None:
    c = _client(vault)
    law = Consent(client=c.id, party=PartyKind.SOCIAL_WORKER, scope=("client_file",),
                  basis="law", reference="Sosiaalihuoltolaki 41 §", given=DAY)
    vault.save(law)
    entry = disclosure.share(vault, c.id, PartyKind.SOCIAL_WORKER, "plan",
                             recipient="Espoon sosiaalitoimi", at=AT)
    assert (entry.basis, entry.consent) == ("law", law.id)
    (line,) = disclosure.log(vault, c.id)
    assert (line.party, line.what, line.recipient) == (
        PartyKind.SOCIAL_WORKER, "plan", "Espoon sosiaalitoimi")
    (share,) = [e for e in vault.audit.entries() if e.action == "share"]
    assert share.client == c.id and share.record == entry.id
    assert "Espoon" not in repr(share)  # the audit entry names no one
    assert vault.audit.verify().intact


def test_the_profile_consent_for_employers_is_the_same_consent(vault: Vault) -> None:
    """Aligned with counsel.path.proposals: no second consent to record."""
    c = _client(vault)
    with pytest.raises(disclosure.NoConsent):
        disclosure.check(vault, c.id, PartyKind.EMPLOYER, "profile", DAY)
    vault.save(CompetenceProfile(id=profile_id(c.id), client=c.id, consent=ProposalConsent(
        given=DAY, scope=(Disclosure.NAME, Disclosure.LANGUAGES))))
    assert disclosure.check(vault, c.id, PartyKind.EMPLOYER, "profile", DAY) is None
    with pytest.raises(disclosure.NoConsent):  # the profile consent covers the profile only
        disclosure.check(vault, c.id, PartyKind.EMPLOYER, "plan", DAY)


def test_a_law_basis_names_the_law(vault: Vault) -> None:
    with pytest.raises(ValidationError):
        Consent(client="c" * 32, party=PartyKind.KELA, scope=("plan",), basis="law",
                given=DAY)


def test_consents_and_disclosures_are_erased_with_the_client(vault: Vault) -> None:
    c = _client(vault)
    vault.save(Consent(client=c.id, party=PartyKind.KELA, scope=("plan",), given=DAY))
    disclosure.share(vault, c.id, PartyKind.KELA, "plan", at=AT)
    vault.erase_client(c.id)
    assert vault.ids_of(Consent) == [] and vault.ids_of(DisclosureEntry) == []


def test_a_plan_printed_for_a_party_needs_their_consent(tmp_path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from counsel.cli import main as cli
    from counsel.demo.synthetic import sample_client, sample_plan
    from counsel.vault.kdf import KdfParams

    path = tmp_path / "p.vault"
    v, _ = Vault.create(path, "correct horse battery", kdf=KdfParams.fast_for_tests())
    client = sample_client("fi")
    plan = sample_plan("fi", repeat=1).replace(client=client.id)
    v.save_many([client, plan])
    v.lock()
    monkeypatch.setenv("COUNSEL_PASSPHRASE", "correct horse battery")
    out = tmp_path / "plan.pdf"
    args = ["--vault", str(path), "plans", "render", "--plan", plan.id, "--out", str(out),
            "--to", "kela", "--recipient", "Kela Espoo"]
    assert cli.main(args) == 1 and not out.exists()  # refused: nothing written
    v = Vault.unlock(path, "correct horse battery")
    v.save(Consent(client=client.id, party=PartyKind.KELA, scope=("plan",),
                   given=dt.date.today()))
    v.lock()
    assert cli.main(args) == 0 and out.exists()
    v = Vault.unlock(path, "correct horse battery")
    try:
        (shared,) = disclosure.log(v, client.id)
        assert (shared.party, shared.recipient) == (PartyKind.KELA, "Kela Espoo")
        assert sorted(e.action for e in v.audit.entries()) == ["export", "share"]
    finally:
        v.lock()
