"""Table models, without widgets or a QApplication."""

import datetime as dt

import pytest
from PySide6.QtCore import Qt

from counsel.domain import Contact, PartyKind
from counsel.i18n import set_language
from counsel.vault.views import ClientSummary
from counsel_ui.common.models import ID_ROLE, SORT_ROLE, ClientTableModel, ContactTableModel


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
    assert m.data(m.index(1, 1)) == "\u20683/4/1990\u2069" and m.data(m.index(0, 1)) == ""
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


@pytest.mark.parametrize(("lang", "born", "permit"), [
    ("fi", ["12.9.2004", "3.10.1990", ""], ["4.3.2025", "1.12.2026", ""]),
    ("ar", ["12\u200f/9\u200f/2004", "3\u200f/10\u200f/1990", ""],
     ["4\u200f/3\u200f/2025", "1\u200f/12\u200f/2026", ""]),
])
def test_born_column_in_the_locale_format_sorts_by_the_date(lang, born, permit):
    """Birth dates written as the permit dates beside them (not ISO), the whole year
    shown; the sort role gives the date itself, so "3.10.1990" sorts before "12.9.2004"."""
    rows = [_summary(1), _summary(2, permit_date=dt.date(2026, 12, 1)),
            _summary(3, permit_date=None)]
    m = ClientTableModel(rows)
    m.birth = {f"{1:032x}": dt.date(2004, 9, 12), f"{2:032x}": dt.date(1990, 10, 3)}
    born_col = next(i for i, c in enumerate(m.columns) if c[0] == "Born")
    permit_col = next(i for i, c in enumerate(m.columns) if c[0] == "Permit")
    set_language(lang)
    def iso(text: str) -> str:  # in an isolate: an Arabic date stays whole in any cell
        return f"\u2068{text}\u2069" if text else ""

    try:
        assert [m.data(m.index(r, born_col)) for r in range(3)] == [iso(t) for t in born]
        assert [m.data(m.index(r, permit_col)) for r in range(3)] == [iso(t) for t in permit]
    finally:
        set_language("en")
    by_birth = sorted(range(3), key=lambda r: m.data(m.index(r, born_col), SORT_ROLE))
    assert by_birth == [2, 1, 0]  # no date first, then 1990, 2004
    by_permit = sorted(range(3), key=lambda r: m.data(m.index(r, permit_col), SORT_ROLE))
    assert by_permit == [2, 0, 1]
    names = sorted(range(3), key=lambda r: m.data(m.index(r, 0), SORT_ROLE))
    assert names == [0, 1, 2]  # other columns sort by their text
