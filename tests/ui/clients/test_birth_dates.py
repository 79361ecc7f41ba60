"""Same-name clients told apart by birth date: client list and quick log (item 5)."""

from __future__ import annotations

import datetime as dt

from PySide6.QtWidgets import QApplication

from counsel.domain import Client
from counsel_ui.timekeeping.quick_log import QuickLogDialog


def test_birth_dates_in_the_list_and_the_quick_log_picker(qtbot, window):
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
                    == {"1990-03-04", "1985-11-30"})
    window.workspace.quick_log("")
    dlg = next(w for w in QApplication.topLevelWidgets()
               if isinstance(w, QuickLogDialog) and w.isVisible())
    qtbot.waitUntil(lambda: dlg.ready)
    labels = [dlg.client.itemText(i) for i in range(dlg.client.count())]
    assert any("1990-03-04" in t for t in labels) and any("1985-11-30" in t for t in labels)
    dlg.reject()
