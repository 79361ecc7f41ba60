"""The Time page's indicator box: five figures, each name on its own line above its value."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFormLayout, QGroupBox, QLabel

from counsel.i18n import gettext as _


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
