"""The counsellor's interface catalogs: the template is current and fi, sv, ar are complete."""

from __future__ import annotations

from pathlib import Path

import pytest

from counsel.i18n.tools import check, coverage

ROOT = Path(__file__).resolve().parents[3]


def test_the_committed_interface_template_is_current() -> None:
    """Fails when a string is added to the code and `i18n_tools extract` was not run."""
    assert check("counsel", ROOT) == []


@pytest.mark.parametrize("lang", ["fi", "sv", "ar"])
def test_interface_language_is_complete(lang: str) -> None:
    done, total = coverage("counsel", ROOT)[lang]
    assert total > 300 and done == total, f"{lang}: {total - done} of {total} untranslated"
