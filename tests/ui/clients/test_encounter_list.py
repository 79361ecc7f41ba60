"""The client's encounter list tells what each encounter was about and what is open."""

from __future__ import annotations

from counsel_ui.common.models import ID_ROLE


def test_encounter_list_shows_a_summary_and_open_actions(qtbot, window):
    window.workspace.open_client("a" * 32)
    view = window.workspace.page("clients").view
    qtbot.waitUntil(lambda: view.timeline.count() > 0 and bool(view.timeline.item(0).data(ID_ROLE)))
    text = view.timeline.item(0).text()
    assert "Haluaa töihin kauppaan." in text  # the situation, as written
    assert "Hakee työkokeilupaikkaa" in text and "Amina" in text  # the open action


def test_arabic_list_keeps_finnish_lines_and_dates_readable(qtbot, window):
    # in the Arabic interface a Finnish summary showed its "…" at the start, and an open
    # action's "(ohjaaja · 25/12/2026)" came apart into ")2026/12/ohjaaja · 25("
    import datetime as dt

    from bidi import get_display
    from PySide6.QtWidgets import QApplication

    from counsel.domain import AgreedAction, Encounter
    from counsel.i18n import display
    from counsel_ui.common.i18n import apply_language

    def seen(text: str) -> str:
        shown = get_display(text, base_dir="R")
        return "".join(c for c in shown
                       if c not in "\u2066\u2067\u2068\u2069\u200e\u200f").strip()

    due = dt.date(2026, 12, 25)
    situation = "Asiakas kertoo, että asunto on liian pieni ja meluisa opiskeluun. " * 3
    window.session.vault.save_many([Encounter(
        client="a" * 32, date=dt.date.today() + dt.timedelta(days=1), situation=situation,
        actions=(AgreedAction("Ilmoittautuu YKI-testiin", who="ohjaaja", due=due),))])
    app = QApplication.instance()
    try:
        apply_language(app, "ar")
        window.switch_language("ar")
        window.workspace.open_client("a" * 32)
        view = window.workspace.page("clients").view
        qtbot.waitUntil(lambda: view.timeline.count() > 0
                        and "YKI" in view.timeline.item(0).text())
        lines = view.timeline.item(0).text().splitlines()
        summary = next(ln for ln in lines if "Asiakas" in ln)
        assert seen(summary).startswith("Asiakas kertoo") and seen(summary).endswith("…")
        action = seen(next(ln for ln in lines if "YKI" in ln))
        day = seen(display.date(due))  # as the date reads anywhere else on the screen
        assert f"{day} · ohjaaja" in action and "Ilmoittautuu YKI-testiin" in action, action
    finally:
        window.switch_language("en")
        apply_language(app, "en")
