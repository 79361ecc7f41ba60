"""Every keyboard shortcut of the workspace, declared once: the menu bar shows them, the
shortcuts sheet (F1, Ctrl+?) lists them, and the same actions carry the keys.

Keys that act on "the client I am working with" (quick log, timer, new encounter)
work from every window of the app — an encounter editor is a window of its own, and
the guide promises Ctrl+L and Ctrl+T there too; page keys (Ctrl+1…) belong to the
main window and put the cursor into the page, so typing does not land in the sidebar.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QMenuBar,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from counsel.i18n import N_
from counsel.i18n import gettext as _

if TYPE_CHECKING:
    from counsel_ui.shell.workspace import Workspace

MENUS = (N_("&File"), N_("&Go"), N_("&Record"), N_("&Help"))
HELP_KEYS = ("F1", "Ctrl+?")


@dataclasses.dataclass(frozen=True)
class Key:
    menu: str  # one of MENUS
    title: str  # N_-marked
    keys: tuple[str, ...]
    app_wide: bool = False


#: keys handled elsewhere, listed on the sheet only (not menu actions)
OTHER_KEYS = (
    Key(N_("&Record"), N_("Save the open editor"), ("Ctrl+S",)),
    Key(N_("&Record"), N_("Close the editor (the draft is kept)"), ("Esc",)),
    Key(N_("&Record"), N_("Insert a text snippet (in an encounter's text box)"),
        ("Ctrl+Shift+I",)),
    Key(N_("&File"), N_("Sync now"), ("Ctrl+Shift+S",)),
    Key(N_("&File"), N_("Print the plan or card"), ("Ctrl+P",)),
)


def _native(key: str) -> str:
    return QKeySequence(key).toString(QKeySequence.SequenceFormat.NativeText)


class ShortcutsSheet(QDialog):
    """All keys in one table, in the interface language."""

    def __init__(self, rows: list[tuple[str, str]], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(_("Keyboard shortcuts"))
        lay = QVBoxLayout(self)
        self.table = QTableWidget(len(rows), 2)
        self.table.setHorizontalHeaderLabels([_("Keys"), _("What they do")])
        self.table.verticalHeader().setVisible(False)
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        for r, (keys, what) in enumerate(rows):
            self.table.setItem(r, 0, QTableWidgetItem(keys))
            self.table.setItem(r, 1, QTableWidgetItem(what))
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        lay.addWidget(self.table)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        lay.addWidget(buttons)
        self.resize(560, 520)


class Shortcuts:
    """The workspace's actions; ``fill(menu_bar)`` shows them."""

    def __init__(self, workspace: Workspace) -> None:
        self.workspace = workspace
        self.actions: list[tuple[Key, QAction]] = []

    def add(self, key: Key, slot: Callable[[], object]) -> QAction:
        action = QAction(_(key.title), self.workspace)
        action.setShortcuts([QKeySequence(k) for k in key.keys])
        action.setShortcutContext(Qt.ShortcutContext.ApplicationShortcut if key.app_wide
                                  else Qt.ShortcutContext.WindowShortcut)
        action.triggered.connect(lambda _checked=False: slot())
        self.workspace.addAction(action)
        self.actions.append((key, action))
        return action

    def rows(self) -> list[tuple[str, str]]:
        """(keys, what) for the sheet: the actions, then the keys handled elsewhere."""
        listed = [(k, _(k.title)) for k, _a in self.actions] + [(k, _(k.title))
                                                                 for k in OTHER_KEYS]
        return [(", ".join(_native(x) for x in k.keys), title.replace("&", ""))
                for k, title in listed if k.keys]  # menu-only actions have no key

    def show_sheet(self) -> ShortcutsSheet:
        sheet = ShortcutsSheet(self.rows(), self.workspace.window())
        sheet.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        sheet.open()
        return sheet

    def fill(self, bar: QMenuBar) -> None:
        bar.clear()
        for menu_title in MENUS:
            menu = bar.addMenu(_(menu_title))
            for key, action in self.actions:
                if key.menu == menu_title:
                    menu.addAction(action)
