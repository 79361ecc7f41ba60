from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from wshelp import AS_LAYOUT_16

from counsel.domain import (
    Channel,
    Client,
    Contact,
    Encounter,
    LanguageSkill,
    PartyKind,
    Plan,
    WorkEntry,
    WorkKind,
)
from counsel.errors import IntegrityError, RecordNotFound, VaultLocked
from counsel.vault import envelope, payload, snapshot
from counsel.vault.service import Vault
from counsel.vault.store import StoredRevision

PASS = "correct horse battery"  # as in conftest.py

TODAY = dt.date(2026, 11, 27)


def _client(name: str, lang: str = "so") -> Client:
    return Client(name=name, languages=(LanguageSkill(lang, True),))


def test_every_save_is_a_new_revision_and_history_is_kept(vault: Vault) -> None:
    c = _client("Amina Yusuf")
    vault.save(c)
    vault.save(c.replace(municipality="Espoo"))
    vault.save(c.replace(municipality="Vantaa"))
    hist = vault.history(c.id)
    assert [h.record.municipality for h in hist] == ["", "Espoo", "Vantaa"]  # type: ignore[union-attr]
    assert hist[1].parents == (hist[0].rev_id,) and hist[2].parents == (hist[1].rev_id,)
    assert vault.get(c.id).municipality == "Vantaa"  # type: ignore[attr-defined]


def test_search_is_diacritics_insensitive_and_multiscript(vault: Vault) -> None:
    names = [
        ("Työnhaku Virtanen", "fi"),
        ("أحمد الحسن", "ar"),
        ("Олена Шевченко", "uk"),
        ("ሰላም ተስፋይ", "ti"),
        ("زهرا حیدری", "fa_AF"),
    ]
    ids = {}
    for name, lang in names:
        c = _client(name, lang)
        vault.save(c)
        ids[name] = c.id
    assert [c.id for c in vault.clients("tyonhaku")] == [ids["Työnhaku Virtanen"]]
    assert [c.id for c in vault.clients("أحمد")] == [ids["أحمد الحسن"]]
    assert [c.id for c in vault.clients("олена")] == [ids["Олена Шевченко"]]
    assert [c.id for c in vault.clients("ሰላም")] == [ids["ሰላም ተስፋይ"]]
    # Arabic-keyboard yeh finds a Persian-keyboard name
    assert [c.id for c in vault.clients("حيدري")] == [ids["زهرا حیدری"]]
    assert [c.id for c in vault.clients("somali")] == []
    assert {c.id for c in vault.clients("ukrain")} == {ids["Олена Шевченко"]}
    assert vault.clients("nobody-like-this") == []


def test_note_search_finds_encounters(vault: Vault) -> None:
    c = _client("Hodan Farah")
    vault.save(c)
    e = Encounter(client=c.id, date=TODAY, situation="Ei osaa lukea kelloa, työnhaku alkaa.")
    vault.save(e)
    hits = vault.search("tyonhaku")
    assert [h.record_id for h in hits] == [e.id]
    vault.save(e.replace(situation="Puhuttiin koulusta."))
    assert vault.search("kelloa") == []
    assert [h.record_id for h in vault.search("koulusta")] == [e.id]


def test_delete_is_a_tombstone_with_history(vault: Vault) -> None:
    k = Contact(name="Minna Virtanen", party_kind=PartyKind.KELA)
    vault.save(k)
    vault.delete(k.id)
    assert not vault.exists(k.id)
    with pytest.raises(RecordNotFound):
        vault.get(k.id)
    assert [h.deleted for h in vault.history(k.id)] == [False, True]


def test_records_of_unknown_client_refused(vault: Vault) -> None:
    with pytest.raises(RecordNotFound):
        vault.save(Encounter(client="0" * 32, date=TODAY))


def test_erasure_makes_copied_envelopes_unreadable(vault: Vault, vault_path: Path) -> None:
    c = _client("Ilhan Osman")
    vault.save(c)
    e = Encounter(client=c.id, date=TODAY, situation="ERASE-ME-CANARY health details")
    vault.save(e)
    other = _client("Stays Here")
    vault.save(other)
    copied = [r for r in vault.store.all_revisions() if r.key_id == c.id]
    assert len(copied) == 2
    vault.erase_client(c.id)
    assert not vault.exists(c.id) and not vault.exists(e.id)
    assert vault.get(other.id) == other
    vault.lock()
    v = Vault.unlock(vault_path, PASS)
    # nothing the vault holds opens the old envelopes: not the client key (gone),
    # not the vault key, not any other client's key
    for rev in copied:
        with pytest.raises(RecordNotFound):
            v.sync_port.open(rev)
        for key_id in list(v.store.wrapped_keys()) + ["vault"]:
            forged = StoredRevision(**{**rev.__dict__, "key_id": key_id})
            with pytest.raises(IntegrityError):
                v.sync_port.open(forged)
    assert v.search("ERASE") == []
    assert b"ERASE-ME-CANARY" not in vault_path.read_bytes()
    v.lock()


def test_two_heads_is_a_visible_conflict_and_edit_beats_delete(vault: Vault) -> None:
    c = _client("Sahra Jama")
    vault.save(c)
    base = vault.history(c.id)[0].rev_id
    # a second device's concurrent edit and a third's delete of the same base
    for record, rid in ((c.replace(municipality="Oulu"), "a" * 32), (None, "b" * 32)):
        env = envelope.seal(
            _client_key(vault, c.id),
            payload.encode(record),
            envelope.record_aad(vault.vault_id, c.id, rid, "client"),
        )
        rev = StoredRevision(rid, c.id, (base,), "client", c.id, "dev2", env)
        vault.sync_port.apply_remote([rev])
    assert len(vault.store.heads(c.id)) == 2
    assert vault.get(c.id).municipality == "Oulu"  # type: ignore[attr-defined]
    assert c.id in vault.conflicts()


def _client_key(vault: Vault, client_id: str) -> bytes:
    from counsel.vault import keys

    wrapped = vault.store.wrapped_key(client_id)
    assert wrapped is not None
    return keys.unwrap_client_key(vault.vault_id, vault._keys.require(), client_id, wrapped)


def test_unlock_cache_is_used_replayed_and_rejected_when_tampered(
    vault: Vault, vault_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import counsel.vault.current as current

    monkeypatch.setattr(current, "SNAPSHOT_MIN_RECORDS", 1)
    c = _client("Cache Client")
    vault.save(c)
    vault.lock()
    cache = snapshot.cache_path(vault_path)
    assert cache.exists() and b"Cache Client" not in cache.read_bytes()
    v = Vault.unlock(vault_path, PASS)
    assert v.snapshot_seq == v.store.max_seq()
    v.save(c.replace(name="Renamed After Cache"))
    v._current.snapshot_seq = -2  # pretend the cache is older: next unlock must replay
    v.store.close()
    v2 = Vault.unlock(vault_path, PASS)
    assert v2.get(c.id).name == "Renamed After Cache"  # type: ignore[attr-defined]
    v2.lock()
    raw = bytearray(cache.read_bytes())
    raw[-5] ^= 0xFF
    cache.write_bytes(bytes(raw))
    v3 = Vault.unlock(vault_path, PASS)
    assert v3.snapshot_seq == -1 and v3.get(c.id).name == "Renamed After Cache"  # type: ignore[attr-defined]
    v3.lock()


def test_locked_vault_refuses_work(vault: Vault) -> None:
    vault.lock()
    with pytest.raises(VaultLocked):
        vault.clients()


def test_all_and_of_client(vault: Vault) -> None:
    c = _client("Fartun Aden")
    vault.save(c)
    k = Contact(name="Kela contact", party_kind=PartyKind.KELA)
    vault.save(k)
    w = WorkEntry(kind=WorkKind.BACKGROUND, date=TODAY, minutes=5, client=c.id, what="Kela",
                  start=dt.time(9, 5), contact=k.id, party_kind=PartyKind.KELA,
                  channel=Channel.PHONE, source="ics:uid-1|")
    p = Plan(client=c.id, made=TODAY)
    vault.save_many([w, p])
    assert vault.all(WorkEntry) == [w]  # rebuilt from working-set columns, exactly
    assert vault.get(w.id) == w
    assert vault.of_client(Plan, c.id) == [p]


def test_settings_and_drafts_are_encrypted(vault: Vault, vault_path: Path) -> None:
    vault.settings.set("ics.rules", [{"pattern": "SECRET-RULE"}])
    assert vault.settings.get("ics.rules") == [{"pattern": "SECRET-RULE"}]
    vault.drafts.save("abc:encounter", {"situation": "DRAFT-CANARY typed text"})
    assert vault.drafts.get("abc:encounter").data["situation"].startswith("DRAFT-CANARY")  # type: ignore[union-attr]
    vault.store.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    raw = vault_path.read_bytes()
    assert b"SECRET-RULE" not in raw and b"DRAFT-CANARY" not in raw


def test_cache_of_another_layout_is_rebuilt(vault: Vault, vault_path: Path,
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    import counsel.vault.current as current
    import counsel.vault.workingset as workingset

    monkeypatch.setattr(current, "SNAPSHOT_MIN_RECORDS", 1)
    c = _client("Layout Client")
    vault.save(c)
    vault.lock()
    monkeypatch.setattr(workingset, "LAYOUT_VERSION", workingset.LAYOUT_VERSION + 1)
    v = Vault.unlock(vault_path, PASS)
    assert v.snapshot_seq == -1  # the old cache was not used
    assert [x.id for x in v.clients("layout")] == [c.id]
    v.lock()


def test_cache_of_the_previous_layout_is_upgraded_not_rebuilt(
        vault: Vault, vault_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """An unlock cache of an upgradable older layout (here: one without the deadlines
    table) is used, its deadlines computed on first use and the cache sealed again at
    lock in the current layout."""
    import counsel.vault.current as current
    import counsel.vault.workingset as workingset
    from counsel.app import today_query
    from counsel.domain import ReminderKind

    monkeypatch.setattr(current, "SNAPSHOT_MIN_RECORDS", 1)
    old = workingset.LAYOUT_VERSION - 1
    monkeypatch.setattr(workingset, "UPGRADABLE", {old: """
CREATE TABLE main.deadlines (client TEXT NOT NULL, kind TEXT NOT NULL, due TEXT NOT NULL,
    source TEXT NOT NULL, detail TEXT NOT NULL, until TEXT);
CREATE INDEX main.deadlines_due ON deadlines(due);
CREATE INDEX main.deadlines_client ON deadlines(client);
CREATE INDEX act.actions_client ON actions(client, due);
CREATE TABLE main.measures (client TEXT NOT NULL, made TEXT NOT NULL, k TEXT NOT NULL,
    code TEXT NOT NULL, progressed INTEGER NOT NULL);
CREATE INDEX main.measures_client ON measures(client, code, k);
"""})
    c = _client("Upgrade Client").replace(permit_date=TODAY - dt.timedelta(days=80))
    vault.save(c)
    ws = vault._current.ws
    ws.db.executescript("DROP TABLE main.deadlines; DROP TABLE main.measures; "
                        "DROP INDEX act.actions_client; "
                        f"PRAGMA main.user_version = {old};")
    ws.stale_deadlines.clear()
    ws.upgraded = True  # force the cache to be written, as layout 8
    vault.lock()
    v = Vault.unlock(vault_path, PASS)
    assert v.snapshot_seq >= 0 and v._current.ws.upgraded  # the cache was used, upgraded
    due = today_query.summary(v, TODAY).shown
    assert [(i.kind, i.client_id) for i in due] == [(ReminderKind.INTEGRATION_TRAINING, c.id)]
    v.lock()
    v = Vault.unlock(vault_path, PASS)
    assert v.snapshot_seq >= 0 and not v._current.ws.upgraded  # sealed again, current layout
    assert v._current.ws.db.execute("PRAGMA main.user_version").fetchone()[0] == \
        workingset.LAYOUT_VERSION
    assert [i.client_id for i in today_query.summary(v, TODAY).shown] == [c.id]
    v.lock()


def test_encounter_facts_match_the_records_without_text(vault: Vault) -> None:
    from counsel.domain import AgreedAction, Given, InterpreterMode, Obstacle, Place

    c = _client("Facts Client")
    vault.save(c)
    e = Encounter(
        client=c.id, date=TODAY, start=dt.time(10, 30), minutes=50, place=Place.FIELD_VISIT,
        interpreter_mode=InterpreterMode.PHONE, interpreter_language="so",
        given=(Given.ADVICE, Given.GUIDANCE), obstacles=(Obstacle.PERSON_LOW_PAY,),
        situation="long private text", notes="more private text",
        actions=(AgreedAction('Hakee, "lainaus" ja [sulut]', "asiakas", TODAY, True, False),
                 AgreedAction("Soittaa", "", None, False, True)),
    )
    vault.save(e)
    facts = vault.encounter_facts()
    assert facts == [e.replace(situation="", notes="")]
    assert vault.encounter_facts(c.id) == facts and vault.encounter_facts("0" * 32) == []


def test_unlock_cache_a_few_changes_behind_is_kept_and_replayed(
    vault: Vault, vault_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Locking after a few changes keeps the cache file (no reseal of the whole working
    set); the next unlock replays those changes. Many changes write it again."""
    import counsel.vault.current as current

    monkeypatch.setattr(current, "SNAPSHOT_MIN_RECORDS", 1)
    monkeypatch.setattr(current, "REPLAY_MAX", 3)
    c = _client("Cache Client")
    vault.save(c)
    vault.lock()
    cache = snapshot.cache_path(vault_path)
    written = cache.read_bytes()
    v = Vault.unlock(vault_path, PASS)
    v.save(c.replace(name="Renamed After Cache"))
    v.delete(v.save(_client("Gone Soon")).record_id)
    v.lock()
    assert cache.read_bytes() == written  # kept: three changes behind
    v = Vault.unlock(vault_path, PASS)
    assert v.get(c.id).name == "Renamed After Cache"  # type: ignore[attr-defined]
    assert [s.name for s in v.clients()] == ["Renamed After Cache"]
    v.save(c.replace(name="Fourth Change"))
    v.lock()
    assert cache.read_bytes() != written  # four behind: written again
    v = Vault.unlock(vault_path, PASS)
    assert v.snapshot_seq == v.store.max_seq() and v.get(c.id).name == "Fourth Change"  # type: ignore[attr-defined]
    v.lock()


def test_layout_12_cache_gets_the_covering_deadlines_index(
        vault: Vault, vault_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """UPGRADABLE[12] as shipped: a layout-12 cache is used, not rebuilt, and leaves with
    Today's covering index."""
    import counsel.vault.current as current
    from counsel.app import today_query

    monkeypatch.setattr(current, "SNAPSHOT_MIN_RECORDS", 1)
    c = _client("Index Client").replace(permit_date=TODAY - dt.timedelta(days=80))
    vault.save(c)
    ws = vault._current.ws
    ws.db.executescript(AS_LAYOUT_16 + "DROP INDEX main.deadlines_due; "
                        "CREATE INDEX main.deadlines_due ON deadlines(due); "
                        "DROP TABLE wk.pieces; DROP TABLE wk.starts; "  # (layouts 14, 16)
                        "PRAGMA main.user_version = 12;")
    ws.upgraded = True  # force the cache to be written, as layout 12
    vault.lock()
    v = Vault.unlock(vault_path, PASS)
    assert v.snapshot_seq >= 0  # the cache was used
    cols = [r[2] for r in v._current.ws.db.execute("PRAGMA main.index_info(deadlines_due)")]
    assert cols == ["due", "until", "client", "source"]
    assert [i.client_id for i in today_query.summary(v, TODAY).shown] == [c.id]
    v.lock()


def test_layout_16_cache_moves_the_actions_into_their_own_part(
        vault: Vault, vault_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """UPGRADABLE[16] as shipped: a cache of four parts with the agreed actions in ``enc``
    is used, not rebuilt; the actions move into the ``act`` part and ``enc`` keeps no copy
    (its pages freed); Today still shows the action; the cache is sealed again in five parts."""
    import counsel.vault.current as current
    import counsel.vault.workingset as workingset
    from counsel.app import today_query
    from counsel.domain import AgreedAction

    monkeypatch.setattr(current, "SNAPSHOT_MIN_RECORDS", 1)
    c = _client("Action Client")
    vault.save(c)
    vault.save(Encounter(client=c.id, date=TODAY, actions=(
        AgreedAction("Soittaa Kelaan", "asiakas", TODAY - dt.timedelta(days=2), False, False),)))
    want = vault._current.ws.db.execute("SELECT * FROM actions").fetchall()
    assert len(want) == 1
    ws = vault._current.ws
    ws.db.executescript(AS_LAYOUT_16 + "PRAGMA main.user_version = 16;")
    ws.upgraded = True  # force the cache to be written, as layout 16
    with monkeypatch.context() as m:
        m.setattr(workingset, "PARTS", ("main", "enc", "wk", "fts"))  # no act part
        vault.lock()
    v = Vault.unlock(vault_path, PASS)
    try:
        assert v.snapshot_seq >= 0 and v._current.ws.upgraded  # the cache was used
        db = v._current.ws.db
        assert db.execute("SELECT * FROM act.actions").fetchall() == want
        assert db.execute("SELECT name FROM enc.sqlite_master WHERE name LIKE 'actions%'"
                          ).fetchall() == []
        assert db.execute("PRAGMA enc.freelist_count").fetchone()[0] == 0  # vacuumed
        summary = today_query.summary(v, TODAY)
        assert c.id in {i.client_id for i in summary.shown}
    finally:
        v.lock()
    v = Vault.unlock(vault_path, PASS)
    try:
        assert v.snapshot_seq >= 0 and not v._current.ws.upgraded
        assert v._current.ws.db.execute("SELECT * FROM act.actions").fetchall() == want
    finally:
        v.lock()


def test_record_ciphers_kept_are_bounded_and_made_again(
        vault: Vault, vault_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Each made cipher holds OpenSSL memory: only CIPHERS_KEPT stay; one evicted is made
    again from the client's key, so every record still opens (here with room for two)."""
    from counsel.vault import keyring

    monkeypatch.setattr(keyring, "CIPHERS_KEPT", 2)
    clients = [_client(f"Cipher Client {i}") for i in range(5)]
    vault.save_many(clients)
    notes = [Encounter(client=c.id, date=TODAY, notes=f"note of {i}")
             for i, c in enumerate(clients)]
    vault.save_many(notes)
    vault.lock()
    v = Vault.unlock(vault_path, PASS)
    try:
        for _round in range(2):
            for i, n in enumerate(notes):
                assert v.get(n.id).notes == f"note of {i}"  # type: ignore[attr-defined]
                assert len(v._keys._ciphers) <= 2
    finally:
        v.lock()


def test_the_client_list_shares_its_repeated_values(vault: Vault) -> None:
    """The list is kept while the vault is open (10k clients on the large demo vault):
    languages, municipalities, types and permit dates that many clients share are one
    object each, not one per client; each client still shows its own."""
    clients = [_client(f"Asiakas {i}", lang) for i, lang in enumerate(["so", "so", "ar"])]
    clients = [c.replace(municipality="Tampere", permit_date=TODAY) for c in clients]
    vault.save_many(clients)
    rows = {r.id: r for r in vault.clients()}
    a, b, c = (rows[x.id] for x in clients)
    assert (a.municipality, a.languages, a.permit_date) == ("Tampere", ("so",), TODAY)
    assert c.languages == ("ar",) and c.mother_tongue == "ar"
    assert a.municipality is b.municipality is c.municipality
    assert a.languages is b.languages and a.mother_tongue is b.mother_tongue
    assert a.client_type is b.client_type and a.permit_date is b.permit_date
