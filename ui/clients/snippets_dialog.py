"""Insert a reusable text snippet into the text box being written (Ctrl+Shift+I in the
encounter editor): type to filter, Enter inserts at the cursor.  Own snippets are
added from the text box's current selection ("Save selection as snippet")."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QDialogButtonBox,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from counsel.app import snippets
from counsel.i18n import gettext as _
from counsel_ui.common.widgets import named

if TYPE_CHECKING:
    from counsel_ui.shell.session import Session

SNIPPET_KEY = "Ctrl+Shift+I"


class SnippetDialog(QDialog):
    def __init__(self, session: Session, target: QPlainTextEdit,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.target = target
        self.setWindowTitle(_("Insert a snippet"))
        lay = QVBoxLayout(self)
        self.filter = QLineEdit()
        named(self.filter, _("Filter snippets"))
        lay.addWidget(self.filter)
        self.list = QListWidget()
        named(self.list, _("Snippets"))
        # a snippet is read whole before it is inserted: wrapped, never cut at the edge
        self.list.setWordWrap(True)
        self.list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        lay.addWidget(self.list, 1)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.save_selection = buttons.addButton(_("Save selection as snippet"),
                                                QDialogButtonBox.ButtonRole.ActionRole)
        self.save_selection.setEnabled(target.textCursor().hasSelection())
        self.save_selection.clicked.connect(self.save_selected_text)
        buttons.rejected.connect(self.reject)
        lay.addWidget(buttons)
        self.all = snippets.load(session.vault)
        self.filter.textChanged.connect(lambda _t: self._fill())
        self.filter.returnPressed.connect(self.insert)
        self.list.itemActivated.connect(lambda _i: self.insert())
        self._fill()
        self.resize(520, 420)

    def _fill(self) -> None:
        self.list.clear()
        for s in snippets.matching(self.all, self.filter.text()):
            item = QListWidgetItem(f"{s.title} — {s.text}")
            item.setData(Qt.ItemDataRole.UserRole, s.text)
            item.setToolTip(s.text)
            self.list.addItem(item)
        if self.list.count():
            self.list.setCurrentRow(0)

    def insert(self) -> None:
        item = self.list.currentItem()
        if item is None:
            return
        self.target.insertPlainText(str(item.data(Qt.ItemDataRole.UserRole)))
        self.accept()

    def save_selected_text(self) -> None:
        text = self.target.textCursor().selectedText().replace("\u2029", "\n").strip()
        if not text:
            return
        title = self.filter.text().strip() or text.split()[0]
        self.all = [snippets.Snippet(title, text), *self.all]
        snippets.save(self.session.vault, self.all)
        self._fill()


def install_snippet_key(editor: QWidget, session: Session) -> None:
    """Ctrl+Shift+I in ``editor``: the snippet picker for the focused text box."""

    def open_picker() -> None:
        target = QApplication.focusWidget()
        if isinstance(target, QPlainTextEdit) and editor.isAncestorOf(target):
            SnippetDialog(session, target, editor).open()

    QShortcut(QKeySequence(SNIPPET_KEY), editor, open_picker)
