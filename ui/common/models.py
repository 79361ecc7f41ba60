"""Qt table models over the vault's frozen values (tested without widgets)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from typing import Any, Generic, TypeVar

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt

from counsel.domain import ClientType, Contact
from counsel.i18n import N_, display
from counsel.i18n import gettext as _
from counsel.vault.views import ClientSummary

T = TypeVar("T")
Index = QModelIndex | QPersistentModelIndex
ID_ROLE = Qt.ItemDataRole.UserRole + 1
#: the value a column sorts by (a date, not its text: "3.10.1990" comes after "12.9.2004"
#: as text); ``QSortFilterProxyModel.setSortRole(SORT_ROLE)`` / a model's own sort
SORT_ROLE = Qt.ItemDataRole.UserRole + 2


class RowsModel(QAbstractTableModel, Generic[T]):
    """Rows of frozen values; columns are (title, getter) pairs. ``ID_ROLE`` → row id."""

    columns: Sequence[tuple[str, Callable[[Any], str]]] = ()
    #: column title → the value that column sorts by (default: the shown text)
    sort_keys: dict[str, Callable[[Any], Any]] = {}  # noqa: RUF012 - class constant

    def __init__(self, rows: Sequence[T] = (), parent: Any = None) -> None:
        super().__init__(parent)
        self._rows: list[T] = list(rows)

    def set_rows(self, rows: Sequence[T]) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self.endResetModel()

    def row_value(self, row: int) -> T:
        return self._rows[row]

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self.columns)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        value = self._rows[index.row()]
        title = self.columns[index.column()][0]
        born = getattr(self, "birth", None)
        shared = getattr(self, "shared", None)
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            if born is not None and title == "Born":
                return _date_cell(born.get(getattr(value, "id", "")))
            if shared is not None and title == "Shared with":
                return _shared_cell(shared.get(getattr(value, "id", "")),
                                    role == Qt.ItemDataRole.AccessibleTextRole)
            return self.columns[index.column()][1](value)
        if role == Qt.ItemDataRole.ToolTipRole and shared is not None and title == "Shared with":
            team = shared.get(getattr(value, "id", ""))
            return _("Kept in the team's vault: everyone in {team} reads these records."
                     ).format(team=display.isolate(team)) if team else _(
                "Your own client: only your computers read these records.")
        if role == SORT_ROLE:
            if born is not None and title == "Born":
                return born.get(getattr(value, "id", "")) or dt.date.min
            if shared is not None and title == "Shared with":
                return shared.get(getattr(value, "id", "")) or ""
            key = self.sort_keys.get(title)
            return key(value) if key else self.columns[index.column()][1](value)
        if role == ID_ROLE:
            return getattr(value, "id", None)
        return None

    def headerData(self, section: int, orientation: Qt.Orientation,  # noqa: N802
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return _(self.columns[section][0])
        return None


def _date_cell(day: Any) -> str:
    """The interface language's date, isolated: an Arabic date's right-to-left marks
    otherwise come apart in a left-to-right cell ("41990/3/" for 4/3/1990)."""
    return display.isolate(display.short_date(day))


def _shared_cell(team: str | None, spoken: bool = False) -> str:
    """A team client's marker in the client list: the team ("" for the counsellor's own);
    a screen reader hears "shared with TEAM"."""
    if not team:
        return ""
    return _("shared with {team}").format(team=display.isolate(team)) if spoken else \
        display.isolate(team)


def _languages(c: ClientSummary) -> str:
    codes = list(dict.fromkeys([c.mother_tongue, *c.languages] if c.mother_tongue
                               else c.languages))
    return display.join(display.language(x) for x in codes if x)


def _client_type(c: ClientSummary) -> str:
    try:
        return ClientType(c.client_type).label()
    except ValueError:
        return c.client_type


class ClientTableModel(RowsModel[ClientSummary]):
    """``birth`` (id → date, set by the page) fills the "Born" column: many clients share
    a name, their birth dates tell them apart."""

    birth: dict[str, Any] = {}  # noqa: RUF012 - replaced per instance by the page
    shared: dict[str, str] = {}  # noqa: RUF012 - client id → team name (set by the page)
    columns = (
        (N_("Name"), lambda c: c.name + (f" ({c.preferred_name})" if c.preferred_name
                                     and c.preferred_name != c.name else "")),
        (N_("Born"), lambda c: ""),
        (N_("Languages"), _languages),
        (N_("Municipality"), lambda c: c.municipality),
        (N_("Type"), _client_type),
        (N_("Interpreter"), lambda c: _("yes") if c.interpreter_needed else ""),
        (N_("Permit"), lambda c: _date_cell(c.permit_date)),
        (N_("Shared with"), lambda c: ""),
    )
    sort_keys = {"Permit": lambda c: c.permit_date or dt.date.min}  # noqa: RUF012


class ContactTableModel(RowsModel[Contact]):
    columns = (
        (N_("Name"), lambda c: c.name),
        (N_("Kind"), lambda c: c.party_kind.label()),
        (N_("Organisation"), lambda c: c.organisation),
        (N_("Role"), lambda c: c.role),
        (N_("Phone"), lambda c: c.phone),
        (N_("Email"), lambda c: c.email),
    )
