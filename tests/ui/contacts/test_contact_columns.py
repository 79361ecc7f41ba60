"""Contacts and client lists show whole names, languages and e-mail (issue 14 item 5)."""

from __future__ import annotations

from PySide6.QtGui import QFontMetrics

from counsel.domain import Client, Contact, LanguageSkill, PartyKind
from counsel_ui.common.models import ClientTableModel, ContactTableModel


def _fits(table, col: int, text: str) -> bool:  # type: ignore[no-untyped-def]
    return table.columnWidth(col) >= QFontMetrics(table.font()).horizontalAdvance(text)


def _in_sight(table, col: int) -> bool:  # type: ignore[no-untyped-def]
    return (not table.isColumnHidden(col) and table.columnViewportPosition(col) >= 0
            and table.columnViewportPosition(col) + table.columnWidth(col)
            <= table.viewport().width() + 1)


def test_contact_names_whole_and_email_in_sight(qtbot, window):
    window.resize(1100, 720)
    window.session.vault.save_many([Contact(
        name="Anne Hämäläinen", organisation="Turku Kela", party_kind=PartyKind.KELA,
        role="etuuskäsittelijä", phone="+358 40 123 4567",
        email="anne.hamalainen@kela.example.fi")])
    window.workspace.show_page("contacts")
    page = window.workspace.page("contacts")
    page.refresh()
    qtbot.wait(50)
    email = next(i for i, c in enumerate(ContactTableModel.columns) if c[0] == "Email")
    assert _fits(page.table, 0, "Anne Hämäläinen")
    assert _in_sight(page.table, email)


def test_languages_column_gets_the_room_not_permit(qtbot, window):
    window.resize(1100, 720)
    window.session.vault.save_many([Client(name="Farid Ahmadi", municipality="Espoo", languages=(
        LanguageSkill("fa_AF", mother_tongue=True), LanguageSkill("ps")))])
    window.workspace.show_page("clients")
    page = window.workspace.page("clients")
    qtbot.waitUntil(lambda: page.list.model.rowCount() >= 3)
    table = page.list.table
    model = page.list.model
    langs = max((model.data(model.index(r, 2)) or "" for r in range(model.rowCount())), key=len)
    # no team: no empty "Shared with" column taking the languages' room
    from counsel_ui.clients.page import SHARED_COLUMN
    assert table.isColumnHidden(SHARED_COLUMN)
    assert _fits(table, 2, langs)
    permit = next(i for i, c in enumerate(ClientTableModel.columns) if c[0] == "Permit")
    assert table.columnWidth(permit) < table.columnWidth(2)
    # the short date column is as wide as its content, the room went to the languages
    content = max(table.sizeHintForColumn(permit),
                  table.horizontalHeader().sectionSizeHint(permit))
    assert table.columnWidth(permit) <= content + 2
