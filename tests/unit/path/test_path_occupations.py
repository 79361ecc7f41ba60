"""Occupation titles (ISCO-08 data): every listed code has a title in every interface
language, Arabic in Arabic script; a unit group not on the list shows its group's title
in the asked language."""

from __future__ import annotations

import unicodedata

import pytest

from counsel.i18n import UI_LANGUAGES
from counsel.path import occupations


def _arabic_letters(text: str) -> bool:
    letters = [c for c in text if c.isalpha()]
    return bool(letters) and all("ARABIC" in unicodedata.name(c, "") for c in letters)


@pytest.mark.parametrize("lang", UI_LANGUAGES)
def test_every_code_has_a_title_in_every_interface_language(lang: str) -> None:
    english = {c: occupations.title(c, "en") for c in occupations.codes()}
    for code in occupations.codes():
        text = occupations.title(code, lang)
        assert text and text != code, (lang, code)
        if lang not in ("en",) and lang.split("_")[0] != "en":
            assert text != english[code], f"{code} in {lang} is the English title"


def test_arabic_titles_are_in_arabic_script() -> None:
    for code in occupations.codes():
        assert _arabic_letters(occupations.title(code, "ar")), code
    assert occupations.title("5120", "ar") == "الطهاة"


def test_an_unlisted_unit_shows_its_groups_title_in_the_language() -> None:
    # 5129 is not listed; its sub-major group 51 is
    text = occupations.title("5129", "ar")
    assert text.startswith("5129 (") and _arabic_letters(text[6:-1])
