"""An audit entry's stored detail shown as translated, readable text."""

from __future__ import annotations

import pytest

from counsel.i18n import set_language
from counsel.records.auditdetail import detail_text

#: What the app and the CLI store (see their ``vault.audit.record`` calls).
STORED = [
    "pdf large_print", "pdf standard ar", "pdf card_A6 fi", "pdf appointment card fi",
    "pdf review sheet", "pdf timeline so", "csv report by client", "pdf report",
    "csv manager", "csv time report by week", "pdf indicators", "json plans (3)",
    "csv audit trail (12)", "csv retention due (2)", "subject-access: pdf+json",
    "backup 3 to home.counsel-backup", "kela plan", "schedules client=5 plan=1",
    "retention: 4", "deleted", "deleted (conflict)", "conflict resolved",
    "legal hold placed", "legal hold released", "appointment card",
]


def test_english_is_readable_words_not_tokens() -> None:
    set_language("en")
    assert detail_text("pdf large_print") == "plan in large print (PDF)"
    assert detail_text("pdf standard ar") == "plan (PDF, Arabic)"
    assert detail_text("csv report by client") == "time report by client (CSV)"
    assert detail_text("csv time report by client") == "time report by client (CSV)"
    assert detail_text("json plans (1)") == "1 plan (JSON)"
    assert detail_text("kela plan") == "Integration or employment plan shared with: Kela"
    for stored in STORED:
        text = detail_text(stored)
        assert "_" not in text and text != "" and not text.startswith(("pdf ", "csv ")), stored


@pytest.mark.parametrize("lang", ["fi", "ar", "sv"])
def test_every_stored_shape_is_translated(lang: str) -> None:
    set_language("en")
    english = {s: detail_text(s) for s in STORED}
    set_language(lang)
    for stored in STORED:
        assert detail_text(stored) != english[stored], (lang, stored)
    assert "Arabic" not in detail_text("pdf standard ar")


@pytest.mark.parametrize("stored", ["card", "bench 7", "first", "nobody plan", "kela diary",
                                    "pdf poster", "schedules client=x", ""])
def test_an_unknown_shape_is_shown_as_stored(stored: str) -> None:
    set_language("fi")
    assert detail_text(stored) == stored
