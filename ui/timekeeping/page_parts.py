"""Parts of the Time page made when it is first shown or given numbers: the indicator box
(five figures, each name on its own line above its value) and the tables."""

from __future__ import annotations

from PySide6.QtCore import QAbstractItemModel, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFormLayout,
    QGroupBox,
    QHeaderView,
    QLabel,
    QTableView,
)

from counsel.i18n import gettext as _
from counsel_ui.common.widgets import named

#: the tables' default sort: total time, most first
TOTAL_COLUMN = 4


def indicator_box() -> tuple[QGroupBox, dict[str, QLabel]]:
    """The box and its value labels by key (empty until an overview is shown)."""
    box = QGroupBox(_("Indicators"))
    form = QFormLayout(box)
    form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
    # each name on its own line above its value, whole: beside the value a wrapped
    # Arabic name lost its last letter ("يومً")
    form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapAllRows)
    figures: dict[str, QLabel] = {}
    for key, text in (
            ("early", _("Time in clients' first 90 days")),
            ("circular", _("Clients going round in circles")),
            ("interpreter", _("Appointments with an interpreter")),
            ("field", _("Field visits")),
            ("new", _("New clients"))):
        value = QLabel()
        value.setWordWrap(True)
        value.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByKeyboard
                                      | Qt.TextInteractionFlag.TextSelectableByMouse)
        value.setFocusPolicy(Qt.FocusPolicy.TabFocus)
        lab = QLabel(text)
        lab.setWordWrap(True)  # on its own row: a long name wraps inside the box
        lab.setBuddy(value)
        value.setAccessibleName(text)
        form.addRow(lab, value)
        figures[key] = value
    box.setMinimumWidth(260)
    box.setMaximumWidth(380)
    return box, figures


def split_table(model: QAbstractItemModel, name: str) -> QTableView:
    view = QTableView()
    view.setModel(model)
    view.setSortingEnabled(True)
    view.sortByColumn(TOTAL_COLUMN, Qt.SortOrder.DescendingOrder)
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    view.verticalHeader().hide()
    view.setWordWrap(False)
    view.setTabKeyNavigation(False)
    header = view.horizontalHeader()
    header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
    # the figures' widths measured once per overview (:func:`fit_figures`): ResizeToContents did
    # at every layout, show and sort (the page's first show asked data() ~4000 times)
    for c in range(1, model.columnCount()):
        header.setSectionResizeMode(c, QHeaderView.ResizeMode.Interactive)
    # widths from the first rows only (hours:minutes are alike): Qt's default measures a
    # thousand rows through data(), on the UI thread
    header.setResizeContentsPrecision(20)
    named(view, name)
    return view


def fit_figures(view: QTableView) -> None:
    """The figure columns as wide as their header and first rows (the names take the rest)."""
    for c in range(1, view.model().columnCount()):
        view.resizeColumnToContents(c)
