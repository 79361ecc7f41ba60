"""Three-way merge: properties (Hypothesis) and examples. Pure: no vault, no server."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from counsel.sync.merge import merge3_text, merge_records, merge_rev_id

lines = st.lists(st.sampled_from(["a\n", "b\n", "c\n", "d\n", "e\n"]), max_size=8)


@settings(max_examples=200)
@given(lines, lines, lines)
def test_merge3_is_symmetric_and_respects_one_sided_changes(o: list[str], a: list[str],
                                                            b: list[str]) -> None:
    base, ours, theirs = "".join(o), "".join(a), "".join(b)
    assert merge3_text(base, ours, theirs) == merge3_text(base, theirs, ours)
    assert merge3_text(base, ours, base) == ours
    assert merge3_text(base, base, theirs) == theirs
    assert merge3_text(base, ours, ours) == ours


@settings(max_examples=200)
@given(st.lists(st.text("xyz", min_size=1, max_size=3), min_size=2, max_size=8, unique=True),
       st.data())
def test_merge3_keeps_lines_both_sides_added_in_different_places(base_lines: list[str],
                                                                 data: st.DataObject) -> None:
    base = [f"{x}\n" for x in base_lines]
    i = data.draw(st.integers(0, len(base) - 1))
    j = data.draw(st.integers(i + 1, len(base)))
    ours = base[:i] + ["OURS\n"] + base[i:]
    theirs = base[:j] + ["THEIRS\n"] + base[j:]
    merged = merge3_text("".join(base), "".join(ours), "".join(theirs))
    assert merged is not None
    out = merged.splitlines(keepends=True)
    assert out.count("OURS\n") == 1 and out.count("THEIRS\n") == 1
    assert [x for x in out if x not in ("OURS\n", "THEIRS\n")] == base
    assert out.index("OURS\n") < out.index("THEIRS\n")


def test_same_lines_changed_differently_is_a_conflict() -> None:
    assert merge3_text("a\nb\nc\n", "a\nB1\nc\n", "a\nB2\nc\n") is None
    assert merge3_text("a\nb\nc\n", "A\nb\nc\n", "a\nb\nC\n") == "A\nb\nC\n"


def test_fields_merge_and_conflict() -> None:
    base = {"id": "x", "name": "N", "phone": "1", "notes": "l1\nl2\n"}
    ours = {**base, "phone": "2", "notes": "l0\nl1\nl2\n"}
    theirs = {**base, "name": "M", "notes": "l1\nl2\nl3\n"}
    r = merge_records(base, [ours, theirs])
    assert r.clean and r.merged == {"id": "x", "name": "M", "phone": "2",
                                    "notes": "l0\nl1\nl2\nl3\n"}
    r = merge_records(base, [{**base, "phone": "2"}, {**base, "phone": "3"}])
    (c,) = r.conflicts
    assert (c.name, c.base, c.ours, c.theirs) == ("phone", "1", "2", ("3",))


def test_edit_beats_delete_and_double_delete_stays_deleted() -> None:
    base = {"id": "x", "name": "N"}
    r = merge_records(base, [None, {**base, "name": "M"}])
    assert r.merged == {"id": "x", "name": "M"} and r.restored and r.clean
    assert merge_records(base, [None, None]).merged is None


def test_merge_rev_id_ignores_parent_order_but_not_content() -> None:
    a = merge_rev_id("rec", "contact", ["p1", "p2"], {"x": 1})
    assert a == merge_rev_id("rec", "contact", ["p2", "p1"], {"x": 1})
    assert a != merge_rev_id("rec", "contact", ["p1", "p2"], {"x": 2})
    assert len(a) == 32


def test_a_field_missing_from_the_base_is_a_change_not_a_crash() -> None:
    from counsel.sync.merge import MISSING, merge_field

    assert merge_field("name", MISSING, ["a", "a"]) == ("a", None)
    value, conflict = merge_field("name", MISSING, ["a", "b"])
    assert conflict is not None and set(conflict.values) == {"a", "b"}
