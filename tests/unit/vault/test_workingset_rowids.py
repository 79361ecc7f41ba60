"""The rowids waiting for the note index's second pass, kept as a bitmap
(counsel.vault.workingset_rowids): the same answers as a set, without an int object per
rowid."""

from __future__ import annotations

import itertools
import sys

from hypothesis import given, settings
from hypothesis import strategies as st

from counsel.vault.workingset import WorkingSet
from counsel.vault.workingset_rowids import RowidSet

ROWID = st.integers(min_value=0, max_value=5000)


@settings(max_examples=200, deadline=None)
@given(ops=st.lists(st.tuples(st.sampled_from(["add", "update", "discard", "difference",
                                                "take", "clear"]),
                              st.lists(ROWID, max_size=40)), max_size=40))
def test_answers_as_a_set_does(ops: list[tuple[str, list[int]]]) -> None:
    bits, plain = RowidSet(), set[int]()
    for op, rowids in ops:
        if op == "add":
            for r in rowids:
                bits.add(r)
                plain.add(r)
        elif op == "update":
            bits.update(rowids)
            plain.update(rowids)
        elif op == "discard":
            for r in rowids:
                bits.discard(r)
                plain.discard(r)
        elif op == "difference":
            bits.difference_update(iter(rowids))
            plain.difference_update(rowids)
        elif op == "take":  # what the second pass does: the first few, then those go
            first = list(itertools.islice(bits, len(rowids)))
            assert first == sorted(plain)[:len(rowids)]
            bits.difference_update(first)
            plain.difference_update(first)
        else:
            bits.clear()
            plain.clear()
        assert len(bits) == len(plain)
        assert bool(bits) == bool(plain)
        assert list(bits) == sorted(plain)
        assert all(r in bits for r in plain)
        assert not any(r in bits for r in set(rowids) - plain)
    assert -1 not in bits and "1" not in bits


def test_a_hundred_thousand_rowids_take_a_bit_each() -> None:
    """A set of the large demo vault's 100k encounters is 100k int objects and a 4 MB
    table, kept while the pass runs; a bitmap is 40 KB and none."""
    waiting = RowidSet(range(1, 320_000, 3))
    assert len(waiting) == len(range(1, 320_000, 3))
    assert sys.getsizeof(waiting._bits) < 50_000
    waiting.difference_update(range(0, 320_000))
    assert not waiting and sys.getsizeof(waiting._bits) < 100


def test_the_working_set_keeps_its_waiting_notes_so() -> None:
    ws = WorkingSet()
    assert isinstance(ws.unindexed, RowidSet)
    ws.close()
