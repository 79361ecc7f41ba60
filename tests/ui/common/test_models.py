"""Table models, without widgets or a QApplication."""

import datetime as dt

from PySide6.QtCore import Qt

from counsel.domain import Contact, PartyKind
from counsel.vault.views import ClientSummary
from counsel_ui.common.models import ID_ROLE, ClientTableModel, ContactTableModel


def _summary(i: int, **kw) -> ClientSummary:
    base = dict(id=f"{i:032x}", name=f"Client {i}", preferred_name="", mother_tongue="ar",
                languages=("ar", "fi"), municipality="Espoo", client_type="employment",
                interpreter_needed=False, active=True, permit_date=dt.date(2025, 3, 4),
                conflict=False)
    base.update(kw)
    return ClientSummary(**base)


def test_client_model_rows_columns_and_ids():
    m = ClientTableModel([_summary(1), _summary(2, preferred_name="Sam", interpreter_needed=True)])
    assert m.rowCount() == 2
    assert m.columnCount() == len(ClientTableModel.columns)
    assert m.data(m.index(1, 0)) == "Client 2 (Sam)"
    assert m.data(m.index(0, 0), ID_ROLE) == f"{1:032x}"
    assert m.data(m.index(1, 5)) == "yes" and m.data(m.index(0, 5)) == ""
    assert "Arabic" in m.data(m.index(0, 2)) and "Finnish" in m.data(m.index(0, 2))
    m.birth = {f"{2:032x}": dt.date(1990, 3, 4)}
    assert m.data(m.index(1, 1)) == "1990-03-04" and m.data(m.index(0, 1)) == ""
    assert m.headerData(0, Qt.Orientation.Horizontal) == "Name"
    assert m.data(m.index(5, 0)) is None


def test_client_model_reset_replaces_rows():
    m = ClientTableModel([_summary(1)])
    m.set_rows([_summary(i) for i in range(10)])
    assert m.rowCount() == 10
    m.set_rows([])
    assert m.rowCount() == 0


def test_contact_model_shows_kind_label():
    m = ContactTableModel([Contact(name="Kela", party_kind=PartyKind.KELA, organisation="Kela")])
    assert m.data(m.index(0, 1)) == "Kela"
    assert m.data(m.index(0, 0)) == "Kela"
