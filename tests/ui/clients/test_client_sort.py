"""The client list sorts by the column whose header is clicked (by the column's value: a
date as a date), again the other way, a third time as listed; remembered on this computer."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QPoint, Qt

from counsel import paths
from counsel.app.prefs import load_sort
from counsel.domain import Client

BORN = [dt.date(1990, 3, 4), dt.date(1985, 11, 30), dt.date(2001, 1, 9), dt.date(1979, 12, 2)]
NAMES = ["Öberg Sara", "Ali Omar", "Zahra Noor", "Berhane Tesfay"]


def _click(qtbot, table, column: int) -> None:  # type: ignore[no-untyped-def]
    header = table.horizontalHeader()
    x = header.sectionViewportPosition(column) + header.sectionSize(column) // 2
    qtbot.mouseClick(header.viewport(), Qt.MouseButton.LeftButton,
                     pos=QPoint(x, header.height() // 2))


def _names(model) -> list[str]:  # type: ignore[no-untyped-def]
    return [model.row_value(r).name for r in range(model.rowCount())]


def test_sort_by_clicking_headers_and_remember_it(qtbot, window) -> None:  # type: ignore[no-untyped-def]
    window.session.vault.save_many([Client(name=n, birth_date=b, municipality="Sortby")
                                    for n, b in zip(NAMES, BORN, strict=True)])
    window.session.changed.emit(frozenset({"client"}))
    window.workspace.show_page("clients")
    clients = window.workspace.page("clients").list
    clients.search.setText("Sortby")
    m = clients.model
    qtbot.waitUntil(lambda: m.rowCount() == 4 and bool(m.birth))
    listed = _names(m)
    titles = [t for t, _g in m.columns]
    born = titles.index("Born")

    header = clients.table.horizontalHeader()
    assert not header.isSortIndicatorShown()  # no arrow (and no room kept for it) unsorted
    _click(qtbot, clients.table, born)
    assert header.isSortIndicatorShown()
    assert header.sectionSize(born) >= header.sectionSizeHint(born)  # the arrow fits
    by_birth = [n for _b, n in sorted(zip(BORN, NAMES, strict=True))]
    assert _names(m) == by_birth  # 1979 … 2001, not "11/30/1985" < "12/2/1979" as text
    assert load_sort(paths.config_dir(), "clients") == ("Born", False)
    _click(qtbot, clients.table, born)
    assert _names(m) == by_birth[::-1]
    assert load_sort(paths.config_dir(), "clients") == ("Born", True)

    _click(qtbot, clients.table, titles.index("Name"))
    assert _names(m) == ["Ali Omar", "Berhane Tesfay", "Öberg Sara", "Zahra Noor"] or \
        _names(m) == ["Ali Omar", "Berhane Tesfay", "Zahra Noor", "Öberg Sara"]  # by locale
    # the selection follows its row when the order changes
    clients.table.selectRow(0)
    chosen = m.row_value(0).id
    _click(qtbot, clients.table, titles.index("Name"))  # descending
    assert m.row_value(clients.table.currentIndex().row()).id == chosen
    _click(qtbot, clients.table, titles.index("Name"))  # third click: as listed
    assert _names(m) == listed
    assert not header.isSortIndicatorShown()
    assert load_sort(paths.config_dir(), "clients") is None

    _click(qtbot, clients.table, born)
    _click(qtbot, clients.table, born)
    # a new list (the next start) comes up sorted as it was left
    from counsel_ui.clients.page import ClientList

    again = ClientList(window.session)
    qtbot.addWidget(again)
    again.search.setText("Sortby")
    qtbot.waitUntil(lambda: again.model.rowCount() == 4 and bool(again.model.birth))
    header = again.table.horizontalHeader()
    assert (header.sortIndicatorSection(), header.sortIndicatorOrder()) == (
        born, Qt.SortOrder.DescendingOrder)
    assert header.isSortIndicatorShown()
    qtbot.waitUntil(lambda: _names(again.model) == by_birth[::-1])
