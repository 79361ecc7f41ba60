"""Same-name clients told apart by birth date: client list and quick log (item 5)."""

from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtWidgets import QApplication

from counsel.domain import Client
from counsel.i18n import set_language
from counsel_ui.timekeeping.quick_log import QuickLogDialog


@pytest.mark.parametrize(("lang", "first", "second"), [
    ("en", "3/4/1990", "11/30/1985"),
    ("fi", "4.3.1990", "30.11.1985"),
    ("ar", "4\u200f/3\u200f/1990", "30\u200f/11\u200f/1985"),
])
def test_birth_dates_in_the_list_and_the_quick_log_picker(qtbot, window, lang, first, second):
    """Written in the interface language's format in both (not ISO), like the permit date."""
    set_language(lang)
    try:
        _check(qtbot, window, first, second)
    finally:
        set_language("en")


def _check(qtbot, window, first: str, second: str) -> None:
    twins = [Client(name="Sahra Warsame", birth_date=dt.date(1990, 3, 4)),
             Client(name="Sahra Warsame", birth_date=dt.date(1985, 11, 30))]
    window.session.vault.save_many(twins)
    window.session.changed.emit(frozenset({"client"}))
    window.workspace.show_page("clients")
    page = window.workspace.page("clients")
    page.list.search.setText("sahra")
    m = page.list.model
    qtbot.waitUntil(lambda: m.rowCount() == 2)
    born = next(i for i, c in enumerate(m.columns) if c[0] == "Born")
    qtbot.waitUntil(lambda: {m.data(m.index(r, born)) for r in range(2)}
                    == {f"\u2068{first}\u2069", f"\u2068{second}\u2069"})
    window.workspace.quick_log("")
    dlg = next(w for w in QApplication.topLevelWidgets()
               if isinstance(w, QuickLogDialog) and w.isVisible())
    qtbot.waitUntil(lambda: dlg.ready)
    labels = [dlg.client.itemText(i) for i in range(dlg.client.count())]
    assert any(f"\u2068{first}\u2069" in t for t in labels), labels
    assert any(f"\u2068{second}\u2069" in t for t in labels), labels
    dlg.reject()
