"""The time pieces and relationship starts the working set keeps on every write
(counsel.vault.workingset_pieces) equal those computed from scratch — after saves, edits
that move a work entry to another encounter or client or to none, changes of a client's
own start, deletes of entries and of the encounters they name, a revision arriving as a
sync merge does (stored, then the record refreshed), an unlock from the cache and an
unlock that replays changes made after the cache was written."""

from __future__ import annotations

import datetime as dt
import tempfile
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from wshelp import AS_LAYOUT_16

from counsel.domain import Channel, Client, Encounter, PartyKind, Place, WorkEntry, WorkKind
from counsel.vault import current, workingset_pieces
from counsel.vault.kdf import KdfParams
from counsel.vault.service import Vault

PASS = "correct horse battery"
DAY = dt.date(2026, 3, 2)
# (and across a new year: fill_all goes a year at a time)
days = st.integers(-3, 3).map(lambda n: DAY + dt.timedelta(days=n)) | st.sampled_from(
    [dt.date(2025, 12, 31), dt.date(2026, 1, 1)])
# near midnight too, so that entries are split into two pieces
starts = st.none() | st.sampled_from([dt.time(0, 0), dt.time(9, 30), dt.time(22, 45),
                                      dt.time(23, 59)])


def kept(vault: Vault) -> list[tuple[Any, ...]]:
    return vault._current.ws.db.execute("SELECT * FROM pieces ORDER BY day, src").fetchall()


def kept_starts(vault: Vault) -> list[tuple[Any, ...]]:
    return vault._current.ws.db.execute("SELECT * FROM starts ORDER BY client").fetchall()


def from_scratch(vault: Vault) -> list[tuple[Any, ...]]:
    db = vault._current.ws.db
    db.execute("SAVEPOINT scratch")
    try:
        workingset_pieces.fill_all(db)
        return kept(vault) + kept_starts(vault)
    finally:
        db.execute("ROLLBACK TO scratch")
        db.execute("RELEASE scratch")


def in_one_statement(vault: Vault) -> list[tuple[Any, ...]]:
    """What FILL_ALL gives at once (fill_all makes it a month at a time)."""
    db = vault._current.ws.db
    db.execute("SAVEPOINT scratch")
    try:
        db.execute("DELETE FROM pieces")
        db.execute(workingset_pieces.FILL_ALL.rstrip(";"))
        return kept(vault)
    finally:
        db.execute("ROLLBACK TO scratch")
        db.execute("RELEASE scratch")


def check(vault: Vault) -> None:
    assert kept(vault) + kept_starts(vault) == from_scratch(vault)
    assert kept(vault) == in_one_statement(vault)


@st.composite
def entry(draw: Any, clients: list[str], encounters: list[str]) -> WorkEntry:
    return WorkEntry(
        kind=draw(st.sampled_from(list(WorkKind))), date=draw(days), start=draw(starts),
        minutes=draw(st.sampled_from([1, 30, 90, 600, 1440])),
        client=draw(st.none() | st.sampled_from(clients)),
        channel=draw(st.sampled_from(list(Channel))),
        party_kind=draw(st.none() | st.sampled_from(list(PartyKind))),
        encounter=draw(st.none() | st.sampled_from(encounters + ["f" * 32])))


@settings(max_examples=40, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(data=st.data())
def test_kept_pieces_equal_pieces_from_scratch(data: Any,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(current, "SNAPSHOT_MIN_RECORDS", 0)  # a cache even for a few records
    clients = [Client(name=f"Asiakas {i}", started=data.draw(st.none() | days))
               for i in range(2)]
    cids = [c.id for c in clients]
    encounters = [Encounter(client=data.draw(st.sampled_from(cids)), date=data.draw(days),
                            start=data.draw(starts), minutes=data.draw(st.sampled_from(
                                [0, 45, 200, 1400])),
                            place=data.draw(st.sampled_from(list(Place))))
                  for _ in range(data.draw(st.integers(1, 4)))]
    eids = [e.id for e in encounters]
    entries = data.draw(st.lists(entry(cids, eids), max_size=6))
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "v.vault"
        vault, _code = Vault.create(path, PASS, kdf=KdfParams.fast_for_tests())
        try:
            vault.save_many([*clients, *encounters, *entries])
            check(vault)
            live = {r.id: r for r in [*encounters, *entries]}
            for round_ in range(3):
                for _ in range(data.draw(st.integers(1, 5))):
                    action = data.draw(st.sampled_from(
                        ["new", "edit", "delete", "merge", "encounter", "client"]))
                    if action == "client":  # the relationship's own start set or cleared
                        i = data.draw(st.integers(0, len(clients) - 1))
                        clients[i] = clients[i].replace(started=data.draw(st.none() | days))
                        vault.save(clients[i])
                        check(vault)
                        continue
                    ids = list(live)  # in the order drawn (ids are random)
                    if action == "new" or not ids:
                        e = data.draw(entry(cids, eids))
                        vault.save(e)
                        live[e.id] = e
                        continue
                    rec = live[data.draw(st.sampled_from(ids))]
                    if action == "delete":
                        vault.delete(rec.id)
                        del live[rec.id]
                    elif action == "encounter" and isinstance(rec, Encounter):
                        rec = rec.replace(client=data.draw(st.sampled_from(cids)),
                                          minutes=data.draw(st.sampled_from([0, 30, 700])),
                                          date=data.draw(days), start=data.draw(starts))
                        vault.save(rec)
                        live[rec.id] = rec
                    elif isinstance(rec, WorkEntry):
                        new = rec.replace(
                            client=data.draw(st.none() | st.sampled_from(cids)),
                            encounter=data.draw(st.none() | st.sampled_from(eids)),
                            minutes=data.draw(st.sampled_from([5, 120, 1439])),
                            start=data.draw(starts), date=data.draw(days))
                        if action == "merge":  # a revision from elsewhere, as sync stores it
                            head = vault._current._store.heads(rec.id)[0]
                            rev = vault._records._revision(rec.id, rec.KIND, head.key_id,
                                                           (head.rev_id,), new)
                            vault._current._store.insert_revisions([rev], outbox=False)
                            vault._current.refresh([rec.id])
                        else:
                            vault.save(new)
                        live[rec.id] = new
                    check(vault)
                if round_ == 1:  # a few changes behind the cache: replayed on unlock
                    vault.lock()
                    vault = Vault.unlock(path, PASS)
                    assert vault.snapshot_seq >= 0
                    check(vault)
                    e = data.draw(entry(cids, eids))
                    vault.save(e)
                    live[e.id] = e
                vault.lock()
                vault = Vault.unlock(path, PASS)
                assert vault.snapshot_seq >= 0  # from the cache
                check(vault)
        finally:
            vault.lock()


def test_the_check_sees_a_missing_or_stale_piece(vault: Vault) -> None:
    """The comparison above fails when a piece is missing, left behind or wrong."""
    c = Client(name="Asiakas")
    enc = Encounter(client=c.id, date=DAY, start=dt.time(23, 0), minutes=120)
    vault.save_many([c, enc])
    check(vault)
    assert kept_starts(vault) == [(c.id, DAY.isoformat())]
    assert [(d, m, lead) for d, _k, _h, _p, _s, _c, m, lead, _a in kept(vault)] == [
        (DAY.isoformat(), 60, 1), ((DAY + dt.timedelta(days=1)).isoformat(), 60, 0)]
    db = vault._current.ws.db
    for change in ("DELETE FROM pieces WHERE lead = 0", "UPDATE pieces SET m = m + 1",
                   "INSERT INTO pieces VALUES ('2026-01-01', 'visible', 'phone', '', 999, "
                   "NULL, 5, 1, '')", "UPDATE starts SET day = '2020-01-01'",
                   "DELETE FROM starts"):
        db.execute("SAVEPOINT probe")
        db.execute(change)
        assert kept(vault) + kept_starts(vault) != from_scratch(vault), change
        db.execute("ROLLBACK TO probe")
        db.execute("RELEASE probe")
    # a work entry naming the encounter accounts for it: its pieces replace the encounter's
    w = WorkEntry(kind=WorkKind.VISIBLE, date=DAY, minutes=30, client=c.id,
                  channel=Channel.MEETING, encounter=enc.id)
    vault.save(w)
    assert [p[6] for p in kept(vault)] == [30]
    vault.delete(w.id)
    assert [p[6] for p in kept(vault)] == [60, 60]
    check(vault)


@pytest.mark.parametrize("layout", [13, 14, 15])
def test_older_cache_gets_its_pieces_in_place(vault: Vault, vault_path: Path, layout: int,
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    """UPGRADABLE as shipped: a cache without the pieces table (13) or with its first form
    (14), or without the relationship starts (13-15) is used, not rebuilt from the
    revisions, and its pieces and starts are computed again from the rows it holds."""
    monkeypatch.setattr(current, "SNAPSHOT_MIN_RECORDS", 1)
    c = Client(name="Asiakas")
    enc = Encounter(client=c.id, date=DAY, start=dt.time(23, 30), minutes=60)
    vault.save_many([c, enc, WorkEntry(kind=WorkKind.BACKGROUND, date=DAY, minutes=20,
                                       client=c.id, channel=Channel.PHONE)])
    want = kept(vault)
    assert len(want) == 3
    ws = vault._current.ws
    want_starts = kept_starts(vault)
    assert want_starts == [(c.id, DAY.isoformat())]
    dropped = "DROP TABLE wk.starts; " + ("" if layout == 15 else "DROP TABLE wk.pieces; ")
    ws.db.executescript(AS_LAYOUT_16 + dropped + (
        "" if layout in (13, 15) else "CREATE TABLE wk.pieces (day TEXT NOT NULL, src INTEGER "
        "NOT NULL, client TEXT, m INTEGER, kind TEXT, channel TEXT, party_kind TEXT, lead "
        "INTEGER NOT NULL, author TEXT NOT NULL, PRIMARY KEY (day, src)) WITHOUT ROWID; "
        "INSERT INTO wk.pieces VALUES ('2026-01-01', 1, NULL, 5, 'visible', 'phone', NULL, "
        "1, '');") + f"PRAGMA main.user_version = {layout};")
    ws.upgraded = True  # force the cache to be written, as that layout
    vault.lock()
    v = Vault.unlock(vault_path, PASS)
    try:
        assert v.snapshot_seq >= 0 and v._current.ws.upgraded  # the cache, upgraded
        assert kept(v) == want and kept_starts(v) == want_starts
    finally:
        v.lock()
