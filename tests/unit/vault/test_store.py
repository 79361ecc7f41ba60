"""``Store.insert_revisions(fresh=True)`` writes revisions, heads and outbox table by table;
it must leave the same rows, return the same records and tell the observer the same as the
revision-by-revision way (``fresh=False`` takes it)."""

from __future__ import annotations

from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from counsel.vault.store import Store, StoredRevision

RECORDS = [f"record{i:04d}" for i in range(5)]


def _rev(n: int, record: str, parents: tuple[str, ...], envelope: bytes) -> StoredRevision:
    return StoredRevision(rev_id=f"rev{n:06d}", record_id=record, parents=parents,
                          kind="encounter", key_id="vault", device_id="dev", envelope=envelope,
                          counter=n, prev="")


def _tables(st_: Store) -> dict[str, list[Any]]:
    return {t: sorted(st_.conn.execute(f"SELECT * FROM {t}").fetchall())
            for t in ("revisions", "heads", "outbox")}


@settings(max_examples=150, deadline=None)
@given(data=st.data())
def test_fresh_batch_equals_one_by_one(data: Any) -> None:
    stores = [Store.memory(), Store.memory()]
    seen: list[list[Any]] = [[], []]
    for i, s in enumerate(stores):
        s.observer = lambda c, ins, add, rem, i=i: seen[i].append(
            ([r.rev_id for r in ins], list(add), list(rem)))
    # what is stored already: a few records with one or two heads
    n, before = 0, []
    for record in data.draw(st.lists(st.sampled_from(RECORDS), max_size=6)):
        n += 1
        before.append(_rev(n, record, (), b"x"))
    queued = data.draw(st.booleans())
    for s in stores:
        s.insert_revisions(before, outbox=queued)
    heads = {r.record_id: r.rev_id for r in before}
    batch = []
    for record in data.draw(st.lists(st.sampled_from(RECORDS), max_size=8)):
        n += 1
        parents = (heads[record],) if record in heads and data.draw(st.booleans()) else ()
        erased = data.draw(st.integers(0, 5)) == 0
        batch.append(_rev(n, record, parents, b"" if erased else b"sealed"))
    outbox = data.draw(st.booleans())
    touched_many = stores[0].insert_revisions(batch, outbox=outbox, fresh=True)
    touched_one = stores[1].insert_revisions(batch, outbox=outbox, fresh=False)
    assert touched_many == touched_one
    assert _tables(stores[0]) == _tables(stores[1])
    assert seen[0] == seen[1]


def test_a_parent_in_the_same_batch_goes_one_by_one() -> None:
    """(the batched way assumes parents are stored already; a chain inside one batch is
    written revision by revision, so the first one stops being a head)"""
    s = Store.memory()
    a = _rev(1, RECORDS[0], (), b"x")
    b = _rev(2, RECORDS[0], (a.rev_id,), b"y")
    s.insert_revisions([a, b], outbox=True, fresh=True)
    assert s.conn.execute("SELECT rev_id FROM heads").fetchall() == [(b.rev_id,)]


@settings(max_examples=50, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(RECORDS), st.booleans()), max_size=12))
def test_heads_of_many_equals_heads_of_each(plan: list[tuple[str, bool]]) -> None:
    s = Store.memory()
    for n, (record, sibling) in enumerate(plan, start=1):
        heads = s.heads(record)
        # a child of the newest head, or (sibling) a second leaf beside it: a conflict
        parents = () if not heads or sibling else (heads[-1].rev_id,)
        s.insert_revisions([_rev(n, record, parents, b"x")], outbox=False)
    many = s.heads_of([*RECORDS, "no-such-record"])
    assert many == {r: s.heads(r) for r in RECORDS if s.heads(r)}
