"""What the sync page shows, without Qt: conflicts described, restored records, status."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from counsel.domain import Client, Contact, PartyKind
from counsel.errors import WrongPassphrase
from counsel.sync import review
from counsel.sync import status as sync_status
from counsel.sync.client import SyncReport
from counsel.sync.transport import SyncError
from counsel.vault.kdf import KdfParams
from counsel.vault.service import Vault

PASS = "correct horse battery"


@pytest.fixture
def pair(tmp_path: Path):  # type: ignore[no-untyped-def]
    """Two local copies of one vault; revisions move between them like a sync would."""
    a, _code = Vault.create(tmp_path / "a.vault", PASS, kdf=KdfParams.fast_for_tests())
    b = Vault.join(tmp_path / "b.vault", a.export_keyring(), PASS)
    yield a, b
    a.lock()
    b.lock()


def _exchange(a: Vault, b: Vault) -> None:
    for src, dst in ((a, b), (b, a)):
        dst.store.put_wrapped_keys(src.store.wrapped_keys())
        dst.sync_port.apply_remote(list(src.store.all_revisions()))


def test_conflict_described_per_field_with_who_wrote_what(pair) -> None:  # type: ignore[no-untyped-def]
    a, b = pair
    a.save(Contact(id="contact0001", name="Jobcentre", notes="base\n"))
    _exchange(a, b)
    a.save(a.get("contact0001").replace(notes="from a\n", party_kind=PartyKind.KELA))
    b.save(b.get("contact0001").replace(notes="from b\n", party_kind=PartyKind.SCHOOL))
    _exchange(a, b)
    (view,) = review.open_conflicts(a)
    assert view.kind_label == "Contact" and view.title == "Jobcentre"
    assert view.field_labels == "Notes, Party kind"
    notes, kind = view.fields
    assert notes.text_field and not kind.text_field
    assert notes.base_text == "base\n"
    mine = {v.value: v.this_device for v in notes.versions}
    assert mine == {"from a\n": True, "from b\n": False}
    assert PartyKind.KELA.label() in {v.text for v in kind.versions}
    # the same conflict seen from b: the sides swap
    (seen_b,) = review.open_conflicts(b)
    assert {v.value: v.this_device for v in seen_b.fields[0].versions} == {
        "from a\n": False, "from b\n": True}
    review.resolve(a, view, {"notes": "from a\nfrom b\n", "party_kind": "kela"})
    assert a.get("contact0001").party_kind is PartyKind.KELA  # type: ignore[attr-defined]
    assert review.open_conflicts(a) == []
    assert a.get("contact0001").notes == "from a\nfrom b\n"  # type: ignore[attr-defined]
    # the person's choice is on record (the merge alone is not)
    assert [(e.action, e.record, e.detail) for e in a.audit.entries()] == [
        ("edit", "contact0001", "conflict resolved")]


def test_restored_record_listed_until_kept_or_deleted(pair) -> None:  # type: ignore[no-untyped-def]
    a, b = pair
    a.save(Contact(id="contact0001", name="Jobcentre"))
    a.save(Contact(id="contact0002", name="Kela"))
    _exchange(a, b)
    a.delete("contact0001")
    a.delete("contact0002")
    b.save(b.get("contact0001").replace(phone="040 1"))
    b.save(b.get("contact0002").replace(phone="040 2"))
    _exchange(a, b)
    from counsel.sync.conflicts import auto_merge

    report = auto_merge(a)
    assert set(report.restored) == {"contact0001", "contact0002"}
    listed = {r.record_id: r for r in review.restored_records(a)}
    assert set(listed) == {"contact0001", "contact0002"}
    assert ("Phone", "040 1") in listed["contact0001"].fields
    review.keep_restored(a, listed["contact0001"])
    review.delete_restored(a, listed["contact0002"])
    assert review.restored_records(a) == []
    assert a.exists("contact0001") and not a.exists("contact0002")
    assert [(e.action, e.record, e.detail) for e in a.audit.entries()] == [
        ("edit", "contact0002", "deleted")]


def test_format_value_reads_like_the_screen() -> None:
    assert review.format_value("client", "active", True) == "Yes"
    assert review.format_value("client", "notes", "") == "(empty)"
    assert review.format_value("client", "literacy", "latin") == "Literate in the Latin alphabet"
    assert "2026" in review.format_value("client", "birth_date", "2026-03-04")
    langs = [{"code": "so", "mother_tongue": True, "level": None}]
    assert review.format_value("client", "languages", langs) == "so · Yes"
    assert review.is_text_field("contact", "notes")
    assert not review.is_text_field("client", "languages")
    assert not review.is_text_field("client", "active")
    assert not review.is_text_field("setting", "value_json")  # JSON: pick a side only
    assert review.field_label("no_such_field") == "no such field"


lines = st.lists(st.text(st.characters(blacklist_categories=("Cs", "Zl", "Zp", "Cc")),
                         max_size=8), max_size=6)


@settings(max_examples=60, deadline=None)
@given(st.lists(lines, min_size=1, max_size=3))
def test_combined_text_keeps_every_line_of_every_side(sides: list[list[str]]) -> None:
    texts = ["\n".join(s) for s in sides]
    combined = review.combine_texts(texts).splitlines()
    assert combined[:len(texts[0].splitlines())] == texts[0].splitlines()
    for text in texts:
        for line in text.splitlines():
            assert line in combined


def test_last_sync_and_unsynced_count(pair) -> None:  # type: ignore[no-untyped-def]
    a, _b = pair
    assert sync_status.last_sync(a) is None
    a.save_many([Contact(name="Kela"), Contact(name="TE")])
    assert sync_status.unsynced_count(a) == 2
    at = dt.datetime(2026, 3, 4, 12, 0, tzinfo=dt.UTC)
    sync_status.record(a, SyncReport(2, 5, ("x", "x"), (), 1, 0), at)
    last = sync_status.last_sync(a)
    assert last == sync_status.LastSync(at, 2, 5, 1, 0, 1)
    assert sync_status.moved_text(last) == ("sent 2 changes, received 5 changes, "
                                            "merged 1 record automatically")
    sync_status.record(a, SyncReport(9, 0, (), (), 0, 0, resent=9), at)
    again = sync_status.last_sync(a)
    assert again is not None and again.resent == 9
    assert sync_status.moved_text(again).endswith(
        "sent 9 changes again: the server had lost them (restored from a backup?)")
    assert sync_status.ago_text(at, at + dt.timedelta(minutes=5)) == "5 minutes ago"
    assert sync_status.ago_text(at, at + dt.timedelta(days=3)) == "3 days ago"


def test_set_up_refuses_insecure_address_and_wrong_passphrase(pair) -> None:  # type: ignore[no-untyped-def]
    a, _b = pair
    with pytest.raises(SyncError) as err:
        sync_status.set_up(a, "http://192.168.1.9", "maria", PASS, enrol_secret="x")
    assert err.value.code == "insecure"
    with pytest.raises(WrongPassphrase):
        sync_status.set_up(a, "https://127.0.0.1:9", "maria", "not it at all", enrol_secret="x")
    assert sync_status.signed_in(a) is None


def test_conflict_on_a_client_record_names_the_client(pair) -> None:  # type: ignore[no-untyped-def]
    a, b = pair
    a.save(Client(id="a" * 32, name="Amina Yusuf", municipality="Espoo"))
    _exchange(a, b)
    a.save(a.get("a" * 32).replace(municipality="Vantaa"))
    b.save(b.get("a" * 32).replace(municipality="Turku"))
    _exchange(a, b)
    (view,) = review.open_conflicts(a)
    assert (view.kind_label, view.client_name, view.field_labels) == (
        "Client", "Amina Yusuf", "Municipality")
    assert not view.deleted_on_a_device
    review.resolve(a, view, {"municipality": "Vantaa"})
    assert [(e.action, e.client, e.record_kind) for e in a.audit.entries()] == [
        ("edit", "a" * 32, "client")]


def test_delete_against_two_different_edits_can_be_deleted_for_good(  # type: ignore[no-untyped-def]
        pair, tmp_path: Path) -> None:
    a, b = pair
    c = Vault.join(tmp_path / "c.vault", a.export_keyring(), PASS)
    try:
        a.save(Contact(id="contact0001", name="Jobcentre", notes="base"))
        _exchange(a, b)
        _exchange(a, c)
        a.delete("contact0001")
        b.save(b.get("contact0001").replace(notes="from b"))
        c.save(c.get("contact0001").replace(notes="from c"))
        _exchange(a, b)
        _exchange(a, c)
        (view,) = review.open_conflicts(a)
        assert view.deleted_on_a_device and view.field_labels == "Notes"
        assert a.exists("contact0001")  # shown meanwhile: an edit beats a delete
        review.delete_for_good(a, view)
        assert review.open_conflicts(a) == [] and not a.exists("contact0001")
        assert [(e.action, e.record, e.detail) for e in a.audit.entries()] == [
            ("edit", "contact0001", "deleted (conflict)")]
    finally:
        c.lock()
