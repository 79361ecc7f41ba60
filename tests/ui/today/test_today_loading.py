"""While Today is being worked out the page says so; it never says "Nothing due" then."""

from __future__ import annotations

import threading


def _top_texts(tree) -> list[str]:  # type: ignore[no-untyped-def]
    return [tree.topLevelItem(i).text(0) for i in range(tree.topLevelItemCount())]


def test_today_shows_loading_until_the_summary_arrives(qtbot, window, monkeypatch):
    from counsel_ui.common import ops
    from counsel_ui.today.page import TodayPage

    ops.wait_idle()
    session = window.session
    real = session.due_summary
    release = threading.Event()

    def slow() -> object:
        release.wait(10)
        return real()

    monkeypatch.setattr(session, "due_summary", slow)
    page = TodayPage(session)
    qtbot.addWidget(page)
    try:
        assert page.loading
        texts = _top_texts(page.tree)
        assert texts == ["Calculating what is due…"]
        assert not page.heading.text()
        qtbot.wait(50)  # the worker is waiting: still loading, still no empty sentence
        assert page.loading and "Nothing due. Well done." not in _top_texts(page.tree)
    finally:
        release.set()
    qtbot.waitUntil(lambda: not page.loading)
    assert page.heading.text()
    assert "Calculating what is due…" not in _top_texts(page.tree)
    assert any(t.startswith(("Overdue", "Due today", "Coming up")) for t in _top_texts(page.tree))
