"""``WorkingSet.put_many`` (a save of many records) gives the rows one ``put`` per record
gives: same rowids, columns and full-text entries, for new and replaced records."""

from __future__ import annotations

from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st
from wshelp import DAY, caseload, dump, every_kind

from counsel.domain import Client, Encounter, Plan, WorkEntry
from counsel.vault.workingset import WorkingSet


def _apply(ws: WorkingSet, items: list[tuple[str, str, str, Any, Any]], *, many: bool) -> None:
    ws.begin()
    if many:
        ws.put_many(items)
    else:
        for record_id, kind, rev_id, record, old in items:
            ws.put(record_id=record_id, kind=kind, rev_id=rev_id, record=record, old=old)
    ws.commit()


def _changed(rec: Any) -> Any:
    if isinstance(rec, Encounter):
        return rec.replace(notes="muokattu muistiinpano", minutes=rec.minutes // 2)
    if isinstance(rec, WorkEntry):
        return rec.replace(what="Soitto", minutes=7)
    if isinstance(rec, Plan):
        return rec.replace(goals="Uusi tavoite")
    return rec


@settings(max_examples=60, deadline=None)
@given(first=caseload(), data=st.data())
def test_put_many_equals_one_put_per_record(first: list[Any], data: Any) -> None:
    """A first save, then a second one mixing replaced records with new ones."""
    before = [(r.id, r.KIND, f"rev-a-{i}", r, None) for i, r in enumerate(first)]
    replace = data.draw(st.lists(st.sampled_from(first), unique_by=lambda r: r.id))
    added = [r for r in every_kind() if data.draw(st.booleans())]
    after = [(r.id, r.KIND, f"rev-b-{r.id}", _changed(r), r) for r in replace]
    after += [(r.id, r.KIND, f"rev-c-{r.id}", r, None) for r in added]
    order = data.draw(st.permutations(after))
    one, many = WorkingSet(), WorkingSet()
    for ws, is_many in ((one, False), (many, True)):
        _apply(ws, before, many=is_many)
        _apply(ws, list(order), many=is_many)
    assert dump(many) == dump(one)
    assert many.stale_deadlines == one.stale_deadlines


def test_sorts_never_spill_to_temporary_files() -> None:
    """A large sort (building an index after a bulk load, a year's GROUP BY) would otherwise
    write the working set's plaintext keys to SQLite's temporary files on disk; a working set
    loaded from the unlock cache gets the same connection settings."""
    ws = WorkingSet()
    assert ws.db.execute("PRAGMA temp_store").fetchone()[0] == 2  # MEMORY
    cached = WorkingSet.from_parts(ws.to_parts())
    assert cached.db.execute("PRAGMA temp_store").fetchone()[0] == 2


def test_rows_of_many_equals_row_of_each() -> None:
    ws = WorkingSet()
    recs = every_kind()
    _apply(ws, [(r.id, r.KIND, f"rev-{i}", r, None) for i, r in enumerate(recs)], many=True)
    ids = [r.id for r in recs] + ["0" * 32]
    assert ws.rows(ids) == {i: ws.row(i) for i in ids if ws.row(i) is not None}
    assert len(ws.rows(ids)) == len(recs)


def test_parts_sealed_while_closing_are_freed_smallest_first_and_load_back_whole() -> None:
    """At lock each attached part is detached once serialized, smallest first and ``main``
    last (sealing then needs the working set plus its smallest part); the parts so made
    load into the same working set as parts serialized while it stays open."""
    from counsel.vault.workingset import PARTS

    ws = WorkingSet()
    recs = every_kind()
    _apply(ws, [(r.id, r.KIND, f"rev-{i}", r, None) for i, r in enumerate(recs)], many=True)
    ws.db.execute("INSERT INTO encounters(rowid, client, obstacles) VALUES (999, 'x', ?)",
                  ("y" * 200_000,))  # enc the largest attached part
    size = {p: ws.db.execute(f"PRAGMA {p}.page_count").fetchone()[0] for p in PARTS}
    kept = dump(WorkingSet.from_parts((n, bytearray(d)) for n, d in ws.to_parts()))
    attached = []
    parts = []
    for name, data in ws.to_parts(release=True):
        attached.append([r[1] for r in ws.db.execute("PRAGMA database_list")])
        parts.append((name, bytearray(data)))
    assert [n for n, _d in parts][-1] == "main"
    assert [size[n] for n, _d in parts[:-1]] == sorted(size[p] for p in PARTS[1:])
    assert [n for n, _d in parts[:-1]] != list(PARTS[1:])  # (not simply PARTS' order)
    # each part was still there when it was serialized, and gone before the next
    assert [parts[i][0] in attached[i] for i in range(len(parts))] == [True] * len(parts)
    assert all(parts[i - 1][0] not in attached[i] for i in range(1, len(parts) - 1))
    assert dump(WorkingSet.from_parts(iter(parts))) == kept
    ws.close()


def test_a_bulk_load_lists_its_stale_clients_only_when_asked() -> None:
    """After a bulk load every client's deadlines are stale, but the ids are not read into
    Python until someone asks (ids kept from the rows as they went in sat among the load's
    short-lived objects and kept ~20 MB of Python's allocator); the answer is the same."""
    others = [Client(name=f"Asiakas {i}") for i in range(3)]
    recs = every_kind() + others + [Plan(client=others[0].id, made=DAY, goals="Kurssi"),
                                    Plan(client="b" * 32, made=DAY, goals="Ei asiakasta")]
    one = WorkingSet()
    _apply(one, [(r.id, r.KIND, f"rev-{i}", r, None) for i, r in enumerate(recs)], many=False)
    bulk = WorkingSet()
    bulk.drop_indexes()
    _apply(bulk, [(r.id, r.KIND, f"rev-{i}", r, None) for i, r in enumerate(recs)], many=True)
    assert bulk._stale == set()  # nothing kept while the rows go in
    bulk.create_indexes()
    assert bulk._stale == set()  # nor right after
    assert bulk.stale_deadlines == one.stale_deadlines != set()
    bulk.stale_deadlines.clear()  # (brought up to date) stays so
    assert bulk.stale_deadlines == set()


def test_each_part_keeps_a_small_page_cache() -> None:
    """An in-memory part's pages are all in memory already: SQLite's page cache of 2 MB per
    part was a second copy (a rebuild filled all five).  A part loaded from the unlock cache
    is attached anew, so it gets the setting again."""
    from counsel.vault.workingset import CACHE_KIB, PARTS

    ws = WorkingSet()
    _apply(ws, [(r.id, r.KIND, f"rev-{i}", r, None) for i, r in enumerate(every_kind())],
           many=True)
    for w in (ws, WorkingSet.from_parts(ws.to_parts())):
        assert [w.db.execute(f"PRAGMA {p}.cache_size").fetchone()[0] for p in PARTS] == \
            [-CACHE_KIB] * len(PARTS)
        assert CACHE_KIB < 2000


def test_parts_sealed_at_close_are_compacted_and_load_back_the_same() -> None:
    """Saves leave B-tree pages partly empty; a part sealed while the working set closes is
    rewritten full first (the next unlock loads less), with the same rows."""
    ws = WorkingSet()
    recs = every_kind()
    _apply(ws, [(r.id, r.KIND, f"rev-{i}", r, None) for i, r in enumerate(recs)], many=True)
    ws.db.executemany("INSERT INTO encounters(rowid, client, obstacles) VALUES (?, 'x', ?)",
                      [(1000 + i, "y" * (500 + i % 300)) for i in range(3000)])
    ws.db.execute("DELETE FROM encounters WHERE rowid >= 1000 AND rowid % 3 != 0")
    kept = [(n, bytes(d)) for n, d in ws.to_parts()]
    sealed = [(n, bytes(d)) for n, d in ws.to_parts(release=True)]
    size = dict((n, len(d)) for n, d in kept)
    assert {n: len(d) for n, d in sealed}["enc"] < size["enc"] * 0.6
    assert all(len(d) <= size[n] for n, d in sealed)
    assert dump(WorkingSet.from_parts(iter(sealed))) == dump(WorkingSet.from_parts(iter(kept)))

