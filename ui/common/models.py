"""Qt table models over the vault's frozen values (tested without widgets)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from functools import cmp_to_key
from typing import Any, Generic, TypeVar

from PySide6.QtCore import (
    QAbstractTableModel,
    QCollator,
    QLocale,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
)

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
        self._given: list[T] = list(rows)  # in the order given (a search's: best first)
        self._rows: list[T] = list(rows)
        self._sorted: tuple[int, Qt.SortOrder] = (-1, Qt.SortOrder.AscendingOrder)

    def set_rows(self, rows: Sequence[T]) -> None:
        self.beginResetModel()
        self._given = list(rows)
        self._rows = self._in_order(self._given)
        self.endResetModel()

    # -- sorting (a view with setSortingEnabled calls sort; column -1: as given) ----------
    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        if (column, order) == self._sorted:
            return
        self._sorted = (column, order)
        self.layoutAboutToBeChanged.emit()
        before = self._rows
        self._rows = self._in_order(self._given)
        new_row = {id(v): r for r, v in enumerate(self._rows)}
        for index in self.persistentIndexList():  # the selection and current row follow
            row = new_row.get(id(before[index.row()])) if index.row() < len(before) else None
            self.changePersistentIndex(index, self.index(row, index.column())
                                       if row is not None else QModelIndex())
        self.layoutChanged.emit()

    def sorted_by(self) -> tuple[int, Qt.SortOrder]:
        return self._sorted

    def _in_order(self, rows: list[T]) -> list[T]:
        column, order = self._sorted
        if not 0 <= column < len(self.columns):
            return list(rows)
        title = self.columns[column][0]
        collator = QCollator(QLocale())
        collator.setNumericMode(True)
        collator.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        keyed = [(self._sort_value(r, title, column), r) for r in rows]
        texts = all(isinstance(v, str) for v, _r in keyed)

        def compare(a: tuple[Any, T], b: tuple[Any, T]) -> int:
            if texts:
                return collator.compare(a[0], b[0])
            return (a[0] > b[0]) - (a[0] < b[0])

        ordered = sorted(keyed, key=cmp_to_key(compare),
                         reverse=order == Qt.SortOrder.DescendingOrder)  # stable both ways
        return [r for _v, r in ordered]

    def _sort_value(self, value: T, title: str, column: int) -> Any:
        """What ``SORT_ROLE`` gives for ``value`` in ``column`` (see :meth:`data`)."""
        born = getattr(self, "birth", None)
        shared = getattr(self, "shared", None)
        if born is not None and title == "Born":
            return born.get(getattr(value, "id", "")) or dt.date.min
        if shared is not None and title == "Shared with":
            return shared.get(getattr(value, "id", "")) or ""
        key = self.sort_keys.get(title)
        return key(value) if key else self.columns[column][1](value)

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
            return self._sort_value(value, title, index.column())
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
