"""The quick log's other party: one contact, ambiguous, unknown — never a guess."""

from __future__ import annotations

from counsel.app import party
from counsel.app.labels import FSI, PDI, client_label
from counsel.domain import Contact, PartyKind

LABELS = {PartyKind.KELA: ("Kela",), PartyKind.SCHOOL: ("Koulu", "School"),
          PartyKind.HEALTH: ("Health centre",)}


def _kela(n: int) -> list[Contact]:
    return [Contact(name=f"Virkailija {i}", organisation=f"Kela {city}",
                    party_kind=PartyKind.KELA)
            for i, city in enumerate(["Turku", "Espoo", "Oulu", "Vaasa"][:n])]


def test_a_word_matching_many_contacts_is_ambiguous_not_the_first():
    r = party.resolve("Kela", _kela(4), LABELS)
    assert r.match is party.Match.AMBIGUOUS and r.contact is None and r.candidates == 4
    assert r.kind is PartyKind.KELA  # all four are Kela: the kind is known


def test_the_only_contact_holding_every_word_is_chosen():
    r = party.resolve("kela espoo", _kela(4), LABELS)
    assert r.match is party.Match.CONTACT and r.contact is not None
    assert r.contact.organisation == "Kela Espoo" and r.kind is PartyKind.KELA


def test_no_contact_keeps_the_text_and_derives_the_kind():
    r = party.resolve("kela tamp", _kela(4), LABELS)
    assert r.match is party.Match.UNKNOWN and r.kind is PartyKind.KELA
    assert party.what_with_party("asumistuki", r) == "kela tamp: asumistuki"
    assert party.resolve("naapuri", [], LABELS).kind is None
    assert party.resolve("Terveyskeskus", [], LABELS).kind is None
    assert party.resolve("the health centre", [], LABELS).kind is PartyKind.HEALTH


def test_empty_party_and_a_chosen_contact_leave_the_line_alone():
    assert party.resolve("  ", _kela(2), LABELS).match is party.Match.EMPTY
    r = party.resolve("Virkailija 1, Kela Espoo", _kela(4), LABELS)
    assert r.match is party.Match.CONTACT
    assert party.what_with_party("soitto", r) == "soitto"


def test_client_label_isolates_the_name_and_starts_with_it():
    label = client_label("أحمد الحسن", None, "Vantaa", rtl=False)
    assert label.index("أحمد") < label.index("Vantaa")
    assert f"{FSI}أحمد الحسن{PDI}" in label and label.startswith("\u200e")
    assert client_label("x", None, "", rtl=True).startswith("\u200f")
