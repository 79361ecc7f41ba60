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
