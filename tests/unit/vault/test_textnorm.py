"""The Latin-1 fast path of ``textnorm.normalize`` gives what the full normalisation gives."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from counsel.vault import textnorm

# Latin-1 (the fast path) with the characters that are not one Latin-1 character after
# normalising mixed in, plus a few from elsewhere (they take the full path)
_ALPHABET = st.one_of(
    st.characters(min_codepoint=0, max_codepoint=255),
    st.sampled_from(["ß", "½", "µ", "ǅ", "\u0308", "أ", "ـ", "ሰ", "ё", "\u200c", "ﬁ"]),
)


@settings(max_examples=400, deadline=None)
@given(st.text(alphabet=_ALPHABET, max_size=60))
def test_normalize_is_the_full_normalisation(text: str) -> None:
    assert textnorm.normalize(text) == textnorm._normalize_full(text)


def test_every_latin1_character_alone() -> None:
    for b in range(256):
        ch = chr(b)
        assert textnorm.normalize(ch * 3 + "é") == textnorm._normalize_full(ch * 3 + "é"), b


def test_finnish_and_swedish_fold_as_before() -> None:
    assert textnorm.normalize("Työnhaku ÅÄÖ Straße ½") == "tyonhaku aao strasse 1⁄2"
